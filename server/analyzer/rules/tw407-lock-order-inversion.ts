import { callSitesOf, callsIn } from '../model/call-sites';
import { acquiredBy, heldRegions, takenInside } from '../model/lock-regions';
import { callInvocation, handoffInvocation, locksAtCall, paramLocks } from '../model/param-locks';
import { threadHandoffs } from '../model/thread-reachability';
import { child, unparenthesize, type SNode } from '../syntax';
import type { Rule, RuleContext } from './rule';

/** "While holding `first`, `fn` takes `second` at `at`." */
interface Ordering {
  readonly first: string;
  readonly second: string;
  readonly firstText: string;
  readonly secondText: string;
  readonly at: SNode;
  /** The function whose path it is. */
  readonly who: string;
  readonly chain: readonly string[];
  /** Set when the path is a thread's: the hand-off that starts it with these locks. */
  readonly started?: string;
}

/** Every ordered pair of distinct locks some function takes, directly or through calls. */
export function lockOrderings(ctx: RuleContext): Ordering[] {
  const out: Ordering[] = [];
  for (const fn of ctx.model.functions) {
    const regions = heldRegions(fn, ctx.resolver);
    // Taking a lock the path already holds (an RLock re-entered, directly or in a callee) waits
    // for nothing, so it orders nothing: `with a: with b: self.start()` where start takes `a`.
    const alreadyHeld = (key: string, at: number, taking?: (typeof regions)[number]) =>
      regions.some((r) => r !== taking && r.key === key && r.acquire.start < at && at >= r.start && at < r.end);
    for (const outer of regions) {
      for (const inner of regions) {
        if (!inner.blocking || inner.key === outer.key || !takenInside(outer, inner)) continue;
        if (alreadyHeld(inner.key, inner.acquire.start, inner)) continue;
        out.push({ first: outer.key, second: inner.key, firstText: outer.text, secondText: inner.text, at: inner.acquire, who: fn.name, chain: [fn.name] });
      }
      for (const site of callsIn(fn, ctx.resolver)) {
        if (site.node.start < outer.start || site.node.start >= outer.end) continue;
        for (const callee of ctx.resolver.localFunctions(site.callee, site.scope) ?? []) {
          if (callee.isAsync) continue;
          for (const acq of acquiredBy(callee, ctx.resolver).values()) {
            if (acq.key === outer.key || alreadyHeld(acq.key, site.node.start)) continue;
            out.push({ first: outer.key, second: acq.key, firstText: outer.text, secondText: acq.text, at: site.node, who: fn.name, chain: [fn.name, ...acq.chain] });
          }
          if (paramLocks(callee, ctx.resolver).length === 0) continue;
          for (const lock of locksAtCall(callee, callInvocation(site, ctx.resolver), ctx.resolver).taken) {
            if (lock.key !== outer.key && !alreadyHeld(lock.key, site.node.start)) out.push({ first: outer.key, second: lock.key, firstText: outer.text, secondText: lock.text, at: site.node, who: fn.name, chain: [fn.name, callee.name] });
          }
        }
      }
    }
  }
  // Locks the caller chooses (`transfer(a, b)`): the arguments say which two locks the callee
  // nests, so each call is an ordering of its own. Few functions take their parameters' locks:
  // their callers are looked up, rather than every call resolved.
  for (const callee of ctx.model.functions) {
    if (callee.isAsync || paramLocks(callee, ctx.resolver).length === 0) continue;
    for (const site of callSitesOf(callee, ctx.resolver)) {
      const fn = site.scope.type === 'function' ? site.scope : undefined;
      if (!fn) continue;
      for (const { first, second } of locksAtCall(callee, callInvocation(site, ctx.resolver), ctx.resolver).nested) {
        if (first.key !== second.key) out.push({ first: first.key, second: second.key, firstText: first.text, secondText: second.text, at: site.node, who: fn.name, chain: [fn.name, callee.name] });
      }
    }
  }
  // The same for a thread started on a function with the locks as its arguments
  // (`Thread(target=transfer, args=(a, b))`), the textbook deadlock.
  for (const { site, target } of threadHandoffs(ctx.resolver)) {
    const inv = handoffInvocation(site, target, ctx.resolver);
    if (!inv) continue;
    for (const callee of ctx.resolver.localFunctions(unparenthesize(target), site.scope) ?? []) {
      if (callee.isAsync) continue;
      for (const { first, second } of locksAtCall(callee, inv, ctx.resolver).nested) {
        if (first.key !== second.key) {
          out.push({ first: first.key, second: second.key, firstText: first.text, secondText: second.text, at: site.node, who: callee.name, chain: [callee.name], started: startedText(site.node, ctx) });
        }
      }
    }
  }
  return out;
}

/** The hand-off as written when it is short (`Thread(target=dine, args=(A, B))`), else its callee. */
function startedText(call: SNode, ctx: RuleContext): string {
  const text = ctx.resolver.text(call).replace(/\s+/g, ' ');
  if (text.length <= 80) return text;
  const callee = child(call, 'function');
  return `${callee ? ctx.resolver.text(callee) : 'a hand-off'}(…)`;
}

function describe(o: Ordering): string {
  const via = o.chain.length > 1 ? ` via ${o.chain.map((c) => `${c}()`).join(' → ')}` : '';
  const thread = o.started ? ` in the thread of ${o.started}` : '';
  return `'${o.who}' takes '${o.secondText}' while holding '${o.firstText}'${via}${thread}`;
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
