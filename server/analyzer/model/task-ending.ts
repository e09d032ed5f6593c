import type { Resolver } from './resolve';
import type { FunctionInfo, Scope } from './scope';
import { child, namedChildren, walk, type SNode } from '../syntax';
import { suspends } from './suspension';

/**
 * Whether a coroutine runs only as a task of its own, and whether a handler of its ends that task
 * at once: the two facts that make `except CancelledError: break` in a task's loop do what the
 * `cancel()` asked for (the task stops), losing only its cancelled state.
 */

// `run_coroutine_threadsafe` makes a task on the loop too; its caller holds a concurrent future.
// Tornado's `gen.convert_yielded(coro)` wraps a coroutine with `ensure_future`. `asyncio.run(main())`
// and `loop.run_until_complete(main())` make the program's main task: a cancel reaches it only from
// the runner (Ctrl-C, shutdown), and no caller's timeout waits for it.
const TASK_FACTORIES = /^(?:create_task|ensure_future|run_coroutine_threadsafe|convert_yielded|run_until_complete)$/;

/** `create_task(x)` / `loop.create_task(x)` / `asyncio.ensure_future(x)`: the call, when `node` is its first argument. */
function taskFactoryArgument(node: SNode, resolver: Resolver): boolean {
  const args = node.parent;
  const outer = args?.type === 'argument_list' ? args.parent : undefined;
  const outerCallee = outer?.type === 'call' ? child(outer, 'function') : undefined;
  const outerName = outerCallee?.type === 'attribute' ? child(outerCallee, 'attribute') : outerCallee;
  return !!outerName && namedChildren(args!)[0] === node && (TASK_FACTORIES.test(resolver.text(outerName)) || resolver.text(outerCallee!) === 'asyncio.run');
}

const starters = new WeakMap<object, Map<FunctionInfo, number>>();

/**
 * The module's task starters: functions that call their parameter inside a task factory,
 * `def start_background_task(self, target, *args): return asyncio.ensure_future(target(*args))`,
 * with the position of that parameter among the arguments a caller passes.
 */
function taskStarters(resolver: Resolver): Map<FunctionInfo, number> {
  let found = starters.get(resolver.model);
  if (found) return found;
  found = new Map();
  for (const site of resolver.model.calls) {
    if (site.callee.type !== 'identifier' || !taskFactoryArgument(site.node, resolver)) continue;
    const fn = site.scope.type === 'function' && !site.scope.isLambda ? site.scope : undefined;
    const params = fn ? child(fn.node, 'parameters') : undefined;
    if (!fn || !params) continue;
    const names = namedChildren(params).map((p) => resolver.text(p.type === 'identifier' ? p : (namedChildren(p)[0] ?? p)));
    const index = names.indexOf(resolver.text(site.callee));
    if (index < 0) continue;
    found.set(fn, index - (fn.receiver && fn.owner ? 1 : 0));
  }
  starters.set(resolver.model, found);
  return found;
}

/**
 * `wrapped = self._run_event(coro)` then `return self.loop.create_task(wrapped)`: a coroutine
 * object kept in a local whose one other use, in the same function, is a task factory's first argument.
 */
function boundThenTasked(call: SNode, resolver: Resolver): boolean {
  const assignment = call.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === call ? child(assignment, 'left') : undefined;
  if (left?.type !== 'identifier') return false;
  let fn: SNode | null = assignment!.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const uses = fn ? namesUsedIn(fn, resolver).get(resolver.text(left)) : undefined;
  // The assignment's own target is one of them.
  return !!uses && uses.length === 2 && uses.includes(left) && taskFactoryArgument(uses.find((u) => u !== left)!, resolver);
}

const namesByFunction = new WeakMap<SNode, Map<string, SNode[]>>();

/**
 * Each name's identifiers in a function's body, up to three: one walk per function. Nested
 * functions and lambdas count too: a use there is a use.
 */
