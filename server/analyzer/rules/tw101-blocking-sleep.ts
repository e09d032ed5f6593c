import { aloneOnPrivateLoop } from '../model/private-loop';
import { callRole, describeLoopFunction, eventLoopFunction, isHandedOff } from '../model/call-context';
import { ensureModuleImported } from '../fixes/imports';
import { awaitExpression, insideGeneratorExpression } from '../fixes/await-expression';
import { pausesWithoutBlocking } from '../model/zero-sleep';
import type { Fix, Rule } from './rule';

const SLEEP = 'time.sleep';

export const blockingSleep: Rule = {
  meta: {
    code: 'TW101',
    name: 'blocking-sleep',
    severity: 'warning',
    fix: 'quick',
    summary: 'time.sleep() inside async def blocks the event loop',
    description: '`time.sleep()` in an `async def` blocks the whole event loop.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC251', 'S7488'],
  },
  onCall(site, ctx) {
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    if (ctx.resolver.qualifiedName(site.callee, site.scope) !== SLEEP) return;
    // A coroutine alone on a worker thread's own loop blocks nothing but itself.
    if (aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
    // `time.sleep(0)` blocks nothing: it returns at once, having let other threads run (cylc-flow
    // does so on purpose, for its server thread). It hurts only as the pause of a spin-wait.
    if (pausesWithoutBlocking(site.node, ctx.resolver)) return;
    let fix: Fix | undefined;
    // In `to_thread(time.sleep(1))` the author meant to hand the function off, not to await it:
    // an automatic edit would only make the mistake harder to see.
    // A generator-based coroutine cannot `await`: there the fix would be a SyntaxError.
    if (!loop.viaLambda && !loop.generatorBased && site.args?.type === 'argument_list' && !isHandedOff(site.node, site.scope, ctx.resolver) && !insideGeneratorExpression(site.node)) {
      const asyncio = ensureModuleImported('asyncio', site.scope, ctx.resolver);
      if (asyncio) {
        const args = ctx.source.slice(site.args.start, site.args.end);
        // Already under `await` (a confused half-migration): only the callee needs to change.
        const awaited = callRole(site.node, ctx.source) === 'awaited';
        fix = {
          title: `Replace with 'await ${asyncio.name}.sleep${args}'`,
          safety: 'quick',
          edits: [...asyncio.edits, { start: site.node.start, end: site.node.end, newText: awaited ? `${asyncio.name}.sleep${args}` : awaitExpression(site.node, `${asyncio.name}.sleep${args}`) }],
        };
      }
    }
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `time.sleep() blocks the event loop in ${describeLoopFunction(loop)}: no other task runs until it returns; ${loop.framework ? "this function cannot await: schedule the later work instead (loop.call_later, or a task that awaits asyncio.sleep())" : loop.generatorBased ? "yield an asynchronous sleep ('yield gen.sleep()' in Tornado, 'yield from asyncio.sleep()')" : "use 'await asyncio.sleep()'"}.`,
      ...(fix ? { fix } : {}),
    });
  },
};
