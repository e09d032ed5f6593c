import { anyLockHeld, concurrentEntryFor, ownedByClassLock, sharedForEntry } from '../model/shared-state-entry';
import type { SemanticModel } from '../model/semantic-model';
import { sharedTarget } from '../model/thread-reachability';
import { writtenOnlyByOwnThread } from '../model/own-thread';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { caughtAround } from '../model/caught-around';
import { mayTakeLock } from '../model/locks';
import type { Rule, RuleContext } from './rule';
import type { Scope } from '../model/scope';

/** `k not in d` / `not q.empty()` / `q.qsize() ...`: the checked container, if the test is one of these. */
function checkedContainer(condition: SNode, ctx: RuleContext): { container: SNode; key?: string; kind: 'membership' | 'queue' } | undefined {
  let test = unparenthesize(condition);
  if (test.type === 'not_operator') test = unparenthesize(namedChildren(test)[0] ?? test);
  if (test.type === 'comparison_operator') {
    const text = ctx.resolver.text(test);
    const operands = namedChildren(test);
    if (/\bnot\s+in\b|\bin\b/.test(text) && operands.length === 2) {
      return { container: operands[1]!, key: ctx.resolver.text(operands[0]!), kind: 'membership' };
    }
    const call = operands.find((o) => o.type === 'call');
    const callee = call ? child(call, 'function') : undefined;
    if (callee?.type === 'attribute' && /^(qsize|full|empty)$/.test(ctx.resolver.text(child(callee, 'attribute')!))) {
      return { container: child(callee, 'object')!, kind: 'queue' };
    }
  }
  if (test.type === 'call') {
    const callee = child(test, 'function');
    if (callee?.type === 'attribute' && /^(empty|full|qsize)$/.test(ctx.resolver.text(child(callee, 'attribute')!))) {
      return { container: child(callee, 'object')!, kind: 'queue' };
    }
  }
  return undefined;
}

/** True when the body then acts on the same container: `d[k] = ...`, `del d[k]`, `d[k]`, `d.pop(k)`, `q.get()`, `q.put()`. */
function actsOn(body: SNode, containerText: string, kind: 'membership' | 'queue', ctx: RuleContext): boolean {
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (kind === 'membership' && n.type === 'assignment') {
      const left = child(n, 'left');
      if (left?.type === 'subscript' && ctx.resolver.text(child(left, 'value')!) === containerText) found = true;
    }
    // `if k in d: del d[k]` / `v = d[k]`: removing or reading the key another thread may have removed.
    if (kind === 'membership' && n.type === 'subscript' && ctx.resolver.text(child(n, 'value')!) === containerText) found = true;
    if (n.type === 'call') {
      const callee = child(n, 'function');
      if (callee?.type === 'attribute' && ctx.resolver.text(child(callee, 'object')!) === containerText) {
        const method = ctx.resolver.text(child(callee, 'attribute')!);
        if (kind === 'queue' ? /^(get|put|get_nowait|put_nowait)$/.test(method) : /^(append|add|setdefault|update|__setitem__|pop|remove|discard)$/.test(method)) found = true;
      }
    }
    return !found;
  });
  return found;
}

/** What a lookup of a key that vanished raises, and the handlers that catch it. */
const CATCHES_KEY_ERROR = /^(?:[\w.]*\.)?(?:KeyError|LookupError|Exception|BaseException)$/;

/**
 * `if key in d: return d[key]` inside a `try` that catches KeyError (Beaker's double-checked
 * cache falls back to the locked path there): a key another thread removed after the check makes
 * the read raise, and the handler deals with it. Every act on the container in the body must be
 * such a read or removal (`d[k]`, `del d[k]`, `d.pop(k)`) under such a handler; an insertion
 * after `not in` races whatever the handlers.
 */
