import type { HeldRegion } from './lock-regions';
import type { Resolver } from './resolve';
import { lazyTarget } from './lazy-target';
import { child, walk, type SNode } from '../syntax';

/** Syntax that may run its part zero times, or skip it: a branch, a loop, a handler, a lazy body. */
const MAY_SKIP = new Set([
  'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'except_clause', 'except_group_clause',
  'match_statement', 'case_clause', 'conditional_expression', 'boolean_operator', 'lambda', 'function_definition',
  'class_definition', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression',
]);

/**
 * Every call that takes the region's lock goes on to `node`: nothing between the acquisition and
 * `node` branches around it, loops over it or returns before it. Then the lock's holders all do
 * that work, one after another; no holder that only needed a quick look waits for it (as a cache
 * hit waits behind `with lock: if key not in cache: cache[key] = fetch(key)`).
 */
export function reachedOnEveryEntry(node: SNode, region: HeldRegion): boolean {
  const acquire = region.acquire;
  let at: SNode | null = node.parent;
  for (; at && !(at.start <= acquire.start && at.end >= acquire.end); at = at.parent) {
    if (MAY_SKIP.has(at.type)) return false;
  }
  if (!at) return false;
  let returns = false;
  walk(at, (n) => {
    if (returns || n.end <= acquire.end || n.start >= node.start) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'return_statement') returns = true;
    return !returns;
  });
  return !returns;
}

/**
 * `if self.fileobj is None: self.fileobj = open(...)` under the lock (the "not made yet" check
 * TW504 knows): the one value every holder wants, built by the first. A holder that skips the
 * call finds it built; one that waits would need it anyway (Paste's LazyWriter). Not a keyed cache (`cache[key] = fetch(key)`), whose
 * holders want different values.
 */
export function lazilyBuiltUnder(node: SNode, region: HeldRegion, resolver: Resolver): boolean {
  const assignment = node.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === node ? child(assignment, 'left') : undefined;
  if (left?.type !== 'attribute' && left?.type !== 'identifier') return false;
  const stmt = assignment!.parent;
  const block = stmt?.type === 'expression_statement' ? stmt.parent : undefined;
  const ifStatement = block?.type === 'block' && block.field === 'consequence' ? block.parent : undefined;
  if (ifStatement?.type !== 'if_statement' || child(ifStatement, 'alternative') || ifStatement.start < region.start) return false;
  const condition = child(ifStatement, 'condition');
  const checked = condition ? lazyTarget(condition, resolver) : undefined;
  return !!checked && !checked.viaName && checked.targetText.replace(/\s+/g, '') === resolver.text(left).replace(/\s+/g, '') && reachedOnEveryEntry(ifStatement, region);
}
