import { outerParens, child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { endsLine, indentAt, lineBreakOf, lineEndAt, lineStartAt, nextLineStart, startsLine } from '../fixes/source-text';
import { indentLines, indentUnit } from '../fixes/reindent';
import type { Fix, Rule, RuleContext } from './rule';
import type { Scope } from '../model/scope';
import { constructedPool, poolFromFactory } from '../model/pool-factories';

const CLOSERS = new Set(['shutdown', 'close', 'terminate', '__exit__']);
/** Where a reference lands in another owner's hands: stored, passed on or packed with others. */
const HOLDERS = new Set(['argument_list', 'keyword_argument', 'tuple', 'list', 'set', 'pair', 'expression_list', 'yield']);

/** `n` names the pool: the plain name `pool`, or the attribute `self._pool` (by its text, spaces dropped). */
function refersTo(n: SNode, bare: string, ctx: RuleContext): boolean {
  if (n.type === 'identifier') return !bare.includes('.') && n.field !== 'attribute' && ctx.resolver.text(n) === bare;
  return n.type === 'attribute' && bare.includes('.') && ctx.resolver.text(n).replace(/\s+/g, '') === bare;
}

/**
 * True when the code of `region` closes the executor named `name` (`pool` or `self._pool`), uses
 * it as a context manager, or lets it escape (returned, yielded, passed on, stored elsewhere):
 * then someone else may close it. Read from the tree, so a string or comment that merely spells
 * `pool.shutdown()` closes nothing.
 */
function closedOrEscapes(name: string, region: SNode, ctx: RuleContext): boolean {
  const bare = name.replace(/\s+/g, '');
  let found = false;
  walk(region, (n) => {
    if (found) return false;
    if (!refersTo(n, bare, ctx)) return true;
    const outer = outerParens(n);
    const p = outer.parent;
    if (!p) return false;
    if (p.type === 'attribute' && outer.field === 'object') {
      const attr = child(p, 'attribute');
      found = !!attr && CLOSERS.has(ctx.resolver.text(attr));
      return false;
    }
    if ((p.type === 'with_item' && outer.field === 'value') || (p.type === 'as_pattern' && p.parent?.type === 'with_item' && outer === namedChildren(p)[0])) found = true;
    else if (p.type === 'assignment' && outer.field === 'right') found = true;
    else if (HOLDERS.has(p.type) && !(p.type === 'keyword_argument' && outer.field === 'name')) found = true;
    else {
      // Returned, alone or inside a larger expression (`return pool`, `return wrap(pool)`).
      for (let a: SNode | null = p; a && a.type !== 'function_definition' && a.type !== 'class_definition'; a = a.parent) {
        if (a.type === 'return_statement') found = true;
        if (found || a.type.endsWith('_statement') || a.type === 'block') break;
      }
    }
    return false;
  });
  return found;
}

/**
 * Every use of the thread pool named `name` in `region` waits for its work where it is handed
 * over: `pool.submit(f).result()`, `fut = pool.submit(f)` with `fut.result()` later in the same
 * function, or a multiprocessing `pool.map(...)` (which blocks). Then no work is pending when the
 * code moves on and every error reaches the caller; only idle workers remain, until the pool is
 * collected (IPython's debugger prompt, asgiref's one-shot loop thread, nbconvert's PDF job).
 */
function everyUseWaited(name: string, region: SNode, construction: SNode, blockingMap: boolean, ctx: RuleContext): boolean {
  const bare = name.replace(/\s+/g, '');
  let uses = 0;
  let ok = true;
  walk(region, (n) => {
    if (!ok) return false;
    if (!refersTo(n, bare, ctx)) return true;
    const outer = outerParens(n);
    // The assignment that makes it.
    if (outer.parent?.type === 'assignment' && outer.field === 'left' && child(outer.parent, 'right') === construction) return false;
    uses++;
    const attribute = outer.parent?.type === 'attribute' && outer.field === 'object' ? outer.parent : undefined;
    const method = attribute ? ctx.resolver.text(child(attribute, 'attribute')!) : undefined;
    const call = attribute?.parent?.type === 'call' && attribute.field === 'function' ? attribute.parent : undefined;
    if (!call) ok = false;
    else if (method === 'map') ok = blockingMap;
    else if (method === 'submit') ok = waitedAt(call, ctx);
    else ok = false;
    return false;
  });
  return ok && uses > 0;
}

/** `pool.submit(f).result()`, or `fut = pool.submit(f)` and a later `fut.result()` in the same function. */
function waitedAt(submit: SNode, ctx: RuleContext): boolean {
  const outer = outerParens(submit);
  const p = outer.parent;
  if (p?.type === 'attribute' && outer.field === 'object' && ctx.resolver.text(child(p, 'attribute')!) === 'result') return true;
  if (p?.type !== 'assignment' || outer.field !== 'right') return false;
  const left = child(p, 'left');
  if (left?.type !== 'identifier') return false;
  const future = ctx.resolver.text(left);
  let fn: SNode | null = p;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'module') fn = fn.parent;
  let waited = false;
  walk(fn ?? p, (n) => {
    if (waited || n.end <= p.end) return !waited && n.end > p.end;
    if (n.type === 'call') {
      const callee = child(n, 'function');
      const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
      if (object?.type === 'identifier' && ctx.resolver.textIs(object, future) && ctx.resolver.text(child(callee!, 'attribute')!) === 'result') waited = true;
    }
    return !waited;
  });
  return waited;
}

