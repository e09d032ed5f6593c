import { child, outerParens, unparenthesize, type SNode } from '../syntax';
import { methodCall } from './call-context';
import { THREAD_LOCK_KINDS, type Kind } from './known-types';
import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import { enclosingFunction, type FunctionInfo, type Scope } from './scope';

/**
 * A stable identity for a lock expression, so `self._lock` in two methods of a class, or a module
 * global read from two functions, are known to be the same lock.
 */
export function lockKey(expr: SNode, scope: Scope, resolver: Resolver): string {
  const node = unparenthesize(expr);
  if (node.type === 'identifier') {
    const name = resolver.text(node);
    const found = resolver.lookup(name, scope);
    if (found?.scope.type === 'module') return `global:${name}`;
    if (found?.scope.type === 'function') return `local:${found.scope.id}:${name}`;
    return `name:${name}`;
  }
  if (node.type === 'attribute') {
    const object = child(node, 'object');
    const attr = child(node, 'attribute');
    if (object && attr) {
      const used = resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope);
      // The class that assigns the attribute names it: `self._lock` read in a subclass is the base's lock.
      const cls = used ? (resolver.attributeOwner(used, resolver.text(attr)) ?? used) : undefined;
      if (cls) return `attr:${cls.name}@${cls.node.start}.${resolver.text(attr)}`;
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
