import { functionNamed, syncCallee, type ChainStep, type FunctionRef } from './chains';
import type { NameResolver } from './resolve';
import type { CallFact, LockArgFact, LockFact, ModuleSummary, ParamLockFact, Span } from './summary';

/** Where a function, or a function it calls, takes a lock: the first path found. */
export interface LockPath {
  readonly lock: LockFact;
  /** From the function asked about down to the one that takes the lock; each step's `via` is the call (or the acquisition). */
  readonly steps: readonly ChainStep[];
}

/** "While holding `first`, this code takes `second`", at a place in one file. */
export interface Ordering {
  readonly first: LockFact;
  readonly second: LockFact;
  readonly summary: ModuleSummary;
  readonly fn: FunctionRef;
  /** The acquisition, or the call that leads to it. */
  readonly at: Span;
  readonly steps: readonly ChainStep[];
}

const MAX_DEPTH = 32;

/** Locks across the project: what each function takes through its calls, and every order two locks are taken in. */
export class LockFinder {
  private readonly memo = new Map<string, Map<string, LockPath>>();
  private allOrderings: Ordering[] | undefined;
  private callers: Map<string, Array<{ summary: ModuleSummary; call: CallFact }>> | undefined;

  constructor(private readonly names: NameResolver, private readonly summaries: () => Iterable<ModuleSummary>) {}

  clear(): void {
    this.memo.clear();
    this.allOrderings = undefined;
    this.callers = undefined;
  }

  /** The calls of the project that hold a lock while they call `ref` (what it holds on entry). */
  heldOnEntry(ref: FunctionRef): Array<{ summary: ModuleSummary; call: CallFact; locks: LockFact[] }> {
    if (!this.callers) {
      this.callers = new Map();
      for (const summary of this.summaries()) {
        for (const fn of summary.functions) {
          for (const call of fn.calls) {
            if (!call.held || call.viaLambda) continue;
            const callee = syncCallee(call, this.names);
            if (!callee) continue;
            const key = `${callee.summary.file}\u0000${callee.fn.qname}`;
            const list = this.callers.get(key) ?? [];
            list.push({ summary, call });
            this.callers.set(key, list);
          }
        }
      }
    }
    return (this.callers.get(`${ref.summary.file}\u0000${ref.fn.qname}`) ?? []).map((c) => ({
      ...c,
      locks: c.call.held!.map((h) => this.canonical(h)).filter((h): h is LockFact => h !== undefined),
    })).filter((c) => c.locks.length > 0);
  }

  /**
   * The lock as every module names it; for a `with` on an imported name, the lock that module
   * defines, or undefined when it defines no lock under that name.
   */
  canonical(lock: LockFact): LockFact | undefined {
    const id = this.names.canonical(lock.id);
    if (!lock.maybe) return id === lock.id ? lock : { ...lock, id };
    const dot = id.lastIndexOf('.');
    const definition = dot > 0 ? this.names.moduleNamed(id.slice(0, dot))?.locks.find((l) => l.name === id.slice(dot + 1)) : undefined;
    return definition ? { id, text: lock.text, reentrant: definition.reentrant, span: lock.span } : undefined;
  }

  acquiredBy(ref: FunctionRef): Map<string, LockPath> {
    return this.search(ref, new Set(), new Map(), 0).found;
  }

  /** `partial`: answers found below a cut cycle in this search, reused within it (not remembered after). */
  private search(ref: FunctionRef, onPath: Set<string>, partial: Map<string, Map<string, LockPath>>, depth: number): { found: Map<string, LockPath>; cut: boolean } {
    const key = `${ref.summary.file}\u0000${ref.fn.qname}`;
    const known = this.memo.get(key);
    if (known) return { found: known, cut: false };
    const half = partial.get(key);
    if (half) return { found: half, cut: true };
    if (onPath.has(key) || depth > MAX_DEPTH) return { found: new Map(), cut: true };
    onPath.add(key);
    let cut = false;
    const out = new Map<string, LockPath>();
    for (const l of ref.fn.locks) {
      const lock = this.canonical(l);
      if (lock && !out.has(lock.id)) out.set(lock.id, { lock, steps: [{ ref, via: lock.span }] });
    }
    for (const call of ref.fn.calls) {
      if (call.viaLambda) continue;
      const callee = syncCallee(call, this.names);
      if (!callee) continue;
      const below = this.search(callee, onPath, partial, depth + 1);
      cut ||= below.cut;
      for (const [id, p] of below.found) if (!out.has(id)) out.set(id, { lock: p.lock, steps: [{ ref, via: call.span }, ...p.steps] });
    }
    onPath.delete(key);
    if (!cut || onPath.size === 0) this.memo.set(key, out);
    else partial.set(key, out);
    return { found: out, cut };
  }

