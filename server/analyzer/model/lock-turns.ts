import { lockWaiters } from './lock-waiters';
import type { HeldRegion } from './lock-regions';
import { lockConfinedToOwnThread, ownThreadRunning } from './own-thread';
import { lazilyBuiltUnder, reachedOnEveryEntry } from './region-paths';
import type { Resolver } from './resolve';
import type { Scope } from './scope';
import type { SNode } from '../syntax';

/** Locks that keep other threads waiting (a semaphore admits several holders; TW404 asks of these). */
export const GUARDING_KINDS: ReadonlySet<string> = new Set(['thread-lock', 'thread-rlock']);

/** Methods that tear their object down: a second call should wait until the first is done. */
const SHUTDOWN = /^_*(?:close|shutdown|stop|terminate|dispose|cleanup|teardown|release|__exit__|__del__|__aexit__)(?:_|$)/;

/**
 * Slow work at `node` under the `held` thread locks keeps no thread waiting that had anything
 * better to do. A lock that only the object's own thread takes keeps nobody waiting; nor does a
 * lock only ever tried. One that only this function takes keeps waiting only another call of it:
 * a second shutdown, which should wait for the first to finish, or a call that would do the same
 * slow work, since every holder does it (`with self._send_lock: self.sock.sendall(data)`): making
 * those take turns is what the lock is for. So is building, once, the one value all holders want
 * (`if self.f is None: self.f = open(...)`). TW404 asks this in the module and, through the
 * summaries, across modules.
 */
export function keepsNobodyWaiting(node: SNode, scope: Scope, held: readonly HeldRegion[], resolver: Resolver): boolean {
  if (held.length === 0) return false;
  const thread = scope.type === 'function' ? ownThreadRunning(scope, resolver) : undefined;
  if (thread && held.every((r) => lockConfinedToOwnThread(r.key, thread, resolver))) return true;
  return held.every((r) => {
    const w = lockWaiters(r, resolver);
    return w === 'nobody' || w === 'tried-elsewhere' || (w === 'same-function' && (SHUTDOWN.test(r.fn.name) || reachedOnEveryEntry(node, r) || lazilyBuiltUnder(node, r, resolver)));
  });
}
