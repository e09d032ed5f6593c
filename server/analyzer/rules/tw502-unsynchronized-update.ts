import { anyLockHeld, concurrentEntryFor, ownedByClassLock, sharedForEntry } from '../model/shared-state-entry';
import { sharedTarget } from '../model/thread-reachability';
import { runsBeforeOwnThread, writtenOnlyByOwnThread } from '../model/own-thread';
import { enclosingFunction, type Scope } from '../model/scope';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { writeShape } from '../model/class-locking';
import { unreadCounter } from '../model/unread-counter';
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
    if (fn?.type === 'identifier' && ctx.resolver.textIs(fn, 'len') && only.length === 1) checked.add(ctx.resolver.text(unparenthesize(only[0]!)));
    return true;
  });
  return checked;
}

function reportAugmented(node: SNode, scope: Scope, ctx: RuleContext): void {
  // Most statements are not `x += ...`: that look at the children comes before the question of
  // which threads run the scope (a map lookup, once the module's reachability is known).
  const update = node.children.find((c) => c.type === 'augmented_assignment');
  const left = update ? child(update, 'left') : undefined;
  if (!update || !left) return;
  const entry = concurrentEntryFor(scope, ctx.resolver);
  if (!entry) return;
  const target = sharedTarget(left, scope, ctx.resolver);
  // The module-wide question (does a caller hold a lock) last.
  if (!target || (left.type === 'attribute' && unreadCounter(ctx.resolver.text(child(left, 'attribute')!), ctx.resolver))) return;
  if (!sharedForEntry(left, entry, scope, ctx.resolver) || ownedByClassLock(left, scope, ctx.resolver) || writtenOnlyByOwnThread(left, scope, ctx.resolver) || anyLockHeld(node, scope, ctx.resolver)) return;
  ctx.report({
    start: update.start,
    end: update.end,
    message: `'${ctx.resolver.text(update)}' reads, changes and writes '${target}' in code run by threads (${entry.via}) without a lock: two threads can interleave and lose an update; guard it with a lock.`,
  });
}

/** `if len(items) < LIMIT: items.append(x)`: the check and the append are two steps. */
function reportGrowAfterLengthCheck(node: SNode, scope: Scope, ctx: RuleContext): void {
  // Whether threads run this code is one map lookup: asked before any walk of the condition.
  const entry = concurrentEntryFor(scope, ctx.resolver);
  if (!entry) return;
  const condition = child(node, 'condition');
  const body = child(node, 'consequence');
  if (!condition || !body) return;
  const checked = lengthChecked(condition, ctx);
  if (checked.size === 0) return;
  if (anyLockHeld(node, scope, ctx.resolver)) return;
  for (const stmt of namedChildren(body)) {
    const call = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    const callee = call?.type === 'call' ? child(call, 'function') : undefined;
    const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
    const method = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
    if (!call || !object || !method || !GROWERS.has(ctx.resolver.text(method))) continue;
    const container = ctx.resolver.text(unparenthesize(object));
    if (!checked.has(container) || !sharedTarget(object, scope, ctx.resolver) || !sharedForEntry(object, entry, scope, ctx.resolver) || ownedByClassLock(object, scope, ctx.resolver) || writtenOnlyByOwnThread(object, scope, ctx.resolver)) continue;
    ctx.report({
      start: call.start,
      end: call.end,
      message: `'${ctx.resolver.text(call)}' after a length check of '${container}' in code run by threads (${entry.via}) without a lock: another thread can grow it between the check and the ${ctx.resolver.text(method)}, so the bound is overrun; hold a lock across both.`,
    });
    return;
  }
}

/** A fresh container: what a take-and-replace puts in place of the one it took. */
const FRESH = /^(?:builtins\.)?(?:list|dict|set)$|^collections\.(?:deque|defaultdict|OrderedDict|Counter)$/;

