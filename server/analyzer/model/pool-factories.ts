import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { answerOnce } from './answer-once';
import { own, projectFactsOf } from './project-facts';
import type { Resolver } from './resolve';
import type { SemanticModel } from './semantic-model';
import type { FunctionInfo, Scope } from './scope';

/** Executor and pool constructors, by qualified name, with the class name messages use. */
export const POOLS = new Map([
  ['concurrent.futures.ThreadPoolExecutor', 'ThreadPoolExecutor'],
  ['concurrent.futures.ProcessPoolExecutor', 'ProcessPoolExecutor'],
  ['concurrent.futures.thread.ThreadPoolExecutor', 'ThreadPoolExecutor'],
  ['concurrent.futures.process.ProcessPoolExecutor', 'ProcessPoolExecutor'],
  ['multiprocessing.Pool', 'Pool'],
  ['multiprocessing.pool.Pool', 'Pool'],
  ['multiprocessing.pool.ThreadPool', 'ThreadPool'],
]);

/** The pool class a call constructs directly (`ThreadPoolExecutor(4)`), if it is one. */
export function constructedPool(call: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const node = unparenthesize(call);
  const callee = node.type === 'call' ? child(node, 'function') : undefined;
  const q = callee ? resolver.qualifiedName(callee, scope) : undefined;
  return q ? POOLS.get(q) : undefined;
}

const answers = new WeakMap<SemanticModel, Map<FunctionInfo, string | null>>();

/**
 * The pool class a function builds anew on every call and hands to its caller
 * (`def make_pool(): return ThreadPoolExecutor(4)`, or through a local bound only to such a
 * construction): the caller owns it and must shut it down. A function that may return a pool kept
 * elsewhere (a cached module global, `self._pool`) is not one: that pool belongs to its keeper.
 */
export function freshPoolFactory(fn: FunctionInfo, resolver: Resolver): string | undefined {
  return answerOnce(answers, resolver.model, fn, () => computeFactory(fn, resolver) ?? null) ?? undefined;
}

function computeFactory(fn: FunctionInfo, resolver: Resolver): string | undefined {
  const body = child(fn.node, 'body');
  if (!body || fn.isAsync || fn.hasYield || fn.isLambda || !mayNamePool(body, resolver)) return undefined;
  const made = new Set<string>();
  let other = false;
  walk(body, (n) => {
    if (other) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type !== 'return_statement') return true;
    const value = namedChildren(n)[0];
    const what = value ? builtHere(value, fn, resolver) : undefined;
    if (what) made.add(what);
    else other = true;
    return false;
  });
  return !other && made.size === 1 ? [...made][0] : undefined;
}

const mentions = new WeakMap<SemanticModel, number[]>();

/**
 * Whether a stretch of the source can name a pool class at all: every class name in POOLS holds
 * `Pool`, and a module may import one under another name. The offsets of those names are found
 * in one scan of the text per model, so a function is ruled out without walking its body.
 */
function mayNamePool(body: SNode, resolver: Resolver): boolean {
  let offsets = mentions.get(resolver.model);
  if (!offsets) {
    const { source, module } = resolver.model;
    const needles = new Set(['Pool']);
    for (const [name, bindings] of module.bindings) if (bindings.some((b) => b.kind === 'import' && POOLS.has(b.qname))) needles.add(name);
    offsets = [];
    for (const needle of needles) for (let at = source.indexOf(needle); at >= 0; at = source.indexOf(needle, at + needle.length)) offsets.push(at);
    offsets.sort((a, b) => a - b);
    mentions.set(resolver.model, offsets);
  }
  // The first mention at or after the body's start, by binary search.
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < body.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo]! < body.end;
}

/** A construction, or a local of `fn` whose every binding is the same kind of construction. */
function builtHere(value: SNode, fn: FunctionInfo, resolver: Resolver): string | undefined {
  const node = unparenthesize(value);
  if (node.type === 'call') return constructedPool(node, fn, resolver);
  if (node.type !== 'identifier') return undefined;
  // A `global` or `nonlocal` name outlives the call: the pool is kept, not handed over.
  if (fn.declaredOuter.has(resolver.text(node))) return undefined;
  const bindings = fn.bindings.get(resolver.text(node));
  if (!bindings || bindings.length === 0) return undefined;
  const kinds = new Set(bindings.map((b) => (b.kind === 'assign' ? constructedPool(b.value, fn, resolver) : undefined)));
  const [only] = kinds;
  return kinds.size === 1 ? only : undefined;
}

/**
 * The pool class a call's result is, when the callee builds a new one for its caller: a function
 * of this module, or one imported from another module of the project (as the index says).
 */
export function poolFromFactory(callee: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const local = resolver.localFunctions(callee, scope);
  if (local && local.length === 1) return freshPoolFactory(local[0]!, resolver);
  const node = unparenthesize(callee);
  if (node.type !== 'identifier') return undefined;
  const found = resolver.lookup(resolver.text(node), scope);
  if (!found || found.scope.type !== 'module' || !found.bindings.every((b) => b.kind === 'import')) return undefined;
  return own(projectFactsOf(resolver.model)?.imported, resolver.text(node))?.makes;
}
