import { lockIdentity } from '../model/lock-regions';
import { methodCall } from '../model/call-context';
import { statementOf } from '../model/locks';
import { endsLine, indentAt, lineEndAt, lineStartAt, startsLine } from '../fixes/source-text';
import { child, docstringOf, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import type { CallSite } from '../model/semantic-model';
import type { Fix, Rule, RuleContext } from './rule';

/**
 * True when the wait runs inside a `while` that re-checks: directly, or in a nested `def` that is
 * defined inside such a loop and used nowhere else (`while not ready: async def _(): await
 * cv.wait()` then `await wait_for(_(), t)`), so each call is one turn of that loop.
 */
function insideWhile(node: SNode, ctx: RuleContext): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'while_statement') return true;
    if (n.type === 'lambda') return false;
    if (n.type === 'function_definition') {
      if (waitOnceHelper(n, node, ctx)) return true;
      if (!loopLocalHelper(n, ctx)) return false;
    }
  }
  return false;
}

/**
 * A function that only waits once (`async with cv: await cv.wait()`, its whole body) and whose
 * every mention in the module sits in a `while` of its caller (`while True: if ready(): return;
 * await asyncio.wait_for(self._wait_for_wake_up(), t)`): the caller's loop re-checks, so each
 * call is one turn of it.
 */
function waitOnceHelper(fdef: SNode, wait: SNode, ctx: RuleContext): boolean {
  const name = child(fdef, 'name');
  const body = child(fdef, 'body');
  const doc = docstringOf(fdef)?.parent;
  const stmts = body ? namedChildren(body).filter((s) => s.type !== 'comment' && s !== doc) : [];
  if (!name || stmts.length !== 1) return false;
  let inner = stmts[0]!;
  if (inner.type === 'with_statement') {
    const withBody = namedChildren(child(inner, 'body') ?? inner).filter((s) => s.type !== 'comment');
    if (withBody.length !== 1) return false;
    inner = withBody[0]!;
  }
  if (inner !== statementOf(wait)) return false;
  const uses = namesUsed(ctx).get(ctx.resolver.text(name));
  // The definition's own name is one of the mentions: every other one must be inside a loop.
  let around: SNode | null = fdef.parent;
  while (around && around.type !== 'while_statement' && around.type !== 'function_definition' && around.type !== 'lambda' && around.type !== 'class_definition') around = around.parent;
  const nameOutside = around?.type === 'while_statement' ? 0 : 1;
  return !!uses && uses.count > 1 && uses.outsideLoops === nameOutside;
}

const usesByModel = new WeakMap<RuleContext['model'], Map<string, { count: number; outsideLoops: number }>>();

/**
 * Every identifier of the module by text: how often it is written, and how often outside a `while`
 * of its own function. One walk per model, however many waits ask.
 */
function namesUsed(ctx: RuleContext): Map<string, { count: number; outsideLoops: number }> {
  let uses = usesByModel.get(ctx.model);
  if (uses) return uses;
  uses = new Map();
  // An explicit stack: a deeply nested file must not exhaust the call stack.
  const stack: Array<[SNode, boolean]> = [[ctx.model.root, false]];
  while (stack.length > 0) {
    const [n, inLoop] = stack.pop()!;
    if (n.type === 'identifier') {
      const text = ctx.resolver.text(n);
      const u = uses.get(text) ?? { count: 0, outsideLoops: 0 };
      u.count++;
      if (!inLoop) u.outsideLoops++;
      uses.set(text, u);
      continue;
    }
    const opens = n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition';
    for (const c of n.children) {
      // A def's name belongs to the code around it; its body starts outside any loop; a while's
      // condition and body are in its loop.
      const loop = opens ? false : inLoop || n.type === 'while_statement';
      stack.push([c, opens && c.field === 'name' ? inLoop : loop]);
    }
  }
  usesByModel.set(ctx.model, uses);
  return uses;
}

function loopLocalHelper(fdef: SNode, ctx: RuleContext): boolean {
  const name = child(fdef, 'name');
  let loop: SNode | null = fdef.parent;
  while (loop && loop.type !== 'while_statement') {
    if (loop.type === 'function_definition' || loop.type === 'lambda' || loop.type === 'class_definition' || loop.type === 'module') return false;
    loop = loop.parent;
  }
  let outer: SNode | null = loop;
  while (outer && outer.type !== 'function_definition' && outer.type !== 'module') outer = outer.parent;
  if (!name || !loop || !outer) return false;
  const text = ctx.resolver.text(name);
  let escapes = false;
  walk(outer, (m) => {
    if (escapes) return false;
    if (m.type === 'identifier' && m !== name && ctx.resolver.text(m) === text && (m.start < loop.start || m.end > loop.end)) escapes = true;
    return !escapes;
  });
  return !escapes;
}

