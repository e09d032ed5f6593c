import { createHash } from 'node:crypto';
import { anyBlockingCall, threadWaitName } from '../analyzer/model/blocking-calls';
import { argument } from '../analyzer/model/callables';
import { callRole, describeLoopFunction, eventLoopFunction } from '../analyzer/model/call-context';
import { generatorCoroutine, isCoroutineFunction } from '../analyzer/model/coroutines';
import { offloadedByDecorator } from '../analyzer/frameworks/handoffs';
import { heldRegions, lockIdentity, locksHeldAt, takenInside, type HeldRegion } from '../analyzer/model/lock-regions';
import { freshPoolFactory } from '../analyzer/model/pool-factories';
import { frameworkThreadEntries } from '../analyzer/frameworks/entry-points';
import { callInvocation, guardedWithin, handoffInvocation, invocationArguments, paramLocks, type Invocation } from '../analyzer/model/param-locks';
import { lockConfinedToOwnThread, ownThreadRunning } from '../analyzer/model/own-thread';
import { keepsNobodyWaiting } from '../analyzer/model/lock-turns';
import { mayTakeLock } from '../analyzer/model/locks';
import { isPrivateMethodName } from '../analyzer/model/project-facts';
import { moduleQueueHandoffs, sharedTarget, threadHandoffs } from '../analyzer/model/thread-reachability';
import type { Kind } from '../analyzer/model/known-types';
import { LineIndex } from '../analyzer/line-index';
import type { Resolver } from '../analyzer/model/resolve';
import type { CallSite, SemanticModel } from '../analyzer/model/semantic-model';
import type { Binding, ClassInfo, FunctionInfo, Scope } from '../analyzer/model/scope';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../analyzer/syntax';
import { THREAD_LOCK_KINDS } from '../analyzer/model/known-types';
import { isMutatorMethod, writeShape } from '../analyzer/model/class-locking';
import { detachStrings } from './detached-strings';
import { onEveryPath } from './every-path';
import { inForkedChildBranch } from '../analyzer/model/fork-branch';
import { consumedAtCall, generatorFunction } from '../analyzer/model/generator-calls';
import { absoluteModule, isPackageFile } from './layout';
import {
  SUMMARY_VERSION, type CallFact, type LockArgFact, type ParamOrderFact, type WriteFact, type HandoffFact, type KindFacts, type ClassSummary, type FunctionSummary, type ImportFact, type LockDefinition, type LockFact, type LoopContext, type ModuleSummary, type Span,
} from './summary';

export interface SummarizeInput {
  readonly file: string;
  /** The module's dotted name (Layout.moduleNameOf). */
  readonly module: string;
  readonly source: string;
  readonly model: SemanticModel;
  readonly resolver: Resolver;
  /** The file is a test (the `test-files` setting): its threads are not the product's. */
  readonly testFile?: boolean;
}

export function contentHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** The summary of one module, from the model its own analysis just built. */
export function summarizeModule(input: SummarizeInput): ModuleSummary {
  // The index keeps summaries long after the source is gone: they must not keep it alive.
  return detachStrings(new Summarizer(input).run());
}

/** Bounds a summary's size: a function with hundreds of stores lists its first ones. */
const MAX_WRITES = 20;

class Summarizer {
  private readonly lines: LineIndex;
  private readonly fnNames = new Map<FunctionInfo, string>();
  private readonly classNames = new Map<ClassInfo, string>();
  private readonly isPackage: boolean;

  constructor(private readonly input: SummarizeInput) {
    this.lines = new LineIndex(input.source);
    this.isPackage = isPackageFile(input.file);
  }

