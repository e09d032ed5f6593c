import { child, docstringOf, lastChildStartingAt, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { inForkedChildBranch } from './fork-branch';
import { decoratorLocks } from './lock-decorators';
import { answerOnce } from './answer-once';
import { methodCall } from './call-context';
import { THREAD_LOCK_KINDS } from './known-types';
import { heldRegions, lockIdentity, locksHeldAt, type HeldRegion } from './lock-regions';
import { attributeLockKey } from './locks';
import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import { callSitesOf } from './call-sites';
import { own as ownFact, projectFactsOf } from './project-facts';
import { functionPath } from './thread-reachability';
import type { FunctionInfo, Scope } from './scope';

/** Stands for "a lock is held, which one is not said" (a `_locked` suffix, a docstring). */
export const ANY_LOCK = '*';

/** What is true whenever a function starts running, whoever calls it. */
export interface EntryState {
  /** Keys of the locks held on entry; ANY_LOCK when the function says a lock is held without naming it. */
  readonly held: ReadonlySet<string>;
  /** Why the locks are held: for hovers and messages. */
  readonly why: string | undefined;
  /** Runs only while its object is being built (called only from `__init__`), before it is shared. */
  readonly constructionOnly: boolean;
  /**
   * The locks are assumed, not shown: a private helper with no caller in this file. Enough to stay
   * quiet about its accesses, not enough to call its writes guarded.
   */
  readonly assumed: boolean;
  /**
   * A helper whose callers here disagree: some call it holding these locks, others (`unheldCalls`)
   * without any of them. Not part of `held`: for the calls without, the helper runs unguarded.
   */
  readonly heldBySome?: ReadonlySet<string>;
  readonly unheldCalls?: readonly SNode[];
  /** A private method another module calls without a lock: that call, for messages (`'x._m' in pkg/b.py:12`). */
  readonly calledUnlocked?: string;
}

const NOTHING: EntryState = { held: new Set(), why: undefined, constructionOnly: false, assumed: false };

/** `_flush_locked`, `_get_unlocked`, `_pop_nolock`: the suffixes that say "the caller holds the lock". */
const LOCKED_NAME = /_(?:locked|unlocked|nolock|no_lock|lock_held|while_locked|under_lock|with_lock_held)$/;

/** Docstrings that state the contract: "Must be called with self._lock held", "caller holds the lock". */
const LOCKED_DOC = new RegExp(
  [
    String.raw`\b(?:must|should|only)\s+(?:ever\s+)?(?:be\s+)?(?:called|invoked|used|run)\s+(?:with|while|when|whilst|under)\b[^.]{0,60}\b(?:lock|mutex|held|acquired|locked)`,
    String.raw`\b(?:lock|mutex|_lock\w*|_cond\w*|condition)\s+(?:must|should)\s+(?:already\s+)?(?:be\s+)?(?:held|acquired|locked|owned)`,
    String.raw`\bcaller\s+(?:must\s+|should\s+)?(?:hold|holds|has\s+acquired|owns?|has\s+locked)\b`,
    String.raw`\b(?:with|while|assumes?)\s+(?:that\s+)?(?:the\s+)?[\w.]*\s*(?:lock|mutex)\s+(?:is\s+)?(?:held|acquired|locked)`,
    // "Must already be holding lock used in constructor" (oslo.privsep), "must hold self._lock".
    String.raw`\b(?:must|should)\s+(?:already\s+)?(?:be\s+)?(?:holding|hold|own|owning|have\s+acquired)\s+(?:the\s+|a\s+|its\s+)?[\w.]*\s*(?:lock|mutex|condition)\b`,
  ].join('|'),
  'i',
);

/** Callers that run before the object is shared with other threads: building, unpickling, a fresh fork. */
export const CONSTRUCTION = new Set(['__init__', '__new__', '__post_init__', '__setstate__', '_after_fork', '_afterfork', '_at_fork_reinit', 'setUp', 'setUpClass']);

/**
 * Callers that run while no other thread can reach the object: the construction ones, and the
 * finalizer, which runs once nothing refers to the object any more (kafka's `_close_socket`).
 */
const UNSHARED = new Set([...CONSTRUCTION, '__del__']);

interface Caller {
  /** The call (or the `wait_for` that runs a predicate). */
  readonly node: SNode;
  readonly scope: Scope;
  /** Locks the hand-off itself holds while it runs the function (`cv.wait_for(pred)`). */
  readonly extra: readonly string[];
}

interface Index {
  /** Who calls each function, in the order of the module's calls; only asked for closed functions. */
  callersOf(fn: FunctionInfo): Caller[];
  /** Functions named without being called (`Thread(target=self._run)`): callers unknown. Built when first asked. */
  referenced(): Set<FunctionInfo>;
  readonly states: Map<FunctionInfo, EntryState>;
}

const indexes = new WeakMap<SemanticModel, Index>();

/**
 * `cv.wait_for(predicate)` calls the predicate with the condition's lock held: those predicates'
 * callers, each with the position of its call among the module's calls.
 */
function waitForCallers(resolver: Resolver): Map<FunctionInfo, Array<{ caller: Caller; at: number }>> {
  const out = new Map<FunctionInfo, Array<{ caller: Caller; at: number }>>();
  resolver.model.calls.forEach((site, at) => {
    // A plain text test first: most calls are not `.wait_for(...)`.
    const attr = site.callee.type === 'attribute' ? child(site.callee, 'attribute') : undefined;
    if (!attr || !resolver.textIs(attr, 'wait_for')) return;
    const call = methodCall(site.callee, resolver);
    if (call?.method !== 'wait_for') return;
    const id = lockIdentity(call.object, site.scope, resolver);
    const args = child(site.node, 'arguments');
    const first = args ? namedChildren(args)[0] : undefined;
    if (!id || !first || first.type === 'keyword_argument') return;
    const predicate = unparenthesize(first);
    const lambda = predicate.type === 'lambda' ? resolver.model.scopeOf.get(predicate) : undefined;
    const targets = lambda?.type === 'function' ? [lambda] : resolver.localFunctions(predicate, site.scope) ?? [];
    for (const fn of targets) {
      const list = out.get(fn) ?? [];
      list.push({ caller: { node: site.node, scope: site.scope, extra: [id.key] }, at });
      out.set(fn, list);
    }
  });
  return out;
}

/**
 * The entry-lock index of a module, each part built when first needed: most functions asked
 * about are public, and a public function's callers and references are never read. Building the
 * callers of every function and the references of every private one on each analysis was a
 * visible share of a keystroke in a large file.
 */
function indexFor(resolver: Resolver): Index {
  const known = indexes.get(resolver.model);
  if (known) return known;
  let waits: ReturnType<typeof waitForCallers> | undefined;
  let positions: Map<CallSite, number> | undefined;
  let referenced: Set<FunctionInfo> | undefined;
  const index: Index = {
    callersOf(fn) {
      const sites = [...callSitesOf(fn, resolver), ...(isPrivate(fn) && fn.owner ? callsThroughOthers(fn, resolver) : []), ...(privateClassCalls(fn, resolver) ?? [])];
      const direct = sites.map((site): Caller => ({ node: site.node, scope: site.scope, extra: [] }));
      waits ??= waitForCallers(resolver);
      const predicates = waits.get(fn);
      if (!predicates) return direct;
      // Both kinds, in the order of the module's calls, as one pass over them would list them.
      if (!positions) {
        positions = new Map();
        resolver.model.calls.forEach((site, at) => positions!.set(site, at));
      }
      const merged = [...direct.map((caller, k) => ({ caller, at: positions!.get(sites[k]!)! })), ...predicates];
      return merged.sort((a, b) => a.at - b.at).map((m) => m.caller);
    },
    referenced: () => (referenced ??= referencedMethods(resolver)),
    states: new Map(),
  };
  indexes.set(resolver.model, index);
  return index;
}

/**
 * Functions and methods named (`self.name`, `name`) without being called there: handed to a thread, a callback
 * registry or a dispatch table, they run with whatever their eventual caller holds. Only asked about
 * private and nested functions (see `closed` below), so only their names are looked for.
 */
function referencedMethods(resolver: Resolver): Set<FunctionInfo> {
  const out = new Set<FunctionInfo>();
  const { model } = resolver;
  const defined = new Set<string>();
  for (const fn of model.functions) if (!fn.isLambda && (isPrivate(fn) || isNested(fn) || ofPrivateClass(fn, resolver))) defined.add(fn.name);
  if (defined.size === 0) return out;
  const visit = (n: SNode): void => {
    const parent = n.parent;
    if (parent?.type === 'call' && n.field === 'function') return;
    if (n.type === 'identifier') {
      // `Thread(target=worker)`, `callbacks.append(_on_done)`: a function named, not called.
      if (parent?.type === 'attribute' || parent?.type === 'function_definition' || parent?.type === 'keyword_argument' && n.field === 'name') return;
      const found = resolver.lookup(resolver.text(n), resolver.scopeAt(n, model.module));
      for (const b of found?.bindings ?? []) if (b.kind === 'def') out.add(b.fn);
      return;
    }
    // A `wait_for` predicate is accounted for as a caller that holds the condition's lock.
    const call = parent?.type === 'argument_list' ? parent.parent : undefined;
    const callee = call ? child(call, 'function') : undefined;
    if (callee && methodCall(callee, resolver)?.method === 'wait_for') return;
    const object = child(n, 'object');
    const attr = child(n, 'attribute');
    if (object?.type !== 'identifier' || !attr) return;
    const scope = resolver.scopeAt(n, model.module);
    const cls = resolver.receiverClass(object, scope) ?? resolver.constructedClass(object, scope);
    for (const m of (cls && resolver.methodsOf(cls, resolver.text(attr))) || []) out.add(m);
  };
  // The names are found in the text and then in the tree, rather than by walking every node on
  // every analysis: an identifier with one of the names starts where the text has the name.
  // Longest names first, so at an identifier's start the name that matches is the whole
  // identifier; a match that is no identifier is retried one character on, so none is skipped.
  // Only names made of identifier characters can be an identifier's text (and need no escaping).
  const names = [...defined].filter((n) => IDENTIFIER_CHARS.test(n)).sort((a, b) => b.length - a.length);
  if (names.length === 0) return out;
  const pattern = new RegExp(names.join('|'), 'g');
  const source = model.source;
  for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
    const id = identifierAt(model.root, m.index, m.index + m[0].length);
    if (!id) {
      pattern.lastIndex = m.index + 1;
      continue;
    }
    const parent = id.parent;
    if (parent?.type === 'attribute') {
      // `obj.name` is looked at as the attribute; the object position is no reference of `name`.
      if (child(parent, 'attribute') === id) visit(parent);
    } else {
      visit(id);
    }
  }
  return out;
}

