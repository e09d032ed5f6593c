import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { CONSTRUCTORS, THREAD_LOCK_KINDS, type Kind } from './known-types';
import { lockKey, releasesByLock, statementOf } from './locks';
import { callSitesOf, callsIn } from './call-sites';
import { CONTEXT_MANAGER } from './generator-calls';
import type { Resolver } from './resolve';
import type { SemanticModel } from './semantic-model';
import type { FunctionInfo, Scope } from './scope';

/** A stretch of a function's source during which a thread lock is held. */
export interface HeldRegion {
  readonly fn: FunctionInfo;
  /** Identity of the lock; a `Condition(lock)` shares its lock's identity. */
  readonly key: string;
  /** The kind of the underlying lock (a Condition over a Lock counts as a Lock). */
  readonly kind: Kind;
  /** The expression that was acquired, as written (`self._cv`). */
  readonly text: string;
  /** The `with` item or the `acquire()` call. */
  readonly acquire: SNode;
  readonly start: number;
  readonly end: number;
  readonly viaWith: boolean;
  /** False for `acquire(blocking=False)` or with a timeout: such a re-acquire cannot hang. */
  readonly blocking: boolean;
}

export interface LockIdentity {
  readonly key: string;
  readonly kind: Kind;
  /** The lock's own kind (a Condition stays a Condition here). */
  readonly ownKind: Kind;
}

/** A stretch during which a lock is held, from where it is taken. */
interface Held {
  readonly acquire: SNode;
  readonly start: number;
  readonly end: number;
}

/** `inner` is taken while `outer` is held, after it (`with A: with B:`, or `with A, B:`). */
export function takenInside(outer: Held, inner: Held): boolean {
  return inner !== outer && inner.start >= outer.start && inner.start < outer.end && inner.acquire.start >= outer.acquire.start;
}

/** The lock a condition is built around: `Condition(lock)` or `Condition(lock=lock)`, threading's or asyncio's. */
export function wrappedLock(made: SNode): SNode | undefined {
  const args = child(made, 'arguments');
  const all = args ? namedChildren(args) : [];
  const keyword = all.find((a) => a.type === 'keyword_argument');
  return all.find((a) => a.type !== 'keyword_argument') ?? (keyword ? child(keyword, 'value') : undefined);
}

/** Which lock an expression stands for, seeing through `Condition(lock)` to the lock it wraps. */
export function lockIdentity(expr: SNode, scope: Scope, resolver: Resolver): LockIdentity | undefined {
  const ownKind = resolver.kindOf(expr, scope);
  if (!ownKind || !THREAD_LOCK_KINDS.has(ownKind)) return undefined;
  if (ownKind === 'thread-condition') {
    const made = resolver.constructionOf(expr, scope);
    const inner = made ? wrappedLock(made) : undefined;
    if (made && inner) {
      const innerScope = resolver.scopeAt(inner, scope);
      const innerKind = resolver.kindOf(inner, innerScope);
      // `Condition(threading.Lock())` wraps a lock nothing else can name: the condition is its identity.
      const anonymous = unparenthesize(inner).type === 'call';
      if (innerKind && THREAD_LOCK_KINDS.has(innerKind)) return { key: anonymous ? lockKey(expr, scope, resolver) : lockKey(inner, innerScope, resolver), kind: innerKind, ownKind };
    }
    // Condition() without a lock wraps a fresh RLock.
    return { key: lockKey(expr, scope, resolver), kind: 'thread-rlock', ownKind };
  }
  return { key: lockKey(expr, scope, resolver), kind: ownKind, ownKind };
}

/** `callee` may be given when known (a call site's), saving the lookup. */
function isCallTo(node: SNode, method: string, resolver: Resolver, callee = node.type === 'call' ? child(node, 'function') : undefined): SNode | undefined {
  if (node.type !== 'call') return undefined;
  if (callee?.type !== 'attribute') return undefined;
  const attr = child(callee, 'attribute');
  return attr && resolver.textIs(attr, method) ? child(callee, 'object') : undefined;
}

