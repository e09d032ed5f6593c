import { lockKey, releasesByLock, statementOf, threadLockCall } from '../model/locks';
import { heldRegions, isLockConstruction } from '../model/lock-regions';
import type { CallSite } from '../model/semantic-model';
import { enclosingFunction, type ClassInfo } from '../model/scope';
import { threadReachable } from '../model/thread-reachability';
import { callRole } from '../model/call-context';
import { isLoggerCall } from '../model/log-calls';
import { endsLine, indentAt, lineBreakOf, lineEndAt, lineStartAt, nextLineStart, startsLine } from '../fixes/source-text';
import { child, namedChildren, nextStatement, unparenthesize, walk, type SNode } from '../syntax';
import { indentLines, indentUnit } from '../fixes/reindent';
import type { Fix, Rule, RuleContext } from './rule';

/** True when `call` is `<lock>.release()` for the lock with this key. */
function releasesLock(call: SNode, key: string, site: CallSite, ctx: RuleContext): boolean {
  const callee = child(call, 'function');
  if (callee?.type !== 'attribute') return false;
  const attr = child(callee, 'attribute');
  const object = child(callee, 'object');
  return !!attr && !!object && ctx.resolver.text(attr) === 'release' && lockKey(object, site.scope, ctx.resolver) === key;
}

/** A `try` whose `finally` releases the lock. */
function tryReleases(node: SNode | undefined, key: string, site: CallSite, ctx: RuleContext): boolean {
  if (node?.type !== 'try_statement') return false;
  const fin = node.children.find((c) => c.type === 'finally_clause');
  if (!fin) return false;
  let found = false;
  walk(fin, (n) => {
    if (found) return false;
    if (n.type === 'call' && releasesLock(n, key, site, ctx)) found = true;
    return !found && n.type !== 'function_definition' && n.type !== 'lambda';
  });
  return found;
}

function blockOf(stmt: SNode): SNode | undefined {
  return child(stmt, 'consequence') ?? child(stmt, 'body');
}

/** Values whose evaluation cannot raise: a literal, or a name (bound, in code that runs). */
const PLAIN_VALUES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'string']);

/** A literal or a name, which evaluates without running code: an f-string's replacement fields run code. */
function plainValue(node: SNode): boolean {
  return PLAIN_VALUES.has(node.type) && !(node.type === 'string' && node.children.some((c) => c.type === 'interpolation'));
}

/** A plain value or an attribute of a name (`sys.stdout`, `self.type`): read without running code of ours. */
function readsQuietly(node: SNode): boolean {
  return node.type === 'attribute' ? child(node, 'object')?.type === 'identifier' : plainValue(node);
}

const HASHED_DISPLAYS = new Set(['dictionary', 'set']);

/**
 * What a statement between the acquire and the release may store without raising: a plain value,
 * an attribute of a name (`save = sys.stdout`, as a log call's arguments may be), or a list or
 * tuple of plain values (`self.responses = []`). A dict or set of literals too: a name there
 * could be unhashable.
 */
function storedQuietly(node: SNode): boolean {
  if (readsQuietly(node)) return true;
  if (node.type === 'list' || node.type === 'tuple') return namedChildren(node).every(plainValue);
  if (HASHED_DISPLAYS.has(node.type)) {
    const hashable = (n: SNode | undefined) => !!n && plainValue(n) && n.type !== 'identifier';
    return namedChildren(node).every((c) => {
      if (c.type !== 'pair') return hashable(c);
      const value = child(c, 'value');
      return hashable(child(c, 'key')) && !!value && plainValue(value);
    });
  }
  return false;
}

/**
 * A statement that cannot raise: `pass`, `name = <literal, name, attribute of a name or display
 * of literals>` (see storedQuietly), the same stored in an attribute of a plain name
 * (`self.state = None`), or a counter stepped by an integer
 * (`self.seqnr += 1`). Such statements between the acquire and the `try` (or the release) leave
 * no way for an exception to leak the lock.
 */
