import { callSitesOf, callsIn } from '../model/call-sites';
import { acquiredBy, heldRegions, letGoBefore, type HeldRegion } from '../model/lock-regions';
import { callInvocation, handoffInvocation, locksAtCall, paramLocks, type Invocation } from '../model/param-locks';
import type { FunctionInfo } from '../model/scope';
import { threadHandoffs } from '../model/thread-reachability';
import { child, unparenthesize, walk, type SNode } from '../syntax';
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

/**
 * Between taking the lock and `node`, the lock or its `release` is handed to other code
 * (`pool.callInThread(done.release)`, `start_new_thread(f, (mutex,))`): a lock made locked as a
 * signal, which another thread releases. Acquiring it again waits for that thread, not forever.
 */
function handedOnBefore(region: HeldRegion, node: SNode, ctx: RuleContext): boolean {
  const text = region.text.replace(/\s+/g, '');
  let handed = false;
  walk(region.fn.node, (n) => {
    if (handed || n.end <= region.start || n.start >= node.start) return false;
    if (n !== region.fn.node && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
    if ((n.type === 'identifier' || n.type === 'attribute') && ctx.resolver.text(n).replace(/\s+/g, '') === text) {
      const parent = n.parent;
      // `done.release` named without a call.
      const method = parent?.type === 'attribute' && n.field === 'object' ? parent : undefined;
      if (method && ctx.resolver.textIs(child(method, 'attribute')!, 'release') && !(method.parent?.type === 'call' && method.field === 'function')) handed = true;
      // The lock itself among a call's arguments, alone or in a tuple or list.
      for (let a: SNode | null = parent; a && !handed; a = a.parent) {
        if (a.type === 'argument_list') handed = true;
        else if (a.type !== 'tuple' && a.type !== 'list' && a.type !== 'keyword_argument' && a.type !== 'parenthesized_expression') break;
      }
      return false;
    }
    return true;
  });
  return handed;
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
            if (!letGoBefore(outer, inner.acquire, ctx.resolver) && !handedOnBefore(outer, inner.acquire, ctx)) report(outer, inner.acquire, 'acquiring it again');
          }
        }
        for (const site of callsIn(fn, ctx.resolver)) {
          if (site.node.start < outer.start || site.node.start >= outer.end || letGoBefore(outer, site.node, ctx.resolver)) continue;
          for (const callee of ctx.resolver.localFunctions(site.callee, site.scope) ?? []) {
            if (callee.isAsync) continue;
            const acq = acquiredBy(callee, ctx.resolver).get(outer.key);
            if (acq) report(outer, site.node, `calling ${acq.chain.map((c) => `${c}()`).join(' → ')}, which takes it again,`);
            else if (paramLocks(callee, ctx.resolver).length > 0 && locksAtCall(callee, callInvocation(site, ctx.resolver), ctx.resolver).taken.some((l) => l.key === outer.key)) {
              report(outer, site.node, `passing it to ${callee.name}(), which takes it,`);
            }
          }
        }
      }
    }
    // A helper that nests two locks its caller chooses, given the same lock twice
    // (`transfer(acct, acct)`): the inner `with` waits for the outer one.
    const twice = (callee: FunctionInfo, inv: Invocation) => {
      if (callee.isAsync || seen.has(inv.site.node)) return;
      const same = locksAtCall(callee, inv, ctx.resolver).nested.find((p) => p.first.key === p.second.key && p.first.kind === 'thread-lock' && !p.guarded);
      if (!same) return;
      seen.add(inv.site.node);
      ctx.report({
        start: inv.site.node.start,
        end: inv.site.node.end,
        message: `'${callee.name}' takes '${same.first.text}' and then '${same.second.text}', one threading.Lock: with these arguments it waits for itself forever (self-deadlock). Pass two different locks, or skip the second when they are the same.`,
      });
    };
    // Few functions take their parameters' locks: their callers are looked up, not every call resolved.
    for (const callee of ctx.model.functions) {
      if (paramLocks(callee, ctx.resolver).length === 0) continue;
      for (const site of callSitesOf(callee, ctx.resolver)) if (site.scope.type === 'function') twice(callee, callInvocation(site, ctx.resolver));
    }
    for (const { site, target } of threadHandoffs(ctx.resolver)) {
      const inv = handoffInvocation(site, target, ctx.resolver);
      if (inv) for (const callee of ctx.resolver.localFunctions(unparenthesize(target), site.scope) ?? []) twice(callee, inv);
    }
  },
};
