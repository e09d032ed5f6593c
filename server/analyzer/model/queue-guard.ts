import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import type { Resolver } from './resolve';

/**
 * What a `queue.Queue` call needs in order to return at once: `get()` an item in the queue,
 * `put()` a free slot.
 */
export type QueueNeed = 'item' | 'slot';

const JUMPS = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);

function sameReceiver(a: SNode, b: SNode, resolver: Resolver): boolean {
  return resolver.text(unparenthesize(a)).replace(/\s+/g, '') === resolver.text(unparenthesize(b)).replace(/\s+/g, '');
}

/** `receiver.method()` with no arguments, for the receiver in question. */
function isQuery(node: SNode, receiver: SNode, method: string, resolver: Resolver): boolean {
  if (node.type !== 'call') return false;
  const callee = child(node, 'function');
  const args = child(node, 'arguments');
  if (callee?.type !== 'attribute' || !args || namedChildren(args).length > 0) return false;
  const attr = child(callee, 'attribute');
  const object = child(callee, 'object');
  return !!attr && !!object && resolver.textIs(attr, method) && sameReceiver(object, receiver, resolver);
}

function integer(node: SNode, resolver: Resolver): number | undefined {
  if (node.type !== 'integer') return undefined;
  const n = Number(resolver.text(node).replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/** For `q.qsize() OP n` (either way round): whether it being `truth` means the queue holds an item. */
function sizeComparison(node: SNode, receiver: SNode, truth: boolean, resolver: Resolver): boolean {
  const operands = namedChildren(node);
  const operators = node.children.filter((c) => c.field === 'operators');
  if (operands.length !== 2 || operators.length !== 1) return false;
  let op = resolver.text(operators[0]!);
  let [size, bound] = operands as [SNode, SNode];
  if (!isQuery(unparenthesize(size), receiver, 'qsize', resolver)) {
    [size, bound] = [bound, size];
    op = FLIPPED[op] ?? op;
    if (!isQuery(unparenthesize(size), receiver, 'qsize', resolver)) return false;
  }
  const n = integer(unparenthesize(bound), resolver);
  if (n === undefined) return false;
  // Holds when true: size > n >= 0, size >= n >= 1, size != 0. Holds when false: the negations.
  if (truth) return (op === '>' && n >= 0) || (op === '>=' && n >= 1) || (op === '!=' && n === 0);
  return (op === '<' && n >= 1) || (op === '<=' && n >= 0) || (op === '==' && n === 0);
}

/**
 * True when `cond` having the truth value `truth` implies the queue has what the call needs:
 * `not q.empty()`, `q.qsize() > 0` or `q.qsize()` for an item, `not q.full()` for a slot, and
 * `and`/`or`/`not` over those.
 */
export function conditionEnsures(cond: SNode, truth: boolean, receiver: SNode, need: QueueNeed, resolver: Resolver): boolean {
  const node = unparenthesize(cond);
  switch (node.type) {
    case 'not_operator': {
      const arg = child(node, 'argument');
      return !!arg && conditionEnsures(arg, !truth, receiver, need, resolver);
    }
    case 'boolean_operator': {
      const left = child(node, 'left');
      const right = child(node, 'right');
      const op = child(node, 'operator');
      if (!left || !right || !op) return false;
      const sides = [left, right].map((s) => conditionEnsures(s, truth, receiver, need, resolver));
      // `a and b` true: both hold, so either may be the guard; false: only one is known false.
      const conjunctive = resolver.textIs(op, 'and') === truth;
      return conjunctive ? sides[0]! || sides[1]! : sides[0]! && sides[1]!;
    }
    case 'call':
      if (need === 'item') return (!truth && isQuery(node, receiver, 'empty', resolver)) || (truth && isQuery(node, receiver, 'qsize', resolver));
      return !truth && isQuery(node, receiver, 'full', resolver);
    case 'comparison_operator':
      return need === 'item' && sizeComparison(node, receiver, truth, resolver);
    default:
      return false;
  }
}

/** An `if` with no `elif`/`else` whose body always leaves the block: `if q.empty(): return`. */
function earlyExit(stmt: SNode): SNode | undefined {
  if (stmt.type !== 'if_statement' || stmt.children.some((c) => c.field === 'alternative')) return undefined;
  const body = namedChildren(child(stmt, 'consequence') ?? stmt);
  const last = body[body.length - 1];
  return last && JUMPS.has(last.type) ? child(stmt, 'condition') : undefined;
}

/** True when `loop`'s body has a `break` that leaves it (not one of a nested loop or function). */
function breaksOut(loop: SNode): boolean {
  const walk = (n: SNode): boolean =>
    n.type === 'break_statement' ||
    (!['for_statement', 'while_statement', 'function_definition', 'lambda', 'class_definition'].includes(n.type) && namedChildren(n).some(walk));
  const body = child(loop, 'body');
  return !!body && namedChildren(body).some(walk);
}

/**
 * Where the queue call is known to find what it needs, if it is: the offset from which that
 * knowledge holds (the end of the guarding condition, or of the statement that made the check),
 * for a check made at or after `from`: inside `if not q.empty():` or `while q.qsize():`, in the
 * `else` of `if q.empty():`, after `if q.empty(): return`, after a `while q.empty(): ...` poll
 * that has no `break` (it ends only once the condition is false), or in `x if not q.empty() else y`.
 */
export function queueGuardEnd(call: SNode, receiver: SNode, need: QueueNeed, from: number, resolver: Resolver): number | undefined {
  let n = call;
  for (let p = call.parent; p && p.start >= from; n = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return undefined;
    const ensures = (cond: SNode | undefined, truth: boolean) => !!cond && cond.start >= from && conditionEnsures(cond, truth, receiver, need, resolver);
    switch (p.type) {
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement':
        if (n.field === 'consequence' || (p.type === 'while_statement' && n.field === 'body')) {
          const cond = child(p, 'condition');
          if (ensures(cond, true)) return cond!.end;
        }
        break;
      case 'else_clause': {
        // Reached when the `if` and every `elif` were false; the `if`'s own condition is enough.
        const owner = p.parent;
        const cond = owner?.type === 'if_statement' ? child(owner, 'condition') : undefined;
        if (ensures(cond, false)) return cond!.end;
        break;
      }
      case 'conditional_expression': {
        const [then, cond] = namedChildren(p);
        if (then === n && ensures(cond, true)) return cond!.end;
        break;
      }
      case 'block': {
        const siblings = namedChildren(p);
        for (const s of siblings.slice(0, siblings.indexOf(n)).reverse()) {
          if (ensures(earlyExit(s), false)) return s.end;
          if (s.type === 'while_statement' && !breaksOut(s) && ensures(child(s, 'condition'), false)) return s.end;
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * True when the queue call runs only after a check, made at or after `from` (while the lock is
 * held), that the queue has what the call needs (see queueGuardEnd). With every other user of the
 * queue taking the same lock, such a call cannot wait.
 */
export function checkedBeforeCall(call: SNode, receiver: SNode, need: QueueNeed, from: number, resolver: Resolver): boolean {
  return queueGuardEnd(call, receiver, need, from, resolver) !== undefined;
}