const IDENTIFIER_CHARS = /^[\p{L}\p{N}\p{M}\p{Pc}]+$/u;

/** The identifier node spanning exactly `start`..`end`, if there is one. */
function identifierAt(root: SNode, start: number, end: number): SNode | undefined {
  let n = root;
  for (;;) {
    if (n.start === start && n.end === end && n.type === 'identifier') return n;
    const kids = n.children;
    // The last child starting at or before `start` is the only one that can hold the span.
    let found = lastChildStartingAt(n, start);
    // Zero-width siblings (MISSING nodes) can share a start with the one that holds the span.
    while (found >= 0 && kids[found]!.end < end) found--;
    if (found < 0 || kids[found]!.start > start) return undefined;
    n = kids[found]!;
  }
}

/**
 * Calls of a private method through a receiver other than `self` (`worker._get_client()` in a
 * module function): callers too, though the resolver cannot say what the receiver is. Matched by
 * the method's name, which for a private method is its class's own.
 */
function callsThroughOthers(fn: FunctionInfo, resolver: Resolver): CallSite[] {
  return methodCallsNamed(fn.name, resolver).filter((site) => throughOther(site.node, resolver, site.scope));
}

/**
 * A method of a class named as private (`_WrapNumbers.run`) whose bases are all classes of this
 * module: only this module's code calls it, so its callers here are all of them, as for a private
 * method. Dunder methods are left out (the language calls them).
 */