  run(): ModuleSummary {
    const { model, resolver } = this.input;
    type Blocking = FunctionSummary['blocking'];
    const byFn = new Map<FunctionInfo, { calls: CallFact[]; blocking?: Blocking; slow?: Blocking; blockingAlways?: Blocking; slowAlways?: Blocking }>();
    const moduleCalls: CallFact[] = [];
    for (const fn of model.functions) if (!fn.isLambda) byFn.set(fn, { calls: [] });
    for (const site of model.calls) {
      let s: Scope = site.scope;
      let viaLambda = false;
      while (s.type === 'function' && s.isLambda && s.parent) {
        s = s.parent;
        viaLambda = true;
      }
      const owner = s.type === 'function' ? byFn.get(s) : undefined;
      const body = s.type === 'function' ? child(s.node, 'body') : undefined;
      const always = !body || onEveryPath(site.node, body);
      const afterFork = inForkedChildBranch(site.node, site.scope, resolver);
      if (owner && !viaLambda && !owner.slowAlways && !afterFork) {
        const name = anyBlockingCall(site.node, site.scope, resolver);
        if (name) {
          const fact = { name, span: this.span(site.node) };
          const slow = !isLockAcquisition(site.node, site.scope, resolver);
          owner.blocking ??= fact;
          if (slow) owner.slow ??= fact;
          if (always) owner.blockingAlways ??= fact;
          if (always && slow) owner.slowAlways ??= fact;
        }
      }
      const target = this.targetOf(site.callee, site.scope) ?? privateMethodCall(site.callee, resolver);
      if (!target || target.startsWith('builtins.')) continue;
      const role = callRole(site.node, model.source);
      const loop = this.loopOf(site.scope);
      const canAwait = site.scope.type === 'function' && site.scope.isAsync && !site.scope.isLambda;
      const regions = locksHeldAt(site.node, site.scope, resolver);
      const held = [...this.locksOf(this.sharedLocks(regions, site.scope)), ...this.importedHeldAt(site.node, site.scope)];
      const fact: CallFact = {
        target,
        text: resolver.text(site.callee),
        span: this.span(site.node),
        awaited: role === 'awaited',
        dropped: role === 'dropped',
        ...(role === 'truth' ? { truth: true } : {}),
        ...(asksNotToWait(site.node, resolver) ? { noWait: true } : {}),
        ...(always ? {} : { sometimes: true }),
        ...(afterFork ? { afterFork: true } : {}),
        ...(consumedAtCall(site.node, resolver) ? { consumed: true } : {}),
        ...(loop ? { loop } : {}),
        ...(viaLambda ? { viaLambda: true } : {}),
        ...(canAwait ? { canAwait: true } : {}),
        ...(held.length > 0 ? { held } : {}),
        ...(held.length > 0 && keepsNobodyWaiting(site.node, site.scope, regions, resolver) ? { waitsNobody: true } : {}),
        // Only the matching of private-method calls across modules asks (project-facts.ts).
        ...(held.length === 0 && isPrivateMethodName(target.slice(target.lastIndexOf('.') + 1)) && (regions.length > 0 || insideLockingWith(site.node, site.scope, resolver)) ? { locked: true } : {}),
      };
      const lockArgs = this.mayPassLocks(site) ? this.lockArguments(callInvocation(site, resolver)) : [];
      (owner ? owner.calls : moduleCalls).push(lockArgs.length > 0 ? { ...fact, lockArgs } : fact);
    }
    const functions: FunctionSummary[] = [];
    const writes = this.sharedWrites();
    const reads = this.sharedReads(writes);
    const frameworkEntries = new Map<FunctionInfo, string>();
    for (const e of frameworkThreadEntries(resolver)) if (!frameworkEntries.has(e.fn)) frameworkEntries.set(e.fn, e.via);
    for (const [fn, facts] of byFn) {
      const nameNode = child(fn.node, 'name');
      functions.push({
        qname: this.fnName(fn),
        name: fn.name,
        span: this.span(nameNode ?? fn.node),
        isAsync: fn.isAsync,
        coroutineFunction: isCoroutineFunction(fn, resolver),
        generatorCoroutine: generatorCoroutine(fn, resolver) !== undefined,
        offloaded: offloadedByDecorator(fn, resolver),
        ...(generatorFunction(fn, resolver) ? { generator: true as const } : {}),
        ...(facts.blocking ? { blocking: facts.blocking } : {}),
        ...(facts.slow ? { slow: facts.slow } : {}),
        ...(facts.blockingAlways ? { blockingAlways: facts.blockingAlways } : {}),
        ...(facts.slowAlways ? { slowAlways: facts.slowAlways } : {}),
        calls: facts.calls,
        locks: this.acquisitions(fn),
        ...this.parameterLocks(fn),
        ...(frameworkEntries.has(fn) ? { threadEntry: frameworkEntries.get(fn)! } : {}),
        ...(writes.has(fn) ? { writes: writes.get(fn)! } : {}),
        ...(reads.has(fn) ? { reads: reads.get(fn)! } : {}),
      });
    }
    const classes: ClassSummary[] = model.classes.map((cls) => {
      const nameNode = child(cls.node, 'name');
      return {
        qname: this.className(cls),
        name: cls.name,
        span: this.span(nameNode ?? cls.node),
        bases: cls.bases.map((b) => this.targetOf(b, cls.parent!)).filter((q): q is string => q !== undefined && !q.startsWith('builtins.')),
        methods: [...cls.methods.keys()],
      };
    });
    const imports: ImportFact[] = [];
    for (const [local, bindings] of model.module.bindings) {
      const last = bindings[bindings.length - 1]!;
      if (last.kind !== 'import') continue;
      const target = this.importTarget(last);
      if (target) imports.push({ local, target });
    }
    return {
      version: SUMMARY_VERSION,
      module: this.input.module,
      file: this.input.file,
      contentHash: contentHash(this.input.source),
      ...(this.input.testFile ? { testFile: true as const } : {}),
      imports,
      dependsOn: this.dependencies(),
      functions,
      classes,
      calls: moduleCalls,
      locks: this.lockDefinitions(),
      handoffs: this.handoffs(),
      kinds: this.kinds(),
    };
  }

