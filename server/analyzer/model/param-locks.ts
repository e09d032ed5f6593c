import { child, namedChildren, parameterParts, unparenthesize, type SNode } from '../syntax';
import { THREAD_LOCK_KINDS, type Kind } from './known-types';
import { heldRegions, lockIdentity, takenInside } from './lock-regions';
import { lockKey } from './locks';
import type { Resolver } from './resolve';
import type { CallSite, SemanticModel } from './semantic-model';
import type { ClassInfo, FunctionInfo, Scope } from './scope';

/**
 * A lock that a function takes but its caller chooses: `with first:` on a parameter, or
 * `with src.lock:` on an attribute of one (`def transfer(src, dst)`). Which lock it is, and
 * whether it is a lock at all, is known only at each call, from the argument.
 */
export interface ParamLock {
  readonly fn: FunctionInfo;
  /** Position among the arguments a call passes (the method's receiver not counted); -1 when keyword-only. */
  readonly index: number;
  readonly name: string;
  /** The attribute taken on the parameter (`lock` in `src.lock`), if any. */
  readonly attribute: string | undefined;
  /** The `with` item. */
  readonly acquire: SNode;
  readonly start: number;
  readonly end: number;
}

/** A parameter lock resolved at one call: the lock the argument names there. */
export interface BoundLock {
  readonly key: string;
  readonly kind: Kind;
  /** As the caller wrote it (`acct_a.lock`). */
  readonly text: string;
}

interface Parameter {
  readonly index: number;
  readonly name: string;
}

/**
 * The parameters a call's arguments bind to, in order: positional ones get their position,
 * keyword-only ones -1. A method's receiver is left out (calls reach methods as `self.m(...)`).
 * Undefined when a `*args` parameter makes positions unknowable past it (those before it keep theirs).
 */
function parametersOf(fn: FunctionInfo, resolver: Resolver): Parameter[] {
  const params = child(fn.node, 'parameters');
  const out: Parameter[] = [];
  if (!params) return out;
  let index = 0;
  let keywordOnly = false;
  let skipReceiver = fn.receiver !== undefined;
  for (const p of namedChildren(params)) {
    if (p.type === 'list_splat_pattern' || p.type === 'keyword_separator') {
      keywordOnly = true;
      continue;
    }
    if (p.type === 'dictionary_splat_pattern') continue;
    const nameNode = parameterParts(p).name;
    if (!nameNode) continue;
    if (skipReceiver) {
      skipReceiver = false;
      continue;
    }
    out.push({ index: keywordOnly ? -1 : index++, name: resolver.text(nameNode) });
  }
  return out;
}

const cache = new WeakMap<SemanticModel, Map<FunctionInfo, SNode[] | { locks: ParamLock[] }>>();

/** The parameter name an expression is rooted at in `fn` (`p` or `p.attr`), when nothing rebinds it. */
function parameterRoot(expr: SNode, fn: FunctionInfo, params: readonly Parameter[], resolver: Resolver): { param: Parameter; attribute: string | undefined } | undefined {
  const node = unparenthesize(expr);
  let root = node;
  let attribute: string | undefined;
  if (node.type === 'attribute') {
    const object = child(node, 'object');
    const attr = child(node, 'attribute');
    if (object?.type !== 'identifier' || !attr) return undefined;
    root = object;
    attribute = resolver.text(attr);
  }
  if (root.type !== 'identifier') return undefined;
  const name = resolver.text(root);
  const param = params.find((p) => p.name === name);
  // A parameter assigned again in the body may no longer be what the caller passed.
  const bindings = fn.bindings.get(name);
  if (!param || !bindings || bindings.some((b) => b.kind !== 'param')) return undefined;
  return { param, attribute };
}

/**
 * Locks a function takes in `with` statements of its own body on parameters or their attributes,
 * when the function's own code does not already know the lock (a parameter annotated as a lock is
 * a lock, but which one is still the caller's choice, so it is listed here too).
 */