function namesUsedIn(fn: SNode, resolver: Resolver): Map<string, SNode[]> {
  let names = namesByFunction.get(fn);
  if (names) return names;
  names = new Map();
  const body = child(fn, 'body');
  if (body) {
    walk(body, (n) => {
      if (n.type === 'identifier') {
        const list = names!.get(resolver.text(n)) ?? [];
        if (list.length < 3) list.push(n);
        names!.set(resolver.text(n), list);
      }
      return true;
    });
  }
  namesByFunction.set(fn, names);
  return names;
}

/** `mod.f` where `mod` is bound only by an import. */
function onImportedModule(callee: SNode, scope: Scope, resolver: Resolver): boolean {
  const object = child(callee, 'object');
  if (object?.type !== 'identifier') return false;
  const found = resolver.lookup(resolver.text(object), scope);
  return !!found && found.bindings.length > 0 && found.bindings.every((b) => b.kind === 'import');
}

/** How the module uses a name (`fn` or `x.fn`, told apart by `viaAttribute`): as a task, or otherwise. */
interface Uses {
  tasks: number;
  other: boolean;
}

const usesByModel = new WeakMap<object, Map<string, Uses>>();

/**
 * Every call of a name in the module, by name and whether it is called as an attribute: the first
 * argument of a task factory counts as a task, as does a name handed to a task starter of the
 * module; any other call as other. One pass over the module's calls, however many coroutines ask.
 */
function usesOf(resolver: Resolver): Map<string, Uses> {
  let uses = usesByModel.get(resolver.model);
  if (uses) return uses;
  uses = new Map();
  const note = (name: SNode, viaAttribute: boolean, task: boolean) => {
    const key = `${viaAttribute ? '.' : ''}${resolver.text(name)}`;
    const u = uses!.get(key) ?? { tasks: 0, other: false };
    if (task) u.tasks++;
    else u.other = true;
    uses!.set(key, u);
  };
  const starters = taskStarters(resolver);
  for (const site of resolver.model.calls) {
    const callee = site.callee;
    const name = callee.type === 'identifier' ? callee : callee.type === 'attribute' ? child(callee, 'attribute') : undefined;
    // `connect_utils._cancel(...)` calls another module's function, not this module's method.
    if (name && !(callee.type === 'attribute' && onImportedModule(callee, site.scope, resolver))) note(name, callee.type === 'attribute', taskFactoryArgument(site.node, resolver) || boundThenTasked(site.node, resolver));
    if (starters.size === 0) continue;
    const starter = (resolver.localFunctions(callee, site.scope) ?? []).find((f) => starters.has(f));
    const args = starter ? child(site.node, 'arguments') : undefined;
    const arg = args ? namedChildren(args)[starters.get(starter!)!] : undefined;
    const handed = arg?.type === 'identifier' ? arg : arg?.type === 'attribute' ? child(arg, 'attribute') : undefined;
    if (handed) note(handed, arg!.type === 'attribute', true);
  }
  usesByModel.set(resolver.model, uses);
  return uses;
}

/**
 * The coroutine function runs only as a task of its own: the module calls it (`name(...)`, or
 * `x.name(...)` for a method) at least once, and every such call is the first argument of a
 * `create_task(...)`/`ensure_future(...)`; or it is handed to one of the module's task starters.
 * Nobody awaits it inline, so no caller's timeout or cancel waits for its CancelledError; its task
 * ending is what `cancel()` asks for.
 */
export function runsOnlyAsTask(fn: FunctionInfo, resolver: Resolver): boolean {
  const u = usesOf(resolver).get(`${fn.owner ? '.' : ''}${fn.name}`);
  return !!u && u.tasks > 0 && !u.other;
}

const COMPOUND = new Set(['if_statement', 'try_statement', 'with_statement', 'while_statement', 'for_statement', 'function_definition', 'class_definition', 'match_statement']);
const LOOPS = new Set(['while_statement', 'for_statement']);

function clauseOf(tryNode: SNode, type: string): SNode | undefined {
  return tryNode.children.find((c) => c.type === type);
}

