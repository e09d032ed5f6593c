import { eventLoopFunction } from '../model/call-context';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import type { Rule } from './rule';

const SLEEPS = new Set(['asyncio.sleep', 'trio.sleep', 'anyio.sleep']);
const EQUALITY = new Set(['==', '!=', 'is', 'is not']);

/**
 * `flag == False`, `flag is True` (either side, any of ==, !=, is, is not) test the flag itself,
 * as `not flag` and `flag` do: the flag, or undefined for any other comparison.
 */
function comparedWithBool(test: SNode): SNode | undefined {
  if (test.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(test).filter((c) => c.type !== 'is not');
  const operators = test.children.filter((c) => !operands.includes(c) && c.type !== 'comment');
  if (operands.length !== 2 || operators.length !== 1 || !EQUALITY.has(operators[0]!.type)) return undefined;
  const [a, b] = operands.map((o) => unparenthesize(o)) as [SNode, SNode];
  const isBool = (n: SNode) => n.type === 'true' || n.type === 'false';
  if (isBool(b) && !isBool(a)) return a;
  if (isBool(a) && !isBool(b)) return b;
  return undefined;
}

export const asyncBusyWait: Rule = {
  meta: {
    code: 'TW206',
    name: 'async-busy-wait',
    severity: 'information',
    fix: 'none',
    summary: 'polling a flag with `while ...: await asyncio.sleep()`; wait on an asyncio.Event',
    description: '`while not flag: await asyncio.sleep(...)` polls a flag; an `asyncio.Event` wakes the task at once.',
    peerCodes: ['ASYNC110', 'S7484'],
  },
  nodeTypes: ['while_statement'],
  onNode({ node, scope }, ctx) {
    if (!eventLoopFunction(scope, ctx.resolver)) return;
    const condition = child(node, 'condition');
    const body = child(node, 'body');
    if (!condition || !body) return;
    // A flag: a name or attribute, possibly negated; `while True` is a periodic task, not polling.
    let flag = unparenthesize(condition);
    if (flag.type === 'not_operator') flag = unparenthesize(namedChildren(flag)[0] ?? flag);
    flag = comparedWithBool(flag) ?? flag;
    if (flag.type !== 'identifier' && flag.type !== 'attribute' && flag.type !== 'call') return;
    if (flag.type === 'call' && child(flag, 'arguments') && namedChildren(child(flag, 'arguments')!).length > 0) return;
    const stmts = namedChildren(body).filter((s) => s.type !== 'pass_statement');
    if (stmts.length !== 1 || stmts[0]!.type !== 'expression_statement') return;
    const awaited = namedChildren(stmts[0]!)[0];
    const call = awaited?.type === 'await' ? unparenthesize(namedChildren(awaited)[0] ?? awaited) : undefined;
    const callee = call?.type === 'call' ? child(call, 'function') : undefined;
    const q = callee ? ctx.resolver.qualifiedName(callee, scope) : undefined;
    if (!q || !SLEEPS.has(q)) return;
    ctx.report({
      start: node.start,
      end: condition.end,
      message: `Polling '${ctx.resolver.text(condition)}' with sleep wakes the loop for nothing and reacts late; have the setter set an asyncio.Event and 'await event.wait()'.`,
    });
  },
};
