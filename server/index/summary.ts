import type { Kind } from '../analyzer/model/known-types';
/**
 * What one module tells the rest of the project, as plain data: no tree nodes and no Maps, so a
 * summary crosses worker threads, the disk cache and `structuredClone` unchanged.
 */

/** Where something is: UTF-16 offsets and the 0-based line/character of both ends. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/** How the code around a call on an event loop runs, for messages and advice. */
export interface LoopContext {
  /** `async def 'fetch'`, `coroutine 'fetch'`, or the framework's own words. */
  readonly description: string;
  /** The advice that fits: `await asyncio.to_thread`, yielding an executor job, or an executor job. */
  readonly advice: 'to_thread' | 'yield' | 'executor';
}

/** A thread lock, named so that every module means the same lock by it. */
export interface LockFact {
  /** `pkg.locks.LOCK` for a module-level lock, `pkg.mod.Cls._lock` for a class's (all instances share the name). */
  readonly id: string;
  /** As written where it is taken (`self._lock`). */
  readonly text: string;
  /** An RLock (or a Condition over one): taking it again on the same thread does not hang. */
  readonly reentrant: boolean;
  /** The `with` item or the `acquire()` call. */
  readonly span: Span;
  /**
   * Taken with `with NAME:` where NAME comes from another module: a lock only if that module
   * defines one under the name (the index decides, and fills in `reentrant`).
   */
  readonly maybe?: true;
}

/** A module-level thread lock (`LOCK = threading.Lock()`), which other modules may import. */
export interface LockDefinition {
  readonly name: string;
  readonly reentrant: boolean;
}

export interface CallFact {
  /** The qualified name called, as far as this module can tell (`pkg.db.load`, `pkg.db.Client.__init__` is written `pkg.db.Client`); `?._name` for a private method of a receiver it cannot name. */
  readonly target: string;
  /** The callee as written (`db.load`). */
  readonly text: string;
  readonly span: Span;
  readonly awaited: boolean;
  /** The call is a statement of its own: its result is dropped. */
  readonly dropped: boolean;
  /** Set when this call runs on an event loop (in a coroutine, or a lambda in one that is not handed off). */
  readonly loop?: LoopContext;
  /** The result's only use is a truth test (`if f():`). */
  readonly truth?: true;
  /** Made in a lambda: not a call of the function around it, though it may run on its loop. */
  readonly viaLambda?: true;
  /** Directly in an `async def`, where `await` may be added. */
  readonly canAwait?: true;
  /**
   * The call asks its callee not to wait (`block=False`, `blocking=False`, `wait=False`,
   * `timeout=0`): a chain is not followed through it, as `q.put(x, block=False)` is not a wait.
   */
  readonly noWait?: true;
  /** Made only on some paths through its function (a branch, an `except`, after an early return). */
  readonly sometimes?: true;
  /** Its result is iterated or entered where it is made (`for x in f():`, `with f():`): a generator's body runs there. */
  readonly consumed?: true;
  /** Made only in a process forked since setup (see fork-branch.ts): no chain is followed through it. */
  readonly afterFork?: true;
  /** Thread locks held while the call runs, outermost first. */
  readonly held?: readonly LockFact[];
  /**
   * The held locks keep no other thread waiting on this call: a lock only this function takes,
   * for turns at the same work or to build once what every holder wants (see lock-turns.ts).
   * TW404 across modules leaves such a call alone, as the module's own TW404 does.
   */
  readonly waitsNobody?: true;
  /** A lock is held that has no name other modules share (`with self.client._lock:`); `held` is empty. */
  readonly locked?: true;
  /** Arguments that are thread locks, for a callee that takes its parameters' locks. */
  readonly lockArgs?: readonly LockArgFact[];
}

export interface BlockingFact {
  /** The blocking call's name as the single-file rules report it (`time.sleep`, `requests.get`). */
  readonly name: string;
  readonly span: Span;
}

export interface FunctionSummary {
  /** `pkg.mod.func` or `pkg.mod.Cls.meth`. */
  readonly qname: string;
  readonly name: string;
  /** The name in its `def`. */
  readonly span: Span;
  readonly isAsync: boolean;
  /** An `async def` whose call certainly makes a coroutine (no `yield`, no decorator that could wrap it). */
  readonly coroutineFunction: boolean;
  /** `@types.coroutine` and the like: runs on the loop, but not through `async def`. */
  readonly generatorCoroutine: boolean;
  /** A decorator runs it in a worker thread (`@run_on_executor`, `@sync_to_async`). */
  readonly offloaded: boolean;
  /** A generator function (plain or `@contextmanager`): a call runs its body only where it is iterated or entered. */
  readonly generator?: true;
  /** The first call in its own body that blocks, as the single-file rules see it. */
  readonly blocking?: BlockingFact;
  /**
   * The first call in its own body that waits for something other than a lock: taking another
   * lock briefly is lock order (TW407's subject), not slow work, so a chain reached while a lock
   * is held (TW404) looks for this one.
   */
  readonly slow?: BlockingFact;
  /** As `blocking` and `slow`, but only calls made on every path through the body (see every-path.ts). */
  readonly blockingAlways?: BlockingFact;
  readonly slowAlways?: BlockingFact;
  /** Calls in its own body (not in nested functions) whose target has a qualified name. */
  readonly calls: readonly CallFact[];
  /** Thread locks it takes itself (blocking acquisitions), with the locks already held at each, outermost first. */
  readonly locks: ReadonlyArray<LockFact & { readonly held: readonly LockFact[] }>;
  /** Shared state it changes in its own body (module globals, `self`/class attributes), with the locks held there. */
  readonly writes?: readonly WriteFact[];
  /**
   * Shared state it reads in its own body that some function of the module changes (state nothing
   * changes after construction is left out: reading it races with nothing), with the locks held
   * there; the first read of each.
   */
  readonly reads?: readonly WriteFact[];
  /** A framework runs it on its worker threads (a sync FastAPI route, a Django view): how, for messages. */
  readonly threadEntry?: string;
  /** Locks its callers choose: `with first:` on a parameter (each call's lock arguments say which). */
  readonly paramLocks?: readonly ParamLockFact[];
  /** Two locks it nests where at least one is a parameter's (`with first: with second:`). */
  readonly paramOrders?: readonly ParamOrderFact[];
}