  /** Every ordered pair of distinct locks taken one inside the other, anywhere in the project. */
  orderings(): Ordering[] {
    if (this.allOrderings) return this.allOrderings;
    const out: Ordering[] = [];
    for (const summary of this.summaries()) {
      for (const fn of summary.functions) {
        const ref = { summary, fn };
        for (const inner of fn.locks) {
          const second = this.canonical(inner);
          if (!second) continue;
          for (const h of inner.held) {
            const first = this.canonical(h);
            if (first && first.id !== second.id) out.push({ first, second, summary, fn: ref, at: inner.span, steps: [{ ref, via: inner.span }] });
          }
        }
        for (const call of fn.calls) {
          if (call.lockArgs && !call.viaLambda) this.boundOrderings(ref, call.span, call.lockArgs, syncCallee(call, this.names), call.held ?? [], out);
          if (!call.held || call.viaLambda) continue;
          const callee = syncCallee(call, this.names);
          if (!callee) continue;
          const taken = this.acquiredBy(callee);
          for (const h of call.held) {
            const first = this.canonical(h);
            if (!first) continue;
            for (const [id, p] of taken) {
              if (id !== first.id) out.push({ first, second: p.lock, summary, fn: ref, at: call.span, steps: [{ ref, via: call.span }, ...p.steps] });
            }
          }
        }
      }
    }
    // A thread started on a function with locks as its arguments (`Thread(target=dine, args=(A, B))`).
    for (const summary of this.summaries()) {
      for (const h of summary.handoffs) {
        const callee = h.lockArgs ? functionNamed(h.target, this.names) : undefined;
        if (callee && !callee.fn.isAsync) this.boundOrderings(callee, h.span, h.lockArgs!, callee, [], out, summary);
      }
    }
    this.allOrderings = out;
    return out;
  }

  /**
   * The pairs of locks a call (or hand-off) makes its callee take through its parameter locks,
   * bound to the call's lock arguments: pairs the callee nests, and the callee's parameter locks
   * under locks the caller holds. A pair may name one lock twice (`move(A, A)`).
   */
  boundPairs(args: readonly LockArgFact[], callee: FunctionRef | undefined, held: readonly LockFact[]): Array<{ first: LockFact; second: LockFact; span: Span; guarded?: true }> {
    const params = callee?.fn.paramLocks;
    if (!params) return [];
    const bind = (slot: LockFact | number): LockFact | undefined => {
      if (typeof slot !== 'number') return this.canonical(slot);
      const p = params[slot];
      return p ? this.argumentLock(args, p) : undefined;
    };
    const out: Array<{ first: LockFact; second: LockFact; span: Span; guarded?: true }> = [];
    for (const o of callee!.fn.paramOrders ?? []) {
      const first = bind(o.first);
      const second = bind(o.second);
      if (first && second) out.push({ first, second, span: o.span, ...(o.guarded ? { guarded: o.guarded } : {}) });
    }
    for (const [i, p] of params.entries()) {
      const second = bind(i);
      if (!second) continue;
      for (const h of held) {
        const first = this.canonical(h);
        if (first) out.push({ first, second, span: p.span });
      }
    }
    return out;
  }

  /** The lock a call passes for a parameter lock (by keyword or position), when it passes one. */
  argumentLock(args: readonly LockArgFact[], p: ParamLockFact): LockFact | undefined {
    const arg = args.find((a) => a.at === p.name) ?? (p.index >= 0 ? args.find((a) => a.at === p.index) : undefined);
    return arg ? this.canonical(arg.lock) : undefined;
  }

  /** `where` is the module the call is in when it is not `from`'s (a hand-off at module level). */
  private boundOrderings(from: FunctionRef, at: Span, args: readonly LockArgFact[], callee: FunctionRef | undefined, held: readonly LockFact[], out: Ordering[], where = from.summary): void {
    for (const { first, second, span } of this.boundPairs(args, callee, held)) {
      if (first.id === second.id) continue;
      const steps: ChainStep[] = from === callee ? [{ ref: callee, via: span }] : [{ ref: from, via: at }, { ref: callee!, via: span }];
      out.push({ first, second, summary: where, fn: from, at, steps });
    }
  }
}