function regionFor(target: SNode, scope: Scope, ctx: RuleContext): SNode {
  if (target.type === 'attribute') {
    let s: Scope | undefined = scope;
    while (s && s.type === 'function' && !s.owner) s = s.parent;
    const cls = s?.type === 'function' ? s.owner : undefined;
    return cls ? cls.node : ctx.model.root;
  }
  return scope.type === 'module' ? ctx.model.root : scope.node;
}

/** True when `node` mentions `name`; `inClosure` is set when a mention sits in a nested def or lambda. */
function mentions(node: SNode, name: string, ctx: RuleContext): { found: boolean; inClosure: boolean } {
  let found = false;
  let inClosure = false;
  const visit = (n: SNode, depth: number): void => {
    walk(n, (m) => {
      if ((m !== n || depth === 0) && (m.type === 'function_definition' || m.type === 'lambda' || m.type === 'class_definition')) {
        visit(m, depth + 1);
        return false;
      }
      if (m.type === 'identifier' && ctx.resolver.text(m) === name) {
        found = true;
        if (depth > 0) inClosure = true;
      }
      return true;
    });
  };
  visit(node, 0);
  return { found, inClosure };
}

/**
 * `pool = ThreadPoolExecutor()` followed by its uses becomes `with ThreadPoolExecutor() as pool:`
 * around the statements up to the last use. Leaving the block then waits for pending work, which
 * is what exit would have done anyway, only earlier: a behaviour change, so a quick fix. Not for
 * multiprocessing pools, whose `__exit__` terminates outstanding work instead of waiting for it.
 */
function withFix(call: SNode, assignment: SNode, name: string, what: string, ctx: RuleContext, label = `${what}(...)`): Fix | undefined {
  if (what === 'Pool' || what === 'ThreadPool') return undefined;
  const { source } = ctx;
  const stmt = assignment.parent;
  if (stmt?.type !== 'expression_statement' || namedChildren(stmt).length !== 1 || child(assignment, 'type')) return undefined;
  if (!startsLine(source, stmt.start) || !endsLine(source, stmt.end)) return undefined;
  const siblings = stmt.parent?.children ?? [];
  const after = siblings.slice(siblings.indexOf(stmt) + 1).filter((s) => s.named);
  let last = -1;
  for (let i = 0; i < after.length; i++) {
    const use = mentions(after[i]!, name, ctx);
    if (use.inClosure) return undefined; // a callback may run after the block has shut the pool down
    if (use.found) last = i;
  }
  if (last < 0) return undefined;
  const body = after.slice(0, last + 1);
  const end = body.at(-1)!;
  // A use after an enclosing block (`if ...: pool = ...` then `pool.submit` below the if) would
  // run after the with block had shut the executor down.
  let scopeNode: SNode = stmt;
  while (scopeNode.parent && scopeNode.type !== 'function_definition' && scopeNode.type !== 'module') scopeNode = scopeNode.parent;
  let usedLater = false;
  walk(scopeNode, (n) => {
    if (n.type === 'identifier' && n.start > end.end && ctx.resolver.text(n) === name) usedLater = true;
    return !usedLater;
  });
  if (usedLater) return undefined;
  const eol = lineBreakOf(source);
  const indent = indentAt(source, stmt.start);
  const unit = stmt.parent?.type === 'module' ? (/^\t/m.test(source) ? '\t' : '    ') : indentUnit(stmt, source);
  const lines = indentLines(source, nextLineStart(source, stmt.end), nextLineStart(source, end.end), stmt.endRow + 1, unit, body);
  return {
    title: `Use 'with ${label} as ${name}:'`,
    safety: 'quick',
    edits: [{
      start: lineStartAt(source, stmt.start),
      end: lineEndAt(source, end.end),
      newText: [`${indent}with ${source.slice(call.start, call.end)} as ${name}:`, ...lines].join(eol).replace(/\r?\n$/, ''),
    }],
  };
}

