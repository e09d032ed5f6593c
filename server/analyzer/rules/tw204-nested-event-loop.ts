import { eventLoopFunction } from '../model/call-context';
import { child } from '../syntax';
import type { Rule } from './rule';

const LOOP_RUNNERS = new Set(['asyncio.run', 'asyncio.runners.run']);

export const nestedEventLoop: Rule = {
  meta: {
    code: 'TW204',
    name: 'nested-event-loop',
    severity: 'error',
    fix: 'none',
    summary: 'asyncio.run()/run_until_complete() inside async def raises RuntimeError',
    description: '`asyncio.run()` or `loop.run_until_complete()` in an `async def` raises `RuntimeError`: a loop is already running.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const loop = eventLoopFunction(site.scope, ctx.resolver);
    if (!loop) return;
    const q = ctx.resolver.qualifiedName(site.callee, site.scope);
    let what: string | undefined;
    if (q && LOOP_RUNNERS.has(q)) what = 'asyncio.run()';
    else if (site.callee.type === 'attribute') {
      const attr = child(site.callee, 'attribute');
      const object = child(site.callee, 'object');
      if (attr && object && ctx.resolver.text(attr) === 'run_until_complete' && ctx.resolver.kindOf(object, site.scope) === 'event-loop') {
        what = 'loop.run_until_complete()';
      }
    }
    if (!what) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${what} inside async def '${loop.fn.name}' raises RuntimeError: an event loop is already running in this thread; await the coroutine instead.`,
    });
  },
};
