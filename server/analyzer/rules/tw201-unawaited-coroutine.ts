import { callRole, eventLoopFunction, type CallRole } from '../model/call-context';
import { coroutineCallee, lazyGeneratorCoroutineCallee } from '../model/coroutines';
import type { CallSite } from '../model/semantic-model';
import type { Fix, Rule, RuleContext } from './rule';

/**
 * A `@types.coroutine` or `@asyncio.coroutine` function of this module called as a statement of
 * its own inside a coroutine: the generator it returns is dropped and its body never runs. Kept
 * to that plain shape: such a function is also an ordinary generator, which code outside a
 * coroutine may iterate or pass around on purpose.
 */
function droppedGeneratorCoroutine(site: CallSite, role: CallRole, ctx: RuleContext): string | undefined {
  if (role !== 'dropped' || !eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true })) return undefined;
  return lazyGeneratorCoroutineCallee(site.node, site.scope, ctx.resolver);
}

export const unawaitedCoroutine: Rule = {
  meta: {
    code: 'TW201',
    name: 'unawaited-coroutine',
    severity: 'warning',
    fix: 'quick',
    summary: 'coroutine created but never awaited: its body never runs',
    description: 'A coroutine call whose result is dropped or tested for truth never runs.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const role = callRole(site.node, ctx.source);
    if (role !== 'dropped' && role !== 'truth') return;
    const asyncName = coroutineCallee(site.node, site.scope, ctx.resolver);
    const generatorName = asyncName ? undefined : droppedGeneratorCoroutine(site, role, ctx);
    const name = asyncName ?? generatorName;
    if (!name) return;
    // `await` is only legal directly inside an async def, not in a lambda or a sync def.
    const fn = site.scope.type === 'function' ? site.scope : undefined;
    const canAwait = fn !== undefined && fn.isAsync && !fn.isLambda;
    const fix: Fix | undefined = canAwait
      ? { title: `Add 'await' before '${name}()'`, safety: 'quick', edits: [{ start: site.node.start, end: site.node.start, newText: 'await ' }] }
      : undefined;
    // run_in_executor schedules the job at once; only its outcome is lost.
    const scheduled = /\.run_in_executor$/.test(name);
    const message = scheduled
      ? `The future from '${name}()' is never awaited: the job runs, but its result and any exception it raises are lost.`
      : generatorName
      ? `Coroutine '${name}()' is never awaited: it is a generator-based coroutine, so its body never runs, and Python gives no warning.`
      : role === 'truth'
      ? `Coroutine '${name}()' is tested for truth but never awaited: a coroutine object is always true and its body never runs.`
      : `Coroutine '${name}()' is never awaited: its body never runs and Python warns "coroutine was never awaited".`;
    ctx.report({ start: site.node.start, end: site.node.end, message, ...(fix ? { fix } : {}) });
  },
};
