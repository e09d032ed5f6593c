import { argument } from '../model/callables';
import { answerOnce } from '../model/answer-once';
import { pausesWithoutBlocking } from '../model/zero-sleep';
import { CONSTRUCTORS, type Kind } from '../model/known-types';
import type { Resolver } from '../model/resolve';
import type { Scope } from '../model/scope';
import type { SemanticModel } from '../model/semantic-model';
import { child, unparenthesize, walk, type SNode } from '../syntax';
import { clientClass } from './clients';
import { receiverKind } from './receiver';
import { CATALOGUE, type CatalogueEntry } from './table';
import { listed, userCallsOf, userClasses, type UserCalls } from './user';

const BY_FUNCTION = new Map<string, CatalogueEntry>();
const BY_METHOD = new Map<Kind, Map<string, CatalogueEntry>>();
for (const e of CATALOGUE) {
  if (!e.receiver) {
    BY_FUNCTION.set(e.name, e);
    continue;
  }
  let methods = BY_METHOD.get(e.receiver);
  if (!methods) BY_METHOD.set(e.receiver, (methods = new Map()));
  methods.set(e.method!, e);
}

/** The function names of one rule's rows: how TW102-TW106 read their lists. */
export function catalogueFunctions(code: string): ReadonlySet<string> {
  return new Set(CATALOGUE.filter((e) => e.code === code && !e.receiver).map((e) => e.name));
}

/** The methods of one rule's rows, by receiver kind. */
export function catalogueMethods(code: string): ReadonlyMap<Kind, ReadonlySet<string>> {
  const out = new Map<Kind, Set<string>>();
  for (const e of CATALOGUE) {
    if (e.code !== code || !e.receiver) continue;
    const set = out.get(e.receiver) ?? new Set<string>();
    set.add(e.method!);
    out.set(e.receiver, set);
  }
  return out;
}

/** True when a function row's condition holds for this call (`zipfile.ZipFile(io.BytesIO(b))` reads memory). */
export function conditionHolds(qualified: string, call: SNode, scope: Scope, resolver: Resolver): boolean {
  const entry = BY_FUNCTION.get(qualified);
  return !entry || rowHolds(entry, call, scope, resolver);
}

/** True when a method row's condition holds for this call (`p.glob('*')` iterated where it is called). */
export function methodConditionHolds(kind: Kind, method: string, call: SNode, scope: Scope, resolver: Resolver): boolean {
  const entry = BY_METHOD.get(kind)?.get(method);
  return !entry || rowHolds(entry, call, scope, resolver);
}

/** Whether this call of a catalogue row waits, by the row's condition (see Condition). */
function rowHolds(entry: CatalogueEntry, call: SNode, scope: Scope, resolver: Resolver): boolean {
  const when = entry.when;
  if (!when) return true;
  if (when === 'iterated-here') return !handedBackLazily(call);
  if (when === 'pause-not-zero') return !pausesWithoutBlocking(call, resolver);
  if (when === 'timeout-not-zero') return !zeroTimeout(call, resolver);
  // The first parameter by position or by its name (`SMTP(host=...)`, `df.to_csv(path_or_buf=...)`);
  // `tarfile.open(fileobj=...)` names its buffer by keyword, its first positional is a path.
  const first = when === 'has-first-argument'
    ? (argument(call, 'host', 0, resolver) ?? argument(call, 'path_or_buf', undefined, resolver))
    : (argument(call, 'file', 0, resolver) ?? argument(call, 'fileobj', undefined, resolver));
  if (!first) return false;
  if (when === 'has-first-argument') return true;
  const made = resolver.constructionOf(first, scope);
  const maker = made ? child(made, 'function') : undefined;
  const q = maker ? resolver.qualifiedName(maker, scope) : undefined;
  return q !== 'io.BytesIO' && q !== 'io.StringIO';
}

/** What may hold a returned value on its way out: `return (a, b.glob('*'))`. */
const RETURNED_IN = new Set(['parenthesized_expression', 'tuple', 'expression_list']);

