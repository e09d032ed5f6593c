import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import type { FunctionInfo } from './scope';

/**
 * The module's call sites indexed both ways, once per model: the calls each function makes, and
 * the calls that reach each of the module's functions by name. Several questions ("does every
 * caller hold the lock", "is it called only while the object is built", "is the coroutine run
 * only by a thread's private loop") ask for the callers of one function; scanning every call of
 * the module for each of them made those questions quadratic in the module's size.
 */
const made = new WeakMap<SemanticModel, Map<FunctionInfo, CallSite[]>>();
// Built apart, and only when asked: it resolves every call's callee.
const reaching = new WeakMap<SemanticModel, Map<FunctionInfo, CallSite[]>>();

function push(map: Map<FunctionInfo, CallSite[]>, fn: FunctionInfo, site: CallSite): void {
  const list = map.get(fn);
  if (list) list.push(site);
  else map.set(fn, [site]);
}

/** Calls made in a function's own body; a lambda's calls are its own (it runs when called). */
export function callsIn(fn: FunctionInfo, resolver: Resolver): readonly CallSite[] {
  let index = made.get(resolver.model);
  if (!index) {
    index = new Map();
    for (const site of resolver.model.calls) if (site.scope.type === 'function') push(index, site.scope, site);
    made.set(resolver.model, index);
  }
  return index.get(fn) ?? [];
}

/** The module's calls that reach `fn` by name (`helper()`, `self.helper()`), wherever they are made. */
export function callSitesOf(fn: FunctionInfo, resolver: Resolver): readonly CallSite[] {
  let index = reaching.get(resolver.model);
  if (!index) {
    index = new Map();
    for (const site of resolver.model.calls) {
      for (const callee of resolver.localFunctions(site.callee, site.scope) ?? []) push(index, callee, site);
    }
    reaching.set(resolver.model, index);
  }
  return index.get(fn) ?? [];
}