function ofPrivateClass(fn: FunctionInfo, resolver: Resolver): boolean {
  const cls = fn.owner;
  if (!cls || fn.isLambda || !isPrivateName(cls.name) || fn.name.startsWith('__')) return false;
  const local = (c: NonNullable<FunctionInfo['owner']>, depth: number): boolean =>
    depth < 8 && c.bases.every((b) => {
      if (resolver.textIs(b, 'object')) return true;
      const base = resolver.classNamed(b, c.parent!);
      return base !== undefined && local(base, depth + 1);
    });
  return local(cls, 0);
}

/**
 * The calls of such a method through an instance of its class built here (`_wn.run(...)` after
 * `_wn = _WrapNumbers()`); undefined when some call of that name has a receiver whose class is
 * unknown, which could be this class's instance arriving by another way: then its callers are not
 * all known. Calls on `self` are the resolver's own call sites.
 */
function privateClassCalls(fn: FunctionInfo, resolver: Resolver): CallSite[] | undefined {
  if (isPrivate(fn) || !ofPrivateClass(fn, resolver)) return undefined;
  return answerOnce(classCalls, resolver.model, fn, () => findPrivateClassCalls(fn, resolver) ?? null) ?? undefined;
}

const classCalls = new WeakMap<SemanticModel, Map<FunctionInfo, CallSite[] | null>>();

