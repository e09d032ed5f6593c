import { targetAtLeast } from '../config';
import { callRole } from '../model/call-context';
import { insideExpectedRaise } from '../model/expected-raise';
import { isLoopReceiver } from '../model/loop-receivers';
import { moduleInsertionOffset } from '../fixes/imports';
import { endsLine, indentAt, lineBreakOf, startsLine } from '../fixes/source-text';
import { child, namedChildren, outerParens, unparenthesize, walk, type SNode } from '../syntax';
import type { FunctionInfo, Scope } from '../model/scope';
import type { Fix, Rule, RuleContext } from './rule';
import type { CallSite } from '../model/semantic-model';

const TASK_FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.tasks.create_task', 'asyncio.tasks.ensure_future']);
const TASKS_SET = '_background_tasks';


/** What makes the task a call of `callee` returns: asyncio's factories, a loop's, or a wrapper of the module. */
function factoryOf(callee: SNode, scope: Scope, ctx: RuleContext): string | undefined {
  const { resolver } = ctx;
  const q = resolver.qualifiedName(callee, scope);
  if (q && TASK_FACTORIES.has(q)) return q.replace('asyncio.tasks.', 'asyncio.');
  if (callee.type === 'attribute') {
    const object = child(callee, 'object');
    const attr = child(callee, 'attribute');
    if (object && attr && resolver.text(attr) === 'create_task' && isLoopReceiver(object, scope, resolver)) return 'loop.create_task';
  }
  return wrapperOf(callee, scope, ctx);
}

/**
 * A function of the module that only hands back a new task,
 * `def start_background_task(self, target, *args): return asyncio.ensure_future(target(*args))`:
 * dropping its result drops the task. Each binding of the name must be one (anyio defines its own
 * `create_task` where asyncio lacks it), either an import of asyncio's or such a function.
 */
function wrapperOf(callee: SNode, scope: Scope, ctx: RuleContext): string | undefined {
  const { resolver } = ctx;
  let fns = resolver.localFunctions(callee, scope);
  if (!fns && callee.type === 'identifier') {
    const found = resolver.lookup(resolver.text(callee), scope);
    const defs = found?.bindings.flatMap((b) => (b.kind === 'def' ? [b.fn] : [])) ?? [];
    const others = found?.bindings.filter((b) => b.kind !== 'def') ?? [];
    if (defs.length === 0 || !others.every((b) => b.kind === 'import' && TASK_FACTORIES.has(b.qname))) return undefined;
    fns = defs;
  }
  if (!fns || fns.length === 0) return undefined;
  for (const fn of fns) if (!returnsOnlyNewTasks(fn, ctx)) return undefined;
  return fns[0]!.name;
}

// Per model and function: a module may drop the result of one wrapper many times. By model, as
// the answer depends on the rest of the module (what a receiver is), which an edit may change.
const wrappers = new WeakMap<object, Map<FunctionInfo, boolean>>();

function returnsOnlyNewTasks(fn: FunctionInfo, ctx: RuleContext): boolean {
  let byFunction = wrappers.get(ctx.model);
  if (!byFunction) wrappers.set(ctx.model, (byFunction = new Map()));
  let known = byFunction.get(fn);
  if (known === undefined) {
    // Wrappers that return each other's calls make no task: the cycle answers no while it is asked.
    byFunction.set(fn, false);
    byFunction.set(fn, (known = returnsOnlyNewTasksOnce(fn, ctx)));
  }
  return known;
}

function returnsOnlyNewTasksOnce(fn: FunctionInfo, ctx: RuleContext): boolean {
  const body = child(fn.node, 'body');
  if (!body || fn.isAsync || fn.hasYield || fn.isLambda) return false;
  let returns = 0;
  let all = true;
  walk(body, (n) => {
    if (!all || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type !== 'return_statement') return true;
    returns++;
    const value = namedChildren(n)[0];
    const made = value ? unparenthesize(value) : undefined;
    const callee = made?.type === 'call' ? child(made, 'function') : undefined;
    all = !!callee && factoryOf(callee, ctx.resolver.scopeAt(made!, fn), ctx) !== undefined;
    return false;
  });
  return all && returns > 0;
}

// Calls that return a future, not a coroutine: `ensure_future` hands such a future back as it is.
const FUTURE_MAKERS = /^(?:run_in_executor|wrap_future|create_future|Future)$/;

/**
 * `asyncio.ensure_future(loop.run_in_executor(...))` makes no task: the executor's work item holds
 * the future until the job ends, so there is nothing to be collected mid-flight.
 */
