import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { answerOnce } from './answer-once';
import { argument } from './callables';
import { CONSTRUCTION, entryState } from './entry-locks';
import { callSitesOf, callsIn } from './call-sites';
import { heldRegions } from './lock-regions';
import { lockKey } from './locks';
import { attributeMentions } from './attribute-mentions';
import type { Resolver } from './resolve';
import { enclosingFunction, type ClassInfo, type FunctionInfo, type Scope } from './scope';
import type { SemanticModel } from './semantic-model';
import { inheritedThreadOf } from './inherited-threads';

const THREAD_STARTERS = new Map([['threading.Thread', 'target'], ['threading.Timer', 'function']]);

/**
 * The code one thread of an object runs and no other thread does: the thread's entry (a Thread
 * subclass's `run`, or a method handed as `target=self.m` while the object is being built, so one
 * thread per object) and the methods of the class that only it calls.
 */
export interface OwnThread {
  /** Its own `run` or target; for a `run` inherited from another module, the methods that one calls. */
  readonly entries: readonly FunctionInfo[];
  readonly methods: ReadonlySet<FunctionInfo>;
  /** Lock attributes the inherited code outside the thread takes (see InheritedThread). */
  readonly otherLocks: readonly string[];
}

const cache = new WeakMap<SemanticModel, Map<ClassInfo, OwnThread[]>>();
const NONE: ReadonlySet<string> = new Set();

function isConstruction(fn: FunctionInfo, resolver: Resolver): boolean {
  return CONSTRUCTION.has(fn.name) || entryState(fn, resolver).constructionOnly;
}

const REPEATING = new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** Inside a loop or comprehension of `root`: one thread per turn, not one per object. */
function inRepeatedCode(node: SNode, root: SNode): boolean {
  for (let n = node.parent; n && n !== root; n = n.parent) if (REPEATING.has(n.type)) return true;
  return false;
}

/** Methods of `cls` that `self.m` names in a `Thread(target=self.m)` made during construction. */
function targetsStartedInConstruction(cls: ClassInfo, resolver: Resolver): FunctionInfo[] {
  const out: FunctionInfo[] = [];
  for (const site of resolver.model.calls) {
    const fn = site.scope.type === 'function' ? site.scope : undefined;
    if (!fn || fn.owner !== cls || !fn.receiver || !isConstruction(fn, resolver)) continue;
    const q = resolver.qualifiedName(site.callee, site.scope);
    if (!q || !THREAD_STARTERS.has(q) || inRepeatedCode(site.node, fn.node)) continue;
    const target = argument(site.node, THREAD_STARTERS.get(q)!, 1, resolver);
    const node = target ? unparenthesize(target) : undefined;
    const object = node?.type === 'attribute' ? child(node, 'object') : undefined;
    const attr = node?.type === 'attribute' ? child(node, 'attribute') : undefined;
    if (!object || !attr || object.type !== 'identifier' || resolver.text(object) !== fn.receiver) continue;
    const name = resolver.text(attr);
    if (referencesOf(name, cls, resolver) !== 1) continue;
    for (const m of cls.methods.get(name) ?? []) if (!m.isAsync) out.push(m);
  }
  return out;
}

/**
 * `self.pool.submit(self.m, ...)` where construction made `self.pool` a one-worker thread pool
 * (`ThreadPoolExecutor(max_workers=1)`) and nothing else assigns it: every job of that pool runs on
 * its one worker, one after another, so a method handed only to it has one thread per object, as a
 * thread target does (swiftclient's error printer counting errors).
 */
function targetsOfOneWorkerPools(cls: ClassInfo, resolver: Resolver): FunctionInfo[] {
  return oneWorkerJobs(resolver).get(cls) ?? [];
}

const jobsByModel = new WeakMap<SemanticModel, Map<ClassInfo, FunctionInfo[]>>();

