import { heldRegions, isLockConstruction, type HeldRegion } from './lock-regions';
import { answerOnce } from './answer-once';
import { lockKey } from './locks';
import { attributeMentions } from './attribute-mentions';
import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { child, walk, type SNode } from '../syntax';

/**
 * Who can wait for a region's lock, when that is few: 'nobody' when every acquisition of it in the
 * module, this one included, is a try (`acquire(False)`), which never waits; 'same-function' when
 * no other function of the module takes it; 'tried-elsewhere' when other functions do, but only
 * with a try: they were written not to wait for it (sh's `is_alive()` beside `wait()` holding the
 * lock through its joins). Either way the instance lock is handed nowhere else. A teardown method
 * of the same class that takes the lock (`close()`) does not count: it should wait for the work in
 * progress to end. Undefined when other code can wait for it, or when that is unknown.
 */
export type LockWaiters = 'nobody' | 'same-function' | 'tried-elsewhere';

// Per model, lock and function: every blocking call under the lock asks the same question.
const answers = new WeakMap<object, Map<string, LockWaiters | null>>();

export function lockWaiters(region: HeldRegion, resolver: Resolver): LockWaiters | undefined {
  return answerOnce(answers, resolver.model, `${region.key} ${region.fn.node.start}`, () => waitersOnce(region, resolver) ?? null) ?? undefined;
}

function waitersOnce(region: HeldRegion, resolver: Resolver): LockWaiters | undefined {
  // A public module-level lock may be imported and taken elsewhere; a local one is no one else's
  // anyway. A module's private lock (`_application_lock`) is its own.
  const global = region.key.startsWith('global:_') ? region.key.slice('global:'.length) : undefined;
  if (!region.key.startsWith('attr:') && !global) return undefined;
  const name = global ?? region.key.slice(region.key.lastIndexOf('.') + 1);
  const tries = new Set<SNode>();
  // A teardown method that takes the lock (`close()` holding it while it closes the device) is
  // meant to wait for the work in progress to end: it is no waiter that had better things to do.
  // Unless the lock is taken again in a loop (`while True: with lock: sleep(1)`): Python's locks
  // are not fair, and the teardown may wait for ever.
  const teardowns = inLoop(region.acquire, region.fn.node) ? [] : resolver.model.functions.filter((fn) => fn !== region.fn && isTeardown(fn.name) && fn.owner === region.fn.owner);
  for (const fn of resolver.model.functions) {
    if (fn === region.fn || teardowns.includes(fn)) continue;
    for (const r of heldRegions(fn, resolver)) {
      if (r.key !== region.key) continue;
      if (r.blocking) return undefined;
      tries.add(r.acquire);
    }
  }
  const fnNode = region.fn.node;
  for (const { node, scope: here } of global ? globalMentions(name, resolver) : attributeMentions(resolver).get(name) ?? []) {
    if (node.start >= fnNode.start && node.end <= fnNode.end) continue;
    if (teardowns.some((fn) => node.start >= fn.node.start && node.end <= fn.node.end)) continue;
    // Another class's attribute of the same name, or a local name that shadows the global.
    if (global ? lockKey(node, here, resolver) !== region.key : otherClassAttribute(node, here, region.key, resolver)) continue;
    const parent = node.parent;
    // `self._lock = threading.Lock()`, or `= None` until a setup step makes it (loguru's enqueue).
    if (parent?.type === 'assignment' && child(parent, 'left') === node) {
      const right = child(parent, 'right');
      if (right && (right.type === 'none' || isLockConstruction(right, here, resolver))) continue;
    }
    // `self._lock.acquire(False)` (a region that never waits), `.release()`, `.locked()`.
    const method = parent?.type === 'attribute' && child(parent, 'object') === node ? child(parent, 'attribute') : undefined;
    const call = method && parent!.parent?.type === 'call' && child(parent!.parent, 'function') === parent ? parent!.parent : undefined;
    if (call && method && (tries.has(call) || resolver.textIs(method, 'release') || resolver.textIs(method, 'locked'))) continue;
    return undefined;
  }
  if (!heldRegions(region.fn, resolver).some((r) => r.key === region.key && r.blocking)) return 'nobody';
  return tries.size > 0 ? 'tried-elsewhere' : 'same-function';
}

function inLoop(node: SNode, fn: SNode): boolean {
  for (let at = node.parent; at && at !== fn; at = at.parent) if (at.type === 'for_statement' || at.type === 'while_statement') return true;
  return false;
}

/** Methods that tear their object down (not `release`, which a pool's users call all the time). */
const TEARDOWN = /^_*(?:close|shutdown|stop|terminate|dispose|cleanup|teardown|__exit__|__aexit__|__del__)(?:_|$)/;

export const isTeardown = (name: string): boolean => TEARDOWN.test(name);

function otherClassAttribute(node: SNode, here: Scope, key: string, resolver: Resolver): boolean {
  const object = child(node, 'object');
  const known = object ? (resolver.receiverClass(object, here) ?? resolver.classNamed(object, here)) : undefined;
  return !!known && lockKey(node, here, resolver) !== key;
}

/** Every plain-name mention of `name` in the module (not an attribute's name), with its scope. */
function globalMentions(name: string, resolver: Resolver): Array<{ node: SNode; scope: Scope }> {
  const out: Array<{ node: SNode; scope: Scope }> = [];
  walk(resolver.model.root, (n) => {
    if (n.type === 'identifier' && resolver.textIs(n, name) && !(n.parent?.type === 'attribute' && n.field === 'attribute') && !(n.parent?.type === 'keyword_argument' && n.field === 'name')) {
      out.push({ node: n, scope: resolver.scopeAt(n, resolver.model.module) });
    }
    return true;
  });
  return out;
}
