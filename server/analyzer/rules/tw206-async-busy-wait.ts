import { eventLoopFunction } from '../model/call-context';
import type { Resolver } from '../model/resolve';
import type { Scope } from '../model/scope';
import type { SemanticModel } from '../model/semantic-model';
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

const isBoolLiteral = (n: SNode | undefined): boolean => n !== undefined && (n.type === 'true' || n.type === 'false');

/** Names the module assigns `True` or `False` somewhere (`ready = False`, `nonlocal ready; ready = True`). */
const boolNames = new WeakMap<SemanticModel, Set<string>>();
function namesAssignedBool(resolver: Resolver): Set<string> {
  let names = boolNames.get(resolver.model);
  if (!names) {
    // Every `name = value` is a binding of its scope already: no walk over the whole tree.
    const found = new Set<string>();
    const { module, functions, classes } = resolver.model;
    for (const scope of [module, ...functions, ...classes]) {
      for (const [name, bindings] of scope.bindings) {
        for (const b of bindings) {
          if (b.kind === 'assign' && b.node.field === 'left' && b.node.parent?.type === 'assignment' && isBoolLiteral(unparenthesize(b.value))) found.add(name);
        }
      }
    }
    names = found;
    boolNames.set(resolver.model, names);
  }
  return names;
}

/**
 * A flag the program owns, so the code that sets it could set an asyncio.Event instead: a name the
 * module assigns `True`/`False`, or `self.x` whose class (or a base in this module) assigns
 * `self.x = True`/`False` or `x = True`/`False` in its body. Anything else (another object's
 * attribute, a container's emptiness, a call's result) is state the loop does not own.
 */
function ownedFlag(flag: SNode, scope: Scope, resolver: Resolver): boolean {
  if (flag.type === 'identifier') return namesAssignedBool(resolver).has(resolver.text(flag));
  if (flag.type !== 'attribute') return false;
  const object = child(flag, 'object');
  const attr = child(flag, 'attribute');
  if (object?.type !== 'identifier' || !attr) return false;
  const cls = resolver.receiverClass(object, scope);
  const values = cls ? resolver.attributeValues(cls, resolver.text(attr)) : undefined;
  return (values ?? []).some(({ value }) => isBoolLiteral(unparenthesize(value)));
}

export const asyncBusyWait: Rule = {
  meta: {
    code: 'TW206',
    name: 'async-busy-wait',
    severity: 'information',
    fix: 'none',
    summary: 'polling a flag with `while ...: await asyncio.sleep()`; wait on an asyncio.Event',
    description: '`while not flag: await asyncio.sleep(...)` polls a flag; an `asyncio.Event` wakes the task at once.',
    skipsTestFiles: true,
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
    if (!ownedFlag(flag, scope, ctx.resolver)) return;
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