/** The module's method calls (`x.name(...)`) by the name called, built once per model. */
const callsByName = new WeakMap<SemanticModel, Map<string, CallSite[]>>();

function methodCallsNamed(name: string, resolver: Resolver): readonly CallSite[] {
  let index = callsByName.get(resolver.model);
  if (!index) {
    index = new Map();
    for (const site of resolver.model.calls) {
      const attr = site.callee.type === 'attribute' ? child(site.callee, 'attribute') : undefined;
      if (!attr) continue;
      const text = resolver.text(attr);
      (index.get(text) ?? index.set(text, []).get(text)!).push(site);
    }
    callsByName.set(resolver.model, index);
  }
  return index.get(name) ?? [];
}

function findPrivateClassCalls(fn: FunctionInfo, resolver: Resolver): CallSite[] | undefined {
  const out: CallSite[] = [];
  for (const site of methodCallsNamed(fn.name, resolver)) {
    const object = child(site.callee, 'object');
    if (!object) continue;
    if (resolver.receiverClass(object, site.scope)) continue;
    const cls = resolver.constructedClass(object, site.scope);
    if (!cls) return undefined;
    if (cls === fn.owner) out.push(site);
  }
  return out;
}

/** A call whose receiver is an object other than the caller's `self` (`_wn.run()`, `worker._get()`). */
function throughOther(call: SNode, resolver: Resolver, scope: Scope): boolean {
  const callee = call.type === 'call' ? child(call, 'function') : undefined;
  const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
  return !!object && !(object.type === 'identifier' && resolver.receiverClass(object, scope));
}

/**
 * The locks held at a call of `fn` through another object than `self` (`with _wn.lock: _wn.run()`),
 * as `fn`'s own body names them (`self.lock`): the receiver's lock attribute is the callee's.
 */
function asReceiverLocks(call: SNode, fn: FunctionInfo, held: readonly HeldRegion[], resolver: Resolver): string[] {
  const callee = call.type === 'call' ? child(call, 'function') : undefined;
  const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
  if (!object || !fn.owner) return [];
  const receiver = resolver.text(object).replace(/\s+/g, '');
  const out: string[] = [];
  for (const r of held) {
    const m = /^(.*)\.(\w+)$/.exec(r.text.replace(/\s+/g, ''));
    if (m && m[1] === receiver) out.push(attributeLockKey(fn.owner, m[2]!, resolver));
  }
  return out;
}

function isPrivate(fn: FunctionInfo): boolean {
  return isPrivateName(fn.name);
}