/** Walks a function's own body: nested functions, lambdas and classes are other scopes. */
function walkOwn(root: SNode, visit: (n: SNode) => void): void {
  walk(root, (n) => {
    if (n !== root && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
    visit(n);
    return true;
  });
}

function releaseOffset(stmts: readonly SNode[], key: string, fn: FunctionInfo, resolver: Resolver): number | undefined {
  for (const s of stmts) {
    let at: number | undefined;
    walkOwn(s, (n) => {
      if (at !== undefined) return;
      const object = isCallTo(n, 'release', resolver);
      if (object && lockIdentity(object, fn, resolver)?.key === key) at = n.start;
    });
    if (at !== undefined) return at;
  }
  return undefined;
}

const lockCandidates = new WeakMap<SemanticModel, Set<FunctionInfo>>();

/**
 * Functions with a `with` statement or an `.acquire()` call of their own: the only ones whose body
 * can hold a region, found from the model's lists instead of walking every function's body.
 */
function mayHoldLocks(fn: FunctionInfo, resolver: Resolver): boolean {
  let found = lockCandidates.get(resolver.model);
  if (!found) {
    found = new Set();
    for (const site of resolver.model.nodes) if (site.node.type === 'with_statement' && site.scope.type === 'function') found.add(site.scope);
    for (const site of resolver.model.calls) if (site.scope.type === 'function' && isCallTo(site.node, 'acquire', resolver, site.callee)) found.add(site.scope);
    lockCandidates.set(resolver.model, found);
  }
  return found.has(fn);
}

function regionsIn(fn: FunctionInfo, resolver: Resolver): HeldRegion[] {
  const regions: HeldRegion[] = [];
  const body = child(fn.node, 'body');
  if (!body || fn.isLambda || !mayHoldLocks(fn, resolver)) return regions;
  walkOwn(body, (n) => {
    if (n.type === 'with_statement' && !n.children.some((c) => c.type === 'async')) {
      const withBody = child(n, 'body');
      const clause = n.children.find((c) => c.type === 'with_clause');
      if (!withBody || !clause) return;
      for (const item of namedChildren(clause)) {
        let value = child(item, 'value');
        if (value?.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
        if (!value) continue;
        const id = lockIdentity(value, fn, resolver);
        if (id) {
          regions.push({ fn, key: id.key, kind: id.kind, text: resolver.text(value), acquire: item, start: item.end, end: withBody.end, viaWith: true, blocking: true });
          continue;
        }
        for (const held of contextManagerLocks(value, fn, resolver)) {
          regions.push({ fn, key: held.key, kind: held.kind, text: `${held.text} (in ${resolver.text(value)})`, acquire: item, start: item.end, end: withBody.end, viaWith: true, blocking: true });
        }
      }
      return;
    }
    const object = isCallTo(n, 'acquire', resolver);
    if (!object) return;
    const id = lockIdentity(object, fn, resolver);
    if (!id) return;
    // Find where the hold ends: the statement's following siblings up to the release.
    let stmt: SNode = n;
    while (stmt.parent && stmt.parent.type !== 'block') stmt = stmt.parent;
    const siblings = stmt.parent ? stmt.parent.children.filter((c) => c.named && c.type !== 'comment') : [];
    const after = siblings.slice(siblings.indexOf(stmt) + 1);
    let start = n.end;
    let end: number;
    const negated = stmt.type === 'if_statement' && unparenthesize(child(stmt, 'condition') ?? stmt).type.startsWith('not');
    if (stmt.type === 'if_statement' && !negated) {
      // Held in the body up to a release there (`if lock.acquire(False): lock.release()` only probes).
      const consequence = child(stmt, 'consequence');
      start = consequence?.start ?? n.end;
      const inBody = consequence ? namedChildren(consequence).filter((c) => c.type !== 'comment') : [];
      end = releaseOffset(inBody, id.key, fn, resolver) ?? consequence?.end ?? n.end;
    } else if (negated && elseBody(stmt)) {
      // `if not lock.acquire(False): <defer> else: <held>`: held in the else branch.
      const held = elseBody(stmt)!;
      start = held.start;
      end = held.end;
    } else {
      // `if not lock.acquire(False): <bail out>`: the lock is held only after the if.
      if (negated) start = stmt.end;
      end = releaseOffset(after, id.key, fn, resolver) ?? stmt.parent?.end ?? n.end;
    }
    const args = child(n, 'arguments');
    const argText = args ? resolver.text(args) : '()';
    const blocking = !/\bFalse\b|timeout\s*=|,/.test(argText) && !/^\(\s*(?:blocking\s*=\s*)?(?:False|0)\b/.test(argText);
    regions.push({ fn, key: id.key, kind: id.kind, text: resolver.text(object), acquire: n, start, end, viaWith: false, blocking });
  });
  return regions;
}

function elseBody(ifStatement: SNode): SNode | undefined {
  const clause = ifStatement.children.find((c) => c.type === 'else_clause');
  return clause ? child(clause, 'body') : undefined;
}

/**
 * Locks a `with` item takes through a helper of this module: a `@contextmanager` function whose
 * `yield` sits inside a held region (`with self._send_context():`), or an object whose class's
 * `__enter__` acquires a lock it does not release (`with self:`). The body of the `with` runs
 * with those locks held. Each helper is looked at once; helpers of helpers are not followed.
 */
function contextManagerLocks(value: SNode, fn: FunctionInfo, resolver: Resolver): HeldRegion[] {
  const node = unparenthesize(value);
  const out: HeldRegion[] = [];
  if (node.type === 'call') {
    const callee = child(node, 'function');
    for (const helper of (callee && resolver.localFunctions(callee, fn)) || []) {
      if (helper === fn || !helper.hasYield) continue;
      const decorated = helper.decorators.some((d) => CONTEXT_MANAGER.test(resolver.text(d).replace(/^@\s*/, '').trim()));
      if (!decorated) continue;
      const yields = yieldOffsets(helper);
      for (const r of heldRegions(helper, resolver)) if (r.blocking && yields.some((y) => r.start <= y && y < r.end)) out.push(r);
    }
    return out;
  }
  const cls = node.type === 'identifier' ? resolver.receiverClass(node, fn) : undefined;
  for (const enter of (cls && resolver.methodsOf(cls, '__enter__')) || []) {
    if (enter === fn) continue;
    const end = child(enter.node, 'body')?.end;
    for (const r of heldRegions(enter, resolver)) if (!r.viaWith && r.blocking && r.end === end) out.push(r);
  }
  return out;
}

function yieldOffsets(fn: FunctionInfo): number[] {
  const out: number[] = [];
  const body = child(fn.node, 'body');
  if (body) walkOwn(body, (n) => void (n.type === 'yield' && out.push(n.start)));
  return out;
}

interface LockIndex {
  readonly regions: Map<FunctionInfo, HeldRegion[]>;
  readonly acquires: Map<FunctionInfo, Map<string, Acquisition> | null>;
}

/** Where a function (or something it calls) takes a lock: the first path found. */
export interface Acquisition {
  readonly key: string;
  readonly kind: Kind;
  readonly text: string;
  /** The acquiring node in the callee, or the call in this function that leads there. */
  readonly at: SNode;
  readonly chain: readonly string[];
}

const indexes = new WeakMap<SemanticModel, LockIndex>();

function indexOf(resolver: Resolver): LockIndex {
  let idx = indexes.get(resolver.model);
  if (!idx) {
    idx = { regions: new Map(), acquires: new Map() };
    indexes.set(resolver.model, idx);
  }
  return idx;
}

/** Functions whose regions are being computed: a context-manager helper cycle ends there. */
const computing = new Set<FunctionInfo>();

export function heldRegions(fn: FunctionInfo, resolver: Resolver): HeldRegion[] {
  const idx = indexOf(resolver);
  let r = idx.regions.get(fn);
  if (!r) {
    if (computing.has(fn)) return [];
    computing.add(fn);
    try {
      r = regionsIn(fn, resolver);
    } finally {
      computing.delete(fn);
    }
    idx.regions.set(fn, r);
  }
  return r;
}

/** The locks held at a node, outermost first. Looks through lambdas to their function. */
export function locksHeldAt(node: SNode, scope: Scope, resolver: Resolver): HeldRegion[] {
  // A lambda runs when someone calls it, usually later or on another thread: not under the lock.
  if (scope.type !== 'function' || scope.isLambda) return [];
  const regions = heldRegions(scope, resolver);
  // Most functions take no lock: no filtered copy for each of their call sites.
  return regions.length === 0 ? regions : regions.filter((r) => r.start <= node.start && node.start < r.end && r.acquire !== node && !(r.viaWith && letGoBefore(r, node, resolver)));
}

/**
 * Inside `with lock:`, the function let go of the lock before `node` and has not taken it back
 * since: `with lock: ...; lock.release(); slow(); lock.acquire()`, a temporary release inside
 * the block. The last `release()` or `acquire()` of that lock between the start of the region and
 * `node` decides; a release counts only when `node` comes later in its own block (not one in an
 * `if` that `node` is outside of, which may not have run).
 */
export function letGoBefore(region: HeldRegion, node: SNode, resolver: Resolver): boolean {
  const releases = releasesByLock(resolver).get(region.key);
  if (!releases) return false;
  let last: { at: number; released: boolean } | undefined;
  const seen = (pos: number, released: boolean) => {
    if (pos > region.start && pos < node.start && (!last || pos > last.at)) last = { at: pos, released };
  };
  for (const r of releases) {
    if (r.fn !== region.fn) continue;
    const block = statementOf(r.site.node).parent;
    if (block && block.start <= node.start && node.start < block.end) seen(r.site.node.start, true);
  }
  if (!last) return false;
  for (const r of heldRegions(region.fn, resolver)) if (r.key === region.key && !r.viaWith) seen(r.acquire.start, false);
  return last.released;
}

/**
 * Every lock a function acquires, directly or through calls to the module's functions and
 * methods, with the path to the acquisition. Recursion in the Python code is cut, not followed.
 */
export function acquiredBy(fn: FunctionInfo, resolver: Resolver): Map<string, Acquisition> {
  return collectAcquisitions(fn, resolver, new Set()).found;
}

/** `cut` says a cycle was cut below: such a partial answer is not remembered. */
function collectAcquisitions(fn: FunctionInfo, resolver: Resolver, onPath: Set<FunctionInfo>): { found: Map<string, Acquisition>; cut: boolean } {
  const idx = indexOf(resolver);
  const known = idx.acquires.get(fn);
  if (known) return { found: known, cut: false };
  if (onPath.has(fn) || onPath.size > 32) return { found: new Map(), cut: true };
  onPath.add(fn);
  let cut = false;
  const out = new Map<string, Acquisition>();
  // A function that releases the lock before it takes it (`release(); try: ... finally:
  // acquire()`) is called with the lock held, and gives it back: it takes nothing its caller lacks.
  const releases = releasesByLock(resolver);
  const givesBack = (r: HeldRegion) => (releases.get(r.key) ?? []).some((rel) => rel.fn === fn && rel.site.node.end <= r.acquire.start);
  for (const r of heldRegions(fn, resolver)) {
    if (r.blocking && !out.has(r.key) && !givesBack(r)) out.set(r.key, { key: r.key, kind: r.kind, text: r.text, at: r.acquire, chain: [fn.name] });
  }
  const probes = freeProbes(fn, resolver);
  for (const site of callsIn(fn, resolver)) {
    for (const callee of resolver.localFunctions(site.callee, site.scope) ?? []) {
      if (callee.isAsync || callee.isLambda) continue;
      const below = collectAcquisitions(callee, resolver, onPath);
      cut ||= below.cut;
      for (const [key, acq] of below.found) {
        // Under `if lock.acquire(False):` a plain Lock was free a moment ago: not held by this
        // thread, so taking it below cannot be a re-acquire (paho-mqtt writes only then).
        if (probes.some((p) => p.key === key && p.start <= site.node.start && site.node.end <= p.end)) continue;
        if (!out.has(key)) out.set(key, { ...acq, at: site.node, chain: [fn.name, ...acq.chain] });
      }
    }
  }
  onPath.delete(fn);
  // The root of a search has seen everything reachable from it; a node under a cut cycle may not.
  if (!cut || onPath.size === 0) idx.acquires.set(fn, out);
  return { found: out, cut };
}

/**
 * The bodies of `if lock.acquire(False):` (any non-blocking acquire) of a plain `threading.Lock`
 * in the function: they run only when this thread did not hold that lock.
 */
function freeProbes(fn: FunctionInfo, resolver: Resolver): Array<{ key: string; start: number; end: number }> {
  const out: Array<{ key: string; start: number; end: number }> = [];
  for (const r of heldRegions(fn, resolver)) {
    if (r.viaWith || r.blocking || r.kind !== 'thread-lock') continue;
    let n: SNode = r.acquire;
    while (n.parent && n.field !== 'condition') n = n.parent;
    const statement = n.parent;
    const body = statement?.type === 'if_statement' && unparenthesize(n) === r.acquire ? child(statement, 'consequence') : undefined;
    if (body) out.push({ key: r.key, start: body.start, end: body.end });
  }
  return out;
}

/**
 * True when every call of `fn` in the module happens while a lock matching `held` is held: a
 * helper that relies on its callers' lock. A private helper nobody here calls is assumed to be
 * called correctly from elsewhere; a public function with no callers is not.
 */
export function onlyCalledWithLock(fn: FunctionInfo, held: (key: string) => boolean, resolver: Resolver): boolean {
  let callers = 0;
  for (const site of callSitesOf(fn, resolver)) {
    // Calls at module level or in a class body are not counted, as before: only functions' calls.
    if (site.scope.type !== 'function') continue;
    callers++;
    if (!locksHeldAt(site.node, site.scope, resolver).some((r) => held(r.key))) return false;
  }
  return callers > 0 || fn.name.startsWith('_');
}

/** True when the expression is a direct call to a lock constructor (`threading.Lock()`). */
export function isLockConstruction(expr: SNode, scope: Scope, resolver: Resolver): boolean {
  const node = unparenthesize(expr);
  if (node.type !== 'call') return false;
  const callee = child(node, 'function');
  const q = callee ? resolver.qualifiedName(callee, scope) : undefined;
  const kind = q ? CONSTRUCTORS.get(q) : undefined;
  return !!kind && THREAD_LOCK_KINDS.has(kind);
}