/**
 * After `stmt` the function goes on to its end without suspending again: the statements after it
 * in each enclosing block, and the `else` of a `try` it completes, run no await, up to the end
 * of the function; not inside a loop, whose next turn would run. A `finally` and the exit of an
 * `async with` may await: that is the ending task cleaning up, as the handler itself may.
 */
function endsQuietlyAfter(stmt: SNode, fn: SNode): boolean {
  let s: SNode = stmt;
  for (;;) {
    const block = s.parent;
    if (!block || (block.type !== 'block' && block !== fn)) return false;
    const rest = namedChildren(block);
    for (const later of rest.slice(rest.indexOf(s) + 1)) if (suspends(later)) return false;
    const owner = block.parent;
    if (!owner) return false;
    if (owner === fn) return true;
    if (LOOPS.has(owner.type)) return false;
    let holder: SNode | null = owner;
    while (holder && !COMPOUND.has(holder.type)) holder = holder.parent;
    if (!holder || LOOPS.has(holder.type) || holder.type === 'function_definition' || holder.type === 'class_definition') return false;
    const orElse = holder.type === 'try_statement' && owner === holder ? clauseOf(holder, 'else_clause') : undefined;
    if (orElse && suspends(orElse)) return false;
    s = holder;
  }
}

/** The innermost loop around the `try`, inside the function. */
function enclosingLoop(tryNode: SNode, fn: SNode): SNode | undefined {
  let loop: SNode | null = tryNode.parent;
  while (loop && loop !== fn && !LOOPS.has(loop.type)) loop = loop.parent;
  return loop && loop !== fn ? loop : undefined;
}

/**
 * After the handler the coroutine ends: it returns, `break`s out of a loop after which nothing
 * awaits, or falls through to the end of the function with nothing awaited on the way. A
 * `continue`, or more awaited work after the handler, keeps the task running.
 */
export function handlerEndsTask(tryNode: SNode, handler: SNode, fn: SNode, resolver: Resolver): boolean {
  const stmts = namedChildren(handler).filter((c) => c.type !== 'comment');
  const last = stmts.at(-1);
  if (!last) return false;
  if (last.type === 'return_statement') return true;
  const loop = enclosingLoop(tryNode, fn);
  if (loop && clearsLoopFlag(tryNode, stmts, loop, fn, resolver)) return true;
  if (last.type === 'break_statement') return !!loop && endsQuietlyAfter(loop, fn);
  if (stmts.some((c) => c.type === 'return_statement' || c.type === 'break_statement' || c.type === 'continue_statement')) return false;
  return endsQuietlyAfter(tryNode, fn);
}

/**
 * `while self.running: try: ... except CancelledError: self.running = False`: the handler clears
 * the flag its loop tests, so the loop ends at its next check, as after a `break`, provided the
 * rest of the loop's body runs no await on the way there.
 */
function clearsLoopFlag(tryNode: SNode, stmts: readonly SNode[], loop: SNode, fn: SNode, resolver: Resolver): boolean {
  if (loop.type !== 'while_statement') return false;
  const condition = child(loop, 'condition');
  if (condition?.type !== 'identifier' && condition?.type !== 'attribute') return false;
  const flag = resolver.text(condition);
  const clears = stmts.some((st) => {
    const assignment = st.type === 'expression_statement' ? namedChildren(st)[0] : undefined;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : undefined;
    const right = assignment ? child(assignment, 'right') : undefined;
    return !!left && right?.type === 'false' && resolver.text(left) === flag;
  });
  if (!clears || stmts.some((st) => st.type === 'continue_statement')) return false;
  // The statements after the try, up to the end of the loop's body, run before the check.
  for (let s: SNode = tryNode; s !== loop; ) {
    const block = s.parent;
    if (!block) return false;
    const rest = namedChildren(block);
    for (const later of rest.slice(rest.indexOf(s) + 1)) if (suspends(later)) return false;
    s = block.type === 'block' ? (block.parent ?? loop) : block;
    if (s !== loop && LOOPS.has(s.type)) return false;
  }
  return endsQuietlyAfter(loop, fn);
}
