import { lockIdentity, locksHeldAt, onlyCalledWithLock, wrappedLock } from '../model/lock-regions';
import { heldOnEntry } from '../model/entry-locks';
import { enclosingFunction, type FunctionInfo, type Scope } from '../model/scope';
import { lockKey } from '../model/locks';
import { methodCall } from '../model/call-context';
import type { Resolver } from '../model/resolve';
import { child, namedChildren, type SNode } from '../syntax';
import type { Rule } from './rule';

const NEEDS_LOCK = new Set(['wait', 'wait_for', 'notify', 'notify_all']);

/**
 * What holding an asyncio condition's lock can be written as: the condition itself, or the lock it
 * was built around (`asyncio.Condition(self._mutex)`, taken with `async with self._mutex:`), as
 * lock keys, so `self._mutex` read in any method is the one `__init__` passed.
 */
function asyncConditionLocks(object: SNode, scope: Scope, resolver: Resolver): Set<string> {
  const keys = new Set([lockKey(object, scope, resolver)]);
  const made = resolver.constructionOf(object, scope);
  const wrapped = made ? wrappedLock(made) : undefined;
  if (wrapped) keys.add(lockKey(wrapped, resolver.scopeAt(wrapped, scope), resolver));
  return keys;
}

/** True inside the body of an `async with` of the same function that takes one of these locks. */
function underAsyncWith(node: SNode, scope: Scope, locks: ReadonlySet<string>, resolver: Resolver): boolean {
  for (let n: SNode | null = node; n?.parent; n = n.parent) {
    const p: SNode = n.parent;
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
    if (p.type !== 'with_statement' || n.field !== 'body' || p.children[0]?.type !== 'async') continue;
    const clause = p.children.find((c) => c.type === 'with_clause');
    for (const item of clause ? namedChildren(clause) : []) {
      let value = child(item, 'value');
      if (value?.type === 'as_pattern') value = namedChildren(value)[0];
      if (value && locks.has(lockKey(value, resolver.scopeAt(value, scope), resolver))) return true;
    }
  }
  return false;
}

/** True when the function acquires the condition by hand (`await cv.acquire()`) somewhere. */
function acquiresByHand(fn: FunctionInfo, text: string, resolver: Resolver): boolean {
  return resolver.model.calls.some((c) => enclosingFunction(c.scope) === fn && resolver.text(c.callee) === `${text}.acquire`);
}

/** Every call of `fn` in the module sits under an `async with` of one of these locks (and there is at least one). */
function onlyCalledUnderAsyncWith(fn: FunctionInfo, locks: ReadonlySet<string>, resolver: Resolver): boolean {
  const callers = resolver.model.calls.filter((c) => resolver.localFunctions(c.callee, c.scope)?.includes(fn));
  return callers.length > 0 && callers.every((c) => underAsyncWith(c.node, c.scope, locks, resolver));
}

export const conditionWithoutLock: Rule = {
  meta: {
    code: 'TW406',
    name: 'condition-without-lock',
    severity: 'error',
    fix: 'none',
    summary: 'Condition.wait/notify without holding its lock raises RuntimeError',
    description: '`Condition.wait()` or `notify()` without holding the condition\'s lock raises `RuntimeError`.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (!call || !NEEDS_LOCK.has(call.method)) return;
    const { object, method } = call;
    const cv = ctx.resolver.text(object);
    const fn = enclosingFunction(site.scope);
    if (!fn) return;
    if (ctx.resolver.kindOf(object, site.scope) === 'async-condition') {
      // asyncio.Condition raises the same RuntimeError; its lock is taken with `async with`.
      const locks = asyncConditionLocks(object, site.scope, ctx.resolver);
      if (underAsyncWith(site.node, site.scope, locks, ctx.resolver) || acquiresByHand(fn, cv, ctx.resolver)) return;
      if (onlyCalledUnderAsyncWith(fn, locks, ctx.resolver)) return;
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `${cv}.${method}() without holding the condition's lock raises RuntimeError; call it inside 'async with ${cv}:'.`,
      });
      return;
    }
    const id = lockIdentity(object, site.scope, ctx.resolver);
    if (!id || id.ownKind !== 'thread-condition') return;
    if (locksHeldAt(site.node, site.scope, ctx.resolver).some((r) => r.key === id.key)) return;
    // Callers that hold the lock, directly or through the helpers between them and here.
    if (onlyCalledWithLock(fn, (k) => k === id.key, ctx.resolver) || heldOnEntry(fn, ctx.resolver, (k) => k === id.key)) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${cv}.${method}() without holding the condition's lock raises RuntimeError ("cannot ${method.startsWith('notify') ? 'notify' : 'wait'} on un-acquired lock"); call it inside 'with ${cv}:'.`,
    });
  },
};
