import { anyBlockingCall } from './blocking-calls';
import { inForkedChildBranch } from './fork-branch';
import { bodyDeferred } from './generator-calls';
import { callsIn } from './call-sites';
import { generatorCoroutine } from './coroutines';
import { offloadedByDecorator } from '../frameworks/handoffs';
import { isAbstractMethod, overridesOf } from './overrides';
import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import type { FunctionInfo } from './scope';

/** A chain of calls from a sync function down to a blocking call: [`helper`, `load`, `open`]. */
export type BlockingChain = readonly string[];

interface Graph {
  readonly chains: Map<FunctionInfo, BlockingChain | null>;
}

const graphs = new WeakMap<SemanticModel, Graph>();

function graphOf(resolver: Resolver): Graph {
  let g = graphs.get(resolver.model);
  if (!g) {
    g = { chains: new Map() };
    graphs.set(resolver.model, g);
  }
  return g;
}

/**
 * The module's sync functions a call reaches (`helper()`, `self.load()`), if unambiguous. A
 * generator-based coroutine is not one: its body runs on the loop as a coroutine, where its
 * blocking calls are reported directly, not as a helper of whoever calls it. Nor is one whose
 * decorator runs it in a worker thread (`@run_on_executor`, `@sync_to_async`). An abstract method
 * stands for its overrides in the module.
 */
export function syncCallees(site: CallSite, resolver: Resolver): FunctionInfo[] {
  // An abstract method runs as one of its overrides in this module (`self.install()` is PipInstall's).
  const fns = (resolver.localFunctions(site.callee, site.scope) ?? []).flatMap((f) => (isAbstractMethod(f, resolver) ? overridesOf(f, resolver) : [f]));
  // A generator called without being iterated there runs nothing yet (generator-calls.ts).
  return fns.filter((f) => !f.isAsync && !f.isLambda && !generatorCoroutine(f, resolver) && !offloadedByDecorator(f, resolver) && !bodyDeferred(f, site.node, resolver));
}

/**
 * How a sync function ends up blocking, following calls to the module's own sync functions
 * (depth-first with an explicit stack; recursion in the Python code is cut, not followed).
 */
export function blockingChain(fn: FunctionInfo, resolver: Resolver): BlockingChain | undefined {
  const g = graphOf(resolver);
  const known = g.chains.get(fn);
  if (known !== undefined) return known ?? undefined;
  const onPath = new Set<FunctionInfo>();
  // "Does not block" found while a recursive call was cut short holds only for this search.
  const tentative = new Set<FunctionInfo>();
  const stack: Array<{ fn: FunctionInfo; next: number; cut: boolean }> = [{ fn, next: 0, cut: false }];
  onPath.add(fn);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    // What runs only in a freshly forked child runs once there, with one thread: not followed.
    const sites = callsIn(frame.fn, resolver).filter((s) => !inForkedChildBranch(s.node, s.scope, resolver));
    let descended = false;
    while (frame.next < sites.length) {
      const site = sites[frame.next++]!;
      const direct = anyBlockingCall(site.node, site.scope, resolver);
      if (direct) {
        g.chains.set(frame.fn, [frame.fn.name, direct]);
        break;
      }
      for (const callee of syncCallees(site, resolver)) {
        const chain = g.chains.get(callee);
        if (chain) {
          g.chains.set(frame.fn, [frame.fn.name, ...chain]);
          break;
        }
        if (onPath.has(callee)) frame.cut = true;
        if (chain === undefined && !tentative.has(callee) && !onPath.has(callee)) {
          onPath.add(callee);
          stack.push({ fn: callee, next: 0, cut: false });
          descended = true;
          break;
        }
      }
      if (g.chains.get(frame.fn) || descended) break;
    }
    if (descended) continue;
    stack.pop();
    onPath.delete(frame.fn);
    const parent = stack[stack.length - 1];
    if (!g.chains.has(frame.fn)) {
      if (frame.cut && parent) {
        tentative.add(frame.fn);
        parent.cut = true;
      } else {
        g.chains.set(frame.fn, null);
      }
    }
    // The caller re-examines the call that led here on its next turn.
    if (parent) parent.next--;
  }
  return g.chains.get(fn) ?? undefined;
}

/**
 * The calls in `fn`'s own body that block, when those are all there is: none of the module's
 * functions it calls blocks. Undefined when some callee does (the blocking is further down).
 */
export function directBlockingSites(fn: FunctionInfo, resolver: Resolver): CallSite[] | undefined {
  const sites = callsIn(fn, resolver);
  if (sites.some((s) => syncCallees(s, resolver).some((c) => blockingChain(c, resolver)))) return undefined;
  return sites.filter((s) => anyBlockingCall(s.node, s.scope, resolver) && !inForkedChildBranch(s.node, s.scope, resolver));
}
