import { anyBlockingCall } from '../model/blocking-calls';
import { lockIdentity, locksHeldAt } from '../model/lock-regions';
import { child } from '../syntax';
import { methodCall } from '../model/call-context';
import { checkedBeforeCall } from '../model/queue-guard';
import { lockConfinedToOwnThread, ownThreadRunning } from '../model/own-thread';
import { lockWaiters } from '../model/lock-waiters';
import { lazilyBuiltUnder, reachedOnEveryEntry } from '../model/region-paths';
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

const GUARDING_KINDS = new Set(['thread-lock', 'thread-rlock']);

/** Methods that tear their object down: a second call should wait until the first is done. */
const SHUTDOWN = /^_*(?:close|shutdown|stop|terminate|dispose|cleanup|teardown|release|__exit__|__del__|__aexit__)(?:_|$)/;

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
    if (queueCallCannotWait(site, held[0]!.start, ctx)) return;
    // A lock that only the object's own thread ever takes keeps nobody waiting.
    const thread = site.scope.type === 'function' ? ownThreadRunning(site.scope, ctx.resolver) : undefined;
    if (thread && held.every((r) => lockConfinedToOwnThread(r.key, thread, ctx.resolver))) return;
    // A lock only ever tried keeps nobody waiting. One that only this function takes keeps waiting
    // only another call of it: a second shutdown, which should wait for the first to finish, or a
    // call that would do the same slow work, since every holder does it (`with self._send_lock:
    // self.sock.sendall(data)`): making those take turns is what the lock is for. So is building,
    // once, the one value all holders want (`if self.f is None: self.f = open(...)`).
    if (held.every((r) => {
      const w = lockWaiters(r, ctx.resolver);
      return w === 'nobody' || w === 'tried-elsewhere' || (w === 'same-function' && (SHUTDOWN.test(r.fn.name) || reachedOnEveryEntry(site.node, r) || lazilyBuiltUnder(site.node, r, ctx.resolver)));
    })) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${name}() blocks while '${lock.text}' is held: every thread that needs the lock waits as long as this call does; do the slow work before taking the lock or after releasing it.`,
    });
  },
};
