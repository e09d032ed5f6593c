import type { SemanticModel } from '../model/semantic-model';

/**
 * The project's own additions to the catalogue (`blocking-calls`, `non-blocking-calls`): dotted
 * names of functions, methods (`pkg.mod.Class.method`), classes or modules. A name also covers
 * everything under it, so `mypkg.db` names every function and class method in that module.
 */
export interface UserCalls {
  readonly blocking: readonly string[];
  readonly nonBlocking: readonly string[];
}

// Kept per model rather than passed through every rule: the catalogue is also consulted from
// helpers (model/blocking-calls.ts) that only see the resolver, and a model lives for one check.
const byModel = new WeakMap<SemanticModel, UserCalls>();

export function setUserCalls(model: SemanticModel, calls: Partial<UserCalls>): void {
  const blocking = calls.blocking ?? [];
  const nonBlocking = calls.nonBlocking ?? [];
  if (blocking.length > 0 || nonBlocking.length > 0) byModel.set(model, { blocking, nonBlocking });
}

export function userCallsOf(model: SemanticModel): UserCalls | undefined {
  return byModel.get(model);
}

/** True when `name` is one of `entries` or lies under one (`a.b.c` under `a.b`). */
export function listed(name: string, entries: readonly string[]): boolean {
  for (const e of entries) if (name === e || (name.startsWith(e) && name.charAt(e.length) === '.')) return true;
  return false;
}

const classesCache = new WeakMap<UserCalls, { size: number; has(q: string): boolean }>();

/**
 * The names whose instances are followed for user entries: every proper prefix of an entry (the
 * class of `pkg.mod.Client.fetch`) and anything under an entry (a class in a listed module).
 */
export function userClasses(calls: UserCalls): { size: number; has(q: string): boolean } {
  let classes = classesCache.get(calls);
  if (!classes) {
    const all = [...calls.blocking, ...calls.nonBlocking];
    const prefixes = new Set<string>();
    for (const e of all) {
      const parts = e.split('.');
      for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
    }
    classes = { size: all.length, has: (q: string) => prefixes.has(q) || listed(q, all) };
    classesCache.set(calls, classes);
  }
  return classes;
}