function wrapsAFuture(site: CallSite, ctx: RuleContext): boolean {
  const args = child(site.node, 'arguments');
  const first = args ? namedChildren(args)[0] : undefined;
  const made = first ? unparenthesize(first) : undefined;
  const callee = made?.type === 'call' ? child(made, 'function') : undefined;
  const name = callee?.type === 'attribute' ? child(callee, 'attribute') : callee;
  return !!name && FUTURE_MAKERS.test(ctx.resolver.text(name));
}

/**
 * `ensure_future(queue.put(item))` on an `asyncio.Queue()` built without a bound: `put` never waits
 * there, so the task ends in its first step, while the loop's ready queue still holds it, and it
 * cannot fail. Nothing is left to collect or to lose.
 */
function putsOnUnboundedQueue(site: CallSite, ctx: RuleContext): boolean {
  const args = child(site.node, 'arguments');
  const first = args ? namedChildren(args)[0] : undefined;
  const made = first ? unparenthesize(first) : undefined;
  const callee = made?.type === 'call' ? child(made, 'function') : undefined;
  const queue = callee?.type === 'attribute' && ctx.resolver.textIs(child(callee, 'attribute')!, 'put') ? child(callee, 'object') : undefined;
  if (!queue || ctx.resolver.kindOf(queue, site.scope) !== 'async-queue') return false;
  const built = ctx.resolver.constructionOf(queue, site.scope);
  const builtArgs = built?.type === 'call' ? child(built, 'arguments') : undefined;
  if (!builtArgs) return false;
  // `Queue()`, `Queue(0)`, `Queue(maxsize=0)`: unbounded. Anything else may be full.
  return namedChildren(builtArgs).every((a) => {
    const value = a.type === 'keyword_argument' ? (ctx.resolver.textIs(child(a, 'name')!, 'maxsize') ? child(a, 'value') : undefined) : a;
    return value !== undefined && ctx.resolver.textIs(value, '0');
  });
}

/** The statement the call's value is thrown away in: `f()` or `_ = f()`. */
function enclosingStatement(call: SNode): SNode | undefined {
  let n: SNode | null = outerParens(call).parent;
  if (n?.type === 'assignment') n = n.parent;
  return n?.type === 'expression_statement' ? n : undefined;
}

function keepTaskFix(site: CallSite, ctx: RuleContext): Fix | undefined {
  const { source, model } = ctx;
  const stmt = enclosingStatement(site.node);
  if (!stmt || !startsLine(source, stmt.start) || !endsLine(source, stmt.end)) return undefined;
  const edits = [];
  const existing = model.module.bindings.get(TASKS_SET);
  const eol = lineBreakOf(source);
  if (!existing) {
    const at = moduleInsertionOffset(model.root, source);
    // A module-level statement above the insertion point would run before the set exists.
    if (stmt.start < at) return undefined;
    edits.push({ start: at, end: at, newText: `${eol}${TASKS_SET} = set()${eol}` });
  }
  const indent = indentAt(source, stmt.start);
  const call = source.slice(site.node.start, site.node.end);
  edits.push({
    start: stmt.start,
    end: stmt.end,
    newText: [`_task = ${call}`, `${indent}${TASKS_SET}.add(_task)`, `${indent}_task.add_done_callback(${TASKS_SET}.discard)`].join(eol),
  });
  return { title: `Keep a reference to the task in '${TASKS_SET}'`, safety: 'quick', edits };
}

export const danglingTask: Rule = {
  meta: {
    code: 'TW202',
    name: 'dangling-task',
    severity: 'warning',
    fix: 'quick',
    summary: 'task created and dropped: the loop keeps only a weak reference',
    description: 'A task created without keeping a reference can be garbage-collected mid-flight.',
    peerCodes: ['RUF006', 'ASYNC300', 'S7502'],
  },
  onCall(site, ctx) {
    const role = callRole(site.node, ctx.source);
    if (role !== 'dropped' && role !== 'underscore') return;
    const factory = factoryOf(site.callee, site.scope, ctx);
    if (!factory) return;
    if (factory === 'asyncio.ensure_future' && wrapsAFuture(site, ctx)) return;
    if (putsOnUnboundedQueue(site, ctx)) return;
    // A test asserting the call fails (a closed loop, a bad argument) makes no task to keep.
    if (insideExpectedRaise(site.node, ctx.resolver, site.scope)) return;
    const fix = keepTaskFix(site, ctx);
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      // What goes wrong every time leads; the collection mid-flight depends on the collector's timing.
      message: `The task from ${factory}() is not kept: nothing can await or cancel it, its exception is never retrieved, and the event loop holds only a weak reference, so it can be garbage-collected before it finishes${
        // TaskGroup exists from 3.11; suggest it only when the project says it may.
        targetAtLeast(ctx.targetVersion, 11) ? '; keep a reference, or create it in an asyncio.TaskGroup, which holds its tasks and waits for them' : ''
      }.`,
      ...(fix ? { fix } : {}),
    });
  },
};
