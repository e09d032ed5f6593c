import { isTeardown, lockWaiters } from './lock-waiters';
import { heldRegions, type HeldRegion } from './lock-regions';
import { lockConfinedToOwnThread, ownThreadRunning } from './own-thread';
import { lazilyBuiltUnder, reachedOnEveryEntry } from './region-paths';
import type { Resolver } from './resolve';
import { enclosingFunction, type ClassInfo, type Scope } from './scope';
import { answerOnce } from './answer-once';
import { attributeMentions } from './attribute-mentions';
import { CONSTRUCTION, lockHeldAt } from './entry-locks';
import { child, walk, type SNode } from '../syntax';

/** Locks that keep other threads waiting (a semaphore admits several holders; TW404 asks of these). */
export const GUARDING_KINDS: ReadonlySet<string> = new Set(['thread-lock', 'thread-rlock']);

/**
 * Methods that tear their object down, or let go of what it holds: a second call should wait
 * until the first is done.
 */
const shutsDown = (name: string) => isTeardown(name) || /^_*release(?:_|$)/.test(name);

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
  if (worksOnGuardedObject(node, scope, held[held.length - 1]!, resolver)) return true;
  return held.every((r) => {
    const w = lockWaiters(r, resolver);
    return w === 'nobody' || w === 'tried-elsewhere' || (w === 'same-function' && (shutsDown(r.fn.name) || reachedOnEveryEntry(node, r) || lazilyBuiltUnder(node, r, resolver)));
  });
}

/**
 * The slow call works on the object the lock exists to guard: `self.zf.writestr(...)` or
 * `self.zf = zipfile.ZipFile(...)`, where every mention of `self.zf` in the class, its
 * construction aside, is made with the lock held, and every section that holds the lock uses
 * `self.zf` (Zarr's ZipStore, over a ZipFile that is not thread-safe). Every holder that waits
 * wants that object, and the work cannot move out of the lock: it is the guarded section itself.
 * Not so when a holder does other work (it waits for nothing it needs), when any method reaches
 * the object without the lock, or when the object is reached through another name than `self`.
 */
function worksOnGuardedObject(node: SNode, scope: Scope, region: HeldRegion, resolver: Resolver): boolean {
  const found = guardedAttribute(node);
  const target = found?.attribute;
  const object = target ? child(target, 'object') : undefined;
  const name = target ? child(target, 'attribute') : undefined;
  const cls = object ? resolver.receiverClass(object, scope) : undefined;
  if (!found || !target || !cls || !name) return false;
  // A path is a value, not a resource the lock serialises: `self.root.glob()` needs no lock, and
  // a holder waits for the listing, not for the path.
  if (resolver.kindOf(target, scope) === 'path') return false;
  // Asked once per class, attribute and lock: every call on `self.sock` under the lock asks it.
  const guarded = answerOnce(guardedObjects, cls, `${region.key}\u0000${resolver.text(name)}`, () => guardedByLock(cls, resolver.text(name), region.key, resolver));
  if (!guarded) return false;
  // Making the object anew counts only as a replacement (`self.zf.close()`, then
  // `self.zf = ZipFile(...)`): between the two the object is unusable, so the holders must wait.
  // A first build (`self.door = open_door()`) keeps a reader that only wanted a look waiting.
  return !found.builds || firstUseIn(region, resolver.text(target), resolver) < node.start;
}

const guardedObjects = new WeakMap<ClassInfo, Map<string, boolean>>();

/** Every section holding the lock uses `self.<name>`, and every use of it, construction aside, holds the lock. */
function guardedByLock(cls: ClassInfo, name: string, key: string, resolver: Resolver): boolean {
  const mentions = attributeMentions(resolver).get(name) ?? [];
  const own = mentions.filter((m) => {
    const owner = child(m.node, 'object');
    return !!owner && resolver.receiverClass(owner, m.scope) === cls;
  });
  // Every holder of the lock uses the object: none waits for it that wanted something else.
  for (const fn of resolver.model.functions) {
    for (const r of heldRegions(fn, resolver)) {
      if (r.key === key && !own.some((m) => m.node.start >= r.start && m.node.end <= r.end)) return false;
    }
  }
  return mentions.every((m) => {
    const owner = child(m.node, 'object');
    const mentionClass = owner ? resolver.receiverClass(owner, m.scope) : undefined;
    // Another class's attribute of the same name is not this object; an unknown receiver may be.
    if (mentionClass && mentionClass !== cls) return true;
    if (!mentionClass) return false;
    const fn = enclosingFunction(m.scope);
    if (fn && CONSTRUCTION.has(fn.name)) return true;
    return lockHeldAt(m.node, m.scope, resolver, (k) => k === key);
  });
}

/** `self.zf` in `self.zf.writestr(...)` or `self.zf = zipfile.ZipFile(...)`: the attribute the call works on or makes. */
function guardedAttribute(call: SNode): { attribute: SNode; builds: boolean } | undefined {
  const callee = call.type === 'call' ? child(call, 'function') : undefined;
  const receiver = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
  if (receiver?.type === 'attribute' && child(receiver, 'object')?.type === 'identifier') return { attribute: receiver, builds: false };
  const parent = call.parent;
  const left = parent?.type === 'assignment' && child(parent, 'right') === call ? child(parent, 'left') : undefined;
  return left?.type === 'attribute' && child(left, 'object')?.type === 'identifier' ? { attribute: left, builds: true } : undefined;
}

const firstUses = new WeakMap<HeldRegion, Map<string, number>>();

/**
 * Where the region first calls a method of the object written `text` (`self.zf.close()`), or
 * Infinity; found once per region and object, however many calls in it ask.
 */
function firstUseIn(region: HeldRegion, text: string, resolver: Resolver): number {
  return answerOnce(firstUses, region, text, () => {
    let first = Infinity;
    walk(region.fn.node, (n) => {
      if (n.start >= first || n.end <= region.start || n.start >= region.end) return false;
      const callee = n.type === 'call' ? child(n, 'function') : undefined;
      const receiver = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
      if (receiver && resolver.text(receiver) === text) first = Math.min(first, n.start);
      return true;
    });
    return first;
  });
}