/** The predicate a wait guarded by `if <condition>:` is waiting for: the condition's negation. */
function negation(condition: SNode, source: string): string {
  const inner = unparenthesize(condition);
  if (inner.type === 'not_operator') {
    const operand = child(inner, 'argument');
    if (operand) return source.slice(operand.start, operand.end);
  }
  return `not (${source.slice(condition.start, condition.end)})`;
}

/**
 * `if not ready: cv.wait()` becomes `cv.wait_for(lambda: ready)`, which re-checks the predicate
 * after every wake-up. Only that shape has a predicate to take; a bare wait has none.
 */
function waitForFix(site: CallSite, ctx: RuleContext): Fix | undefined {
  const { source } = ctx;
  const stmt = statementOf(site.node);
  const guard = stmt.parent?.parent;
  if (stmt.type !== 'expression_statement' || guard?.type !== 'if_statement' || stmt.parent?.field !== 'consequence') return undefined;
  if (guard.children.some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return undefined;
  if (namedChildren(stmt.parent).some((s) => s !== stmt && s.type !== 'comment')) return undefined;
  const condition = child(guard, 'condition');
  if (!condition || !startsLine(source, guard.start) || !endsLine(source, guard.end)) return undefined;
  // A lambda cannot await, yield or bind a name with :=.
  let lambdaSafe = true;
  walk(condition, (n) => {
    if (n.type === 'await' || n.type === 'yield' || n.type === 'named_expression') lambdaSafe = false;
    return lambdaSafe;
  });
  if (!lambdaSafe || site.args?.type !== 'argument_list' || namedChildren(site.args).length > 0) return undefined;
  const method = site.callee.type === 'attribute' ? child(site.callee, 'attribute') : undefined;
  if (!method) return undefined;
  const predicate = negation(condition, source);
  const statement = source.slice(stmt.start, method.start) + `wait_for(lambda: ${predicate})` + source.slice(site.node.end, stmt.end);
  const trailing = source.slice(stmt.end, lineEndAt(source, stmt.end));
  return {
    title: `Use '${ctx.resolver.text(child(site.callee, 'object')!)}.wait_for(lambda: ${predicate})'`,
    safety: 'quick',
    edits: [{ start: lineStartAt(source, guard.start), end: lineEndAt(source, guard.end), newText: indentAt(source, guard.start) + statement + (trailing.trim().startsWith('#') ? trailing : '') }],
  };
}

export const waitNotInLoop: Rule = {
  meta: {
    code: 'TW405',
    name: 'wait-not-in-loop',
    severity: 'warning',
    fix: 'quick',
    summary: 'Condition.wait() not inside a while loop that re-checks the predicate',
    description: '`Condition.wait()` outside a `while` loop that re-checks the predicate.',
    // A test's wait is usually a one-waiter handshake with the thread it just started; at worst
    // the test is flaky (CPython's own Condition tests wait once on purpose, ×14).
    skipsTestFiles: true,
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (call?.method !== 'wait') return;
    const { object } = call;
    const kind = ctx.resolver.kindOf(object, site.scope);
    if (kind !== 'thread-condition' && kind !== 'async-condition') return;
    if (kind === 'thread-condition' && !lockIdentity(object, site.scope, ctx.resolver)) return;
    // A timed wait is followed by a check of what happened (`Future.result(timeout)` does this).
    const timed = site.args?.children.some((c) => c.named && c.type !== 'comment' && !/^(timeout\s*=\s*)?None$/.test(ctx.resolver.text(c)));
    if (insideWhile(site.node, ctx) || timed) return;
    const cv = ctx.resolver.text(object);
    const fix = waitForFix(site, ctx);
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${cv}.wait() outside a while loop: wake-ups can be spurious or stolen by another waiter, so the condition may not hold on return; use 'while not <predicate>: ${cv}.wait()' or '${cv}.wait_for(lambda: <predicate>)'.`,
      ...(fix ? { fix } : {}),
    });
  },
};
