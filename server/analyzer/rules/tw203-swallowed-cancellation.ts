import { targetAtLeast } from '../config';
import { eventLoopFunction } from '../model/call-context';
import type { Resolver } from '../model/resolve';
import type { FunctionInfo, Scope } from '../model/scope';
import { handlerEndsTask, runsOnlyAsTask } from '../model/task-ending';
import { indentAt, lineBreakOf } from '../fixes/source-text';
import { caughtTypes, child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import type { Fix, Rule } from './rule';

const CANCELLED = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError', 'builtins.BaseException']);
const EXPLICIT = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError']);

/** What an `except` clause catches that includes cancellation, or undefined. */
function catchesCancellation(clause: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const candidates = caughtTypes(clause);
  if (!candidates) return clause.children.some((c) => c.type === 'block') ? 'except:' : undefined;
  for (const c of candidates) {
    const q = resolver.qualifiedName(c, scope);
    if (q && CANCELLED.has(q)) return `except ${resolver.text(c)}`;
  }
  return undefined;
}

function explicitlyCancelled(clause: SNode, scope: Scope, resolver: Resolver): boolean {
  return (caughtTypes(clause) ?? []).some((c) => EXPLICIT.has(resolver.qualifiedName(c, scope) ?? ''));
}

const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
/** Statements after which the rest of their block never runs. */
const JUMPS = new Set(['return_statement', 'break_statement', 'continue_statement']);

/** The call a statement makes, looking through `await`: `helper(exc)`, `await self.fail(exc)`. */
function statementCall(stmt: SNode): SNode | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  let e: SNode | undefined = namedChildren(stmt)[0];
  if (e?.type === 'await') e = namedChildren(e)[0];
  e = e ? unparenthesize(e) : undefined;
  return e?.type === 'call' ? e : undefined;
}

/**
 * `self.m` where `m` is defined in a base written as a generic subscript (`class C(Mixin[T])`),
 * which the resolver does not look through: the base's methods.
 */