/**
 * True when `object` stands for a class, not an instance: `Registry`, `cls` in a classmethod, or a
 * local bound once to a class (`cls = Registry`). An executor kept on a class is one per process,
 * shared by every instance and meant to live as long as the process (concurrent.futures joins its
 * workers at exit); nobody is expected to shut it down.
 */
function namesClass(object: SNode, scope: Scope, ctx: RuleContext): boolean {
  const node = unparenthesize(object);
  if (node.type !== 'identifier') return false;
  if (ctx.resolver.classNamed(node, scope)) return true;
  const owner = ctx.resolver.receiverClass(node, scope);
  if (owner) {
    let s: Scope | undefined = scope;
    while (s && s.type === 'function' && s.isLambda) s = s.parent;
    return s?.type === 'function' && s.decorators.some((d) => /^@\s*classmethod\b/.test(ctx.resolver.text(d)));
  }
  const found = ctx.resolver.lookup(ctx.resolver.text(node), scope);
  const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  return only?.kind === 'assign' && !!ctx.resolver.classNamed(only.value, found!.scope);
}

export const executorNotClosed: Rule = {
  meta: {
    code: 'TW306',
    name: 'executor-not-closed',
    severity: 'warning',
    fix: 'quick',
    summary: 'executor or pool never shut down and not used as a context manager',
    description: 'An executor or pool not used as a context manager and never shut down.',
    skipsTestFiles: true,
    peerCodes: ['R1732'],
  },
  onCall(site, ctx) {
    // Where the result goes decides first (a cheap look at the parent): most calls are passed on,
    // returned or used as a statement, and whoever receives the result owns it.
    const outer = outerParens(site.node);
    const parent = outer.parent;
    if (!parent) return;
    const stored = parent.type === 'assignment' && outer.field === 'right';
    if (!stored && !(parent.type === 'attribute' && outer.field === 'object')) return;
    // A pool built here, or by a function that builds a new one for its caller (`make_pool()`).
    const built = constructedPool(site.node, site.scope, ctx.resolver);
    const what = built ?? poolFromFactory(site.callee, site.scope, ctx.resolver);
    if (!what) return;
    const made = built ? `${what}()` : `${ctx.resolver.text(site.callee)}() builds a ${what} that`;
    let reason: string;
    let fix: Fix | undefined;
    if (stored) {
      const target = child(parent, 'left');
      if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return;
      const owner = target.type === 'attribute' ? child(target, 'object') : undefined;
      if (owner && namesClass(owner, site.scope, ctx)) return;
      // A name bound in a class body is a class attribute: kept on the class like `cls._pool`.
      if (site.scope.type === 'class' && target.type === 'identifier') return;
      const name = ctx.resolver.text(target);
      const region = regionFor(target, site.scope, ctx);
      if (closedOrEscapes(name, region, ctx)) return;
      // A thread pool whose every job is waited for where it is submitted loses no work and hides no error.
      if (/Thread/.test(what) && everyUseWaited(name, region, site.node, what === 'ThreadPool', ctx)) return;
      reason = `'${name}' is never shut down`;
      if (target.type === 'identifier') fix = withFix(site.node, parent, name, what, ctx, built ? undefined : `${ctx.resolver.text(site.callee)}()`);
    } else {
      reason = 'it is used once and dropped';
    }
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${made} is not used as a context manager and ${reason}: its workers linger, pending work may be lost at exit, and errors stay hidden; use 'with ${what}(...) as ...:' or call shutdown()/close() and join().`,
      ...(fix ? { fix } : {}),
    });
  },
};