function cannotRaise(stmt: SNode, ctx: RuleContext): boolean {
  if (stmt.type === 'pass_statement') return true;
  if (stmt.type !== 'expression_statement') return false;
  if (isLogCall(stmt, ctx)) return true;
  const [only, ...rest] = namedChildren(stmt);
  if (!only || rest.length > 0 || (only.type !== 'assignment' && only.type !== 'augmented_assignment')) return false;
  const left = child(only, 'left');
  const right = child(only, 'right');
  const target = left?.type === 'identifier' || (left?.type === 'attribute' && child(left, 'object')?.type === 'identifier');
  if (!target || !right || child(only, 'type')) return false;
  // A counter stepped by a number or by the object's own step (`self.count += self.step`, set
  // when it was built). A parameter (`self.balance += amount`) is whatever the caller passed: a
  // string there raises TypeError with the lock held.
  if (only.type === 'augmented_assignment') {
    const op = child(only, 'operator');
    return (right.type === 'integer' || (right.type === 'attribute' && readsQuietly(right))) && !!op && (op.type === '+=' || op.type === '-=');
  }
  return storedQuietly(right);
}

/**
 * `self.log.debug("got the lock (%d)", self.type)`: a log call on a logger, with literals, names
 * and attributes of names as its arguments. A logger does not raise for its handlers' failures
 * (logging reports them through `handleError`), and such arguments raise nothing to evaluate.
 */
function isLogCall(stmt: SNode, ctx: RuleContext): boolean {
  const [call, ...rest] = namedChildren(stmt);
  if (!call || rest.length > 0 || !isLoggerCall(call, ctx.resolver)) return false;
  const args = child(call, 'arguments');
  return !!args && namedChildren(args).every((a) => {
    const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
    return !!value && readsQuietly(value);
  });
}

/** Methods that raise nothing when called with no arguments: an Event's, or taking a lock (which may wait, but not fail). */
const QUIET_METHODS = new Set(['set', 'clear', 'is_set', 'acquire']);

/**
 * `self.state_change_free.clear()` on an Event, `other_lock.acquire()`: a call of one of those
 * methods with no arguments, on a name or an attribute of a name. `set`/`clear`/`is_set` only on
 * a known Event (a dict's `clear()` is quiet too, a set's as well, but not every object's).
 */
function quietCall(stmt: SNode, ctx: RuleContext, scope: CallSite['scope']): boolean {
  const [call, ...rest] = stmt.type === 'expression_statement' ? namedChildren(stmt) : [];
  if (call?.type !== 'call' || rest.length > 0) return false;
  const callee = child(call, 'function');
  const args = child(call, 'arguments');
  const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
  const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
  if (!attr || !object || !args || namedChildren(args).length > 0 || !readsQuietly(object)) return false;
  const method = ctx.resolver.text(attr);
  if (!QUIET_METHODS.has(method)) return false;
  return method === 'acquire' || ctx.resolver.kindOf(object, scope) === 'thread-event';
}

/** `self._n == 1`, `state != 'open'`: a comparison of a quiet read with a literal, which calls no code that raises. */
function literalComparison(cond: SNode | undefined, ctx: RuleContext): boolean {
  const node = cond ? unparenthesize(cond) : undefined;
  if (node?.type !== 'comparison_operator') return false;
  const [left, right, ...more] = namedChildren(node);
  const ops = node.children.filter((c) => !c.named).map((c) => ctx.resolver.text(c)).join(' ');
  return more.length === 0 && !!left && !!right && (ops === '==' || ops === '!=') && readsQuietly(left) && plainValue(right) && right.type !== 'identifier';
}

/**
 * `if self.tagged_commands: event.clear(); need = True` / `else: need = False`, or
 * `if irqb is None: self.idle_lock.release(); return`: an `if` on a plain test whose branches hold
 * only statements that cannot raise, each either falling through to the release that follows or
 * releasing the lock itself and returning at once.
 */
