import { child, namedChildren, outerParens, unparenthesize, type SNode } from '../syntax';
import { methodCall } from './call-context';
import { THREAD_LOCK_KINDS, type Kind } from './known-types';
import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import { enclosingFunction, type ClassInfo, type FunctionInfo, type Scope } from './scope';

/** The key of lock attribute `attr` as the methods of `cls` name it (`self._lock`). */
export function attributeLockKey(used: ClassInfo, attr: string, resolver: Resolver): string {
  // The class that assigns the attribute names it: `self._lock` read in a subclass is the base's lock.
  const cls = resolver.attributeOwner(used, attr) ?? used;
  return `attr:${cls.name}@${cls.node.start}.${attr}`;
}

/**
 * A stable identity for a lock expression, so `self._lock` in two methods of a class, or a module
 * global read from two functions, are known to be the same lock.
 */
export function lockKey(expr: SNode, scope: Scope, resolver: Resolver, depth = 0): string {
  const node = unparenthesize(expr);
  if (node.type === 'identifier') {
    const name = resolver.text(node);
    const found = resolver.lookup(name, scope);
    if (found?.scope.type === 'module') return `global:${name}`;
    if (found?.scope.type === 'function') {
      // `cond = self.cond`, then `cond.acquire()` (rospy's RegManager): a local bound once to
      // another name of a lock is that lock.
      const only = found.bindings.length === 1 ? found.bindings[0] : undefined;
      const value = only?.kind === 'assign' ? unparenthesize(only.value) : undefined;
      if (value && (value.type === 'attribute' || value.type === 'identifier') && depth < 3) return lockKey(value, found.scope, resolver, depth + 1);
      return `local:${found.scope.id}:${name}`;
    }
    // A name of a class body (`_cond = Condition(lock=_lock)` beside `_lock = RLock()`) is the
    // class attribute that methods reach as `Cls._lock` or `self._lock`.
    if (found?.scope.type === 'class') return attributeLockKey(found.scope, name, resolver);
    return `name:${name}`;
  }
  if (node.type === 'attribute') {
    const object = child(node, 'object');
    const attr = child(node, 'attribute');
    if (object && attr) {
      const used = resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope);
      if (used) return attributeLockKey(used, resolver.text(attr), resolver);
    }
  }
  return `text:${resolver.text(node).replace(/\s+/g, '')}`;
}

/** `X.method(...)` on a threading lock: the receiver and its key, else undefined. */
export function threadLockCall(site: CallSite, method: string, resolver: Resolver): { receiver: SNode; key: string; kind: Kind } | undefined {
  const call = methodCall(site.callee, resolver);
  if (call?.method !== method) return undefined;
  const object = call.object;
  const kind = resolver.kindOf(object, site.scope);
  if (!kind || !THREAD_LOCK_KINDS.has(kind)) return undefined;
  return { receiver: object, key: lockKey(object, site.scope, resolver), kind };
}

const releaseIndex = new WeakMap<SemanticModel, Map<string, Array<{ site: CallSite; fn: FunctionInfo | undefined }>>>();

/** Every `release()` of a thread lock in the file, by lock key; built once per model. */
export function releasesByLock(resolver: Resolver): Map<string, Array<{ site: CallSite; fn: FunctionInfo | undefined }>> {
  const cached = releaseIndex.get(resolver.model);
  if (cached) return cached;
  const index = new Map<string, Array<{ site: CallSite; fn: FunctionInfo | undefined }>>();
  for (const site of resolver.model.calls) {
    const call = threadLockCall(site, 'release', resolver);
    if (!call) continue;
    const entry = { site, fn: enclosingFunction(site.scope) };
    const list = index.get(call.key);
    if (list) list.push(entry);
    else index.set(call.key, [entry]);
  }
  releaseIndex.set(resolver.model, index);
  return index;
}

/** The statement a node belongs to (the innermost enclosing simple or compound statement). */
export function statementOf(node: SNode): SNode {
  let n: SNode = outerParens(node);
  while (n.parent && !(n.parent.type === 'block' || n.parent.type === 'module')) n = n.parent;
  return n;
}

/**
 * True when a `with` statement may take a lock: an item of a lock kind, or one whose kind is
 * unknown (a lock from elsewhere); a known non-lock (`open(...)`, a pool, an event) is not one.
 */
export function mayTakeLock(stmt: SNode, scope: Scope, resolver: Resolver): boolean {
  const clause = stmt.children.find((c) => c.type === 'with_clause');
  for (const item of clause ? namedChildren(clause) : []) {
    let value = namedChildren(item)[0];
    if (value?.type === 'as_pattern') value = namedChildren(value)[0];
    if (!value) continue;
    const kind = resolver.kindOf(value, scope);
    if (kind ? THREAD_LOCK_KINDS.has(kind) : !isKnownNonLockCall(value, scope, resolver)) return true;
  }
  return false;
}

/** `open(...)` and other calls whose result is a file, not a lock. */
function isKnownNonLockCall(value: SNode, scope: Scope, resolver: Resolver): boolean {
  if (value.type !== 'call') return false;
  const q = resolver.qualifiedName(child(value, 'function')!, scope);
  return q !== undefined && /^(builtins\.)?open$|^(io|codecs|gzip|bz2|lzma|tempfile|os|shutil|pathlib|socket|urllib\.request|subprocess|contextlib)\./.test(q);
}