function freshContainer(value: SNode, scope: Scope, ctx: RuleContext): boolean {
  const v = unparenthesize(value);
  if (v.type === 'list' || v.type === 'dictionary' || v.type === 'set') return true;
  const callee = v.type === 'call' ? child(v, 'function') : undefined;
  return !!callee && FRESH.test(ctx.resolver.qualifiedName(callee, scope) ?? '');
}

/** Another method of the class that changes `self.<attr>` in place (`append`, `add`, `d[k] = v`): its name. */
function mutatedElsewhere(target: SNode, scope: Scope, ctx: RuleContext): string | undefined {
  const fn = enclosingFunction(scope);
  const cls = fn?.owner;
  const object = target.type === 'attribute' ? child(target, 'object') : undefined;
  const attr = target.type === 'attribute' ? child(target, 'attribute') : undefined;
  if (!fn || !cls || object?.type !== 'identifier' || !attr || ctx.resolver.text(object) !== fn.receiver) return undefined;
  const name = ctx.resolver.text(attr);
  for (const methods of cls.methods.values()) {
    for (const m of methods) {
      if (m === fn || !m.receiver || runsBeforeOwnThread(m, ctx.resolver)) continue;
      let found = false;
      walk(m.node, (n) => {
        if (!found && n.type === 'attribute' && ctx.resolver.text(n) === `${m.receiver}.${name}`) found = writeShape(n, ctx.resolver) === 'mutate';
        return !found;
      });
      if (found) return m.name;
    }
  }
  return undefined;
}

/**
 * `taken = self.pending; self.pending = []` in code run by threads, while another method adds to
 * `self.pending`: an adder that has read the old container before the swap puts its item into the
 * one this thread has taken, after this thread may have gone through it, and the item is lost.
 */
function reportSwap(node: SNode, scope: Scope, ctx: RuleContext): void {
  const read = namedChildren(node)[0];
  if (read?.type !== 'assignment' || child(read, 'left')?.type !== 'identifier') return;
  const taken = child(read, 'right');
  if (taken?.type !== 'attribute') return;
  // Which threads run this is a map lookup: asked before the statement's neighbours are looked for.
  const entry = concurrentEntryFor(scope, ctx.resolver);
  if (!entry) return;
  const siblings = node.parent ? namedChildren(node.parent) : [];
  const next = siblings[siblings.indexOf(node) + 1];
  const replace = next?.type === 'expression_statement' ? namedChildren(next)[0] : undefined;
  const left = replace?.type === 'assignment' ? child(replace, 'left') : undefined;
  const value = replace ? child(replace, 'right') : undefined;
  if (!left || !value || ctx.resolver.text(left) !== ctx.resolver.text(taken) || !freshContainer(value, scope, ctx)) return;
  const target = sharedTarget(taken, scope, ctx.resolver);
  if (!target || !sharedForEntry(taken, entry, scope, ctx.resolver) || ownedByClassLock(taken, scope, ctx.resolver) || writtenOnlyByOwnThread(taken, scope, ctx.resolver)) return;
  const adder = mutatedElsewhere(taken, scope, ctx);
  if (!adder || anyLockHeld(node, scope, ctx.resolver)) return;
  ctx.report({
    start: read.start,
    end: replace!.end,
    message: `'${target}' is taken and replaced in two steps in code run by threads (${entry.via}) without a lock, while '${adder}' adds to it: an item added through the old reference after this thread has gone through it is lost; take, replace and add under one lock.`,
  });
}

export const unsynchronizedUpdate: Rule = {
  meta: {
    code: 'TW502',
    name: 'unsynchronized-update',
    severity: 'warning',
    fix: 'none',
    summary: 'read-modify-write of shared state in code run by threads, without a lock',
    description: '`x += 1` on a global or `self` attribute in code run by threads, without a lock, can lose updates.',
    peerCodes: [],
  },
  nodeTypes: ['expression_statement', 'if_statement'],
  onNode({ node, scope }, ctx) {
    if (node.type === 'if_statement') reportGrowAfterLengthCheck(node, scope, ctx);
    else {
      reportAugmented(node, scope, ctx);
      reportSwap(node, scope, ctx);
    }
  },
};