/** One change (or, in `reads`, one read) of shared state: `COUNT += 1`, `self._items.append(x)`, `CACHE[k] = v`. */
export interface WriteFact {
  /** The state as written (`self._items`, `CACHE[k]`). */
  readonly target: string;
  /** The thread locks held there, as written, outermost first. */
  readonly locks: readonly string[];
  /** 0-based; a line is all the hover shows, and summaries stay small. */
  readonly line: number;
}

/** A `with` on a parameter: the lock is whatever the caller passes there. */
export interface ParamLockFact {
  /** Position among a call's arguments (a method's receiver not counted); -1 for keyword-only. */
  readonly index: number;
  /** The parameter's name, for keyword arguments. */
  readonly name: string;
  readonly text: string;
  readonly span: Span;
}

/** Held `first`, then took `second` at `span`: a lock fact, or an index into `paramLocks`. */
export interface ParamOrderFact {
  readonly first: LockFact | number;
  readonly second: LockFact | number;
  readonly span: Span;
  /** A branch under `first` decides whether `second` is taken (`if src is not dst:`). */
  readonly guarded?: true;
}

/** An argument that is a thread lock, by position (the receiver not counted) or keyword. */
export interface LockArgFact {
  readonly at: number | string;
  readonly lock: LockFact;
}

export interface ClassSummary {
  readonly qname: string;
  readonly name: string;
  readonly span: Span;
  /** Bases as qualified names, where they have one. */
  readonly bases: readonly string[];
  /** Method names, each a FunctionSummary at `${qname}.${name}`. */
  readonly methods: readonly string[];
}

export interface ImportFact {
  /** The name bound in the module (`c` for `import a.b as c`, `a` for `import a.b`). */
  readonly local: string;
  /** The absolute qualified name it stands for (`a.b`, `pkg.helpers.load`). */
  readonly target: string;
}

export interface ModuleSummary {
  /**
   * A test file (the `test-files` setting): threads its tests start do not make the functions
   * they call thread code of the product.
   */
  readonly testFile?: true;
  /** Bumped when the shape changes, so older cached summaries are not trusted. */
  readonly version: number;
  readonly module: string;
  readonly file: string;
  readonly contentHash: string;
  /** Module-level bindings that come from imports: how re-exports and aliases resolve. */
  readonly imports: readonly ImportFact[];
  /** Every module this one imports (absolute, whole dotted names): what its findings depend on. */
  readonly dependsOn: readonly string[];
  readonly functions: readonly FunctionSummary[];
  readonly classes: readonly ClassSummary[];
  /** Calls at module level and in class bodies. */
  readonly calls: readonly CallFact[];
  /** Module-level thread locks. */
  readonly locks: readonly LockDefinition[];
  /** Named callables this module hands to a thread (its own and other modules'): what runs them there. */
  readonly handoffs: readonly HandoffFact[];
  /** What the module's own names are, where the single-file model knows (for importers). */
  readonly kinds: KindFacts;
}

/** `Thread(target=jobs.worker)`, `pool.submit(jobs.worker)`, `asyncio.to_thread(jobs.worker)`. */
export interface HandoffFact {
  /** The qualified name of the callable handed over. */
  readonly target: string;
  /** The call that hands it over, as written: `threading.Thread`, `pool.submit`. */
  readonly via: string;
  /** Where, and in which function of the module (its qualified name; absent at module level). */
  readonly span: Span;
  readonly caller?: string;
  /** Arguments the callable is started with that are thread locks (`args=(A, B)`). */
  readonly lockArgs?: readonly LockArgFact[];
}

/**
 * Kinds of module-level names (see known-types.ts), as name-kind pairs: plain lists, not objects
 * keyed by Python names, which may be `__proto__`.
 */
export interface KindFacts {
  /** Objects: `POOL = ThreadPoolExecutor()`. */
  readonly objects: ReadonlyArray<readonly [string, Kind]>;
  /** Classes, by the kind of their instances: `class Worker(threading.Thread)`. */
  readonly classes: ReadonlyArray<readonly [string, Kind]>;
  /** Functions, by the kind of what they return: `def make_pool(): return ThreadPoolExecutor()`. */
  readonly returns: ReadonlyArray<readonly [string, Kind]>;
  /** Functions that build a new executor or pool for their caller on each call, by its class name (`ThreadPoolExecutor`). */
  readonly makes?: ReadonlyArray<readonly [string, string]>;
  /** Methods (`Cls.submit`) that hand a parameter (its name, its position after `self`) to a worker thread through a queue. */
  readonly handoffs?: ReadonlyArray<readonly [string, string, number]>;
}

/** The kind a list of name-kind pairs gives a name. */
export function kindNamed(pairs: ReadonlyArray<readonly [string, Kind]>, name: string): Kind | undefined {
  for (const [n, k] of pairs) if (n === name) return k;
  return undefined;
}

export const SUMMARY_VERSION = 11;
