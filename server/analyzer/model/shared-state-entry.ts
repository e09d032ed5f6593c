import { child, docstringOf, unparenthesize } from '../syntax';
import { EXEMPT_METHODS, lockAttributes, lockDiscipline } from './class-locking';
import { entryState, lockHeldAt } from './entry-locks';
import type { Resolver } from './resolve';
import type { ClassInfo, Scope } from './scope';
import type { SemanticModel } from './semantic-model';
import { threadEntryFor, type ThreadEntry } from './thread-reachability';
import type { SNode } from '../syntax';

/** "Thread-safe", "thread safe", "threadsafe" in a class docstring: the class promises concurrent use. */
const THREAD_SAFE_DOC = /\bthread[- ]?safe\b/i;
// "not thread-safe", "**not** thread-safe" (markup between), "not guaranteed to be thread-safe",
// "methods aren't thread-safe", "isn't threadsafe".
// "implement a (thread safe) write function": the words alone in parentheses qualify the noun
// after them, here another object's method, not the class. "(which must be thread safe)" says
// something of the class and stays.
const PARENTHESES = /\(\s*thread[- ]?safe\s*\)/gi;
const NOT_THREAD_SAFE_DOC = /(?:\b(?:not|non|never)\b|\b\w+n['\u2019]t\b)[^.\n]{0,30}?\bthread[- ]?safe\b|\bthread[- ]?unsafe\b/i;

/** Per model: a ClassInfo carried over to the next version may have gained or lost its lock's kind. */
const caches = new WeakMap<SemanticModel, Map<ClassInfo, { reason: string; lockOwner: boolean } | null>>();

/**
 * Why a class's public API is called from several threads, or undefined: it owns a lock (nobody
 * takes a lock for one thread) or its docstring says it is thread-safe. Real threading bugs sit in
 * such classes far more often than next to a `Thread(target=...)` in the same file.
 */
export function sharedClassReason(cls: ClassInfo, resolver: Resolver): { reason: string; lockOwner: boolean } | undefined {
  let cache = caches.get(resolver.model);
  if (!cache) caches.set(resolver.model, (cache = new Map()));
  const known = cache.get(cls);
  if (known !== undefined) return known ?? undefined;
  let found: { reason: string; lockOwner: boolean } | undefined;
  const doc = docstringOf(cls.node);
  const text = doc ? resolver.text(doc) : '';
  if (THREAD_SAFE_DOC.test(text.replace(PARENTHESES, '')) && !NOT_THREAD_SAFE_DOC.test(text)) found = { reason: `methods of '${cls.name}', documented as thread-safe`, lockOwner: false };
  else {
    const locks = lockAttributes(cls, resolver);
    if (locks.size > 0) found = { reason: `methods of '${cls.name}', which owns a lock (self.${[...locks][0]}) and so is used from several threads`, lockOwner: true };
  }
  cache.set(cls, found ?? null);
  return found;
}

/**
 * Where code at `scope` may run concurrently with itself: a thread entry (a target, a pool job,
 * a Thread subclass's run, or what they call), or a method of a shared class (see
 * sharedClassReason) other than construction. Lambdas count as the method they are in.
 */
export function concurrentEntryFor(scope: Scope, resolver: Resolver): ThreadEntry | undefined {
  const thread = threadEntryFor(scope, resolver);
  if (thread) return thread;
  let fn = scope.type === 'function' ? scope : undefined;
  while (fn?.isLambda && fn.parent?.type === 'function') fn = fn.parent;
  const cls = fn?.owner;
  if (!fn || !cls || fn.isAsync || EXEMPT_METHODS.has(fn.name)) return undefined;
  // The class question is cached and cheap; the callers' analysis behind entryState is not.
  const shared = sharedClassReason(cls, resolver);
  if (!shared || entryState(fn, resolver).constructionOnly) return undefined;
  return shared.lockOwner ? { fn, via: shared.reason, lockOwner: cls } : { fn, via: shared.reason };
}

/**
 * True when `expr` is state shared between the threads an entry stands for. For a class that
 * merely owns a lock, that is an attribute the class touches under its lock somewhere: state it
 * never locks is, by the author's own design, confined to one thread (an I/O thread's counters,
 * an event loop's tables), and reporting it was wrong nine times in ten on real libraries.
 */
export function sharedForEntry(expr: SNode, entry: ThreadEntry, scope: Scope, resolver: Resolver): boolean {
  let node = unparenthesize(expr);
  while (node.type === 'subscript') node = unparenthesize(child(node, 'value') ?? node);
  // An instance per request: `self.x` belongs to one thread.
  if (entry.instancePerCall) return !(node.type === 'attribute' && resolver.receiverClass(child(node, 'object')!, scope));
  if (!entry.lockOwner) return true;
  const object = node.type === 'attribute' ? child(node, 'object') : undefined;
  const attr = node.type === 'attribute' ? child(node, 'attribute') : undefined;
  if (!object || !attr || resolver.receiverClass(object, scope) !== entry.lockOwner) return false;
  const name = resolver.text(attr);
  return !!lockDiscipline(entry.lockOwner, resolver)?.accesses.some((a) => a.attr === name && a.lock && !a.assumed);
}

/** True when a lock is held at `node`: in a region of its own function, or on entry to it. */
export function anyLockHeld(node: SNode, scope: Scope, resolver: Resolver): boolean {
  return lockHeldAt(node, scope, resolver, () => true);
}

/**
 * True for `self.attr` (or an item of it) when the class changes `attr` under one of its locks:
 * the lock discipline of that attribute is TW501's to judge, and one race gets one finding.
 */
export function ownedByClassLock(expr: SNode, scope: Scope, resolver: Resolver): boolean {
  let node = unparenthesize(expr);
  while (node.type === 'subscript') node = unparenthesize(child(node, 'value') ?? node);
  if (node.type !== 'attribute') return false;
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  const cls = object ? resolver.receiverClass(object, scope) : undefined;
  const discipline = cls ? lockDiscipline(cls, resolver) : undefined;
  return !!discipline && !!attr && discipline.guardedWrites.has(resolver.text(attr));
}