  /**
   * Shared state each function changes in its own body, with the locks held there (for the hover:
   * what a function touches, and under which lock). A function lists at most MAX_WRITES changes.
   */
  private sharedWrites(): Map<FunctionInfo, WriteFact[]> {
    const { model, resolver } = this.input;
    const out = new Map<FunctionInfo, WriteFact[]>();
    const add = (fn: FunctionInfo, target: SNode, at: SNode) => {
      // What a constructor sets up is not shared yet.
      if (fn.name === '__init__' && fn.owner) return;
      const text = sharedTarget(target, fn, resolver);
      if (text === undefined) return;
      const list = out.get(fn) ?? [];
      if (list.length >= MAX_WRITES) return;
      list.push({ target: text.replace(/\s+/g, ' '), locks: locksHeldAt(at, fn, resolver).map((r) => r.text), line: this.lines.position(at.start).line });
      out.set(fn, list);
    };
    for (const site of model.nodes) {
      if (site.node.type !== 'expression_statement' || site.scope.type !== 'function' || site.scope.isLambda) continue;
      for (const stmt of namedChildren(site.node)) {
        if (stmt.type !== 'assignment' && stmt.type !== 'augmented_assignment') continue;
        const left = child(stmt, 'left');
        if (left && (left.type === 'identifier' || left.type === 'attribute' || left.type === 'subscript')) add(site.scope, left, stmt);
      }
    }
    for (const site of model.calls) {
      if (site.scope.type !== 'function' || site.scope.isLambda || site.callee.type !== 'attribute') continue;
      const method = child(site.callee, 'attribute');
      const object = child(site.callee, 'object');
      if (method && object && isMutatorMethod(resolver.text(method))) add(site.scope, object, site.node);
    }
    return out;
  }

