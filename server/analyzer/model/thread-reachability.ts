import { classPath, inheritedThreadOf } from './inherited-threads';
import { own, projectFactsOf } from './project-facts';
import { child, unparenthesize, type SNode } from '../syntax';
import { argument } from './callables';
import { queueHandoffMethods, queueHandoffNames, queueHandoffTarget, type QueueHandoffMethod } from './queue-workers';
import { callsIn } from './call-sites';
import { frameworkThreadEntries } from '../frameworks/entry-points';
import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import type { ClassInfo, FunctionInfo, Scope } from './scope';

/** How a function came to run on a thread other than the one that started it. */
export interface ThreadEntry {
  readonly fn: FunctionInfo;
  /** `Thread(target=worker)`, `pool.submit(job)`, `Worker.run`: for messages. */
  readonly via: string;
  /**
   * Set when no hand-off was seen and the code counts as concurrent only because its class owns
   * a lock: then only the attributes the class itself treats as shared (touches under the lock)
   * are shared state.
   */
  readonly lockOwner?: ClassInfo;
  /**
   * Set when a framework makes an instance per call (a class-based view per request) or never runs
   * one instance's method twice at once: only globals and class attributes are shared, not `self`'s.
   */
  readonly instancePerCall?: boolean;
}

const THREAD_STARTERS = new Map([['threading.Thread', 'target'], ['threading.Timer', 'function']]);
const THREAD_EXECUTORS = new Set(['thread-executor', 'thread-pool']);

const cache = new WeakMap<SemanticModel, Map<FunctionInfo, ThreadEntry>>();

function callablesIn(expr: SNode, scope: Scope, resolver: Resolver): FunctionInfo[] {
  const node = unparenthesize(expr);
  if (node.type === 'lambda') {
    const fn = resolver.model.scopeOf.get(node);
    return fn && fn.type === 'function' ? [fn] : [];
  }
  return (resolver.localFunctions(node, scope) ?? []).filter((f) => !f.isAsync);
}

/** A call that hands a callable to a thread: `Thread(target=f)`, `pool.submit(f)`, `asyncio.to_thread(f)`, `loop.run_in_executor(None, f)`. */
export interface ThreadHandoff {
  readonly site: CallSite;
  /** The callable argument, as written. */
  readonly target: SNode;
}

const handoffs = new WeakMap<SemanticModel, ThreadHandoff[]>();

/** The module's thread hand-offs, once per model. */
export function threadHandoffs(resolver: Resolver): readonly ThreadHandoff[] {
  let found = handoffs.get(resolver.model);
  if (found) return found;
  found = [];
  for (const site of resolver.model.calls) {
    const q = resolver.qualifiedName(site.callee, site.scope);
    let target: SNode | undefined;
    if (q && THREAD_STARTERS.has(q)) target = argument(site.node, THREAD_STARTERS.get(q)!, 1, resolver);
    else if (q === 'asyncio.to_thread') target = argument(site.node, undefined, 0, resolver);
    else if (site.callee.type === 'attribute') {
      const attr = resolver.text(child(site.callee, 'attribute')!);
      const object = child(site.callee, 'object')!;
      if (attr === 'run_in_executor') target = argument(site.node, undefined, 1, resolver);
      else if ((attr === 'submit' || attr === 'map') && THREAD_EXECUTORS.has(resolver.kindOf(object, site.scope) ?? '')) {
        target = argument(site.node, undefined, 0, resolver);
      }
    }
    if (target) found.push({ site, target });
  }
  // Calls of methods that hand their argument to a worker thread through a queue; the workers are
  // the classes' thread code found above.
  const targetsByClass = new Map<ClassInfo, FunctionInfo[]>();
  for (const { site, target } of found) {
    for (const fn of callablesIn(target, site.scope, resolver)) {
      if (fn.owner) (targetsByClass.get(fn.owner) ?? targetsByClass.set(fn.owner, []).get(fn.owner)!).push(fn);
    }
  }
  const workers = (cls: ClassInfo) => [...(targetsByClass.get(cls) ?? []), ...(cls.methods.has('run') && resolver.classKind(cls) === 'thread' ? cls.methods.get('run')! : [])];
  const local = queueHandoffMethods(resolver, workers);
  queueHandoffs.set(resolver.model, local);
  const names = queueHandoffNames(local, resolver);
  for (const site of names.size > 0 ? resolver.model.calls : []) {
    if (site.callee.type !== 'attribute' || !names.has(resolver.text(child(site.callee, 'attribute')!))) continue;
    const target = queueHandoffTarget(site, local, resolver);
    if (target) found.push({ site, target });
  }
  handoffs.set(resolver.model, found);
  return found;
}

