import type { ClassInfo } from './scope';
import type { SemanticModel } from './semantic-model';
import { own, projectFactsOf } from './project-facts';

/**
 * What the project index knows of a class of this module whose thread comes from a base class in
 * another module (`class InotifyEmitter(EventEmitter)`, where `EventEmitter(BaseThread)` and
 * `BaseThread(threading.Thread)` live elsewhere). A single file cannot see that such a class is a
 * thread, nor which of its methods the inherited `run()` calls.
 */
export interface InheritedThread {
  /** Methods (by name) the inherited `run()` calls on `self`, directly or through other inherited methods. */
  readonly runCalls: readonly string[];
  /** Methods the bases' other methods (construction aside) call on `self`: those run on other threads too. */
  readonly otherCalls: readonly string[];
  /** Attributes (by name) the bases' other methods take as locks: such a lock is not the thread's alone. */
  readonly otherLocks: readonly string[];
  /**
   * A base in the project overrides `run()` or defines an `__init__` (which may hand `target=` on):
   * starting the thread runs something.
   */
  readonly runsWork?: boolean;
}

/** Keyed by the class's dotted path in its module (`Emitter`, `Outer.Inner`). */
export type InheritedThreads = Readonly<Record<string, InheritedThread>>;

/** The dotted path of a class within its module; undefined for a class defined in a function. */
export function classPath(cls: ClassInfo): string | undefined {
  const parts = [cls.name];
  for (let s = cls.parent; s && s.type !== 'module'; s = s.parent) {
    if (s.type !== 'class') return undefined;
    parts.unshift(s.name);
  }
  return parts.join('.');
}

export function inheritedThreadOf(cls: ClassInfo, model: SemanticModel): InheritedThread | undefined {
  const path = classPath(cls);
  return path === undefined ? undefined : own(projectFactsOf(model)?.threads, path);
}