/**
 * `return self.cache_dir.glob('*')`: a lazy iterator returned as it is, unstarted (alone or in a
 * tuple). Its I/O happens where the caller iterates it, after this function (and any lock it
 * holds) is done.
 */
function handedBackLazily(call: SNode): boolean {
  let n = call;
  while (n.parent && RETURNED_IN.has(n.parent.type)) n = n.parent;
  return n.parent?.type === 'return_statement';
}

/** Every name a kind's class goes by (`http-session`: `requests.Session`, `httpx.Client`, ...). */
let classNames: Map<Kind, string[]> | undefined;
function namesOfKind(kind: Kind): readonly string[] {
  if (!classNames) {
    classNames = new Map();
    const add = (k: Kind, n: string) => classNames!.set(k, [...(classNames!.get(k) ?? []), n]);
    for (const [name, k] of CONSTRUCTORS) add(k, name);
    for (const e of CATALOGUE) if (e.receiver) add(e.receiver, e.name.slice(0, e.name.length - e.method!.length - 1));
  }
  const own = clientClass(kind);
  return [...(own ? [own] : []), ...(classNames.get(kind) ?? [])];
}

export interface CatalogueHit {
  readonly entry: CatalogueEntry;
  /** What the message calls it: the qualified function, or the receiver as written plus the method. */
  readonly name: string;
}

const NO_CLASSES = { size: 0, has: () => false };

interface Resolved {
  readonly qualified: string | undefined;
  readonly method: { readonly object: SNode; readonly name: string; readonly kind: Kind | undefined } | undefined;
}

function resolveCall(call: SNode, scope: Scope, resolver: Resolver, user: UserCalls | undefined): Resolved | undefined {
  const callee = child(call, 'function');
  if (!callee) return undefined;
  const qualified = resolver.qualifiedName(callee, scope);
  if (qualified || callee.type !== 'attribute') return { qualified, method: undefined };
  const object = child(callee, 'object');
  const attr = child(callee, 'attribute');
  if (!object || !attr) return undefined;
  const classes = user ? userClasses(user) : NO_CLASSES;
  return { qualified, method: { object, name: resolver.text(attr), kind: receiverKind(object, scope, resolver, classes) } };
}

/** The dotted names a call answers to, for `blocking-calls` / `non-blocking-calls` entries. */
function namesOf(r: Resolved): string[] {
  if (r.qualified) return [r.qualified.replace(/^builtins\./, '')];
  if (!r.method?.kind) return [];
  return namesOfKind(r.method.kind).map((c) => `${c}.${r.method!.name}`);
}

/** True when the project's `non-blocking-calls` covers this call: no blocking rule reports it. */
export function declaredNonBlocking(call: SNode, scope: Scope, resolver: Resolver): boolean {
  const user = userCallsOf(resolver.model);
  if (!user || user.nonBlocking.length === 0) return false;
  const r = resolveCall(call, scope, resolver, user);
  return !!r && namesOf(r).some((n) => listed(n, user.nonBlocking));
}

/**
 * A module that puts any socket in non-blocking mode is doing its own readiness waiting (anyio,
 * loop.sock_* callers): there `recv()` raises BlockingIOError instead of waiting, and which socket
 * a given `recv()` uses is rarely visible from the call. Socket methods are not reported there.
 */
const NON_BLOCKING_MODE = /\.setblocking\(\s*(?:False|0)\s*\)|\.settimeout\(\s*0(?:\.0)?\s*\)/;
const nonBlockingModules = new WeakMap<SemanticModel, boolean>();
function switchesToNonBlocking(resolver: Resolver): boolean {
  let found = nonBlockingModules.get(resolver.model);
  if (found === undefined) nonBlockingModules.set(resolver.model, (found = NON_BLOCKING_MODE.test(resolver.model.source)));
  return found;
}