/** Per class, the methods handed only to one of its one-worker pools: two passes over the module's calls, for all classes. */
function oneWorkerJobs(resolver: Resolver): Map<ClassInfo, FunctionInfo[]> {
  const known = jobsByModel.get(resolver.model);
  if (known) return known;
  const out = new Map<ClassInfo, FunctionInfo[]>();
  jobsByModel.set(resolver.model, out);
  const pools = oneWorkerPools(resolver);
  if (pools.size === 0) return out;
  const submitted = new Map<ClassInfo, Map<string, { pool: string; count: number } | null>>();
  for (const site of resolver.model.calls) {
    const fn = site.scope.type === 'function' ? site.scope : undefined;
    const cls = fn?.owner;
    if (!fn || !cls || !pools.has(cls) || !fn.receiver || site.callee.type !== 'attribute' || !resolver.textIs(child(site.callee, 'attribute')!, 'submit')) continue;
    const pool = child(site.callee, 'object')!;
    const poolName = pool.type === 'attribute' && resolver.text(child(pool, 'object')!) === fn.receiver ? resolver.text(child(pool, 'attribute')!) : undefined;
    const job = argument(site.node, undefined, 0, resolver);
    const node = job ? unparenthesize(job) : undefined;
    const object = node?.type === 'attribute' ? child(node, 'object') : undefined;
    if (!poolName || !pools.get(cls)!.has(poolName) || !object || resolver.text(object) !== fn.receiver) continue;
    const name = resolver.text(child(node!, 'attribute')!);
    let byName = submitted.get(cls);
    if (!byName) submitted.set(cls, (byName = new Map()));
    const seen = byName.get(name);
    if (seen === undefined) byName.set(name, { pool: poolName, count: 1 });
    else if (seen && seen.pool === poolName) seen.count++;
    // The same method handed to two pools runs on two threads.
    else byName.set(name, null);
  }
  for (const [cls, byName] of submitted) {
    const jobs: FunctionInfo[] = [];
    for (const [name, use] of byName) {
      if (!use || referencesOf(name, cls, resolver) !== use.count) continue;
      for (const m of cls.methods.get(name) ?? []) if (!m.isAsync) jobs.push(m);
    }
    out.set(cls, jobs);
  }
  return out;
}

/** Per class, the attributes of `self` that construction alone assigns, to a thread pool of one worker. */
function oneWorkerPools(resolver: Resolver): Map<ClassInfo, Set<string>> {
  const out = new Map<ClassInfo, Set<string>>();
  const made = new Set<SNode>();
  for (const site of resolver.model.calls) {
    const fn = site.scope.type === 'function' ? site.scope : undefined;
    const assignment = site.node.parent;
    const left = assignment?.type === 'assignment' && child(assignment, 'right') === site.node ? child(assignment, 'left') : undefined;
    if (!fn?.owner || !fn.receiver || left?.type !== 'attribute' || resolver.text(child(left, 'object')!) !== fn.receiver) continue;
    if (!isConstruction(fn, resolver) || resolver.kindOf(site.node, site.scope) !== 'thread-executor') continue;
    const workers = argument(site.node, 'max_workers', 0, resolver);
    if (!workers || resolver.text(unparenthesize(workers)) !== '1') continue;
    let names = out.get(fn.owner);
    if (!names) out.set(fn.owner, (names = new Set()));
    names.add(resolver.text(child(left, 'attribute')!));
    made.add(left);
  }
  // Assigned anywhere else (a bigger pool, a replacement after shutdown): not one worker for sure.
  for (const [cls, names] of out) {
    for (const name of [...names]) {
      for (const { node, scope } of attributeMentions(resolver).get(name) ?? []) {
        const parent = node.parent;
        if (made.has(node) || (parent?.type !== 'assignment' && parent?.type !== 'augmented_assignment') || child(parent, 'left') !== node) continue;
        const object = child(node, 'object');
        const owner = object ? (resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope)) : undefined;
        // Another class's attribute of the same name.
        if (!owner || owner === cls) names.delete(name);
      }
    }
  }
  return out;
}

/**
 * How often `.name` is taken without being called: a method handed only to the one
 * `Thread(target=...)` is run by that thread alone, one handed to a pool or a callback too is not.
 */
function referencesOf(name: string, cls: ClassInfo, resolver: Resolver): number {
  let count = 0;
  for (const { node: n, scope } of attributeMentions(resolver).get(name) ?? []) {
    const object = child(n, 'object');
    const parent = n.parent;
    if (!object || (parent?.type === 'call' && child(parent, 'function') === n)) continue;
    const owner = resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope);
    if (!owner || owner === cls) count++;
  }
  return count;
}