function quietIf(stmt: SNode, key: string, site: CallSite, ctx: RuleContext): boolean {
  if (stmt.type !== 'if_statement') return false;
  const condition = child(stmt, 'condition');
  if (!plainTest(condition, ctx) && !literalComparison(condition, ctx)) return false;
  const branches: SNode[] = [];
  for (const c of stmt.children) {
    if (c.field === 'consequence') branches.push(c);
    else if (c.type === 'else_clause') {
      const body = child(c, 'body');
      if (body) branches.push(body);
    } else if (c.type === 'elif_clause') {
      const body = child(c, 'consequence');
      const test = child(c, 'condition');
      if (!body || !(plainTest(test, ctx) || literalComparison(test, ctx))) return false;
      branches.push(body);
    }
  }
  return branches.every((body) => {
    const stmts = namedChildren(body).filter((s) => s.type !== 'comment');
    let i = 0;
    while (i < stmts.length && quietStatement(stmts[i]!, key, site, ctx)) i++;
    if (i === stmts.length) return true;
    // Lets go and leaves: `self._lock.release()` then `return` (of nothing, or a plain value).
    const [release, leave, ...after] = stmts.slice(i);
    const [only, ...more] = release?.type === 'expression_statement' ? namedChildren(release) : [];
    if (only?.type !== 'call' || more.length > 0 || !releasesLock(only, key, site, ctx) || after.length > 0) return false;
    const value = leave?.type === 'return_statement' ? namedChildren(leave)[0] : undefined;
    return leave?.type === 'return_statement' && (!value || plainValue(value));
  });
}

/** A statement between the acquire and the release that leaves no way for an exception to leak the lock. */
function quietStatement(stmt: SNode, key: string, site: CallSite, ctx: RuleContext): boolean {
  return cannotRaise(stmt, ctx) || heldConditionCall(stmt, key, site, ctx) || quietCall(stmt, ctx, site.scope) || quietContainerStep(stmt, ctx, site.scope) || quietIf(stmt, key, site, ctx);
}

/** Displays and builtins that make a list, dict or set. */
const CONTAINER_DISPLAYS = new Set(['list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension']);
const CONTAINER_BUILTINS = new Set(['builtins.list', 'builtins.dict', 'builtins.set']);

/**
 * `self.readers`, when every value the class ever stores in it is a list, dict or set display
 * (`self.readers = {}`) or `list()`/`dict()`/`set()`: a builtin container, whose copying methods
 * cannot raise.
 */
function builtinContainer(expr: SNode, scope: CallSite['scope'], ctx: RuleContext): boolean {
  const object = expr.type === 'attribute' ? child(expr, 'object') : undefined;
  const attr = expr.type === 'attribute' ? child(expr, 'attribute') : undefined;
  const cls = object ? ctx.resolver.receiverClass(object, scope) : undefined;
  const values = cls && attr ? ctx.resolver.attributeValues(cls, ctx.resolver.text(attr)) : undefined;
  return !!values && values.length > 0 && values.every(({ value, scope: at }) => {
    const v = unparenthesize(value);
    if (CONTAINER_DISPLAYS.has(v.type)) return true;
    const callee = v.type === 'call' ? child(v, 'function') : undefined;
    const q = callee ? ctx.resolver.qualifiedName(callee, at) : undefined;
    return !!q && CONTAINER_BUILTINS.has(q);
  });
}

/**
 * A step on a builtin container that cannot raise (see builtinContainer): `result =
 * self.readers.keys()` (or `values()`, `items()`, `copy()`), `self.readers.clear()`, and
 * `del self.listeners[:]`, which empties a list (rospy, Zeroconf).
 */
