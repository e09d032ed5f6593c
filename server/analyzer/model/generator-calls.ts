import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';

/**
 * Calling a generator function runs none of its body: it makes a generator, whose body runs as
 * something iterates it (or, for a `@contextmanager`, as a `with` enters it). A blocking call in
 * the body blocks where that happens, which is not the call unless the call is consumed there.
 */

/** `@contextmanager` / `@contextlib.contextmanager`, as a decorator's text. */
export const CONTEXT_MANAGER = /(?:^|\.)(?:contextmanager)$/;
const BINDING = new Set(['classmethod', 'staticmethod']);

/** Builtins that iterate their argument to the end (or to its first item) before they return. */
const CONSUMERS = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'sum', 'min', 'max', 'any', 'all', 'next']);

/** The function's body runs only later: a plain generator, or a `@contextmanager` one. */
export function generatorFunction(fn: FunctionInfo, resolver: Resolver): 'plain' | 'context' | undefined {
  if (!fn.hasYield || fn.isAsync || fn.isLambda) return undefined;
  // `@classmethod` and `@staticmethod` change how it is bound, not what a call runs.
  const all = fn.decorators.map((d) => resolver.text(d).replace(/^@\s*/, '').trim()).filter((d) => !BINDING.has(d));
  if (all.length === 0) return 'plain';
  return all.length === 1 && CONTEXT_MANAGER.test(all[0]!) ? 'context' : undefined;
}

/**
 * The call's result is iterated (or entered) right where it is made: `for x in gen():`, a
 * comprehension over it, `list(gen())`, `yield from gen()`, `with cm():`. Then the body runs at
 * the call, and so do its blocking calls.
 */
export function consumedAtCall(call: SNode, resolver: Resolver): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && node.field === 'right') return true;
  if (parent.type === 'with_item' || parent.type === 'as_pattern') return true;
  if (parent.type === 'yield' && parent.children.some((c) => c.type === 'from')) return true;
  if (parent.type === 'argument_list' && namedChildren(parent).length === 1) {
    const outer = parent.parent;
    const callee = outer?.type === 'call' ? child(outer, 'function') : undefined;
    if (callee?.type === 'identifier' && CONSUMERS.has(resolver.text(callee))) return true;
    // `"".join(gen())`
    if (callee?.type === 'attribute' && resolver.text(child(callee, 'attribute')!) === 'join') return true;
  }
  return false;
}

/** Calling `fn` at `call` runs none of its body: a generator whose result is not consumed there. */
export function bodyDeferred(fn: FunctionInfo, call: SNode, resolver: Resolver): boolean {
  return generatorFunction(fn, resolver) !== undefined && !consumedAtCall(unparenthesize(call), resolver);
}