/**
 * `getaddrinfo(host, port, flags=AI_NUMERICHOST)` (or `getnameinfo(addr, NI_NUMERICHOST)`) only
 * parses numbers and never asks a resolver; the flag may come through a module constant.
 */
function numericLookup(call: SNode, scope: Scope, resolver: Resolver): boolean {
  const flags = argument(call, 'flags', undefined, resolver) ?? (resolver.text(child(call, 'function')!).endsWith('getnameinfo') ? argument(call, 'flags', 1, resolver) : argument(call, 'flags', 5, resolver));
  if (!flags) return false;
  let text = resolver.text(flags);
  // A name in the flags (`flags | _NUMERIC_ONLY`, trio's socket module) stands for what it is set
  // to: or-ing in AI_NUMERICHOST makes the lookup numeric whatever else is set.
  walk(flags, (n) => {
    if (n.type !== 'identifier') return true;
    const found = resolver.lookup(resolver.text(n), scope);
    for (const b of found?.bindings ?? []) if (b.kind === 'assign') text += resolver.text(b.value);
    return false;
  });
  return text.includes('NUMERICHOST');
}

/** `poller.poll(0)` / `poll(timeout=0)`: returns at once, whatever is ready. */
function zeroTimeout(call: SNode, resolver: Resolver): boolean {
  const timeout = argument(call, 'timeout', 0, resolver);
  return !!timeout && /^0(?:\.0*)?$/.test(resolver.text(unparenthesize(timeout)));
}

/**
 * Per model and call: TW108, TW109 and TW110 each ask about every call in event-loop code, and
 * the answer (a receiver's kind followed through assignments) is the same for all three.
 */
const hits = new WeakMap<SemanticModel, Map<SNode, CatalogueHit | null>>();

/** The catalogue row a call matches, if any, whatever its rule; undefined for `non-blocking-calls`. */
export function matchCatalogue(call: SNode, scope: Scope, resolver: Resolver): CatalogueHit | undefined {
  return answerOnce(hits, resolver.model, call, () => findCatalogueRow(call, scope, resolver) ?? null) ?? undefined;
}

function findCatalogueRow(call: SNode, scope: Scope, resolver: Resolver): CatalogueHit | undefined {
  const user = userCallsOf(resolver.model);
  const r = resolveCall(call, scope, resolver, user);
  if (!r) return undefined;
  let hit: CatalogueHit | undefined;
  if (r.qualified) {
    const entry = BY_FUNCTION.get(r.qualified);
    if (entry && rowHolds(entry, call, scope, resolver) && !(entry.family === 'dns' && numericLookup(call, scope, resolver))) hit = { entry, name: r.qualified.replace(/^builtins\./, '') };
  } else if (r.method?.kind) {
    const methods = BY_METHOD.get(r.method.kind);
    const entry = methods?.get(r.method.name) ?? methods?.get('*');
    const excluded = entry?.method === '*' && (entry.except?.has(r.method.name) || r.method.name.startsWith('_'));
    if (entry && !excluded && !(entry.family === 'socket' && switchesToNonBlocking(resolver)) && rowHolds(entry, call, scope, resolver)) {
      hit = { entry, name: `${resolver.text(r.method.object)}.${r.method.name}` };
    }
  }
  if (hit && user && namesOf(r).some((n) => listed(n, user.nonBlocking))) return undefined;
  return hit;
}

/** A call the project's `blocking-calls` names that the catalogue does not already cover. */
export function matchUserBlocking(call: SNode, scope: Scope, resolver: Resolver): { name: string; entry: string } | undefined {
  const user = userCallsOf(resolver.model);
  if (!user || user.blocking.length === 0) return undefined;
  const r = resolveCall(call, scope, resolver, user);
  if (!r) return undefined;
  const names = namesOf(r);
  const entry = user.blocking.find((e) => names.some((n) => listed(n, [e])));
  if (!entry || names.some((n) => listed(n, user.nonBlocking))) return undefined;
  const callee = child(call, 'function')!;
  return { name: r.qualified ? names[0]! : resolver.text(callee), entry };
}