function quietContainerStep(stmt: SNode, ctx: RuleContext, scope: CallSite['scope']): boolean {
  if (stmt.type === 'delete_statement') {
    const [target, ...more] = namedChildren(stmt);
    const slice = target?.type === 'subscript' ? namedChildren(target).slice(1) : [];
    const whole = slice.length === 1 && slice[0]!.type === 'slice' && namedChildren(slice[0]!).length === 0;
    return !!target && more.length === 0 && whole && builtinContainer(child(target, 'value')!, scope, ctx);
  }
  const [only, ...rest] = stmt.type === 'expression_statement' ? namedChildren(stmt) : [];
  if (!only || rest.length > 0) return false;
  const assigned = only.type === 'assignment' && child(only, 'left')?.type === 'identifier' && !child(only, 'type') ? child(only, 'right') : undefined;
  const call = assigned ? unparenthesize(assigned) : only;
  const callee = call.type === 'call' ? child(call, 'function') : undefined;
  const args = call.type === 'call' ? child(call, 'arguments') : undefined;
  const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
  if (!attr || !args || namedChildren(args).length > 0) return false;
  const method = ctx.resolver.text(attr);
  const allowed = assigned ? ['keys', 'values', 'items', 'copy'] : ['clear'];
  return allowed.includes(method) && builtinContainer(child(callee!, 'object')!, scope, ctx);
}

/** `ok` in `ok = lock.acquire(...)`: the name the outcome of the acquire is kept in. */
function outcomeName(stmt: SNode, call: SNode, ctx: RuleContext): string | undefined {
  const assignment = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
  if (assignment?.type !== 'assignment') return undefined;
  const left = child(assignment, 'left');
  const right = child(assignment, 'right');
  return left?.type === 'identifier' && right && unparenthesize(right) === call ? ctx.resolver.text(left) : undefined;
}

/** True when `cond` is true exactly when the acquire kept in `name` failed: `not ok`, `ok is False`. */
function meansFailed(cond: SNode | undefined, name: string, ctx: RuleContext): boolean {
  const node = cond ? unparenthesize(cond) : undefined;
  if (!node) return false;
  if (node.type === 'not_operator') {
    const arg = child(node, 'argument');
    return !!arg && unparenthesize(arg).type === 'identifier' && ctx.resolver.textIs(unparenthesize(arg), name);
  }
  if (node.type === 'comparison_operator') {
    const text = ctx.resolver.text(node).replace(/\s+/g, ' ');
    return text === `${name} is False` || text === `${name} == False`;
  }
  return false;
}

function endsInJump(block: SNode | undefined): boolean {
  const stmts = block ? namedChildren(block) : [];
  const last = stmts[stmts.length - 1];
  return !!last && ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type);
}

/** A test that only reads: a name, an attribute, `not` of one, or an argument-less `is_set()`/`locked()`. */
function plainTest(cond: SNode | undefined, ctx: RuleContext): boolean {
  const node = cond ? unparenthesize(cond) : undefined;
  if (!node) return false;
  if (node.type === 'identifier' || node.type === 'attribute') return true;
  if (node.type === 'not_operator') return plainTest(child(node, 'argument'), ctx);
  // `self._lock is not None`, `lock is None`: a comparison of a plain name with None.
  if (node.type === 'comparison_operator') {
    const [left, right, ...more] = namedChildren(node);
    const ops = node.children.filter((c) => !c.named).map((c) => ctx.resolver.text(c)).join(' ');
    return more.length === 0 && !!left && right?.type === 'none' && (ops === 'is' || ops === 'is not') && plainTest(left, ctx);
  }
  if (node.type !== 'call') return false;
  const callee = child(node, 'function');
  const args = child(node, 'arguments');
  const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
  return !!attr && !!args && namedChildren(args).length === 0 && ['is_set', 'locked'].includes(ctx.resolver.text(attr)) && plainTest(child(callee!, 'object'), ctx);
}

/**
 * `if <plain test>: break` inside a loop that a `try` releasing the lock follows: the break leaves
 * with the lock held on purpose, straight into the try (`acquire(); if ready: break; release()`).
 */
function breaksIntoRelease(stmt: SNode, key: string, site: CallSite, ctx: RuleContext): boolean {
  if (stmt.type !== 'if_statement' || stmt.children.some((c) => c.field === 'alternative')) return false;
  const body = namedChildren(child(stmt, 'consequence') ?? stmt);
  if (body.length !== 1 || body[0]!.type !== 'break_statement' || !plainTest(child(stmt, 'condition'), ctx)) return false;
  let loop: SNode | null = stmt.parent;
  while (loop && loop.type !== 'while_statement' && loop.type !== 'for_statement') {
    if (loop.type === 'function_definition' || loop.type === 'lambda') return false;
    loop = loop.parent;
  }
  return !!loop && tryReleases(nextStatement(loop), key, site, ctx);
}

