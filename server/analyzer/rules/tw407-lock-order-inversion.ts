import { callsIn } from '../model/call-sites';
import { acquiredBy, heldRegions } from '../model/lock-regions';
import type { FunctionInfo } from '../model/scope';
import type { SNode } from '../syntax';
import type { Rule, RuleContext } from './rule';

/** "While holding `first`, `fn` takes `second` at `at`." */
interface Ordering {
  readonly first: string;
  readonly second: string;
  readonly firstText: string;
  readonly secondText: string;
  readonly at: SNode;
  readonly fn: FunctionInfo;
  readonly chain: readonly string[];
}

/** Every ordered pair of distinct locks some function takes, directly or through calls. */
export function lockOrderings(ctx: RuleContext): Ordering[] {
  const out: Ordering[] = [];
  for (const fn of ctx.model.functions) {
    const regions = heldRegions(fn, ctx.resolver);
    for (const outer of regions) {
      for (const inner of regions) {
        if (inner === outer || !inner.blocking || inner.key === outer.key || inner.start < outer.start || inner.start >= outer.end) continue;
        if (inner.acquire.start < outer.acquire.start) continue;
        out.push({ first: outer.key, second: inner.key, firstText: outer.text, secondText: inner.text, at: inner.acquire, fn, chain: [fn.name] });
      }
      for (const site of callsIn(fn, ctx.resolver)) {
        if (site.node.start < outer.start || site.node.start >= outer.end) continue;
        for (const callee of ctx.resolver.localFunctions(site.callee, site.scope) ?? []) {
          if (callee.isAsync) continue;
          for (const acq of acquiredBy(callee, ctx.resolver).values()) {
            if (acq.key === outer.key) continue;
            out.push({ first: outer.key, second: acq.key, firstText: outer.text, secondText: acq.text, at: site.node, fn, chain: [fn.name, ...acq.chain] });
          }
        }
      }
    }
  }
  return out;
}

function describe(o: Ordering): string {
  const via = o.chain.length > 1 ? ` via ${o.chain.map((c) => `${c}()`).join(' → ')}` : '';
  return `'${o.fn.name}' takes '${o.secondText}' while holding '${o.firstText}'${via}`;
}

export const lockOrderInversion: Rule = {
  meta: {
    code: 'TW407',
    name: 'lock-order-inversion',
    severity: 'warning',
    fix: 'none',
    summary: 'two code paths take the same two locks in opposite orders (potential deadlock)',
    description: 'Two code paths take the same two locks in opposite orders: they can deadlock. Both paths are reported.',
    peerCodes: [],
  },
  onFinish(ctx) {
    const orderings = lockOrderings(ctx);
    const reported = new Set<SNode>();
    for (const o of orderings) {
      const other = orderings.find((p) => p.first === o.second && p.second === o.first);
      if (!other || reported.has(o.at)) continue;
      reported.add(o.at);
      ctx.report({
        start: o.at.start,
        end: o.at.end,
        message: `Lock order inversion: ${describe(o)}, but ${describe(other)}; two threads on these paths can deadlock. Always take the locks in one order.`,
        related: [{ start: other.at.start, end: other.at.end, message: `the opposite order: ${describe(other)}` }],
      });
    }
  },
};