/** Methods of the same class that `fn` calls directly. */
function classCallees(fn: FunctionInfo, cls: ClassInfo, resolver: Resolver): FunctionInfo[] {
  return callsIn(fn, resolver).flatMap((site) => (resolver.localFunctions(site.callee, site.scope) ?? []).filter((c) => c.owner === cls && !c.isAsync));
}

/**
 * The object's own threads of `cls`. A method reached from the entry counts as the thread's only
 * when no other method of the class (construction aside) calls it as well.
 */
export function ownThreads(cls: ClassInfo, resolver: Resolver): OwnThread[] {
  let perClass = cache.get(resolver.model);
  if (!perClass) cache.set(resolver.model, (perClass = new Map()));
  const known = perClass.get(cls);
  if (known) return known;
  const roots: Array<{ entries: FunctionInfo[]; blockedNames: ReadonlySet<string>; otherLocks: readonly string[] }> = [];
  for (const target of targetsStartedInConstruction(cls, resolver)) roots.push({ entries: [target], blockedNames: NONE, otherLocks: [] });
  for (const target of targetsOfOneWorkerPools(cls, resolver)) roots.push({ entries: [target], blockedNames: NONE, otherLocks: [] });
  if (resolver.classKind(cls) === 'thread') {
    const run = cls.methods.get('run');
    const inherited = run ? undefined : inheritedThreadOf(cls, resolver.model);
    if (run) for (const r of run) roots.push({ entries: [r], blockedNames: NONE, otherLocks: [] });
    else if (inherited) {
      // `run()` lives in a base class elsewhere: the methods it calls here are the thread's entries,
      // unless the bases' other methods (run on the callers' threads) call them as well.
      const blockedNames = new Set(inherited.otherCalls);
      const entries = inherited.runCalls.filter((n) => !blockedNames.has(n)).flatMap((n) => (cls.methods.get(n) ?? []).filter((m) => !m.isAsync));
      if (entries.length > 0) roots.push({ entries, blockedNames, otherLocks: inherited.otherLocks });
    }
  }
  const out: OwnThread[] = [];
  for (const { entries, blockedNames, otherLocks } of roots) {
    // What other code of the class calls runs on the callers' threads too: leave it out, and
    // what only it reaches, until nothing changes.
    const blocked = new Set<FunctionInfo>();
    let methods = new Set<FunctionInfo>();
    for (let changed = true; changed; ) {
      methods = new Set(entries);
      const queue = [...entries];
      while (queue.length > 0) {
        for (const callee of classCallees(queue.shift()!, cls, resolver)) {
          if (!methods.has(callee) && !blocked.has(callee) && !blockedNames.has(callee.name)) {
            methods.add(callee);
            queue.push(callee);
          }
        }
      }
      changed = false;
      if (entries.some((e) => blocked.has(e))) break;
      for (const methodsNamed of cls.methods.values()) {
        for (const m of methodsNamed) {
          if (methods.has(m) || isConstruction(m, resolver)) continue;
          for (const callee of classCallees(m, cls, resolver)) {
            if (methods.has(callee) && !blocked.has(callee)) {
              blocked.add(callee);
              changed = true;
            }
          }
        }
      }
    }
    if (!entries.some((e) => blocked.has(e))) out.push({ entries, methods, otherLocks });
  }
  perClass.set(cls, out);
  return out;
}

/** The own thread of its class that alone runs `fn`, if any. */
export function ownThreadRunning(fn: FunctionInfo, resolver: Resolver): OwnThread | undefined {
  if (!fn.owner) return undefined;
  const threads = ownThreads(fn.owner, resolver).filter((t) => t.methods.has(fn));
  return threads.length === 1 ? threads[0] : undefined;
}

const builtFirst = new WeakMap<SemanticModel, Map<FunctionInfo, boolean>>();

/**
 * True for construction, and for a method the class calls only while it builds the object (a
 * `clear()` or `reset()` that `__init__` calls to set the initial values) and nowhere else in
 * the file: its writes happen before the object's own thread starts.
 */
export function runsBeforeOwnThread(fn: FunctionInfo, resolver: Resolver): boolean {
  return answerOnce(builtFirst, resolver.model, fn, () => calledOnlyWhileBuilding(fn, resolver));
}