/**
 * `cv.notify()` / `cv.notify_all()` on the held lock's condition cannot raise (they raise only when
 * the lock is not held); nor can `cv.wait(...)` in code that runs only on worker threads, where
 * no KeyboardInterrupt arrives (signals go to the main thread).
 */
function heldConditionCall(stmt: SNode, key: string, site: CallSite, ctx: RuleContext): boolean {
  const [only, ...rest] = stmt.type === 'expression_statement' ? namedChildren(stmt) : [];
  if (only?.type !== 'call' || rest.length > 0) return false;
  const callee = child(only, 'function');
  const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
  const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
  if (!attr || !object || lockKey(object, site.scope, ctx.resolver) !== key) return false;
  if (ctx.resolver.kindOf(object, site.scope) !== 'thread-condition') return false;
  const method = ctx.resolver.text(attr);
  if (method === 'notify' || method === 'notify_all') return true;
  const fn = enclosingFunction(site.scope);
  return method === 'wait' && !!fn && threadReachable(ctx.resolver).has(fn);
}

/**
 * `if lock: self.lock.acquire()` as the whole body of an `if` on a plain test: the lock is taken
 * only on request, and the statement after the `if` (`try: ... finally: if lock: self.lock.release()`)
 * is where it is guarded (partd's `append(data, lock=True)`).
 */
function afterConditionalAcquire(stmt: SNode, ctx: RuleContext): SNode | undefined {
  const block = stmt.parent;
  const branch = block?.parent;
  if (block?.type !== 'block' || branch?.type !== 'if_statement' || block.field !== 'consequence') return undefined;
  if (namedChildren(block).filter((s) => s.type !== 'comment').length !== 1) return undefined;
  if (branch.children.some((c) => c.field === 'alternative') || !plainTest(child(branch, 'condition'), ctx)) return undefined;
  return nextStatement(branch);
}

/**
 * Inside `with lock:` of the same function: a re-acquire after a temporary `release()` (to wait or
 * yield without the lock) hands the lock back to the `with`, whose exit releases it.
 */
function retakenForWith(site: CallSite, key: string, ctx: RuleContext): boolean {
  // The regions themselves, not locksHeldAt: after the release the lock is not held, which is the point.
  const fn = site.scope.type === 'function' && !site.scope.isLambda ? site.scope : undefined;
  return !!fn && heldRegions(fn, ctx.resolver).some((r) => r.viaWith && r.key === key && r.start <= site.node.start && site.node.start < r.end);
}

/**
 * `self._lock.release(); try: yield; finally: self._lock.acquire()`: a helper that lets go of a
 * lock its caller holds, for a while, and takes it back in a `finally`. The acquire restores the
 * caller's hold on every path; the caller's own `with` or `finally` releases it.
 */
function restoresCallersHold(site: CallSite, key: string, ctx: RuleContext): boolean {
  let clause: SNode | null = site.node.parent;
  while (clause && clause.type !== 'finally_clause' && clause.type !== 'function_definition' && clause.type !== 'lambda') clause = clause.parent;
  const tryNode = clause?.type === 'finally_clause' ? clause.parent : undefined;
  if (!tryNode) return false;
  const fn = enclosingFunction(site.scope)?.node;
  let released = false;
  if (fn) {
    walk(fn, (n) => {
      if (released || n.start >= tryNode.start || ((n.type === 'function_definition' || n.type === 'lambda') && n !== fn)) return false;
      if (n.type === 'call' && n.end <= tryNode.start && releasesLock(n, key, site, ctx)) released = true;
      return !released;
    });
  }
  return released;
}

