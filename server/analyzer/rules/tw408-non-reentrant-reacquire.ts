import { callsIn } from '../model/call-sites';
import { acquiredBy, heldRegions, type HeldRegion } from '../model/lock-regions';
import { child, unparenthesize, type SNode } from '../syntax';
import type { Fix, Rule, RuleContext } from './rule';

/** Turns the lock's `threading.Lock()` construction into `threading.RLock()`, when it is that simple. */
function rlockFix(region: HeldRegion, ctx: RuleContext): Fix | undefined {
  const acquired = region.acquire.type === 'with_item' ? child(region.acquire, 'value') : child(child(region.acquire, 'function')!, 'object');
  if (!acquired) return undefined;
  const made = ctx.resolver.constructionOf(unparenthesize(acquired), region.fn);
  const callee = made ? child(made, 'function') : undefined;
  if (callee?.type !== 'attribute') return undefined;
  const attr = child(callee, 'attribute');
  const scope = ctx.resolver.scopeAt(made!, region.fn);
  if (!attr || ctx.resolver.qualifiedName(callee, scope) !== 'threading.Lock') return undefined;
  return { title: `Make '${region.text}' an RLock`, safety: 'quick', edits: [{ start: attr.start, end: attr.end, newText: 'RLock' }] };
}

export const nonReentrantReacquire: Rule = {
  meta: {
    code: 'TW408',
    name: 'non-reentrant-reacquire',
    severity: 'error',
    fix: 'quick',
    summary: 'a threading.Lock acquired again while already held on the same path (self-deadlock)',
    description: 'A `threading.Lock` taken again while already held on the same path, directly or through a call, deadlocks.',
    peerCodes: [],
  },
  onFinish(ctx) {
    const seen = new Set<SNode>();
    const report = (region: HeldRegion, at: SNode, how: string) => {
      if (seen.has(at)) return;
      seen.add(at);
      const fix = rlockFix(region, ctx);
      ctx.report({
        start: at.start,
        end: at.end,
        message: `'${region.text}' is a threading.Lock already held here; ${how} waits for itself forever (self-deadlock). Release it first, or make it a threading.RLock.`,
        ...(fix ? { fix } : {}),
      });
    };
    for (const fn of ctx.model.functions) {
      const regions = heldRegions(fn, ctx.resolver).filter((r) => r.kind === 'thread-lock');
      for (const outer of regions) {
        for (const inner of heldRegions(fn, ctx.resolver)) {
          if (inner !== outer && inner.blocking && inner.key === outer.key && inner.acquire.start > outer.acquire.start && inner.acquire.start < outer.end) {
            report(outer, inner.acquire, 'acquiring it again');
          }
        }
        for (const site of callsIn(fn, ctx.resolver)) {
          if (site.node.start < outer.start || site.node.start >= outer.end) continue;
          for (const callee of ctx.resolver.localFunctions(site.callee, site.scope) ?? []) {
            if (callee.isAsync) continue;
            const acq = acquiredBy(callee, ctx.resolver).get(outer.key);
            if (acq) report(outer, site.node, `calling ${acq.chain.map((c) => `${c}()`).join(' → ')}, which takes it again,`);
          }
        }
      }
    }
  },
};