  /**
   * Shared state each function reads in its own body, limited to what `writes` says some function
   * changes (by the state's name: `CACHE` for `CACHE[k] = v`): the reads that can race. The first
   * read of each state per function, at most MAX_WRITES; the targets of its own writes are not reads.
   */
  private sharedReads(writes: Map<FunctionInfo, WriteFact[]>): Map<FunctionInfo, WriteFact[]> {
    const { model, resolver } = this.input;
    const changed = new Set<string>();
    // The last name of each changed state: a cheap test before the text of a node is taken.
    const lastNames = new Set<string>();
    for (const list of writes.values()) {
      for (const w of list) {
        const state = w.target.replace(/\[.*$/s, '');
        changed.add(state);
        lastNames.add(state.slice(state.lastIndexOf('.') + 1));
      }
    }
    const out = new Map<FunctionInfo, WriteFact[]>();
    if (changed.size === 0) return out;
    for (const fn of model.functions) {
      if (fn.isLambda || (fn.name === '__init__' && fn.owner)) continue;
      const body = child(fn.node, 'body');
      if (!body) continue;
      const seen = new Set<string>();
      const list: WriteFact[] = [];
      walk(body, (node) => {
        if (list.length >= MAX_WRITES) return false;
        // A nested function or class reads for itself (it has its own entry, or runs elsewhere).
        if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') return false;
        if (node.type !== 'identifier' && node.type !== 'attribute') return true;
        // `self._items` is read as a whole, not `self` again below it.
        const last = node.type === 'identifier' ? node : child(node, 'attribute');
        if (!last || !lastNames.has(resolver.text(last))) return node.type === 'attribute';
        // A store or an in-place change (`X = ...`, `X[k] = v`, `X.append(v)`) is a write, listed in `writes`.
        if (writeShape(node, resolver) !== undefined || isAttributeObjectOfCall(node) || !isLoad(node)) return false;
        const text = resolver.text(node).replace(/\s+/g, ' ');
        if (!changed.has(text) || seen.has(text) || sharedTarget(node, fn, resolver) === undefined) return false;
        seen.add(text);
        list.push({ target: text, locks: locksHeldAt(node, fn, resolver).map((r) => r.text), line: this.lines.position(node.start).line });
        return false;
      });
      if (list.length > 0) out.set(fn, list);
    }
    return out;
  }

  /** Thread hand-offs of named callables: the index tells the modules that define them (and the hover). */
  private handoffs(): HandoffFact[] {
    const resolver = this.input.resolver;
    const out: HandoffFact[] = [];
    for (const { site, target } of threadHandoffs(resolver)) {
      const node = unparenthesize(target);
      if (node.type === 'lambda') continue;
      const q = this.targetOf(node, site.scope);
      if (!q || q.startsWith('builtins.')) continue;
      const caller = site.scope.type === 'function' ? this.fnName(site.scope) : undefined;
      const invocation = handoffInvocation(site, target, resolver);
      const lockArgs = invocation ? this.lockArguments(invocation) : [];
      out.push({ target: q, via: resolver.text(site.callee), span: this.span(site.node), ...(caller ? { caller } : {}), ...(lockArgs.length > 0 ? { lockArgs } : {}) });
    }
    return out;
  }

  /** What the module's own module-level names are, where the single-file model knows. */
  private kinds(): KindFacts {
    const { model, resolver } = this.input;
    const objects: Array<[string, Kind]> = [];
    const classes: Array<[string, Kind]> = [];
    const returns: Array<[string, Kind]> = [];
    const makes: Array<[string, string]> = [];
    for (const [name, bindings] of model.module.bindings) {
      const last = bindings[bindings.length - 1]!;
      if (bindings.every((b) => b.kind === 'assign')) {
        const kinds = bindings.map((b) => (b.kind === 'assign' ? resolver.kindOf(b.value, model.module) : undefined));
        if (kinds[0] !== undefined && kinds.every((k) => k === kinds[0])) objects.push([name, kinds[0]]);
      } else if (bindings.length === 1 && last.kind === 'class') {
        const kind = resolver.classKind(last.cls);
        if (kind) classes.push([name, kind]);
      } else if (bindings.length === 1 && last.kind === 'def' && !last.fn.isAsync) {
        const kind = resolver.returnKindOf(last.fn);
        if (kind) returns.push([name, kind]);
        const pool = freshPoolFactory(last.fn, resolver);
        if (pool) makes.push([name, pool]);
      }
    }
    // Top-level classes only: another module names a class it imports by its module-level name.
    const handoffs: Array<[string, string, number]> = [];
    for (const h of moduleQueueHandoffs(resolver).values()) {
      const cls = h.method.owner;
      if (cls?.parent?.type === 'module') handoffs.push([`${cls.name}.${h.method.name}`, h.param, h.position]);
    }
    return { objects, classes, returns, ...(makes.length > 0 ? { makes } : {}), ...(handoffs.length > 0 ? { handoffs } : {}) };
  }

  /**
   * Leaves out the locks that only the object's own thread ever takes, where that thread alone
   * runs the code: no other thread can wait for them, so what happens under them is no other
   * thread's delay (TW404) and no lock order (TW407).
   */
  private sharedLocks(regions: readonly HeldRegion[], scope: Scope): readonly HeldRegion[] {
    if (regions.length === 0 || scope.type !== 'function') return regions;
    const thread = ownThreadRunning(scope, this.input.resolver);
    return thread ? regions.filter((r) => !lockConfinedToOwnThread(r.key, thread, this.input.resolver)) : regions;
  }

  /** The thread locks a list of held regions stands for, where each has a name other modules share. */
  private locksOf(regions: readonly HeldRegion[]): LockFact[] {
    const out: LockFact[] = [];
    for (const r of regions) {
      const fact = this.lockFact(r);
      if (fact) out.push(fact);
    }
    return out;
  }

  private lockFact(r: HeldRegion): LockFact | undefined {
    let expr: SNode | undefined;
    if (r.acquire.type === 'with_item') {
      expr = child(r.acquire, 'value');
      if (expr?.type === 'as_pattern') expr = namedChildren(expr).find((c) => c.field !== 'alias');
    } else {
      const callee = child(r.acquire, 'function');
      expr = callee ? child(callee, 'object') : undefined;
    }
    const id = expr ? this.lockId(expr, r.fn) : undefined;
    return id ? { id, text: r.text, reentrant: r.kind !== 'thread-lock', span: this.span(r.acquire) } : undefined;
  }

  /** The blocking acquisitions a function makes itself, each with the locks held when it is made. */
  private acquisitions(fn: FunctionInfo): FunctionSummary['locks'] {
    const regions = heldRegions(fn, this.input.resolver);
    const out: Array<LockFact & { held: LockFact[] }> = [];
    for (const r of regions) {
      if (!r.blocking) continue;
      const fact = this.lockFact(r);
      if (!fact) continue;
      const outer = regions.filter((o) => o !== r && o.start <= r.acquire.start && r.acquire.start < o.end && o.acquire.start < r.acquire.start);
      out.push({ ...fact, held: [...this.locksOf(outer), ...this.importedHeldAt(r.acquire, fn)] });
    }
    for (const m of this.importedRegions(fn)) {
      out.push({ ...m.lock, held: [...this.locksOf(regions.filter((o) => o.start <= m.item.start && m.item.start < o.end)), ...this.importedHeldAt(m.item, fn)] });
    }
    return out;
  }

  /**
   * Locks the function takes on its parameters (`with first:`), and each pair it nests where one
   * is a parameter's, for callers in other modules to bind to their arguments. A parameter's
   * attribute (`with src.lock:`) is left out: telling two objects' locks apart needs the objects.
   */
  private parameterLocks(fn: FunctionInfo): Pick<FunctionSummary, 'paramLocks' | 'paramOrders'> {
    const params = paramLocks(fn, this.input.resolver).filter((p) => p.attribute === undefined);
    if (params.length === 0) return {};
    const byItem = new Set(params.map((p) => p.acquire));
    type Taken = { slot: LockFact | number; acquire: SNode; start: number; end: number };
    const taken: Taken[] = params.map((p, i) => ({ slot: i, acquire: p.acquire, start: p.start, end: p.end }));
    for (const r of heldRegions(fn, this.input.resolver)) {
      const fact = r.blocking && !byItem.has(r.acquire) ? this.lockFact(r) : undefined;
      if (fact) taken.push({ slot: fact, acquire: r.acquire, start: r.start, end: r.end });
    }
    for (const m of this.importedRegions(fn)) taken.push({ slot: m.lock, acquire: m.item, start: m.start, end: m.end });
    const paramOrders: ParamOrderFact[] = [];
    for (const outer of taken) {
      for (const inner of taken) {
        if (!takenInside(outer, inner)) continue;
        if (typeof outer.slot === 'number' || typeof inner.slot === 'number') {
          paramOrders.push({ first: outer.slot, second: inner.slot, span: this.span(inner.acquire), ...(guardedWithin(inner.acquire, outer.start) ? { guarded: true as const } : {}) });
        }
      }
    }
    const paramLocksFacts = params.map((p) => ({ index: p.index, name: p.name, text: this.text(child(p.acquire, 'value') ?? p.acquire), span: this.span(p.acquire) }));
    return { paramLocks: paramLocksFacts, ...(paramOrders.length > 0 ? { paramOrders } : {}) };
  }

  /**
   * A quick look before `lockArguments`: does some argument name a module-level object or an
   * attribute of `self` or of one? Only those can be locks another module knows by name; most
   * arguments are locals and literals, and most calls pass no lock.
   */
  private mayPassLocks(site: CallSite): boolean {
    if (site.args?.type !== 'argument_list') return false;
    const resolver = this.input.resolver;
    const shared = (name: SNode) => resolver.receiverClass(name, site.scope) !== undefined || resolver.lookup(resolver.text(name), site.scope)?.scope.type === 'module';
    for (const a of namedChildren(site.args)) {
      let n = unparenthesize(a.type === 'keyword_argument' ? (child(a, 'value') ?? a) : a);
      if (n.type === 'attribute') n = child(n, 'object') ?? n;
      if (n.type === 'identifier' && shared(n)) return true;
    }
    return false;
  }

  /** The arguments of a call or hand-off that are thread locks with a name other modules share. */
  private lockArguments(inv: Invocation): LockArgFact[] {
    const resolver = this.input.resolver;
    const out: LockArgFact[] = [];
    for (const { at, node } of invocationArguments(inv)) {
      const arg = unparenthesize(node);
      if (arg.type !== 'identifier' && (arg.type !== 'attribute' || child(arg, 'object')?.type !== 'identifier')) continue;
      const scope = inv.site.scope;
      // Most arguments are locals and parameters, which no other module can name: the name comes
      // first, the kind (dearer) only for what has one.
      const lockId = this.lockId(arg, scope);
      if (!lockId || lockId.startsWith('builtins.')) continue;
      const id = lockIdentity(arg, scope, resolver);
      if (id) {
        out.push({ at, lock: { id: lockId, text: this.text(arg), reentrant: id.kind !== 'thread-lock', span: this.span(arg) } });
      } else if (resolver.kindOf(arg, scope) === undefined && this.isImported(arg, scope)) {
        // An imported name: a lock if the module it comes from defines one under that name.
        out.push({ at, lock: { id: lockId, text: this.text(arg), reentrant: false, span: this.span(arg), maybe: true } });
      }
    }
    return out;
  }

  private readonly imported = new Map<FunctionInfo, Array<{ lock: LockFact; item: SNode; start: number; end: number }>>();

  /**
   * `with NAME:` in a function's own body where NAME is imported (or an attribute of an imported
   * module): the single-file model cannot know it is a lock, the index can.
   */
  private importedRegions(fn: FunctionInfo): Array<{ lock: LockFact; item: SNode; start: number; end: number }> {
    let found = this.imported.get(fn);
    if (found) return found;
    found = [];
    const body = child(fn.node, 'body');
    if (body && !fn.isLambda) {
      walk(body, (n) => {
        if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
        if (n.type !== 'with_statement' || n.children.some((c) => c.type === 'async')) return true;
        const withBody = child(n, 'body');
        const clause = n.children.find((c) => c.type === 'with_clause');
        if (!withBody || !clause) return true;
        for (const item of namedChildren(clause)) {
          let value = child(item, 'value');
          if (value?.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
          if (!value || this.input.resolver.kindOf(value, fn) !== undefined || !this.isImported(value, fn)) continue;
          const id = this.targetOf(value, fn);
          if (!id || id.startsWith('builtins.')) continue;
          found!.push({ lock: { id, text: this.text(value), reentrant: false, span: this.span(item), maybe: true }, item, start: item.end, end: withBody.end });
        }
        return true;
      });
    }
    this.imported.set(fn, found);
    return found;
  }

  /** An imported name, or an attribute chain on one (`locks.AUDIT`). */
  private isImported(expr: SNode, scope: Scope): boolean {
    let node = unparenthesize(expr);
    while (node.type === 'attribute') node = child(node, 'object') ?? node;
    if (node.type !== 'identifier') return false;
    const found = this.input.resolver.lookup(this.text(node), scope);
    return !!found && found.bindings.every((b) => b.kind === 'import');
  }

  /** Imported maybe-locks held at a node of a function (not in lambdas, which run later). */
  private importedHeldAt(node: SNode, scope: Scope): LockFact[] {
    if (scope.type !== 'function' || scope.isLambda) return [];
    return this.importedRegions(scope).filter((r) => r.start <= node.start && node.start < r.end && r.item !== node).map((r) => r.lock);
  }

  /** Module-level names bound only to thread locks. */
  private lockDefinitions(): LockDefinition[] {
    const out: LockDefinition[] = [];
    const { model, resolver } = this.input;
    for (const [name, bindings] of model.module.bindings) {
      if (!bindings.every((b) => b.kind === 'assign')) continue;
      const kinds = new Set(bindings.map((b) => (b.kind === 'assign' ? resolver.kindOf(b.value, model.module) : undefined)));
      const [kind] = kinds;
      if (kinds.size === 1 && kind && THREAD_LOCK_KINDS.has(kind)) out.push({ name, reentrant: kind !== 'thread-lock' });
    }
    return out;
  }

  /**
   * A lock's name across modules: a module-level lock by its module (through imports), a class's
   * by the class that assigns it. Locks in local variables and parameters have none.
   */
  private lockId(expr: SNode, scope: Scope): string | undefined {
    const node = unparenthesize(expr);
    const resolver = this.input.resolver;
    if (node.type === 'identifier') {
      const name = resolver.text(node);
      const found = resolver.lookup(name, scope);
      if (!found || found.scope.type !== 'module') return undefined;
      const imports = found.bindings.filter((b) => b.kind === 'import');
      if (imports.length === 0) return `${this.input.module}.${name}`;
      return imports.length === found.bindings.length ? this.targetOf(node, scope) : undefined;
    }
    if (node.type !== 'attribute') return undefined;
    const object = child(node, 'object');
    const attr = child(node, 'attribute');
    if (!object || !attr) return undefined;
    const name = resolver.text(attr);
    const used = resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope);
    if (used) return `${this.className(resolver.attributeOwner(used, name) ?? used)}.${name}`;
    const base = this.targetOf(object, scope) ?? this.instanceClass(object, scope, 0);
    return base && !base.startsWith('builtins.') ? `${base}.${name}` : undefined;
  }

  private span(node: SNode): Span {
    const a = this.lines.position(node.start);
    const b = this.lines.position(node.end);
    return { start: node.start, end: node.end, line: a.line, character: a.character, endLine: b.line, endCharacter: b.character };
  }

  private loopOf(scope: Scope): LoopContext | undefined {
    const loop = eventLoopFunction(scope, this.input.resolver, { generatorCoroutines: true });
    if (!loop) return undefined;
    return { description: describeLoopFunction(loop), advice: loop.framework ? 'executor' : loop.generatorBased ? 'yield' : 'to_thread' };
  }

  private fnName(fn: FunctionInfo): string {
    let name = this.fnNames.get(fn);
    if (name === undefined) {
      name = `${this.scopeName(fn.parent)}${fn.isLambda ? '<lambda>' : fn.name}`;
      this.fnNames.set(fn, name);
    }
    return name;
  }

  private className(cls: ClassInfo): string {
    let name = this.classNames.get(cls);
    if (name === undefined) {
      name = `${this.scopeName(cls.parent)}${cls.name}`;
      this.classNames.set(cls, name);
    }
    return name;
  }

  /** The prefix names defined directly in `scope` get: `pkg.mod.`, `pkg.mod.Cls.`, `pkg.mod.f.<locals>.`. */
  private scopeName(scope: Scope | undefined): string {
    if (!scope || scope.type === 'module') return `${this.input.module}.`;
    if (scope.type === 'class') return `${this.className(scope)}.`;
    return `${this.fnName(scope)}.<locals>.`;
  }

  /** The absolute name an import binding stands for (`from ..db import load` in `pkg.api.v1` is `pkg.db.load`). */
  private importTarget(b: Extract<Binding, { kind: 'import' }>): string | undefined {
    let stmt: SNode | null = b.node;
    while (stmt && stmt.type !== 'import_from_statement' && stmt.type !== 'import_statement') stmt = stmt.parent;
    if (!stmt || stmt.type === 'import_statement') return b.qname;
    const base = this.fromModule(stmt);
    if (base === undefined) return undefined;
    const nameNode = b.node.type === 'aliased_import' ? child(b.node, 'name') : b.node;
    return nameNode ? `${base}.${this.text(nameNode).replace(/\s+/g, '')}` : undefined;
  }

  /** The absolute module of a `from ... import` statement. */
  private fromModule(stmt: SNode): string | undefined {
    const moduleNode = child(stmt, 'module_name');
    if (!moduleNode) return undefined;
    if (moduleNode.type !== 'relative_import') return this.text(moduleNode).replace(/\s+/g, '');
    const prefix = namedChildren(moduleNode).find((c) => c.type === 'import_prefix');
    const rest = namedChildren(moduleNode).find((c) => c.type === 'dotted_name');
    const dots = prefix ? this.text(prefix).replace(/\s+/g, '').length : 0;
    return absoluteModule(this.input.module, this.isPackage, dots, rest ? this.text(rest).replace(/\s+/g, '') : '');
  }

  private text(node: SNode): string {
    return this.input.source.slice(node.start, node.end);
  }

  /** Every module the file imports, anywhere in it, with each `from` import's names as possible submodules. */
  private dependencies(): string[] {
    const out = new Set<string>();
    const visit = (scope: Scope) => {
      for (const bindings of scope.bindings.values()) {
        for (const b of bindings) {
          if (b.kind !== 'import') continue;
          let stmt: SNode | null = b.node;
          while (stmt && stmt.type !== 'import_from_statement' && stmt.type !== 'import_statement') stmt = stmt.parent;
          if (!stmt) continue;
          if (stmt.type === 'import_statement') {
            const nameNode = b.node.type === 'aliased_import' ? child(b.node, 'name') : b.node;
            if (nameNode) out.add(this.text(nameNode).replace(/\s+/g, ''));
            continue;
          }
          const base = this.fromModule(stmt);
          const target = this.importTarget(b);
          if (base) out.add(base);
          if (target) out.add(target);
        }
      }
    };
    visit(this.input.model.module);
    for (const fn of this.input.model.functions) visit(fn);
    for (const cls of this.input.model.classes) visit(cls);
    return [...out].sort();
  }

  /**
   * The qualified name a callee (or base class) denotes, as far as this module can tell: imported
   * names made absolute, the module's own functions and classes, `self.meth`, and methods of
   * objects whose class is known from `x = Cls()`, `self.x = Cls()` or an annotation.
   */
  private targetOf(expr: SNode, scope: Scope, depth = 0): string | undefined {
    if (depth > 8) return undefined;
    const node = unparenthesize(expr);
    const resolver = this.input.resolver;
    if (node.type === 'identifier') {
      const found = resolver.lookup(resolver.text(node), scope);
      if (!found) return `builtins.${resolver.text(node)}`;
      const names = new Set<string | undefined>(found.bindings.map((b) => this.bindingName(b)));
      return names.size === 1 ? [...names][0] : undefined;
    }
    if (node.type !== 'attribute') return undefined;
    const object = child(node, 'object');
    const attr = child(node, 'attribute');
    if (!object || !attr) return undefined;
    const method = resolver.text(attr);
    const receiver = resolver.receiverClass(object, scope);
    if (receiver) return `${this.className(receiver)}.${method}`;
    // A queue, lock, executor or client the catalogue knows is judged by the catalogue (an
    // unbounded queue's put() does not block), even where the project holds a module of that name.
    if (resolver.kindOf(object, scope) !== undefined) return undefined;
    const instance = this.instanceClass(object, scope, depth);
    if (instance) return `${instance}.${method}`;
    const base = this.targetOf(object, scope, depth + 1);
    return base === undefined || base.startsWith('builtins.') ? undefined : `${base}.${method}`;
  }

  private bindingName(b: Binding): string | undefined {
    switch (b.kind) {
      case 'import':
        return this.importTarget(b);
      case 'def':
        return this.fnName(b.fn);
      case 'class':
        return this.className(b.cls);
      default:
        return undefined;
    }
  }

  /**
   * What a variable's bindings say of its class, once per variable: `x = x.next()` repeated in a
   * long function would otherwise be asked again for every binding, at every depth.
   */
  private readonly variableClasses = new Map<Scope, Map<string, string | undefined | null>>();

  /** The qualified name of the class an expression's value is an instance of, when every assignment agrees. */
  private instanceClass(expr: SNode, scope: Scope, depth: number): string | undefined {
    const node = unparenthesize(expr);
    if (node.type === 'identifier') {
      const found = this.input.resolver.lookup(this.text(node), scope);
      if (!found) return undefined;
      return this.onceFor(this.variableClasses, found.scope, this.text(node), () => this.computeInstanceClass(node, scope, depth));
    }
    if (node.type === 'attribute') {
      // `self.type`: once per class and attribute, for the same reason as variables (a compiler's
      // node classes read `self.type` thousands of times, each of its values asking again).
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      const cls = object ? this.input.resolver.receiverClass(object, scope) : undefined;
      if (!cls || !attr) return undefined;
      return this.onceFor(this.attributeClasses, cls, this.text(attr), () => this.computeInstanceClass(node, scope, depth));
    }
    return this.computeInstanceClass(node, scope, depth);
  }

  /** What an attribute's assignments say of its class, once per class and attribute (see variableClasses). */
  private readonly attributeClasses = new Map<ClassInfo, Map<string, string | undefined | null>>();

  /**
   * The answer for a name of an owner (a scope's variable, a class's attribute), worked out once.
   * null while it is being worked out further up this very question (`x = f(x)`): no answer from there.
   */
  private onceFor<O>(cache: Map<O, Map<string, string | undefined | null>>, owner: O, name: string, compute: () => string | undefined): string | undefined {
    let known = cache.get(owner);
    if (!known) cache.set(owner, (known = new Map()));
    const cached = known.get(name);
    if (cached !== undefined || known.has(name)) return cached ?? undefined;
    known.set(name, null);
    const result = compute();
    known.set(name, result);
    return result;
  }

  private computeInstanceClass(node: SNode, scope: Scope, depth: number): string | undefined {
    const resolver = this.input.resolver;
    let values: Array<{ value?: SNode; annotation?: SNode; scope: Scope }> = [];
    if (node.type === 'identifier') {
      const found = resolver.lookup(resolver.text(node), scope);
      if (!found) return undefined;
      for (const b of found.bindings) {
        if (b.kind === 'assign') values.push({ value: b.value, scope: resolver.scopeAt(b.value, found.scope) });
        else if (b.kind === 'param' && b.annotation) values.push({ annotation: b.annotation, scope: found.scope.parent ?? found.scope });
        else return undefined;
      }
    } else if (node.type === 'attribute') {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      const cls = object ? resolver.receiverClass(object, scope) : undefined;
      if (!cls || !attr) return undefined;
      values = (resolver.attributeValues(cls, resolver.text(attr)) ?? [])
        .filter((v) => unparenthesize(v.value).type !== 'none')
        .map((v) => {
          const assignment = v.value.parent;
          const annotation = assignment?.type === 'assignment' ? child(assignment, 'type') : undefined;
          return annotation ? { annotation, scope: v.scope } : { value: v.value, scope: v.scope };
        });
    } else {
      return undefined;
    }
    if (values.length === 0) return undefined;
    const names = new Set<string | undefined>();
    for (const v of values) {
      if (v.annotation) {
        names.add(this.annotationClass(v.annotation, v.scope, depth));
        continue;
      }
      const value = unparenthesize(v.value!);
      const callee = value.type === 'call' ? child(value, 'function') : undefined;
      names.add(callee ? this.targetOf(callee, v.scope, depth + 1) : undefined);
    }
    const [only] = names;
    return names.size === 1 && only !== undefined && !only.startsWith('builtins.') ? only : undefined;
  }

  /** `Client`, `db.Client`, `"Client"` or `Optional[Client]` as an annotation: the class it names. */
  private annotationClass(annotation: SNode, scope: Scope, depth: number): string | undefined {
    let node = unparenthesize(annotation);
    if (node.type === 'type') node = namedChildren(node)[0] ?? node;
    if (node.type === 'identifier' || node.type === 'attribute') return this.targetOf(node, scope, depth + 1);
    if (node.type === 'string') {
      const m = /^[rRuU]?["']{1,3}\s*([A-Za-z_][\w.]*)\s*["']{1,3}$/.exec(this.input.resolver.text(node));
      if (!m) return undefined;
      const [head, ...rest] = m[1]!.split('.');
      const found = this.input.resolver.lookup(head!, scope);
      const names = new Set(found?.bindings.map((b) => this.bindingName(b)));
      const [base] = names;
      return names.size === 1 && base ? [base, ...rest].join('.') : undefined;
    }
    return undefined;
  }
}

/** `acquire()` on a thread lock, semaphore or condition (its lock): a wait for another lock, not slow work. */
function isLockAcquisition(call: SNode, scope: Scope, resolver: Resolver): boolean {
  const wait = threadWaitName(call, scope, resolver);
  return !!wait && wait.name.endsWith('.acquire') && (wait.kind === 'thread-lock' || wait.kind === 'thread-rlock' || wait.kind === 'thread-semaphore' || wait.kind === 'thread-condition');
}

const NO_WAIT_KEYWORDS = ['block', 'blocking', 'wait'];

/** `f(x, block=False)`, `blocking=False`, `wait=False` or `timeout=0`: the caller asks not to wait. */
function asksNotToWait(call: SNode, resolver: Resolver): boolean {
  const falsy = (v: SNode | undefined) => !!v && ['False', '0', '0.0'].includes(resolver.text(v));
  return NO_WAIT_KEYWORDS.some((k) => falsy(argument(call, k, undefined, resolver))) || falsy(argument(call, 'timeout', undefined, resolver));
}

/** A name that is not read where it stands: a keyword argument's name, `global X`, `nonlocal X`. */
function isLoad(node: SNode): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if (parent.type === 'keyword_argument' && node.field === 'name') return false;
  return parent.type !== 'global_statement' && parent.type !== 'nonlocal_statement';
}

/** `self.flush()`: the attribute is a method being called, not state being read. */
function isAttributeObjectOfCall(node: SNode): boolean {
  return node.type === 'attribute' && node.parent?.type === 'call' && node.field === 'function';
}

/**
 * Inside a `with` of its own function that may take a lock (`with self.client._lock:`, whose kind
 * this module cannot see): enough to stop other modules assuming the call is made without one.
 */
function insideLockingWith(node: SNode, scope: Scope, resolver: Resolver): boolean {
  const fn = scope.type === 'function' ? scope.node : undefined;
  for (let n = node.parent; n && n !== fn; n = n.parent) {
    if (n.type === 'with_statement' && mayTakeLock(n, scope, resolver)) return true;
  }
  return false;
}

/**
 * `client._finish()` on a receiver whose class is not known here: kept as a call of `?._finish`,
 * which names nothing, so that the project can match it by the method's name (project-facts.ts).
 */
function privateMethodCall(callee: SNode, resolver: Resolver): string | undefined {
  const attr = callee.type === 'attribute' ? child(callee, 'attribute') : undefined;
  const name = attr ? resolver.text(attr) : '';
  return isPrivateMethodName(name) ? `?.${name}` : undefined;
}
