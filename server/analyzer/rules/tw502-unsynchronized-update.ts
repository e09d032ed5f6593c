import { locksHeldAt } from '../model/lock-regions';
import { sharedTarget, threadEntryFor } from '../model/thread-reachability';
import type { Scope } from '../model/scope';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import type { Rule, RuleContext } from './rule';

/** Methods that grow a container: called after a length check, the bound can be overrun. */
const GROWERS = new Set(['append', 'appendleft', 'extend', 'insert', 'add', 'update']);

/** The texts of `X` in every `len(X)` of the condition (nested functions excluded). */
function lengthChecked(condition: SNode, ctx: RuleContext): Set<string> {
  const checked = new Set<string>();
  walk(condition, (n) => {
    if (n.type === 'lambda') return false;
    if (n.type !== 'call') return true;
    const fn = child(n, 'function');
    const args = child(n, 'arguments');
    const only = args ? namedChildren(args) : [];
    if (fn?.type === 'identifier' && ctx.resolver.text(fn) === 'len' && only.length === 1) checked.add(ctx.resolver.text(unparenthesize(only[0]!)));
    return true;
  });
  return checked;
}

function reportAugmented(node: SNode, scope: Scope, ctx: RuleContext): void {
  const update = node.children.find((c) => c.type === 'augmented_assignment');
  const left = update ? child(update, 'left') : undefined;
  if (!update || !left) return;
  const entry = threadEntryFor(scope, ctx.resolver);
  if (!entry) return;
  const target = sharedTarget(left, scope, ctx.resolver);
  if (!target || locksHeldAt(node, scope, ctx.resolver).length > 0) return;
  ctx.report({
    start: update.start,
    end: update.end,
    message: `'${ctx.resolver.text(update)}' reads, changes and writes '${target}' in code run by threads (${entry.via}) without a lock: two threads can interleave and lose an update; guard it with a lock.`,
  });
}

/** `if len(items) < LIMIT: items.append(x)`: the check and the append are two steps. */
function reportGrowAfterLengthCheck(node: SNode, scope: Scope, ctx: RuleContext): void {
  const condition = child(node, 'condition');
  const body = child(node, 'consequence');
  if (!condition || !body) return;
  const checked = lengthChecked(condition, ctx);
  if (checked.size === 0) return;
  const entry = threadEntryFor(scope, ctx.resolver);
  if (!entry || locksHeldAt(node, scope, ctx.resolver).length > 0) return;
  for (const stmt of namedChildren(body)) {
    const call = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    const callee = call?.type === 'call' ? child(call, 'function') : undefined;
    const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
    const method = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
    if (!call || !object || !method || !GROWERS.has(ctx.resolver.text(method))) continue;
    const container = ctx.resolver.text(unparenthesize(object));
    if (!checked.has(container) || !sharedTarget(object, scope, ctx.resolver)) continue;
    ctx.report({
      start: call.start,
      end: call.end,
      message: `'${ctx.resolver.text(call)}' after a length check of '${container}' in code run by threads (${entry.via}) without a lock: another thread can grow it between the check and the ${ctx.resolver.text(method)}, so the bound is overrun; hold a lock across both.`,
    });
    return;
  }
}

export const unsynchronizedUpdate: Rule = {
  meta: {
    code: 'TW502',
    name: 'unsynchronized-update',
    severity: 'warning',
    fix: 'none',
    summary: 'read-modify-write of shared state in code run by threads, without a lock',
    peerCodes: [],
  },
  nodeTypes: ['expression_statement', 'if_statement'],
  onNode({ node, scope }, ctx) {
    if (node.type === 'if_statement') reportGrowAfterLengthCheck(node, scope, ctx);
    else reportAugmented(node, scope, ctx);
  },
};
