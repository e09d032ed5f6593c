import { walk, type SNode } from '../analyzer/syntax';

/**
 * Whether a call inside a function runs every time the function runs (as far as the shape of the
 * code says), for following a chain of calls into other modules. A helper that blocks only in one
 * branch (`if url: download()`), after an early return (`if loop_running: ...; return`), in an
 * `except` handler or on one side of `a or b()` blocks only on some calls; across modules the
 * analyzer cannot tell which, and on real code those branches were nearly always the ones the
 * caller does not take (a worker passed in, a preload that is not a URL, a running loop found).
 * Loop bodies count as taken: `while not ready: cond.wait()` is how a wait is written.
 */
export function onEveryPath(node: SNode, body: SNode): boolean {
  let child = node;
  for (let parent = node.parent; parent && child !== body; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'if_statement':
        if (child.field !== 'condition') return false;
        break;
      case 'elif_clause':
      case 'else_clause':
      case 'except_clause':
      case 'except_group_clause':
      case 'case_clause':
        return false;
      case 'conditional_expression':
        // `a if c else b`: only the condition (the middle operand) always runs.
        if (parent.children.filter((c) => c.named)[1] !== child) return false;
        break;
      case 'boolean_operator':
        if (child.field === 'right') return false;
        break;
      default:
        break;
    }
    if (parent.type === 'block' || parent.type === 'module') {
      // An earlier statement of this block that may return ends some calls before this one.
      const returning = firstReturning(parent);
      if (returning !== undefined && returning < child.start) return false;
    }
  }
  return true;
}

const firstReturns = new WeakMap<SNode, number | null>();

/** Where the block's first statement that may return starts: one scan per block, not one per call. */
function firstReturning(block: SNode): number | undefined {
  const known = firstReturns.get(block);
  if (known !== undefined) return known ?? undefined;
  const found = block.children.find((c) => c.named && mayReturn(c));
  firstReturns.set(block, found ? found.start : null);
  return found?.start;
}

const returns = new WeakMap<SNode, boolean>();

/** A compound statement with a `return` inside (not in a nested function or class); memoised, as every call of a block asks of the same statements. */
function mayReturn(stmt: SNode): boolean {
  if (stmt.type === 'return_statement') return false; // unconditional: the call after it is dead code, not a branch
  const known = returns.get(stmt);
  if (known !== undefined) return known;
  let found = false;
  walk(stmt, (n) => {
    if (found) return false;
    if (n.type === 'return_statement') {
      found = true;
      return false;
    }
    return n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda';
  });
  returns.set(stmt, found);
  return found;
}