function staleLookupHandled(condition: SNode, body: SNode, containerText: string, ctx: RuleContext): boolean {
  const test = unparenthesize(condition);
  if (test.type !== 'comparison_operator' || /\bnot\s+in\b/.test(ctx.resolver.text(test))) return false;
  let ok = true;
  let acts = 0;
  walk(body, (n) => {
    if (!ok) return false;
    const subscript = n.type === 'subscript' && ctx.resolver.text(child(n, 'value')!) === containerText ? n : undefined;
    const callee = n.type === 'call' ? child(n, 'function') : undefined;
    const method = callee?.type === 'attribute' && ctx.resolver.text(child(callee, 'object')!) === containerText ? ctx.resolver.text(child(callee, 'attribute')!) : undefined;
    if (!subscript && method === undefined) return true;
    if (method !== undefined && !/^(pop|remove|get|__getitem__)$/.test(method)) {
      ok = !/^(append|add|setdefault|update|__setitem__|discard)$/.test(method);
      return ok;
    }
    if (method === 'get') return true;
    // `d[k] = v` and `d[k] += 1` write: not a lookup that can only fail.
    if (subscript && (subscript.parent?.type === 'assignment' || subscript.parent?.type === 'augmented_assignment') && subscript.field === 'left') {
      ok = false;
      return false;
    }
    acts++;
    ok = caughtAround(n, CATCHES_KEY_ERROR, ctx.resolver);
    return ok;
  });
  return ok && acts > 0;
}

/**
 * Double-checked locking: the body takes a lock and checks the same condition again inside it
 * (`if uri not in cache: with lock: if uri not in cache: cache[uri] = Proxy(uri)`, rospy). The
 * outer check is only a fast path; the act happens under the lock, after a check that cannot go
 * stale.
 */
function checkedAgainUnderLock(condition: SNode, body: SNode, scope: Scope, ctx: RuleContext): boolean {
  const wanted = ctx.resolver.text(condition).replace(/\s+/g, '');
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (n.type !== 'with_statement' || !mayTakeLock(n, scope, ctx.resolver)) return true;
    walk(child(n, 'body') ?? n, (inner) => {
      if (found) return false;
      if (inner.type === 'if_statement' && ctx.resolver.text(child(inner, 'condition')!).replace(/\s+/g, '') === wanted) found = true;
      return !found;
    });
    return !found;
  });
  return found;
}

const mutatedCache = new WeakMap<SemanticModel, Set<string>>();

/**
 * Texts of every container the module changes: `d[k] = v`, `del d[k]`, `d.pop(k)`, `s.add(x)`...
 * Changes made by the module's top-level code while it is imported, before it starts anything
 * (`for name in dir(builtins): all_exceptions[name] = ...`), fill a table, they do not change
 * it under running threads: they count only after a top-level statement that may start a thread
 * or hand work on, and in an `if __name__ == "__main__":` block.
 */
function mutatedContainers(ctx: RuleContext): Set<string> {
  let found = mutatedCache.get(ctx.model);
  if (found) return found;
  const out = new Set<string>();
  const settledUpTo = importTimeEnd(ctx);
  const DEFINITIONS = new Set(['function_definition', 'class_definition', 'lambda']);
  // `counted`: inside a definition (runs when called) or past the import-time statements.
  const visit = (root: SNode, counted: boolean) =>
    walk(root, (n) => {
      if (!counted && DEFINITIONS.has(n.type)) {
        visit(n, true);
        return false;
      }
      if (!counted && n.end <= settledUpTo) return true;
      if (n.type === 'subscript') {
        const p = n.parent;
        const target = (p?.type === 'assignment' || p?.type === 'augmented_assignment') && n.field === 'left';
        if (target || p?.type === 'delete_statement') out.add(ctx.resolver.text(child(n, 'value')!));
      } else if (n.type === 'call') {
        const callee = child(n, 'function');
        if (callee?.type === 'attribute' && MUTATING.test(ctx.resolver.text(child(callee, 'attribute')!))) out.add(ctx.resolver.text(child(callee, 'object')!));
      }
      return true;
    });
  visit(ctx.model.root, false);
  found = out;
  mutatedCache.set(ctx.model, found);
  return found;
}