/** `_helper` or `__helper`: called only from within its module (or class), unlike a dunder. */
function isPrivateName(name: string): boolean {
  return name.startsWith('_') && !name.endsWith('__');
}

/** A function defined inside another function: every caller it has is in this file. */
function isNested(fn: FunctionInfo): boolean {
  return fn.parent?.type === 'function';
}

/** The locks a function's own body says it holds: `assert self._lock.locked()`, `_is_owned()`. */
function assertedLocks(fn: FunctionInfo, resolver: Resolver): string[] {
  const body = child(fn.node, 'body');
  const out: string[] = [];
  for (const stmt of body ? namedChildren(body) : []) {
    if (stmt.type !== 'assert_statement') continue;
    walk(stmt, (n) => {
      if (n.type !== 'call') return true;
      const callee = child(n, 'function');
      const call = callee ? methodCall(callee, resolver) : undefined;
      if (!call || (call.method !== 'locked' && call.method !== '_is_owned')) return true;
      const kind = resolver.kindOf(call.object, fn);
      const id = kind && THREAD_LOCK_KINDS.has(kind) ? lockIdentity(call.object, fn, resolver) : undefined;
      if (id) out.push(id.key);
      return false;
    });
  }
  return out;
}

/**
 * A function that ends by releasing a lock it never takes: `def release(self): self.flag -= 1;
 * self.lock.release()`, or an `__exit__` paired with an `__enter__` that acquires. Only a holder
 * may release a threading lock (anyone else gets a RuntimeError), so everything before runs with it held.
 */
function releasedAtEnd(fn: FunctionInfo, resolver: Resolver): string[] {
  const body = child(fn.node, 'body');
  const last = body ? namedChildren(body).filter((c) => c.type !== 'comment').at(-1) : undefined;
  const call = last?.type === 'expression_statement' ? namedChildren(last)[0] : undefined;
  const callee = call?.type === 'call' ? child(call, 'function') : undefined;
  const released = callee ? methodCall(callee, resolver) : undefined;
  if (released?.method !== 'release') return [];
  const kind = resolver.kindOf(released.object, fn);
  const id = kind && THREAD_LOCK_KINDS.has(kind) ? lockIdentity(released.object, fn, resolver) : undefined;
  if (!id || heldRegions(fn, resolver).some((r) => r.key === id.key)) return [];
  return [id.key];
}

/** What the function itself declares: by assertion, by releasing at its end, by a locking decorator, by name, by docstring. */
function declared(fn: FunctionInfo, resolver: Resolver): { held: string[]; why: string | undefined } {
  const asserted = assertedLocks(fn, resolver);
  if (asserted.length > 0) return { held: asserted, why: 'asserts that it holds the lock' };
  const released = releasedAtEnd(fn, resolver);
  if (released.length > 0) return { held: released, why: 'it ends by releasing the lock, which only its holder may do' };
  const decorated = decoratorLocks(fn, resolver);
  if (decorated.length > 0) return { held: decorated, why: 'its decorator holds the lock around every call' };
  if (LOCKED_NAME.test(fn.name)) return { held: [ANY_LOCK], why: `its name says the caller holds the lock` };
  const doc = docstringOf(fn.node);
  if (doc && LOCKED_DOC.test(resolver.text(doc))) return { held: [ANY_LOCK], why: 'its docstring says the caller holds the lock' };
  return { held: [], why: undefined };
}

/**
 * The locks held whenever `fn` runs: those it declares, plus, for a function whose callers are
 * all in this file (a private method or a nested function, never handed around by reference),
 * the locks held at every one of its call sites, through the callers' own entry locks. A private
 * helper nobody here calls is taken to be called correctly from elsewhere, unless the project
 * index knows a call from another module made without a lock.
 */
export function entryState(fn: FunctionInfo, resolver: Resolver): EntryState {
  return compute(fn, resolver, indexFor(resolver), new Set()).state;
}