function isGuarded(site: CallSite, key: string, ctx: RuleContext): boolean {
  if (retakenForWith(site, key, ctx) || restoresCallersHold(site, key, ctx)) return true;
  const stmt = statementOf(site.node);
  // Inside the body of a try whose finally releases it.
  for (let n: SNode | null = stmt.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type === 'block' && n.field === 'body' && tryReleases(n.parent ?? undefined, key, site, ctx)) return true;
  }
  // `acquire()` or `ok = acquire(timeout)` or `if acquire(...)`, followed by the try. On the way
  // there, statements that cannot raise are passed over, and so is `if not ok: raise/return`,
  // which runs only when the lock was not taken.
  const followers: SNode[] = [];
  const outcome = outcomeName(stmt, site.node, ctx);
  let next = nextStatement(stmt) ?? afterConditionalAcquire(stmt, ctx);
  while (next) {
    if (quietStatement(next, key, site, ctx) || breaksIntoRelease(next, key, site, ctx)) {
      next = nextStatement(next);
      continue;
    }
    if (outcome && next.type === 'if_statement' && meansFailed(child(next, 'condition'), outcome, ctx)) {
      const alternatives = next.children.filter((c) => c.field === 'alternative');
      if (alternatives.length === 0 && endsInJump(child(next, 'consequence'))) {
        next = nextStatement(next);
        continue;
      }
      // `if not ok: raise ... else: try/finally` holds the lock in the else branch.
      const elseBody = alternatives.length === 1 && alternatives[0]!.type === 'else_clause' ? child(alternatives[0]!, 'body') : undefined;
      if (elseBody) followers.push(...namedChildren(elseBody));
    }
    break;
  }
  if (next) followers.push(next);
  // Nothing that can raise between the acquire and the release: no exception can leak it.
  if (next?.type === 'expression_statement' && !(stmt.type === 'if_statement' || stmt.type === 'while_statement')) {
    const [only, ...rest] = namedChildren(next);
    if (only?.type === 'call' && rest.length === 0 && releasesLock(only, key, site, ctx)) return true;
  }
  // `locked = lock.acquire(False)`, quiet steps, then `if locked: lock.release()`: released
  // exactly when it was taken (rospy's shutdown path).
  if (outcome && next && releasesWhenTaken(next, outcome, key, site, ctx)) return true;
  if (stmt.type === 'if_statement' || stmt.type === 'while_statement') {
    const body = blockOf(stmt);
    // `if lock.acquire(False): lock.release()`: a probe that lets go at once, nothing between.
    const first = body ? namedChildren(body).find((c) => c.type !== 'comment') : undefined;
    const [only, ...more] = first?.type === 'expression_statement' ? namedChildren(first) : [];
    if (stmt.type === 'if_statement' && only?.type === 'call' && more.length === 0 && releasesLock(only, key, site, ctx)) return true;
    if (body) followers.push(...namedChildren(body));
    // `if not lock.acquire(False): ... else: try/finally` holds the lock in the else branch.
    for (const branch of stmt.children.filter((c) => c.type === 'else_clause')) {
      const elseBody = child(branch, 'body');
      if (elseBody) followers.push(...namedChildren(elseBody));
    }
  }
  for (const f of followers) {
    if (tryReleases(f, key, site, ctx)) return true;
    if (f.type === 'if_statement') {
      const body = blockOf(f);
      if (body && namedChildren(body).some((s) => tryReleases(s, key, site, ctx))) return true;
    }
  }
  return false;
}

/** `if locked: lock.release()` and nothing else, where `locked` holds the acquire's outcome. */
function releasesWhenTaken(stmt: SNode, outcome: string, key: string, site: CallSite, ctx: RuleContext): boolean {
  if (stmt.type !== 'if_statement' || stmt.children.some((c) => c.field === 'alternative')) return false;
  const test = child(stmt, 'condition');
  if (!test || unparenthesize(test).type !== 'identifier' || !ctx.resolver.textIs(unparenthesize(test), outcome)) return false;
  const body = namedChildren(child(stmt, 'consequence') ?? stmt).filter((c) => c.type !== 'comment');
  const [only, ...more] = body.length === 1 && body[0]!.type === 'expression_statement' ? namedChildren(body[0]!) : [];
  return only?.type === 'call' && more.length === 0 && releasesLock(only, key, site, ctx);
}