/** The module's top-level code before its first statement that may start concurrent work. */
function importTimeEnd(ctx: RuleContext): number {
  for (const stmt of namedChildren(ctx.model.root)) {
    if (stmt.type === 'function_definition' || stmt.type === 'class_definition' || stmt.type === 'decorated_definition') continue;
    if (stmt.type === 'if_statement' && /^__name__\s*==|==\s*__name__$/.test(ctx.resolver.text(child(stmt, 'condition') ?? stmt).trim())) return stmt.start;
    if (STARTS_WORK.test(ctx.resolver.text(stmt))) return stmt.start;
  }
  return ctx.model.root.end;
}

/** A call that may start a thread or hand work on, in a top-level statement's text. */
const STARTS_WORK = /\.(?:start|submit|map|apply_async|run_in_executor|run)\s*\(|\b(?:Thread|Timer|Process|Pool|\w*Executor|main|run)\s*\(/;

const MUTATING = /^(append|appendleft|extend|insert|add|update|setdefault|pop|popitem|popleft|remove|discard|clear)$/;

export function racyCheck(node: SNode, scope: Scope, ctx: RuleContext): { container: string; via: string } | undefined {
  const entry = concurrentEntryFor(scope, ctx.resolver);
  if (!entry) return undefined;
  const condition = child(node, 'condition');
  const body = child(node, 'consequence');
  if (!condition || !body) return undefined;
  const checked = checkedContainer(condition, ctx);
  if (!checked) return undefined;
  const container = sharedTarget(checked.container, scope, ctx.resolver);
  if (!container || !sharedForEntry(checked.container, entry, scope, ctx.resolver) || ownedByClassLock(checked.container, scope, ctx.resolver)) return undefined;
  // State only the object's own thread changes: nobody else can make its check stale.
  if (writtenOnlyByOwnThread(checked.container, scope, ctx.resolver)) return undefined;
  const text = ctx.resolver.text(checked.container);
  // A table nobody changes (a dispatch dict filled in the class body) cannot go stale between the
  // check and the act; a queue is changed by its other end, which may be in another module.
  if (checked.kind === 'membership' && !mutatedContainers(ctx).has(text)) return undefined;
  if (!actsOn(body, text, checked.kind, ctx)) return undefined;
  if (checked.kind === 'membership' && staleLookupHandled(condition, body, text, ctx)) return undefined;
  if (checkedAgainUnderLock(condition, body, scope, ctx)) return undefined;
  // Last: whether a caller holds a lock is a question about the whole module (its first answer
  // builds the module's entry-lock index), asked only of a check that is otherwise a race.
  if (anyLockHeld(node, scope, ctx.resolver)) return undefined;
  return { container, via: entry.via };
}

export const checkThenAct: Rule = {
  meta: {
    code: 'TW503',
    name: 'check-then-act',
    severity: 'warning',
    fix: 'none',
    summary: 'check a shared container, then act on it, without a lock (the check can be stale)',
    description: '`if key not in cache: cache[key] = ...` or `if not q.empty(): q.get()` on shared state in code run by threads, without a lock: the check can be stale.',
    peerCodes: [],
  },
  nodeTypes: ['if_statement'],
  onNode({ node, scope }, ctx) {
    const race = racyCheck(node, scope, ctx);
    if (!race) return;
    const condition = child(node, 'condition')!;
    ctx.report({
      start: node.start,
      end: condition.end,
      message: `Checks '${race.container}' and then acts on it in code run by threads (${race.via}) without a lock: another thread can change it between the check and the act; hold a lock across both, or use an atomic operation (setdefault, get_nowait with queue.Empty).`,
    });
  },
};