function compute(fn: FunctionInfo, resolver: Resolver, index: Index, onPath: Set<FunctionInfo>): { state: EntryState; cut: boolean } {
  const memo = index.states.get(fn);
  if (memo) return { state: memo, cut: false };
  // Recursion: assume the best of the cycle, the answer comes from its other callers.
  if (onPath.has(fn) || onPath.size > 32) return { state: { held: new Set([ANY_LOCK]), why: undefined, constructionOnly: true, assumed: false }, cut: true };
  const own = declared(fn, resolver);
  // A lambda is called only through what it is handed to: closed when that is a known caller (wait_for).
  const lambdaCallers = fn.isLambda ? index.callersOf(fn) : undefined;
  // A public method of a private class is closed only when every call of its name here is known.
  const privateClass = !fn.isLambda && !isPrivate(fn) && !isNested(fn) && privateClassCalls(fn, resolver) !== undefined;
  const inFile = !fn.isLambda && (isPrivate(fn) || isNested(fn) || privateClass);
  // Also named without a call (`flush = self._flush_some`): whoever calls it then is unknown.
  const handedOn = inFile && index.referenced().has(fn);
  const closed = lambdaCallers ? lambdaCallers.length > 0 : inFile;
  const callers = closed ? (lambdaCallers ?? index.callersOf(fn)) : [];
  let state: EntryState;
  let cut = false;
  const declaredOnly = (): EntryState => (own.held.length > 0 ? { held: new Set(own.held), why: own.why, constructionOnly: false, assumed: false } : NOTHING);
  // With no call here, a public method of a private class is called from elsewhere (a base's code, a framework).
  // A public method of a private class handed on (to a thread, say) gets none of the trust a
  // private helper's calls earn: its contract is only what its calls show, and the reference has none.
  if (!closed && own.held.length === 0 && isPublicMethod(fn)) {
    const shown = lockedByEveryCall(fn, resolver, index, onPath);
    cut ||= shown.cut;
    state = shown.held.size > 0 ? { held: shown.held, why: 'every call of it in this file holds the lock', constructionOnly: false, assumed: true } : NOTHING;
  } else if (!closed || fn.name === '__init__' || (handedOn && callers.length === 0) || (privateClass && (callers.length === 0 || handedOn))) {
    state = declaredOnly();
  } else if (callers.length === 0) {
    const elsewhere = calledUnlockedElsewhere(fn, resolver);
    state = elsewhere !== undefined ? { ...declaredOnly(), calledUnlocked: elsewhere } : { held: new Set([...own.held, ANY_LOCK]), why: own.why ?? 'it is a private helper with no caller in this file', constructionOnly: false, assumed: own.held.length === 0 };
  } else {
    onPath.add(fn);
    let common: Set<string> | undefined;
    let construction = true;
    let assumed = true;
    const calls: Array<{ node: SNode; at: ReadonlySet<string>; shown: boolean }> = [];
    for (const caller of callers) {
      const call = atCall(caller, fn, resolver, index, onPath);
      const { at, seenHere, above } = call;
      cut ||= call.cut;
      let shown = seenHere;
      if (above) {
        for (const k of above.held) at.add(k);
        shown ||= above.held.size > 0 && !above.assumed;
        // A call made while the object is being built shares nothing yet: it constrains no lock.
        if (call.building) at.add(ANY_LOCK);
        // A lock taken at the call, or shown on the caller's entry, is real; one the caller only assumes is not.
        else assumed &&= !seenHere && above.assumed;
        construction &&= call.building;
      } else {
        construction = false;
        assumed = false;
      }
      calls.push({ node: caller.node, at, shown });
      common = common ? intersect(common, at) : at;
    }
    onPath.delete(fn);
    // A call from another module without a lock: the helper runs unguarded there, where no call
    // of this file can be pointed at, so none of the locks the calls here hold is on entry.
    const elsewhere = calledUnlockedElsewhere(fn, resolver);
    if (elsewhere !== undefined) {
      common = new Set();
      construction = false;
      assumed = false;
    }
    const held = new Set([...own.held, ...(common ?? [])]);
    const split = !handedOn && held.size === 0 && !construction ? splitCallers(calls) : undefined;
    if (handedOn) {
      // Every call of it here holds the lock: that is its contract, and the reference is handed
      // to code that keeps it (waitress's `_flush_some`). Enough to stay quiet about its
      // accesses; not shown, so its writes are no evidence of what the lock guards.
      state = held.size > 0 && own.held.length === 0
        ? { held, why: 'every call of it in this file holds the lock', constructionOnly: false, assumed: true }
        : declaredOnly();
    } else {
      const why = own.why ?? (held.size > 0 ? 'every caller in this file holds the lock' : undefined);
      // Assumed only when every caller's locks were themselves assumed.
      state = { held, why, constructionOnly: construction, assumed: own.held.length === 0 && assumed && held.size > 0, ...split, ...(elsewhere !== undefined ? { calledUnlocked: elsewhere } : {}) };
    }
  }
  if (!cut || onPath.size === 0) index.states.set(fn, state);
  return { state, cut };
}