export function paramLocks(fn: FunctionInfo, resolver: Resolver): readonly ParamLock[] {
  let byFn = cache.get(resolver.model);
  if (!byFn) cache.set(resolver.model, (byFn = withStatementsByFunction(resolver.model)));
  const found = byFn.get(fn);
  if (!found) return [];
  if (!Array.isArray(found)) return found.locks;
  const locks: ParamLock[] = [];
  const params = fn.isLambda ? [] : parametersOf(fn, resolver);
  for (const n of params.length > 0 ? found : []) {
    const withBody = child(n, 'body');
    const clause = n.children.find((c) => c.type === 'with_clause');
    if (!withBody || !clause || n.children.some((c) => c.type === 'async')) continue;
    for (const item of namedChildren(clause)) {
      let value = child(item, 'value');
      if (value?.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
      const root = value ? parameterRoot(value, fn, params, resolver) : undefined;
      if (root) locks.push({ fn, index: root.param.index, name: root.param.name, attribute: root.attribute, acquire: item, start: item.end, end: withBody.end });
    }
  }
  byFn.set(fn, { locks });
  return locks;
}

/**
 * The `with` statements of each function's own body, from the model's list: only functions with
 * one can take a parameter's lock, and their bodies need no walk of their own. Each entry is
 * replaced by its answer once asked.
 */
function withStatementsByFunction(model: SemanticModel): Map<FunctionInfo, SNode[] | { locks: ParamLock[] }> {
  const out = new Map<FunctionInfo, SNode[] | { locks: ParamLock[] }>();
  for (const site of model.nodes) {
    if (site.node.type !== 'with_statement' || site.scope.type !== 'function') continue;
    const list = out.get(site.scope);
    if (Array.isArray(list)) list.push(site.node);
    else if (!list) out.set(site.scope, [site.node]);
  }
  return out;
}

/**
 * The arguments a function receives from one place: a call (`transfer(a, b)`), or a hand-off that
 * calls it later with the arguments given (`Thread(target=transfer, args=(a, b))`,
 * `pool.submit(transfer, a, b)`).
 */
export interface Invocation {
  /** Where it is made: the scope the arguments are read in, and the place a finding points at. */
  readonly site: CallSite;
  readonly positional: readonly SNode[];
  readonly keywords: ReadonlyMap<string, SNode>;
}

/** Positional arguments up to the first `*args` (past it, positions are unknown), and keyword ones. */
function argumentsOf(nodes: readonly SNode[], resolver: Resolver): { positional: SNode[]; keywords: Map<string, SNode> } {
  const positional: SNode[] = [];
  const keywords = new Map<string, SNode>();
  let open = true;
  for (const a of nodes) {
    if (a.type === 'keyword_argument') {
      const name = child(a, 'name');
      const value = child(a, 'value');
      if (name && value) keywords.set(resolver.text(name), value);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      open = false;
    } else if (open && a.type !== 'comment') {
      positional.push(a);
    }
  }
  return { positional, keywords };
}

/** The invocation a direct call makes. */
export function callInvocation(site: CallSite, resolver: Resolver): Invocation {
  const nodes = site.args?.type === 'argument_list' ? namedChildren(site.args) : [];
  return { site, ...argumentsOf(nodes, resolver) };
}

/** Elements of a tuple or list literal (`(a, b)`, `[a]`, `(a,)`); undefined for anything else. */
function literalItems(node: SNode): SNode[] | undefined {
  return node.type === 'tuple' || node.type === 'list' ? namedChildren(node).filter((c) => c.type !== 'comment') : undefined;
}

/**
 * The invocation a hand-off makes of its target: `args=`/`kwargs=` literals of a `Thread` or
 * `Timer`, or the arguments after the callable (`submit(f, a, b)`, `to_thread(f, a)`,
 * `run_in_executor(None, f, a)`).
 */
export function handoffInvocation(site: CallSite, target: SNode, resolver: Resolver): Invocation | undefined {
  const nodes = site.args?.type === 'argument_list' ? namedChildren(site.args).filter((c) => c.type !== 'comment') : [];
  const targetArg = nodes.find((a) => a === target || (a.type === 'keyword_argument' && child(a, 'value') === target));
  if (!targetArg) return undefined;
  if (targetArg.type === 'keyword_argument') {
    // `Thread(target=f, args=(a, b), kwargs={"c": c})`
    const { keywords } = argumentsOf(nodes, resolver);
    const args = keywords.get('args');
    const positional = args ? literalItems(unparenthesizeTuple(args)) : [];
    if (!positional) return undefined;
    const kw = new Map<string, SNode>();
    const kwargs = keywords.get('kwargs');
    if (kwargs) {
      if (kwargs.type !== 'dictionary') return undefined;
      for (const pair of namedChildren(kwargs)) {
        const key = pair.type === 'pair' ? child(pair, 'key') : undefined;
        const value = pair.type === 'pair' ? child(pair, 'value') : undefined;
        const name = key?.type === 'string' ? /^["'](\w+)["']$/.exec(resolver.text(key))?.[1] : undefined;
        if (name && value) kw.set(name, value);
      }
    }
    return { site, positional, keywords: kw };
  }
  return { site, ...argumentsOf(nodes.slice(nodes.indexOf(targetArg) + 1), resolver) };
}

/** `args=(a, b)` is a tuple; `args=(a)` is `a` itself, not a one-element tuple. */
function unparenthesizeTuple(node: SNode): SNode {
  return node.type === 'parenthesized_expression' ? (namedChildren(node)[0] ?? node) : node;
}

/** Every argument of an invocation with where it goes: a position, or a keyword's name. */
export function invocationArguments(inv: Invocation): Array<{ at: number | string; node: SNode }> {
  return [...inv.positional.map((node, at) => ({ at, node })), ...[...inv.keywords].map(([at, node]) => ({ at, node }))];
}

/** The argument an invocation passes for a parameter: by position or by keyword. */
function argumentFor(inv: Invocation, lock: Pick<ParamLock, 'index' | 'name'>): SNode | undefined {
  return inv.keywords.get(lock.name) ?? (lock.index >= 0 ? inv.positional[lock.index] : undefined);
}

/** The class of the object an expression names: `self` in a method, or a name bound once to `Cls(...)`. */
function classOfObject(expr: SNode, scope: Scope, resolver: Resolver): ClassInfo | undefined {
  return resolver.receiverClass(expr, scope) ?? resolver.constructedClass(expr, scope);
}

/**
 * The lock a parameter lock is at one call, from the argument: a lock the caller's module knows
 * (`transfer(LOCK_A, LOCK_B)`), or, for `with src.lock:`, the lock attribute of the object passed
 * (`transfer(acct_a, acct_b)`), told apart per object, since two accounts have two locks.
 * Undefined when the argument is not known to be a lock.
 */
export function bindParamLock(lock: ParamLock, inv: Invocation, resolver: Resolver): BoundLock | undefined {
  const arg = argumentFor(inv, lock);
  if (!arg) return undefined;
  // An argument is read where the call is made.
  const scope = inv.site.scope;
  if (lock.attribute === undefined) {
    const id = lockIdentity(arg, scope, resolver);
    return id ? { key: id.key, kind: id.kind, text: resolver.text(arg) } : undefined;
  }
  const object = unparenthesize(arg);
  if (object.type !== 'identifier' && object.type !== 'attribute') return undefined;
  const cls = object.type === 'identifier' ? classOfObject(object, scope, resolver) : undefined;
  if (!cls) return undefined;
  const values = resolver.attributeValues(cls, lock.attribute) ?? [];
  const kinds = values.filter((v) => unparenthesize(v.value).type !== 'none').map((v) => resolver.kindOf(v.value, v.scope));
  const kind = kinds[0];
  if (!kind || !THREAD_LOCK_KINDS.has(kind) || kinds.some((k) => k !== kind)) return undefined;
  // `self.lock` is keyed as the class's lock everywhere else in the module; another object's
  // lock is keyed by the name that holds the object.
  const owner = resolver.receiverClass(object, scope) ? resolver.attributeOwner(cls, lock.attribute) ?? cls : undefined;
  const key = owner ? `attr:${owner.name}@${owner.node.start}.${lock.attribute}` : `${lockKey(object, scope, resolver)}.${lock.attribute}`;
  // A Condition's own kind stands for its lock's here: a Condition() made without one wraps an RLock.
  return { key, kind: kind === 'thread-condition' ? 'thread-rlock' : kind, text: `${resolver.text(object)}.${lock.attribute}` };
}

/** A lock a callee takes at one call, with where in the callee it is taken. */
interface TakenAtCall {
  readonly lock: BoundLock;
  readonly acquire: SNode;
  readonly start: number;
  readonly end: number;
}

/** Every blocking lock the callee takes in its own body, with its parameter locks bound to this call's arguments. */
function takenAtCall(callee: FunctionInfo, inv: Invocation, resolver: Resolver): TakenAtCall[] {
  const params = paramLocks(callee, resolver);
  if (params.length === 0) return [];
  const byParam = new Set(params.map((p) => p.acquire));
  const out: TakenAtCall[] = [];
  for (const p of params) {
    const lock = bindParamLock(p, inv, resolver);
    if (lock) out.push({ lock, acquire: p.acquire, start: p.start, end: p.end });
  }
  if (out.length === 0) return out;
  for (const r of heldRegions(callee, resolver)) {
    // A parameter annotated as a lock is a region too, under a key only the callee uses.
    if (r.blocking && !byParam.has(r.acquire)) out.push({ lock: { key: r.key, kind: r.kind, text: r.text }, acquire: r.acquire, start: r.start, end: r.end });
  }
  return out;
}

/**
 * The locks a call makes its callee take, where at least one is chosen by an argument: each
 * lock alone, and each pair taken one inside the other. Pairs of the callee's own locks are
 * the callee's orderings, found without the call.
 */
export function locksAtCall(callee: FunctionInfo, inv: Invocation, resolver: Resolver): { taken: BoundLock[]; nested: Array<{ first: BoundLock; second: BoundLock; guarded: boolean }> } {
  const taken = takenAtCall(callee, inv, resolver);
  const nested: Array<{ first: BoundLock; second: BoundLock; guarded: boolean }> = [];
  const params = new Set(paramLocks(callee, resolver).map((p) => p.acquire));
  for (const outer of taken) {
    for (const inner of taken) {
      if (!takenInside(outer, inner) || (!params.has(outer.acquire) && !params.has(inner.acquire))) continue;
      nested.push({ first: outer.lock, second: inner.lock, guarded: guardedWithin(inner.acquire, outer.start) });
    }
  }
  return { taken: taken.filter((t) => params.has(t.acquire)).map((t) => t.lock), nested };
}

/**
 * True when a branch inside the outer lock's region decides whether the inner lock is taken
 * (`if src is not dst: with dst.lock:`): the helper may skip it when both are one lock.
 */
export function guardedWithin(inner: SNode, regionStart: number): boolean {
  for (let n = inner.parent; n && n.start >= regionStart; n = n.parent) {
    if (n.type === 'if_statement' || n.type === 'conditional_expression' || n.type === 'elif_clause' || n.type === 'else_clause') return true;
  }
  return false;
}
