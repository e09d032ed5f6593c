import type { NameResolver, Resolved } from './resolve';
import type { CallFact, FunctionSummary, ModuleSummary, Span } from './summary';

/** A function of the project, with the module that defines it. */
export interface FunctionRef {
  readonly summary: ModuleSummary;
  readonly fn: FunctionSummary;
}

/** One step of a blocking chain: a function, and the call in it that leads on (or blocks). */
export interface ChainStep {
  readonly ref: FunctionRef;
  /** The call in this function that the next step (or the blocking call) is. */
  readonly via: Span;
}

export interface BlockingPath {
  readonly steps: readonly ChainStep[];
  /** The blocking call the last step makes, as the single-file rules name it. */
  readonly blocking: string;
}

export interface ChainOptions {
  readonly onlyIn?: string;
  readonly slow?: boolean;
  readonly everyPath?: boolean;
}

/** Deeper chains than this are not followed (and a deep recursion in the analyzer is avoided). */
const MAX_CHAIN = 32;

/** The sync function a call runs in the caller's thread: a function, or a class's `__init__`. */
export function syncCallee(call: CallFact, names: NameResolver): FunctionRef | undefined {
  const target = names.resolve(call.target);
  const ref = asFunction(target, names);
  if (!ref) return undefined;
  const f = ref.fn;
  // A generator's body runs where it is iterated or entered, not at a call that only makes it.
  return f.isAsync || f.generatorCoroutine || f.offloaded || (f.generator && !call.consumed) ? undefined : ref;
}

/** The function (or class's `__init__`) a qualified name stands for, when the index knows it. */
export function functionNamed(qname: string, names: NameResolver): FunctionRef | undefined {
  return asFunction(names.resolve(qname), names);
}

function asFunction(target: Resolved | undefined, names: NameResolver): FunctionRef | undefined {
  if (target?.kind === 'function') return { summary: target.summary, fn: target.fn };
  if (target?.kind === 'class') {
    const init = names.method(target.summary, target.cls, '__init__');
    return init?.kind === 'function' ? { summary: init.summary, fn: init.fn } : undefined;
  }
  return undefined;
}

/**
 * How a sync function ends up blocking, following calls into any module of the project. With
 * `onlyIn`, only functions of that file are followed (what the single-file rule sees). Recursion
 * in the Python code is cut, not followed; a "does not block" found below a cut is not memoized.
 */
export class ChainFinder {
  private readonly memo = new Map<string, BlockingPath | null>();

  constructor(private readonly names: NameResolver) {}

  clear(): void {
    this.memo.clear();
  }

  /**
   * `onlyIn`: follow functions of that file only. `slow`: a wait for another lock does not count
   * (see FunctionSummary.slow): what a caller holding a lock cares about is slow work, not a brief
   * nested acquisition. `everyPath`: inside the helpers, only calls made on every path through
   * them are followed (see every-path.ts); the caller's own call is the one reported.
   */
  chainOf(ref: FunctionRef, options: ChainOptions = {}): BlockingPath | undefined {
    return this.search(ref, options, new Set(), new Set(), 0).path;
  }

  /**
   * `tentative` holds the functions this search has already found not to block below a cut
   * cycle: they are not searched again in it (else a graph with many cycles takes exponential time).
   */
  private search(ref: FunctionRef, options: ChainOptions, onPath: Set<string>, tentative: Set<string>, depth: number): { path: BlockingPath | undefined; cut: boolean } {
    const { onlyIn, slow = false, everyPath = false } = options;
    const key = `${slow ? 'slow' : ''}\u0000${everyPath ? 'every' : ''}\u0000${onlyIn ?? ''}\u0000${ref.summary.file}\u0000${ref.fn.qname}`;
    const known = this.memo.get(key);
    if (known !== undefined) return { path: known ?? undefined, cut: false };
    if (tentative.has(key)) return { path: undefined, cut: true };
    if (onPath.has(key) || depth > MAX_CHAIN) return { path: undefined, cut: true };
    onPath.add(key);
    let cut = false;
    let found: BlockingPath | undefined;
    // The first blocking call or blocking callee in source order, as the single-file rule finds it.
    const f = ref.fn;
    const blocking = everyPath ? (slow ? f.slowAlways : f.blockingAlways) : slow ? f.slow : f.blocking;
    const events: Array<{ at: number; call?: CallFact }> = f.calls.filter((c) => !c.viaLambda && !c.noWait && !c.afterFork && !(everyPath && c.sometimes)).map((c) => ({ at: c.span.start, call: c }));
    if (blocking) events.push({ at: blocking.span.start });
    events.sort((a, b) => a.at - b.at);
    for (const e of events) {
      if (!e.call) {
        found = { steps: [{ ref, via: blocking!.span }], blocking: blocking!.name };
        break;
      }
      const callee = syncCallee(e.call, this.names);
      if (!callee || (onlyIn !== undefined && callee.summary.file !== onlyIn)) continue;
      const below = this.search(callee, options, onPath, tentative, depth + 1);
      cut ||= below.cut;
      if (below.path) {
        found = { steps: [{ ref, via: e.call.span }, ...below.path.steps], blocking: below.path.blocking };
        break;
      }
    }
    onPath.delete(key);
    if (found || !cut) this.memo.set(key, found ?? null);
    else tentative.add(key);
    return { path: found, cut: found ? false : cut };
  }
}
