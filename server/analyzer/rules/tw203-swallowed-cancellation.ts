import { targetAtLeast } from '../config';
import { eventLoopFunction } from '../model/call-context';
import type { Resolver } from '../model/resolve';
import type { Scope } from '../model/scope';
import { indentAt, lineBreakOf } from '../fixes/source-text';
import { child, namedChildren, walk, type SNode } from '../syntax';
import type { Fix, Rule } from './rule';

const CANCELLED = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError', 'builtins.BaseException']);
const EXPLICIT = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError']);

/** What an `except` clause catches that includes cancellation, or undefined. */
function catchesCancellation(clause: SNode, scope: Scope, resolver: Resolver): string | undefined {
  let value = child(clause, 'value');
  if (!value) return clause.children.some((c) => c.type === 'block') ? 'except:' : undefined;
  if (value.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
  if (!value) return undefined;
  const candidates = value.type === 'tuple' || value.type === 'parenthesized_expression' ? namedChildren(value) : [value];
  for (const c of candidates) {
    const q = resolver.qualifiedName(c, scope);
    if (q && CANCELLED.has(q)) return `except ${resolver.text(c)}`;
  }
  return undefined;
}

function explicitlyCancelled(clause: SNode, scope: Scope, resolver: Resolver): boolean {
  let value = child(clause, 'value');
  if (value?.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
  if (!value) return false;
  const candidates = value.type === 'tuple' || value.type === 'parenthesized_expression' ? namedChildren(value) : [value];
  return candidates.some((c) => EXPLICIT.has(resolver.qualifiedName(c, scope) ?? ''));
}

const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
/** Statements after which the rest of their block never runs. */
const JUMPS = new Set(['return_statement', 'break_statement', 'continue_statement']);

/**
 * True when the handler raises on some reachable path (not counting nested functions): a `raise`
 * after a `return`, `break` or `continue` in the same block never runs.
 */
function reraises(block: SNode): boolean {
  for (const stmt of namedChildren(block)) {
    if (stmt.type === 'comment') continue;
    if (stmt.type === 'raise_statement') return true;
    if (JUMPS.has(stmt.type)) return false;
    let found = false;
    walk(stmt, (n) => {
      if (found || NESTED_SCOPES.has(n.type)) return false;
      if (n.type === 'block' && n !== block) {
        found = reraises(n);
        return false;
      }
      return true;
    });
    if (found) return true;
  }
  return false;
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

/**
 * True when the handler hands the caught exception on (to a future with `set_exception`, or into
 * a variable or container someone else reads): the cancellation is forwarded, not lost.
 */
function forwards(clause: SNode, handler: SNode, resolver: Resolver): boolean {
  const value = child(clause, 'value');
  const alias = value?.type === 'as_pattern' ? child(value, 'alias') : undefined;
  const nameNode = alias ? namedChildren(alias)[0] : undefined;
  if (!nameNode) return false;
  const name = resolver.text(nameNode);
  let found = false;
  walk(handler, (n) => {
    if (found) return false;
    if (n.type === 'identifier' && resolver.text(n) === name) {
      const p = n.parent;
      const target = p?.type === 'assignment' ? child(p, 'left') : undefined;
      if (target && n.field === 'right' && resolver.text(target) !== '_') found = true;
      const call = p?.type === 'argument_list' ? p.parent : undefined;
      const callee = call ? child(call, 'function') : undefined;
      if (callee?.type === 'attribute' && /^(set_exception|append|put|put_nowait|add)$/.test(resolver.text(child(callee, 'attribute')!))) found = true;
    }
    return !found;
  });
  return found;
}

/** `task.cancel()` earlier in the function, then `try: await task` — waiting for a cancel to land. */
function isCancelAndWait(tryNode: SNode, resolver: Resolver): boolean {
  const body = child(tryNode, 'body');
  const stmts = body ? namedChildren(body) : [];
  if (stmts.length !== 1) return false;
  const awaited = stmts[0]!.type === 'expression_statement' ? namedChildren(stmts[0]!)[0] : undefined;
  if (awaited?.type !== 'await') return false;
  const target = namedChildren(awaited)[0];
  if (!target) return false;
  const name = resolver.text(target).replace(/\s+/g, '');
  let fn: SNode | null = tryNode.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return false;
  // A call `<name>.cancel(...)` on that very object before the try, read from the tree (not text
  // that merely spells it in a string or comment).
  let found = false;
  walk(fn, (n) => {
    if (found || n.start >= tryNode.start) return false;
    if (n.type === 'call' && n.end <= tryNode.start) {
      const callee = child(n, 'function');
      const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
      const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
      if (object && attr && resolver.text(attr) === 'cancel' && resolver.text(object).replace(/\s+/g, '') === name) found = true;
    }
    return !found;
  });
  return found;
}

export const swallowedCancellation: Rule = {
  meta: {
    code: 'TW203',
    name: 'swallowed-cancellation',
    severity: 'warning',
    fix: 'quick',
    summary: 'CancelledError caught in async def and not re-raised',
    description: 'An `except` in an `async def` that catches `CancelledError` (or everything) and does not re-raise stops `cancel()` and timeouts from working.',
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
      if (!what || !handler || reraises(handler)) continue;
      if (isCancelAndWait(node, ctx.resolver) || forwards(clause, handler, ctx.resolver)) continue;
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
