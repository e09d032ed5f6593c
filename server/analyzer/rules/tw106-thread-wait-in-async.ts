import { aloneOnPrivateLoop } from '../model/private-loop';
import { threadWaitName } from '../model/blocking-calls';
import { callRole, describeLoopFunction, eventLoopFunction, isHandedOff, methodCall } from '../model/call-context';
import { pollGuardedGet } from '../model/queue-poll';
import { ensureModuleImported } from '../fixes/imports';
import { awaitExpression, insideGeneratorExpression } from '../fixes/await-expression';
import { child } from '../syntax';
import { toThreadFix } from './blocking-in-async';
import type { Fix, Rule } from './rule';

const THREAD_AFFINE = new Set(['thread-lock', 'thread-rlock', 'thread-semaphore', 'thread-condition']);

export const threadWaitInAsync: Rule = {
  meta: {
    code: 'TW106',
    name: 'thread-wait-in-async',
    severity: 'warning',
    fix: 'quick',
    summary: 'a thread-world wait (Future.result, join, queue.get, lock.acquire) inside async def',
    description: 'A thread-world wait (`Future.result()`, `join()`, a `threading` lock, event or queue) in an `async def` parks the event loop\'s thread.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  onCall(site, ctx) {
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    const wait = threadWaitName(site.node, site.scope, ctx.resolver);
    if (!wait) return;
    // A coroutine alone on a worker thread's own loop blocks nothing but itself.
    if (aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
    const call = methodCall(site.callee, ctx.resolver);
    if (wait.kind === 'thread-queue' && call?.method === 'get' && pollGuardedGet(site.node, call.object, loop.fn, ctx.resolver)) return;
    let fix: Fix | undefined;
    // Every fix here inserts `await`, which a generator-based coroutine cannot use.
    if (!loop.viaLambda && !loop.generatorBased) {
      const object = site.callee.type === 'attribute' ? child(site.callee, 'object') : undefined;
      const method = site.callee.type === 'attribute' ? ctx.resolver.text(child(site.callee, 'attribute')!) : '';
      const noArgs = site.args?.type === 'argument_list' && site.args.children.every((c) => !c.named || c.type === 'comment');
      const editable = !insideGeneratorExpression(site.node) && callRole(site.node, ctx.source) !== 'awaited' && !isHandedOff(site.node, site.scope, ctx.resolver);
      if (!editable) {
        fix = undefined;
      } else if (wait.kind === 'cf-future' && method === 'result' && object && noArgs) {
        const asyncio = ensureModuleImported('asyncio', site.scope, ctx.resolver);
        if (asyncio) {
          fix = {
            title: `Await it: 'await ${asyncio.name}.wrap_future(${ctx.resolver.text(object)})'`,
            safety: 'quick',
            edits: [...asyncio.edits, { start: site.node.start, end: site.node.end, newText: awaitExpression(site.node, `${asyncio.name}.wrap_future(${ctx.resolver.text(object)})`) }],
          };
        }
      } else if (wait.kind && !THREAD_AFFINE.has(wait.kind) && !wait.name.endsWith('as_completed')) {
        // Locks and conditions belong to the thread that takes them: acquiring one in a worker
        // thread would leave it owned by that thread. as_completed is lazy: nothing to move.
        fix = toThreadFix(site, ctx);
      }
    }
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${wait.name}() parks the event loop's thread in ${describeLoopFunction(loop)} until another thread acts; nothing else on the loop runs meanwhile (and if that thread needs the loop, it deadlocks). ${loop.framework ? 'Wait in a coroutine or a worker thread instead' : loop.generatorBased ? 'Yield it instead' : 'Await it instead'}.`,
      ...(fix ? { fix } : {}),
    });
  },
};