/**
 * `gate = threading.Lock()` and, as the very next statement, `gate.acquire()`: a plain lock made locked,
 * to be released by another thread as a signal (`callInThread(gate.release)`, a thread's last
 * step) and waited for by acquiring it again. No critical section starts at any of the function's
 * acquires of it, and none can be wrapped in `with`.
 */
function madeLocked(site: CallSite, receiver: SNode, kind: string, ctx: RuleContext): boolean {
  // Only a plain Lock may be released by a thread that did not take it: an RLock or a
  // Condition made locked is held, not a signal.
  if (receiver.type !== 'identifier' || kind !== 'thread-lock') return false;
  const fn = enclosingFunction(site.scope);
  const name = ctx.resolver.text(receiver);
  let found = false;
  walk(fn?.node ?? ctx.model.root, (n) => {
    if (found) return false;
    if (n !== fn?.node && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
    if (n.type !== 'expression_statement') return true;
    const assignment = namedChildren(n)[0];
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : undefined;
    const right = assignment?.type === 'assignment' ? child(assignment, 'right') : undefined;
    if (left?.type !== 'identifier' || !right || ctx.resolver.text(left) !== name || !isLockConstruction(right, site.scope, ctx.resolver)) return false;
    const next = nextStatement(n);
    const call = next?.type === 'expression_statement' ? namedChildren(next)[0] : undefined;
    const callee = call?.type === 'call' ? child(call, 'function') : undefined;
    found = callee?.type === 'attribute' && ctx.resolver.text(callee).replace(/\s+/g, '') === `${name}.acquire`;
    return false;
  });
  return found;
}

/** Rewrites `lock.acquire()` ... `lock.release()` in one block into `with lock:`. */
function withFix(site: CallSite, key: string, ctx: RuleContext): Fix | undefined {
  const { source } = ctx;
  const stmt = statementOf(site.node);
  if (stmt.type !== 'expression_statement' || callRole(site.node, source) !== 'dropped') return undefined;
  if (site.args?.type !== 'argument_list' || namedChildren(site.args).length > 0) return undefined;
  if (!startsLine(source, stmt.start) || !endsLine(source, stmt.end)) return undefined;
  const siblings = stmt.parent?.children ?? [];
  const between: SNode[] = [];
  let release: SNode | undefined;
  for (let i = siblings.indexOf(stmt) + 1; i < siblings.length; i++) {
    const s = siblings[i]!;
    const only = s.type === 'expression_statement' ? namedChildren(s) : [];
    if (only.length === 1 && only[0]!.type === 'call' && releasesLock(only[0]!, key, site, ctx)) {
      release = s;
      break;
    }
    between.push(s);
  }
  if (!release || !startsLine(source, release.start) || !endsLine(source, release.end)) return undefined;
  // An early release in between (`if bad: lock.release(); return`) would become a double release.
  let earlyRelease = false;
  for (const s of between) {
    walk(s, (n) => {
      if (n.type === 'call' && releasesLock(n, key, site, ctx)) earlyRelease = true;
      return !earlyRelease;
    });
  }
  if (earlyRelease) return undefined;

  const eol = lineBreakOf(source);
  const indent = indentAt(source, stmt.start);
  const unit = indentUnit(stmt, source);
  const bodyStart = nextLineStart(source, stmt.end);
  const bodyEnd = lineStartAt(source, release.start);
  const body = indentLines(source, bodyStart, bodyEnd, stmt.endRow + 1, unit, between);
  // No `pass` is ever needed: with no code between acquire and release there is no finding.
  const receiver = ctx.source.slice(child(site.callee, 'object')!.start, child(site.callee, 'object')!.end);
  return {
    title: `Use 'with ${receiver}:' instead of acquire()/release()`,
    safety: 'quick',
    edits: [{
      start: lineStartAt(source, stmt.start),
      end: lineEndAt(source, release.end),
      newText: [`${indent}with ${receiver}:`, ...body].join(eol),
    }],
  };
}

const lockClasses = new WeakMap<ClassInfo, boolean>();

/**
 * A class that is itself a lock: it has an `acquire` method (or `reader_acquire`, ...) that takes a
 * thread lock and returns nothing, `True`/`False` or what an `acquire()` gives, and a matching `release`
 * method. Its methods are the lock's machinery, hand-over-hand acquires and releases that a
 * `finally` cannot span (ecdsa's reader-writer lock, test doubles that stand in for a Lock); the
 * class's users are the ones to wrap it in `try`/`finally`. A pool whose `acquire` returns a
 * connection is not such a class.
 */
function isLockClass(cls: ClassInfo, ctx: RuleContext): boolean {
  const known = lockClasses.get(cls);
  if (known !== undefined) return known;
  let answer = false;
  for (const [name, defs] of cls.methods) {
    const m = /^(\w*_)?acquire$/.exec(name);
    if (!m || !cls.methods.has(`${m[1] ?? ''}release`)) continue;
    if (defs.some((fn) => takesLockAndReturnsFlag(fn.node, ctx))) answer = true;
  }
  lockClasses.set(cls, answer);
  return answer;
}

function takesLockAndReturnsFlag(fn: SNode, ctx: RuleContext): boolean {
  const body = child(fn, 'body');
  if (!body) return false;
  let takes = false;
  let flagsOnly = true;
  walk(body, (n) => {
    if (n !== body && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
    if (n.type === 'call') {
      const callee = child(n, 'function');
      if (callee?.type === 'attribute' && ctx.resolver.text(child(callee, 'attribute')!) === 'acquire') takes = true;
    }
    if (n.type === 'return_statement') {
      const value = namedChildren(n)[0];
      const text = value ? ctx.resolver.text(value) : 'None';
      if (!/^(?:None|True|False)$/.test(text) && !/\.acquire\(/.test(text)) flagsOnly = false;
    }
    return true;
  });
  return takes && flagsOnly;
}

export const unguardedAcquire: Rule = {
  meta: {
    code: 'TW401',
    name: 'unguarded-acquire',
    severity: 'warning',
    fix: 'quick',
    summary: 'lock.acquire() without release() in a finally: an exception leaks the lock',
    description: '`lock.acquire()` without a `release()` in a `finally` leaks the lock on an exception.',
    peerCodes: ['R1732'],
  },
  onCall(site, ctx) {
    const lock = threadLockCall(site, 'acquire', ctx.resolver);
    if (!lock) return;
    const fn = enclosingFunction(site.scope);
    if (fn && (fn.name === '__enter__' || fn.name === '__aenter__')) return;
    if (fn?.owner && isLockClass(fn.owner, ctx)) return;
    // Only an acquire that its own function releases has a span for a `finally` to protect. A
    // function that does not release the lock means to hold it past its return: a wrapper that
    // releases in another method, or, for a plain Lock or a semaphore (which any thread may
    // release), a lock made locked and handed out (dill and jsonpickle rebuild pickled locked
    // locks so) or a signal that another object releases (trio's worker threads). An RLock or a
    // Condition that nothing releases stays held by this thread for ever: still reported.
    const releases = releasesByLock(ctx.resolver).get(lock.key) ?? [];
    if (!releases.some((r) => r.fn === fn) && (releases.length > 0 || lock.kind === 'thread-lock' || lock.kind === 'thread-semaphore')) return;
    if (isGuarded(site, lock.key, ctx)) return;
    if (madeLocked(site, lock.receiver, lock.kind, ctx)) return;
    const fix = withFix(site, lock.key, ctx);
    const name = ctx.resolver.text(lock.receiver);
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `'${name}.acquire()' is not paired with release() in a finally block: an exception before the release leaves the lock held and every other thread waiting on it hangs.`,
      ...(fix ? { fix } : {}),
    });
  },
};
