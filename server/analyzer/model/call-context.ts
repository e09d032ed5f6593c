import { child, namedChildren, outerParens, type SNode } from '../syntax';
import { generatorCoroutine } from './coroutines';
import { frameworkLoopEntry } from '../frameworks/entry-points';
import { FRAMEWORK_HANDOFF_FUNCTIONS, FRAMEWORK_HANDOFF_METHODS } from '../frameworks/handoffs';
import type { Resolver } from './resolve';
import type { FunctionInfo, Scope } from './scope';

/** Callables that run what they are handed somewhere other than the event loop's thread. */
const HANDOFF_FUNCTIONS = new Set([
  'asyncio.to_thread', 'threading.Thread', 'threading.Timer', 'multiprocessing.Process',
  'anyio.to_thread.run_sync', 'trio.to_thread.run_sync', ...FRAMEWORK_HANDOFF_FUNCTIONS,
]);
const HANDOFF_METHODS = new Set(['run_in_executor', 'submit', 'to_thread', ...FRAMEWORK_HANDOFF_METHODS]);
const EXECUTOR_METHODS = new Set(['map']);

/** How the value of a call is used by the code around it. */
export type CallRole = 'dropped' | 'truth' | 'underscore' | 'awaited' | 'used';

export function callRole(call: SNode, source: string): CallRole {
  const outer = outerParens(call);
  const parent = outer.parent;
  if (!parent) return 'used';
  switch (parent.type) {
    case 'await':
      return 'awaited';
    case 'expression_statement':
      return 'dropped';
    case 'assignment': {
      const left = child(parent, 'left');
      return outer.field === 'right' && left?.type === 'identifier' && source.slice(left.start, left.end) === '_'
        ? 'underscore'
        : 'used';
    }
    default:
      return isTruthTest(outer) ? 'truth' : 'used';
  }
}

/** True when the expression's only use is to be tested for truth. */
function isTruthTest(expr: SNode): boolean {
  let n = expr;
  let negated = false;
  for (;;) {
    const p = n.parent;
    if (!p) return negated;
    if (p.type === 'parenthesized_expression' || p.type === 'not_operator' || p.type === 'boolean_operator') {
      negated ||= p.type === 'not_operator';
      n = p;
      continue;
    }
    if (n.field === 'condition' && (p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement' || p.type === 'conditional_expression')) return true;
    if (p.type === 'conditional_expression') {
      // `a if cond else b`: tree-sitter puts the condition second, without a field name.
      const named = p.children.filter((c) => c.named);
      return named[1] === n;
    }
    if (p.type === 'assert_statement') return p.children.find((c) => c.named) === n;
    return negated;
  }
}

/** The argument list a node is passed in directly (positionally or by keyword), if any. */
function enclosingArgumentCall(node: SNode): SNode | undefined {
  let p = outerParens(node).parent;
  if (p?.type === 'keyword_argument') p = p.parent;
  if (p?.type !== 'argument_list' || !p.parent || p.parent.type !== 'call') return undefined;
  return p.parent;
}

/**
 * True when a callable (lambda or nested function reference) is handed to something that runs it
 * off the event loop: `asyncio.to_thread`, `run_in_executor`, an executor, a Thread's target.
 */
export function isHandedOff(node: SNode, scope: Scope, resolver: Resolver): boolean {
  const call = enclosingArgumentCall(node);
  if (!call) return false;
  const callee = child(call, 'function');
  if (!callee) return false;
  const q = resolver.qualifiedName(callee, scope);
  if (q && HANDOFF_FUNCTIONS.has(q)) return true;
  // `run_in_terminal(func, in_executor=True)` (prompt_toolkit): the call says where func runs.
  if (saysInExecutor(call, resolver)) return true;
  if (callee.type === 'attribute') {
    const attr = child(callee, 'attribute');
    const object = child(callee, 'object');
    const name = attr ? resolver.text(attr) : '';
    if (HANDOFF_METHODS.has(name)) return true;
    if (EXECUTOR_METHODS.has(name) && object) {
      const k = resolver.kindOf(object, scope);
      return k === 'thread-executor' || k === 'process-executor' || k === 'process-pool' || k === 'thread-pool';
    }
  }
  return false;
}

function saysInExecutor(call: SNode, resolver: Resolver): boolean {
  const args = child(call, 'arguments');
  return !!args && namedChildren(args).some((a) => {
    if (a.type !== 'keyword_argument') return false;
    const name = child(a, 'name');
    const value = child(a, 'value');
    return !!name && !!value && resolver.text(name) === 'in_executor' && value.type === 'true';
  });
}

/** The function whose body runs on an event loop, as found by eventLoopFunction. */
export interface EventLoopFunction {
  readonly fn: FunctionInfo;
  /** The code is in a lambda inside `fn` (not handed to a thread), not in `fn`'s own body. */
  readonly viaLambda: boolean;
  /**
   * `fn` is a generator-based coroutine (`@gen.coroutine`, `@types.coroutine`,
   * `@asyncio.coroutine`), not an `async def`: it runs on the loop, but `await` is not allowed in
   * it, so fixes that insert `await` must not be offered there.
   */
  readonly generatorBased: boolean;
  /**
   * Set when `fn` is a plain `def` that a framework calls on its loop (a Home Assistant
   * `@callback`, a Tornado handler's `get`): how messages name it. `generatorBased` is then true
   * too, since `await` is just as impossible there.
   */
  readonly framework?: string;
}

/**
 * The coroutine whose event loop runs code in `scope`, looking through lambdas that are not
 * handed off to a thread. Nested sync functions are their own world (TW107 covers calls to them).
 * An `async def` always counts; a generator-based coroutine, or a plain `def` a framework calls on
 * its loop (frameworks/entry-points.ts), only with `generatorCoroutines`, for the rules whose
 * hazard is the same there (blocking the loop) and not tied to `async def` syntax.
 */
export function eventLoopFunction(scope: Scope, resolver: Resolver, options: { generatorCoroutines?: boolean } = {}): EventLoopFunction | undefined {
  let s: Scope | undefined = scope;
  let viaLambda = false;
  while (s && s.type === 'function') {
    if (!s.isLambda) {
      if (s.isAsync) return { fn: s, viaLambda, generatorBased: false };
      if (options.generatorCoroutines && generatorCoroutine(s, resolver)) return { fn: s, viaLambda, generatorBased: true };
      const framework = options.generatorCoroutines ? frameworkLoopEntry(s, resolver) : undefined;
      return framework ? { fn: s, viaLambda, generatorBased: true, framework: framework.via } : undefined;
    }
    if (isHandedOff(s.node, s.parent!, resolver)) return undefined;
    viaLambda = true;
    s = s.parent;
  }
  return undefined;
}

/** How messages name the coroutine: `async def 'fetch'` or `coroutine 'fetch'`. */
export function describeLoopFunction(loop: EventLoopFunction): string {
  if (loop.framework) return loop.framework;
  return loop.generatorBased ? `coroutine '${loop.fn.name}'` : `async def '${loop.fn.name}'`;
}

/** `object.method(...)`: the receiver, the method name node and its text; undefined for other calls. */
export function methodCall(callee: SNode, resolver: Resolver): { object: SNode; attr: SNode; method: string } | undefined {
  if (callee.type !== 'attribute') return undefined;
  const object = child(callee, 'object');
  const attr = child(callee, 'attribute');
  return object && attr ? { object, attr, method: resolver.text(attr) } : undefined;
}
