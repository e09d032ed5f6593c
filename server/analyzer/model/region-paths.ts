import type { HeldRegion } from './lock-regions';
import type { Resolver } from './resolve';
import { lazyTarget } from './lazy-target';
import { answerOnce } from './answer-once';
import { NESTED_SCOPES, returnsOf } from './function-returns';
import type { FunctionInfo } from './scope';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';

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
  let from: SNode = node;
  let at: SNode | null = node.parent;
  for (; at && !(at.start <= acquire.start && at.end >= acquire.end); from = at, at = at.parent) {
    // The test of an `if` or `while` and the iterable of a `for` run whenever the statement does
    // (`if self._echo.wait(0.1):`); only their bodies may be skipped.
    if ((at.type === 'if_statement' || at.type === 'while_statement') && from.field === 'condition') continue;
    if (at.type === 'for_statement' && from.field === 'right') continue;
    if (MAY_SKIP.has(at.type)) return false;
  }
  if (!at) return false;
  const within = at;
  return !returnsOf(region.fn).some((r) => r.start >= within.start && r.end <= within.end && r.end > acquire.end && r.start < node.start);
}


/**
 * The one value every holder of the lock wants, built by the first holder: a lock that exists for
 * that makes later holders wait only while it is built, and they would need it anyway (Paste's
 * LazyWriter, Radicale's application, oslo.privsep's daemon channel). Not a keyed cache
 * (`cache[key] = fetch(key)`), whose holders want different values. Two shapes:
 * - the call inside `if self.f is None:` (the "not made yet" check TW504 knows), whose body makes
 *   `self.f`: `if self.f is None: self.f = open(...)`;
 * - the call after `if self.channel is not None: return`, the region then making `self.channel`.
 * Either check must be made by every holder (reachedOnEveryEntry).
 */
export function lazilyBuiltUnder(node: SNode, region: HeldRegion, resolver: Resolver): boolean {
  return builtInsideCheck(node, region, resolver) || builtAfterGuard(node, region, resolver);
}

function builtInsideCheck(node: SNode, region: HeldRegion, resolver: Resolver): boolean {
  for (let at: SNode | null = node.parent; at && at.start > region.acquire.start; at = at.parent) {
    if (NESTED_SCOPES.has(at.type)) return false;
    const ifStatement = at.type === 'block' && at.field === 'consequence' ? at.parent : undefined;
    if (ifStatement?.type !== 'if_statement' || child(ifStatement, 'alternative')) continue;
    const body = at;
    // Once per check and region: every call in a long body would ask the same.
    const builds = answerOnce(buildAnswers, region.fn, `inside ${ifStatement.start} ${region.acquire.start}`, () => {
      const condition = child(ifStatement, 'condition');
      const checked = condition ? lazyTarget(condition, resolver) : undefined;
      return !!checked && !checked.viaName && holdersShare(checked.target, resolver) && assignsTo(body, checked.targetText, resolver, body.start, body.end) && reachedOnEveryEntry(ifStatement, region);
    });
    if (builds) return true;
  }
  return false;
}

function builtAfterGuard(node: SNode, region: HeldRegion, resolver: Resolver): boolean {
  for (let at: SNode | null = node; at?.parent && at.start > region.acquire.start; at = at.parent) {
    if (NESTED_SCOPES.has(at.type)) return false;
    if (at.parent.type !== 'block') continue;
    const before = at.start;
    for (const guard of guardsIn(at.parent, resolver)) {
      if (guard.end > before || guard.start < region.acquire.end) continue;
      const builds = answerOnce(buildAnswers, region.fn, `after ${guard.start} ${region.acquire.start}`, () =>
        assignsTo(region.fn.node, resolver.text(guardTarget(guard)!), resolver, guard.end, region.end) && reachedOnEveryEntry(guard, region));
      if (builds) return true;
    }
  }
  return false;
}

/** Per function, whether a check (by position) builds what the region's holders want. */
const buildAnswers = new WeakMap<FunctionInfo, Map<string, boolean>>();

/**
 * The statements of a block that return once the value is made (`if self.channel is not None:
 * return`), found once per block: each call after them asks.
 */
const guardsByBlock = new WeakMap<object, Map<SNode, readonly SNode[]>>();

function guardsIn(block: SNode, resolver: Resolver): readonly SNode[] {
  return answerOnce(guardsByBlock, resolver.model, block, () => block.children.filter((stmt) => {
    if (stmt.type !== 'if_statement' || child(stmt, 'alternative')) return false;
    const body = child(stmt, 'consequence');
    const last = body ? namedChildren(body).filter((c) => c.type !== 'comment').at(-1) : undefined;
    const target = guardTarget(stmt);
    return last?.type === 'return_statement' && !!target && holdersShare(target, resolver);
  }));
}

function guardTarget(guard: SNode): SNode | undefined {
  const condition = child(guard, 'condition');
  return condition ? builtTarget(condition) : undefined;
}

/** `self.x is not None` or a plain `self.x`: what the test finds already made. */
function builtTarget(condition: SNode): SNode | undefined {
  const test = unparenthesize(condition);
  if (test.type === 'attribute' || test.type === 'identifier') return test;
  const operands = test.type === 'comparison_operator' ? namedChildren(test) : [];
  const ops = test.children.filter((c) => !c.named).map((c) => c.type).join(' ');
  if (operands.length !== 2 || operands[1]!.type !== 'none' || ops !== 'is not') return undefined;
  const left = unparenthesize(operands[0]!);
  return left.type === 'attribute' || left.type === 'identifier' ? left : undefined;
}

/**
 * What every holder shares: an attribute, or a module global. A local variable (`data =
 * cache.get(name)`, then `if not data:`) is each call's own, a keyed cache's entry: Babel's
 * locale loader fetching one locale makes a holder that wants another wait.
 */
function holdersShare(target: SNode, resolver: Resolver): boolean {
  if (target.type === 'attribute') return true;
  if (target.type !== 'identifier') return false;
  return resolver.lookup(resolver.text(target), resolver.scopeAt(target, resolver.model.module))?.scope.type === 'module';
}

/** An assignment to `target` (by its text) within [from, to) of `within`, not in a nested function. */
function assignsTo(within: SNode, target: string, resolver: Resolver, from: number, to: number): boolean {
  const wanted = target.replace(/\s+/g, '');
  let found = false;
  walk(within, (n) => {
    if (found || n.end <= from || n.start >= to) return false;
    if (n !== within && NESTED_SCOPES.has(n.type)) return false;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      if (left && resolver.text(left).replace(/\s+/g, '') === wanted) found = true;
    }
    return !found;
  });
  return found;
}