function methodOfGenericBase(callee: SNode, scope: Scope, resolver: Resolver): FunctionInfo[] | undefined {
  const object = callee.type === 'attribute' ? child(callee, 'object') : undefined;
  const attr = callee.type === 'attribute' ? child(callee, 'attribute') : undefined;
  const cls = object && attr ? resolver.receiverClass(object, scope) : undefined;
  if (!cls || !attr) return undefined;
  for (const base of cls.bases) {
    const value = base.type === 'subscript' ? child(base, 'value') : undefined;
    const baseClass = value ? resolver.classNamed(value, cls.parent!) : undefined;
    const found = baseClass ? resolver.methodsOf(baseClass, resolver.text(attr)) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** `-> NoReturn`, `-> Never` (also quoted, or as `typing.NoReturn`). */
function annotatedNoReturn(fn: FunctionInfo, resolver: Resolver): boolean {
  const returns = child(fn.node, 'return_type');
  if (!returns) return false;
  const text = resolver.text(returns).replace(/^["']|["']$/g, '').trim();
  return /^(?:[A-Za-z_][\w.]*\.)?(?:NoReturn|Never)$/.test(text);
}

/** The function's body ends in an unconditional `raise`: a call to it never returns. */
function endsInRaise(fn: FunctionInfo): boolean {
  const body = child(fn.node, 'body');
  const last = body ? namedChildren(body).filter((c) => c.type !== 'comment').at(-1) : undefined;
  return last?.type === 'raise_statement';
}

/**
 * A statement that raises in the handler's stead: a call to a function of this module that never
 * returns (annotated `NoReturn`/`Never`, or whose body ends in an unconditional `raise`), or one
 * that is handed the caught exception and raises on some path of its own body (a helper that
 * converts or re-raises what it is given).
 */
function raisingCall(stmt: SNode, caught: string | undefined, scope: Scope, resolver: Resolver): boolean {
  const call = statementCall(stmt);
  const callee = call ? child(call, 'function') : undefined;
  if (!call || !callee) return false;
  const fns = resolver.localFunctions(callee, scope) ?? methodOfGenericBase(callee, scope, resolver);
  if (!fns || fns.length === 0) return false;
  if (fns.every((fn) => annotatedNoReturn(fn, resolver) || endsInRaise(fn))) return true;
  // A helper that raises CancelledError on a path of its own (grpc's `_raise_for_status()`, which
  // does once the handler has marked the call cancelled): the cancellation leaves through it.
  if (fns.every((fn) => raisesCancellation(fn, resolver))) return true;
  const args = child(call, 'arguments');
  const passesCaught = caught !== undefined && args !== undefined
    && namedChildren(args).some((a) => a.type === 'identifier' && resolver.text(a) === caught);
  return passesCaught && fns.every((fn) => {
    const body = child(fn.node, 'body');
    return body !== undefined && reraises(body, () => false);
  });
}

/** The function's own body has a `raise CancelledError` / `raise asyncio.CancelledError()`. */
function raisesCancellation(fn: FunctionInfo, resolver: Resolver): boolean {
  const body = child(fn.node, 'body');
  let found = false;
  if (body) {
    walk(body, (n) => {
      if (found || NESTED_SCOPES.has(n.type)) return false;
      if (n.type === 'raise_statement') {
        let raised: SNode | undefined = namedChildren(n)[0];
        if (raised?.type === 'call') raised = child(raised, 'function');
        if (raised && EXPLICIT.has(resolver.qualifiedName(raised, resolver.scopeAt(n, fn)) ?? '')) found = true;
      }
      return !found;
    });
  }
  return found;
}

/**
 * True when the handler raises on some reachable path (not counting nested functions): a `raise`
 * after a `return`, `break` or `continue` in the same block never runs. `raising` says whether a
 * statement raises through a call (see raisingCall).
 */
function reraises(block: SNode, raising: (stmt: SNode) => boolean): boolean {
  for (const stmt of namedChildren(block)) {
    if (stmt.type === 'comment') continue;
    if (stmt.type === 'raise_statement' || raising(stmt)) return true;
    if (JUMPS.has(stmt.type)) return false;
    let found = false;
    walk(stmt, (n) => {
      if (found || NESTED_SCOPES.has(n.type)) return false;
      if (n.type === 'block' && n !== block) {
        found = reraises(n, raising);
        return false;
      }
      return true;
    });
    if (found) return true;
  }
  return false;
}

/** The name `except ... as name` binds, if any. */
function caughtName(clause: SNode, resolver: Resolver): string | undefined {
  const value = child(clause, 'value');
  const alias = value?.type === 'as_pattern' ? child(value, 'alias') : undefined;
  const nameNode = alias ? namedChildren(alias)[0] : undefined;
  return nameNode ? resolver.text(nameNode) : undefined;
}

function containsAwait(block: SNode): boolean {
  let found = false;
  walk(block, (n) => {
    if (found) return false;
    if (n.type === 'await' || ((n.type === 'with_statement' || n.type === 'for_statement' || n.type === 'for_in_clause') && n.children.some((c) => c.type === 'async'))) found = true;
    return !found && n.type !== 'function_definition' && n.type !== 'lambda';
  });
  return found;
}

const EXCEPTION_NOW = new Set(['sys.exc_info', 'sys.exception']);

/**
 * True when the handler hands the caught exception on (to a future with `set_exception`, or into
 * a variable or container someone else reads): the cancellation is forwarded, not lost.
 */
function forwards(clause: SNode, handler: SNode, resolver: Resolver, scope: Scope): boolean {
  const value = child(clause, 'value');
  const alias = value?.type === 'as_pattern' ? child(value, 'alias') : undefined;
  const nameNode = alias ? namedChildren(alias)[0] : undefined;
  const name = nameNode ? resolver.text(nameNode) : undefined;
  // The exception itself: the clause's name, or `sys.exc_info()` / `sys.exception()` in a bare clause
  // (tenacity's `retry_state.set_exception(sys.exc_info())`, re-raised when the retries stop).
  const carries = (n: SNode): boolean =>
    (n.type === 'identifier' && name !== undefined && resolver.text(n) === name) ||
    (n.type === 'call' && EXCEPTION_NOW.has(resolver.qualifiedName(child(n, 'function')!, scope) ?? ''));
  let found = false;
  walk(handler, (n) => {
    if (found) return false;
    if (carries(n)) {
      // Wrapped in an object on the way (`errors.append(Error(exc))`, `self.outcome = Failure(exc)`):
      // a call to a capitalised name, by convention a class, still carries the exception.
      while (n.parent?.type === 'argument_list' && n.parent.parent?.type === 'call' && isConstructorCall(n.parent.parent, resolver)) {
        n = n.parent.parent;
      }
      // `*sys.exc_info()` spreads the exception's triple into the call.
      if (n.parent?.type === 'list_splat') n = n.parent;
      const p = n.parent;
      const target = p?.type === 'assignment' ? child(p, 'left') : undefined;
      if (target && n.field === 'right' && resolver.text(target) !== '_') found = true;
      // `return Error(exc)`: handed to the caller as a value (outcome's `acapture`).
      if (p?.type === 'return_statement') found = true;
      const call = p?.type === 'argument_list' ? p.parent : undefined;
      const callee = call ? child(call, 'function') : undefined;
      // `throw` raises it inside a generator, coroutine or greenlet, from where it comes back out.
      if (callee?.type === 'attribute' && /^(set_exception|append|put|put_nowait|add|throw)$/.test(resolver.text(child(callee, 'attribute')!))) found = true;
      // `self._add_exc(exc)`, a helper of the module that keeps what it is given.
      if (!found && call && callee && storesArgument(call, callee, n, resolver, scope)) found = true;
    }
    return !found;
  });
  return found;
}

/**
 * The call hands `arg` to functions of the module that each keep the matching parameter: append,
 * add or put it somewhere, or store it in an attribute (`def _add_exc(self, exc):
 * self._pending_excs.append(exc)`, trio's nursery collecting its children's errors).
 */
function storesArgument(call: SNode, callee: SNode, arg: SNode, resolver: Resolver, scope: Scope): boolean {
  const args = child(call, 'arguments');
  const position = args ? namedChildren(args).indexOf(arg) : -1;
  const fns = position >= 0 ? resolver.localFunctions(callee, scope) : undefined;
  if (!fns || fns.length === 0) return false;
  return fns.every((fn) => {
    const params = child(fn.node, 'parameters');
    const names = params ? namedChildren(params).filter((p) => p.type === 'identifier' || p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter') : [];
    const skip = fn.receiver && fn.owner && callee.type === 'attribute' ? 1 : 0;
    const param = names[position + skip];
    const nameNode = param?.type === 'identifier' ? param : param ? namedChildren(param)[0] : undefined;
    const name = nameNode ? resolver.text(nameNode) : undefined;
    const body = child(fn.node, 'body');
    if (!name || !body) return false;
    let kept = false;
    walk(body, (n) => {
      if (kept || n.type === 'function_definition' || n.type === 'lambda') return false;
      if (n.type !== 'identifier' || resolver.text(n) !== name) return true;
      const p = n.parent;
      const target = p?.type === 'assignment' && n.field === 'right' ? child(p, 'left') : undefined;
      const method = p?.type === 'argument_list' ? child(p.parent!, 'function') : undefined;
      if (target?.type === 'attribute' || target?.type === 'subscript') kept = true;
      if (method?.type === 'attribute' && /^(append|add|put|put_nowait|set_exception)$/.test(resolver.text(child(method, 'attribute')!))) kept = true;
      return !kept;
    });
    return kept;
  });
}

function isConstructorCall(call: SNode, resolver: Resolver): boolean {
  const callee = child(call, 'function');
  const name = callee?.type === 'attribute' ? child(callee, 'attribute') : callee;
  return name?.type === 'identifier' && /^_*[A-Z]/.test(resolver.text(name));
}

/**
 * `task.cancel()` earlier in the function, then `try: await task` — waiting for a cancel to land.
 * The cancel may be in the try itself (`try: task.cancel(); await task`), before the one await.
 */
function isCancelAndWait(tryNode: SNode, resolver: Resolver): boolean {
  const body = child(tryNode, 'body');
  const stmts = body ? namedChildren(body).filter((c) => c.type !== 'comment') : [];
  const lastStmt = stmts.at(-1);
  if (!lastStmt || stmts.slice(0, -1).some((st) => containsAwait(st))) return false;
  const awaited = lastStmt.type === 'expression_statement' ? namedChildren(lastStmt)[0] : undefined;
  if (awaited?.type !== 'await') return false;
  const target = namedChildren(awaited)[0];
  if (!target) return false;
  const name = resolver.text(target).replace(/\s+/g, '');
  let fn: SNode | null = tryNode.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return false;
  // A call `<name>.cancel(...)` on that very object before the try, read from the tree (not text
  // that merely spells it in a string or comment).
  if ((cancelsIn(fn, resolver).get(name) ?? []).some((end) => end <= awaited.start)) return true;
  // Or a method of the module called before it that does (`self.stop()`, then `await self._task`).
  if (!name.startsWith('self.')) return false;
  return selfCallsIn(fn, resolver).some((c) => c.end <= tryNode.start && c.helpers.some((h) => (cancelsIn(h.node, resolver).get(name) ?? []).length > 0));
}

// By model: the methods a call resolves to are the model's, and an edit elsewhere may change them.
const selfCalls = new WeakMap<object, Map<SNode, Array<{ end: number; helpers: FunctionInfo[] }>>>();

/** Per function, its `self.m(...)` calls of plain methods of the module: one walk per function. */
function selfCallsIn(fn: SNode, resolver: Resolver): Array<{ end: number; helpers: FunctionInfo[] }> {
  let byFunction = selfCalls.get(resolver.model);
  if (!byFunction) selfCalls.set(resolver.model, (byFunction = new Map()));
  let found = byFunction.get(fn);
  if (found) return found;
  found = [];
  const scope = resolver.model.scopeOf.get(fn);
  if (scope) {
    walk(fn, (n) => {
      if (n.type === 'lambda' || (n.type === 'function_definition' && n !== fn)) return false;
      const callee = n.type === 'call' ? child(n, 'function') : undefined;
      if (callee?.type === 'attribute' && resolver.text(child(callee, 'object') ?? callee) === 'self') {
        const helpers = (resolver.localFunctions(callee, resolver.scopeAt(n, scope)) ?? []).filter((h) => h.node !== fn && !h.isAsync);
        if (helpers.length > 0) found!.push({ end: n.end, helpers });
      }
      return true;
    });
  }
  byFunction.set(fn, found);
  return found;
}

const cancels = new WeakMap<SNode, Map<string, number[]>>();

/** Per function, where each `<object>.cancel(...)` call ends, by the object's text: one walk per function. */
function cancelsIn(fn: SNode, resolver: Resolver): Map<string, number[]> {
  let found = cancels.get(fn);
  if (found) return found;
  found = new Map();
  walk(fn, (n) => {
    if (n.type === 'call') {
      const callee = child(n, 'function');
      const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
      const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
      if (object && attr && resolver.text(attr) === 'cancel') {
        const key = resolver.text(object).replace(/\s+/g, '');
        const ends = found!.get(key);
        if (ends) ends.push(n.end);
        else found!.set(key, [n.end]);
      }
    }
    return true;
  });
  cancels.set(fn, found);
  return found;
}

/**
 * A task group's exit: `while tasks: try: await wait(tasks) except CancelledError: scope.cancel()`.
 * The handler passes the cancellation on to the tasks being waited for (a `.cancel()` call), the
 * loop keeps waiting until they end, and the function raises afterwards: the group re-raises the
 * cancellation (or its children's errors) once they are done, as asyncio.TaskGroup.__aexit__ does.
 * Without a `raise` after the loop the cancellation would end there, and it is still reported.
 */
function forwardsToWaitedTasks(tryNode: SNode, handler: SNode, resolver: Resolver): boolean {
  const loop = tryNode.parent?.type === 'block' ? tryNode.parent.parent : undefined;
  if (loop?.type !== 'while_statement') return false;
  let cancels = false;
  walk(handler, (n) => {
    if (cancels || n.type === 'function_definition' || n.type === 'lambda') return false;
    const callee = n.type === 'call' ? child(n, 'function') : undefined;
    const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
    if (attr && resolver.textIs(attr, 'cancel')) cancels = true;
    return !cancels;
  });
  if (!cancels) return false;
  let fn: SNode | null = loop.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  let raisesAfter = false;
  if (fn) {
    walk(fn, (n) => {
      if (raisesAfter || (n !== fn && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition'))) return false;
      if (n.type === 'raise_statement' && n.start >= loop.end) raisesAfter = true;
      return !raisesAfter;
    });
  }
  return raisesAfter;
}

/**
 * The try is cleanup inside a handler that caught the cancellation and ends in a bare `raise`
 * (channels_redis: `except CancelledError: try: await unsubscribe() except BaseException: log; raise`):
 * whatever the inner clause swallows, the outer one raises the cancellation again.
 */
function insideReraisingHandler(tryNode: SNode, scope: Scope, resolver: Resolver): boolean {
  for (let n = tryNode.parent; n && !NESTED_SCOPES.has(n.type); n = n.parent) {
    if (n.type !== 'except_clause' || catchesCancellation(n, scope, resolver) === undefined) continue;
    const handler = n.children.find((c) => c.type === 'block');
    const last = handler ? namedChildren(handler).filter((c) => c.type !== 'comment').at(-1) : undefined;
    return last?.type === 'raise_statement' && namedChildren(last).length === 0 && last.start > tryNode.start;
  }
  return false;
}

export const swallowedCancellation: Rule = {
  meta: {
    code: 'TW203',
    name: 'swallowed-cancellation',
    severity: 'warning',
    fix: 'quick',
    summary: 'CancelledError caught in async def and not re-raised',
    description: 'An `except` in an `async def` that catches `CancelledError` (or everything) and does not re-raise stops `cancel()` and timeouts from working.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC103', 'ASYNC104', 'S7497'],
  },
  nodeTypes: ['try_statement'],
  onNode({ node, scope }, ctx) {
    const loop = eventLoopFunction(scope, ctx.resolver);
    if (!loop || loop.viaLambda) return;
    const body = child(node, 'body');
    // Cancellation is delivered at await points; a try around sync code cannot see it.
    if (!body || !containsAwait(body)) return;
    let cancellationHandled = false;
    for (const clause of node.children.filter((c) => c.type === 'except_clause')) {
      // An earlier `except CancelledError:` takes cancellation before a broad clause sees it.
      if (cancellationHandled) break;
      const what = catchesCancellation(clause, scope, ctx.resolver);
      cancellationHandled = explicitlyCancelled(clause, scope, ctx.resolver);
      const handler = clause.children.find((c) => c.type === 'block');
      const caught = caughtName(clause, ctx.resolver);
      if (!what || !handler || reraises(handler, (stmt) => raisingCall(stmt, caught, scope, ctx.resolver))) continue;
      if (isCancelAndWait(node, ctx.resolver) || forwards(clause, handler, ctx.resolver, scope) || forwardsToWaitedTasks(node, handler, ctx.resolver)) continue;
      if (runsOnlyAsTask(loop.fn, ctx.resolver) && handlerEndsTask(node, handler, loop.fn.node, ctx.resolver)) continue;
      if (insideReraisingHandler(node, scope, ctx.resolver)) continue;
      const last = namedChildren(handler).at(-1);
      let fix: Fix | undefined;
      const oneLine = handler.startRow === clause.startRow;
      // A `raise` added after a jump would never run either.
      if (last && !oneLine && !namedChildren(handler).some((st) => JUMPS.has(st.type))) {
        const indent = indentAt(ctx.source, last.start);
        fix = { title: "Re-raise: add 'raise' at the end of the handler", safety: 'quick', edits: [{ start: last.end, end: last.end, newText: `${lineBreakOf(ctx.source)}${indent}raise` }] };
      }
      ctx.report({
        start: clause.start,
        end: child(clause, 'value')?.end ?? clause.start + 'except'.length,
        message: `'${what}' in async def '${loop.fn.name}' swallows task cancellation: the task keeps running after cancel() and ${
          // asyncio.timeout() is 3.11+; before that, wait_for() is how timeouts cancel.
          targetAtLeast(ctx.targetVersion, 11) === false ? 'asyncio.wait_for() timeouts break' : 'asyncio.timeout() breaks'
        }; re-raise CancelledError.`,
        ...(fix ? { fix } : {}),
      });
    }
  },
};
