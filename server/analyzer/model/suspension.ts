import { walk, type SNode } from '../syntax';

/**
 * Code that can suspend the coroutine, handing control back to the loop: an `await`, an
 * `async for`/`async with` (or async comprehension), or a `yield`. Nested functions, lambdas and
 * classes suspend for themselves and are not looked into.
 */
export function suspends(node: SNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'await' || n.type === 'yield' || ((n.type === 'with_statement' || n.type === 'for_statement' || n.type === 'for_in_clause') && n.children.some((c) => c.type === 'async'))) found = true;
    return !found && n.type !== 'function_definition' && n.type !== 'lambda' && n.type !== 'class_definition';
  });
  return found;
}