const queueHandoffs = new WeakMap<SemanticModel, ReadonlyMap<FunctionInfo, QueueHandoffMethod>>();

/** The module's methods that hand a parameter to a worker thread of their class through a queue (queue-workers.ts). */
export function moduleQueueHandoffs(resolver: Resolver): ReadonlyMap<FunctionInfo, QueueHandoffMethod> {
  threadHandoffs(resolver);
  return queueHandoffs.get(resolver.model)!;
}

/** The dotted path of a function within its module (`worker`, `Cls.method`); undefined inside a function. */
export function functionPath(fn: FunctionInfo): string | undefined {
  if (fn.isLambda) return undefined;
  if (fn.parent?.type === 'module') return fn.name;
  if (fn.parent?.type === 'class') {
    const cls = classPath(fn.parent);
    return cls === undefined ? undefined : `${cls}.${fn.name}`;
  }
  return undefined;
}

/**
 * Functions of this module that run on worker threads: thread targets, thread-pool jobs,
 * `to_thread`/`run_in_executor` callables, `run` of Thread subclasses, functions a framework runs
 * on its worker threads (frameworks/entry-points.ts), and everything they call
 * in the module. Process targets are not here: they share no memory with this process.
 */
export function threadReachable(resolver: Resolver): Map<FunctionInfo, ThreadEntry> {
  const known = cache.get(resolver.model);
  if (known) return known;
  const out = new Map<FunctionInfo, ThreadEntry>();
  const queue: ThreadEntry[] = [];
  const add = (fn: FunctionInfo, via: string, instancePerCall?: boolean) => {
    if (!out.has(fn)) {
      const entry = instancePerCall ? { fn, via, instancePerCall } : { fn, via };
      out.set(fn, entry);
      queue.push(entry);
    }
  };
  for (const { site, target } of threadHandoffs(resolver)) {
    for (const fn of callablesIn(target, site.scope, resolver)) add(fn, resolver.text(site.callee));
  }
  // Functions that other modules of the project hand to a thread (the project index says which).
  const entries = projectFactsOf(resolver.model)?.threadEntries;
  if (entries && Object.keys(entries).length > 0) {
    for (const fn of resolver.model.functions) {
      const path = functionPath(fn);
      const entry = path === undefined ? undefined : own(entries, path);
      if (entry !== undefined && !fn.isAsync) add(fn, entry.via, entry.instancePerCall);
    }
  }
  for (const cls of resolver.model.classes) {
    if (resolver.classKind(cls) !== 'thread') continue;
    for (const run of cls.methods.get('run') ?? []) add(run, `${cls.name}.run`);
    // A `run()` inherited from a base class in another module: what it calls here runs on the thread.
    const inherited = cls.methods.has('run') ? undefined : inheritedThreadOf(cls, resolver.model);
    for (const name of inherited?.runCalls ?? []) for (const m of cls.methods.get(name) ?? []) if (!m.isAsync) add(m, `${cls.name}.run`);
  }
  // Routes, views, tasks and executor jobs that a framework runs on its worker threads.
  for (const e of frameworkThreadEntries(resolver)) add(e.fn, e.via, e.instancePerCall);
  while (queue.length > 0) {
    const entry = queue.shift()!;
    for (const site of callsIn(entry.fn, resolver)) {
      for (const callee of resolver.localFunctions(site.callee, site.scope) ?? []) {
        if (!callee.isAsync) add(callee, entry.via, entry.instancePerCall);
      }
    }
  }
  cache.set(resolver.model, out);
  return out;
}

/**
 * The thread entry for the function running code in `scope`. A lambda is its own function: it
 * runs wherever it is handed (a lambda given to call_soon_threadsafe runs on the loop).
 */
export function threadEntryFor(scope: Scope, resolver: Resolver): ThreadEntry | undefined {
  return scope.type === 'function' ? threadReachable(resolver).get(scope) : undefined;
}

/**
 * Shared state a statement touches: a module global (`counter`, `CACHE[k]`) or an attribute of
 * `self`. Returns the text to show, or undefined for locals.
 */
export function sharedTarget(expr: SNode, scope: Scope, resolver: Resolver): string | undefined {
  let node = unparenthesize(expr);
  while (node.type === 'subscript') node = unparenthesize(child(node, 'value') ?? node);
  if (node.type === 'identifier') {
    const found = resolver.lookup(resolver.text(node), scope);
    return found?.scope.type === 'module' && found.bindings.every((b) => b.kind === 'assign' || b.kind === 'other') ? resolver.text(expr) : undefined;
  }
  if (node.type === 'attribute') {
    const object = child(node, 'object');
    if (object && resolver.receiverClass(object, scope)) return resolver.text(expr);
    if (object && resolver.classNamed(object, scope)) return resolver.text(expr);
  }
  return undefined;
}