/**
 * What one call of `fn` tells of the locks held on its entry: the locks held at the call (and the
 * hand-off's own, and the receiver's lock named as `fn`'s `self.lock`), the entry state of the
 * function the call is in, and whether that function only runs while the object is built.
 */
function atCall(caller: Caller, fn: FunctionInfo, resolver: Resolver, index: Index, onPath: Set<FunctionInfo>): { at: Set<string>; seenHere: boolean; above: EntryState | undefined; building: boolean; cut: boolean } {
  const at = new Set<string>(caller.extra);
  const held = locksHeldAt(caller.node, caller.scope, resolver);
  for (const r of held) at.add(r.key);
  for (const k of asReceiverLocks(caller.node, fn, held, resolver)) at.add(k);
  const seenHere = at.size > 0;
  const callerFn = caller.scope.type === 'function' ? caller.scope : undefined;
  if (!callerFn) return { at, seenHere, above: undefined, building: false, cut: false };
  const above = compute(callerFn, resolver, index, onPath);
  // Building an object shares nothing of it yet, but a call on another object (`_sharer.register()`
  // in some `__init__`) reaches one that may long be shared. Nor does resetting it in a freshly
  // forked child (`if self._pid != os.getpid(): self._choose_filename()`, Coverage.py), which
  // runs once, on the first call after the fork, on the thread that forked.
  const fresh = UNSHARED.has(callerFn.name) || above.state.constructionOnly || inForkedChildBranch(caller.node, caller.scope, resolver);
  const building = fresh && !throughOther(caller.node, resolver, caller.scope);
  return { at, seenHere, above: above.state, building, cut: above.cut };
}

/**
 * A public method (`make_connection`) that its own module calls, each time inside a lock that the
 * call shows (`with self._lock:` around it, or a caller that shows one on entry): the locks common
 * to all those calls. Outside callers could call it bare, and nothing here can see them, so the
 * answer is taken as its contract only when every call here agrees, at least one is not made while
 * the object is built, and the method is never handed on by name (a thread target, a callback).
 * Held this way the locks are assumed: enough to stay quiet about its accesses, no evidence of
 * what the lock guards.
 */
function lockedByEveryCall(fn: FunctionInfo, resolver: Resolver, index: Index, onPath: Set<FunctionInfo>): { held: ReadonlySet<string>; cut: boolean } {
  const none = { held: new Set<string>(), cut: false };
  // A call of the name through another receiver (`emitter.start()`) may or may not reach it: a
  // public name is no class's own, so its callers here are not all known.
  if (callsThroughOthers(fn, resolver).length > 0) return none;
  const callers = index.callersOf(fn);
  if (callers.length === 0) return none;
  onPath.add(fn);
  let common: Set<string> | undefined;
  let cut = false;
  let outsideConstruction = false;
  for (const caller of callers) {
    const call = atCall(caller, fn, resolver, index, onPath);
    const { at, above } = call;
    cut ||= call.cut;
    // Only locks shown somewhere count: a caller that is itself a public method trusted this way adds its own.
    for (const k of above?.held ?? []) if (k !== ANY_LOCK || !above!.assumed) at.add(k);
    if (call.building) at.add(ANY_LOCK);
    else outsideConstruction = true;
    common = common ? intersect(common, at) : at;
    if (common.size === 0) break;
  }
  onPath.delete(fn);
  if (!outsideConstruction || !common || common.size === 0 || common.has(ANY_LOCK)) return { held: new Set(), cut };
  // Last, as it reads the module's text: only a method every call of which holds a lock gets here.
  if (namedWithoutCall(fn, resolver)) return { held: new Set(), cut };
  return { held: common, cut };
}

