import { describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { blockingChain, syncCallees } from '../model/call-graph';
import type { Rule } from './rule';

export const blockingViaHelper: Rule = {
  meta: {
    code: 'TW107',
    name: 'blocking-via-helper',
    severity: 'warning',
    fix: 'none',
    summary: 'async def calls a sync helper of this module that blocks',
    description: 'An `async def` calls a sync function of the module that blocks, directly or through further calls; the message names the chain.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  onCall(site, ctx) {
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    const callees = syncCallees(site, ctx.resolver);
    if (callees.length !== 1) return;
    const chain = blockingChain(callees[0]!, ctx.resolver);
    if (!chain) return;
    const path = chain.map((c) => `${c}()`).join(' → ');
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `'${ctx.resolver.text(site.callee)}()' blocks the event loop in ${describeLoopFunction(loop)}: ${path}; ${loop.framework ? 'run it in a worker thread (an executor job),' : loop.generatorBased ? 'run it in a worker thread (asyncio.to_thread, an executor) and yield that,' : `run it with 'await asyncio.to_thread(${ctx.resolver.text(site.callee)}, ...)'`} or make the helper async.`,
    });
  },
};
