import type { InheritedThreads } from './inherited-threads';
import type { Kind } from './known-types';
import type { SemanticModel } from './semantic-model';

/** What the kinds of a name imported from another module of the project are, as its module says. */
export interface ImportedKinds {
  /** The name is an object of this kind (`POOL = ThreadPoolExecutor()`). */
  readonly object?: Kind;
  /** The name is a class whose instances are of this kind (`class Worker(threading.Thread)`). */
  readonly instance?: Kind;
  /** The name is a function that returns objects of this kind (`def make_pool(): return ThreadPoolExecutor()`). */
  readonly returns?: Kind;
  /** The name is a function that builds a new pool of this class for its caller on every call (pool-factories.ts). */
  readonly makes?: string;
  /**
   * The name is a class whose methods hand a parameter to a worker thread through a queue
   * (queue-workers.ts): method name -> that parameter.
   */
  readonly handoffs?: Readonly<Record<string, { readonly param: string; readonly position: number }>>;
}

/** How another module makes a function of this file run on a thread. */
export interface ThreadEntryFact {
  readonly via: string;
  /**
   * Reached as a method of an object that thread code of another module calls: which threads
   * share that object is not known, so only globals and class attributes count as shared, not
   * `self`'s (a connection's reader thread calling its own packetizer is not a race).
   */
  readonly instancePerCall?: true;
}

/**
 * What the project index tells one file's own rules about the rest of the project: facts a single
 * file cannot see. Plain data, so it crosses worker threads as summaries do.
 */
export interface ProjectFacts {
  /** Classes of the file that are threads through base classes in other modules (inherited-threads.ts). */
  readonly threads?: InheritedThreads;
  /**
   * Functions of the file (by dotted path: `worker`, `Cls.method`) that run on a thread because of
   * another module: handed to a thread there (`Thread(target=jobs.worker)`), or called from its
   * thread code. With how (for messages).
   */
  readonly threadEntries?: Readonly<Record<string, ThreadEntryFact>>;
  /**
   * Private methods of the file's classes (`Cls._helper`) that another module calls without a
   * lock held, with the first such call: their callers are not all in this file.
   */
  readonly calledUnlocked?: Readonly<Record<string, string>>;
  /** Names the file imports from other modules of the project (`from .pools import POOL`), by local name. */
  readonly imported?: Readonly<Record<string, ImportedKinds>>;
  /**
   * Sync functions and classes of the file (by dotted path: `helper`, `Cls.method`, `Cls` for its
   * constructor) that other modules call only from coroutines, and that no package `__init__`
   * re-exports for users: they run while a loop runs (loop-only-callers.ts in the index). False
   * for one another module calls from plain code: its own module's calls are not all its calls.
   * Kept only for files that call `asyncio.get_event_loop()`, the one question they answer.
   */
  readonly loopOnly?: Readonly<Record<string, boolean>>;
}

// Kept per model, as the project's user calls are: the resolver's helpers only see the model.
const byModel = new WeakMap<SemanticModel, ProjectFacts>();

export function setProjectFacts(model: SemanticModel, facts: ProjectFacts | undefined): void {
  if (facts) byModel.set(model, facts);
}

export function projectFactsOf(model: SemanticModel): ProjectFacts | undefined {
  return byModel.get(model);
}

/** True when the facts say nothing: a view without other modules, or a file nothing reaches. */
export function noFacts(facts: ProjectFacts | undefined): boolean {
  if (!facts) return true;
  const empty = (r: object | undefined) => !r || Object.keys(r).length === 0;
  return empty(facts.threads) && empty(facts.threadEntries) && empty(facts.imported) && empty(facts.calledUnlocked) && empty(facts.loopOnly);
}

/**
 * An empty record for names taken from Python code: without a prototype, so a module that defines
 * `__proto__` (a valid Python name) sets an entry like any other instead of the record's prototype.
 */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** An own property of a record of facts: names from the workspace must not reach `Object.prototype`. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A method name private by convention (`_flush`), neither a dunder nor name-mangled: other modules
 * call such a method by its name, and the project matches those calls to its one definition.
 */
export function isPrivateMethodName(name: string): boolean {
  return /^_(?!_)\w*$/.test(name);
}