/** A method of a class, neither private nor a dunder: what other modules may call. */
function isPublicMethod(fn: FunctionInfo): boolean {
  return !fn.isLambda && fn.owner !== undefined && !isPrivateName(fn.name) && !fn.name.startsWith('__');
}

/**
 * The method's name written anywhere in the module other than as the callee of a call or its own
 * definition (`Thread(target=self.run_job)`, `handlers = {'x': self.on_x}`): handed on, it is
 * called by code that holds whatever it holds.
 */
function namedWithoutCall(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!IDENTIFIER_CHARS.test(fn.name)) return true;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}\\p{Pc}])${fn.name}(?![\\p{L}\\p{N}\\p{M}\\p{Pc}])`, 'gu');
  const { model } = resolver;
  for (let m = pattern.exec(model.source); m; m = pattern.exec(model.source)) {
    const id = identifierAt(model.root, m.index, m.index + m[0].length);
    if (!id) continue;
    const parent = id.parent;
    if (parent?.type === 'function_definition') continue;
    const callee = parent?.type === 'attribute' && child(parent, 'attribute') === id ? parent : id;
    if (callee.parent?.type === 'call' && callee.field === 'function') continue;
    // `obj.name` where `name` is the object (`name.x`) names another thing.
    if (parent?.type === 'attribute' && child(parent, 'object') === id) continue;
    if (parent?.type === 'keyword_argument' && id.field === 'name') continue;
    return true;
  }
  return false;
}

/** A call of this private method from another module without a lock, if the project index knows one. */
function calledUnlockedElsewhere(fn: FunctionInfo, resolver: Resolver): string | undefined {
  const path = functionPath(fn);
  return path === undefined ? undefined : ownFact(projectFactsOf(resolver.model)?.calledUnlocked, path);
}

/**
 * The locks some calls of a helper show held while others hold none of them, and those others;
 * undefined when no call shows a lock. A lock only one caller assumes proves no contract.
 */
function splitCallers(calls: ReadonlyArray<{ node: SNode; at: ReadonlySet<string>; shown: boolean }>): { heldBySome: Set<string>; unheldCalls: SNode[] } | undefined {
  const heldBySome = new Set(calls.filter((c) => c.shown).flatMap((c) => [...c.at].filter((k) => k !== ANY_LOCK)));
  if (heldBySome.size === 0) return undefined;
  const unheldCalls = calls.filter((c) => !c.at.has(ANY_LOCK) && ![...heldBySome].some((k) => c.at.has(k))).map((c) => c.node);
  return unheldCalls.length > 0 ? { heldBySome, unheldCalls } : undefined;
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  if (a.has(ANY_LOCK)) return b;
  if (b.has(ANY_LOCK)) return a;
  return new Set([...a].filter((k) => b.has(k)));
}

/** True when a lock matching `wanted` is held at `node`: in a region of its own function, or on entry to it. */
export function lockHeldAt(node: SNode, scope: Scope, resolver: Resolver, wanted: (key: string) => boolean): boolean {
  return locksHeldAt(node, scope, resolver).some((r) => wanted(r.key)) || heldOnEntry(scope, resolver, wanted);
}

/** True when a lock matching `wanted` is held on entry to `scope` (a function; else false). */
export function heldOnEntry(scope: Scope, resolver: Resolver, wanted: (key: string) => boolean): boolean {
  if (scope.type !== 'function') return false;
  const { held } = entryState(scope, resolver);
  for (const k of held) if (k === ANY_LOCK || wanted(k)) return true;
  return false;
}
