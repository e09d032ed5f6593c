import { anyBlockingCall } from '../model/blocking-calls';
import { isLockConstruction, lockIdentity, locksHeldAt } from '../model/lock-regions';
import { statementOf } from '../model/locks';
import { child, namedChildren } from '../syntax';
import { mentionsAny } from '../model/name-mentions';
import { methodCall } from '../model/call-context';
import { checkedBeforeCall } from '../model/queue-guard';
import { GUARDING_KINDS, keepsNobodyWaiting } from '../model/lock-turns';
import type { CallSite } from '../model/semantic-model';
import type { Rule, RuleContext } from './rule';

/**
 * `q.get()` after `if not q.empty():` (or `q.qsize() > 0`), `q.put(x)` after `if not q.full():`,
 * with the check made while the lock is held: when the queue's other users take the same lock,
 * nobody can empty (or fill) it between the check and the call, so the call returns at once.
 */
function queueCallCannotWait(site: CallSite, heldFrom: number, ctx: RuleContext): boolean {
  const call = methodCall(site.callee, ctx.resolver);
  if (!call || (call.method !== 'get' && call.method !== 'put')) return false;
  if (ctx.resolver.kindOf(call.object, site.scope) !== 'thread-queue') return false;
  return checkedBeforeCall(site.node, call.object, call.method === 'get' ? 'item' : 'slot', heldFrom, ctx.resolver);
}

/**
 * `waiter = threading.Lock()` and, with no mention of `waiter` between, `waiter.acquire()` in the
 * same block: no other thread can have the new lock yet, so the acquire returns at once (Radicale
 * makes a waiter locked before queueing it for another thread to release).
 */
function acquiresFreshLock(site: CallSite, ctx: RuleContext): boolean {
  const call = methodCall(site.callee, ctx.resolver);
  if (!call || call.method !== 'acquire' || call.object.type !== 'identifier') return false;
  const name = ctx.resolver.text(call.object);
  const stmt = statementOf(site.node);
  const siblings = stmt.parent?.children ?? [];
  for (let i = siblings.indexOf(stmt) - 1; i >= 0; i--) {
    const before = siblings[i]!;
    if (!before.named || before.type === 'comment') continue;
    const assignment = before.type === 'expression_statement' ? namedChildren(before)[0] : undefined;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : undefined;
    const right = assignment?.type === 'assignment' ? child(assignment, 'right') : undefined;
    if (left?.type === 'identifier' && ctx.resolver.textIs(left, name) && right) return isLockConstruction(right, site.scope, ctx.resolver);
    if (mentionsAny(before, new Set([name]), ctx.resolver)) return false;
  }
  return false;
}

export const blockingUnderLock: Rule = {
  meta: {
    code: 'TW404',
    name: 'blocking-under-lock',
    severity: 'warning',
    fix: 'none',
    summary: 'sleep, I/O, a subprocess or a thread wait while holding a lock',
    description: 'Sleep, I/O, a subprocess or a thread wait while holding a lock makes every thread that needs the lock wait too.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  onCall(site, ctx) {
    const regions = locksHeldAt(site.node, site.scope, ctx.resolver);
    if (regions.length === 0) return;
    const held = regions.filter((r) => GUARDING_KINDS.has(r.kind));
    if (held.length === 0) return;
    const name = anyBlockingCall(site.node, site.scope, ctx.resolver);
    if (!name) return;
    // `cv.wait()` under `with cv:` releases the lock while it waits: that is the point of it.
    if (site.callee.type === 'attribute') {
      const object = child(site.callee, 'object');
      const id = object ? lockIdentity(object, site.scope, ctx.resolver) : undefined;
      if (id && held.some((r) => r.key === id.key)) return;
    }
    const lock = held[held.length - 1]!;
    if (queueCallCannotWait(site, held[0]!.start, ctx) || acquiresFreshLock(site, ctx)) return;
    if (keepsNobodyWaiting(site.node, site.scope, held, ctx.resolver)) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${name}() blocks while '${lock.text}' is held: every thread that needs the lock waits as long as this call does; do the slow work before taking the lock or after releasing it.`,
    });
  },
};