function calledOnlyWhileBuilding(fn: FunctionInfo, resolver: Resolver): boolean {
  if (isConstruction(fn, resolver)) return true;
  if (!fn.owner) return false;
  let called = false;
  for (const site of callSitesOf(fn, resolver)) {
    const caller = site.scope.type === 'function' ? site.scope : undefined;
    if (!caller || caller.owner !== fn.owner || !isConstruction(caller, resolver)) return false;
    called = true;
  }
  return called;
}

/**
 * True when the lock behind `key` (an attribute of the class, `attr:...`) is taken, and named at
 * all, only by code that the object's own thread `thread` runs, or while the object is built:
 * no other thread can ever wait for it. Any other mention (a method of the class outside that
 * thread, the lock handed out, `other._lock` on an object not known to be this one) may be
 * another thread's use.
 */
export function lockConfinedToOwnThread(key: string, thread: OwnThread, resolver: Resolver): boolean {
  if (!key.startsWith('attr:')) return false;
  const name = key.slice(key.lastIndexOf('.') + 1);
  if (thread.otherLocks.includes(name)) return false;
  for (const fn of resolver.model.functions) {
    if (thread.methods.has(fn)) continue;
    if (heldRegions(fn, resolver).some((r) => r.key === key)) return false;
  }
  for (const { node, scope: here } of attributeMentions(resolver).get(name) ?? []) {
    const fn = here.type === 'function' ? here : undefined;
    const allowed = !!fn && (thread.methods.has(fn) || (fn.owner !== undefined && runsBeforeOwnThread(fn, resolver)));
    const object = child(node, 'object');
    const known = object ? resolver.receiverClass(object, here) ?? resolver.classNamed(object, here) : undefined;
    const same = lockKey(node, here, resolver) === key;
    if ((same || !known) && !allowed) return false;
  }
  return true;
}

/**
 * True for `self.<attr>` in code that only the object's own thread executes (a Thread subclass's
 * `run`, or a method handed as `Thread(target=self.m)` while the object is built), when no other
 * method writes that attribute: one thread per instance, one writer, no lost update (the actor
 * pattern keeps its state this way; other threads may read it, and a check it makes on it stays
 * true until it acts, as no one else changes it). Methods only that thread reaches,
 * and construction, which runs before the thread starts, do not count as other writers.
 */
export function writtenOnlyByOwnThread(target: SNode, scope: Scope, resolver: Resolver): boolean {
  const fn = enclosingFunction(scope);
  const cls = fn?.owner;
  let base = unparenthesize(target);
  while (base.type === 'subscript') base = unparenthesize(child(base, 'value') ?? base);
  const object = base.type === 'attribute' ? child(base, 'object') : undefined;
  const attr = base.type === 'attribute' ? child(base, 'attribute') : undefined;
  if (!fn || !cls || !object || !attr || object.type !== 'identifier' || resolver.text(object) !== fn.receiver) return false;
  const thread = ownThreadRunning(fn, resolver);
  if (!thread) return false;
  const name = resolver.text(attr);
  for (const methods of cls.methods.values()) {
    for (const m of methods) {
      if (thread.methods.has(m) || runsBeforeOwnThread(m, resolver)) continue;
      if (writesAttribute(m.node, m.receiver, name, resolver)) return false;
    }
  }
  return true;
}

/** Assigns `<receiver>.<attr>` (or an item of it), or calls a method on it. */
function writesAttribute(root: SNode, receiver: string | undefined, attr: string, resolver: Resolver): boolean {
  if (!receiver) return false;
  const assigned = new RegExp(`^${receiver}\\s*\\.\\s*${attr}\\b(?!\\s*\\()`);
  const receiverOfCall = new RegExp(`^${receiver}\\s*\\.\\s*${attr}$`);
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = child(n, 'left');
      if (left && assigned.test(resolver.text(left))) found = true;
    } else if (n.type === 'delete_statement') {
      if (namedChildren(n).some((t) => assigned.test(resolver.text(t)))) found = true;
    } else if (n.type === 'call') {
      const callee = child(n, 'function');
      const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
      if (object && receiverOfCall.test(resolver.text(object))) found = true;
    }
    return !found;
  });
  return found;
}
