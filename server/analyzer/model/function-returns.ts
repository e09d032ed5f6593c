import type { FunctionInfo } from './scope';
import { walk, type SNode } from '../syntax';

/** Syntax that opens a scope of its own: what is inside belongs to another function. */
export const NESTED_SCOPES: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);

/**
 * The function's own `return` statements (not those of functions nested in it), found once: every
 * call made under a lock asks about the returns before it, the index summarises them all, and a
 * path helper is asked what each of its returns gives.
 */
const returnsByFunction = new WeakMap<FunctionInfo, readonly SNode[]>();

export function returnsOf(fn: FunctionInfo): readonly SNode[] {
  let found = returnsByFunction.get(fn);
  if (!found) {
    const out: SNode[] = [];
    walk(fn.node, (n) => {
      if (n !== fn.node && NESTED_SCOPES.has(n.type)) return false;
      if (n.type === 'return_statement') out.push(n);
      return true;
    });
    returnsByFunction.set(fn, (found = out));
  }
  return found;
}
