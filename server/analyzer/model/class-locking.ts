import { child, walk, type SNode } from '../syntax';
import { ANY_LOCK, CONSTRUCTION, entryState } from './entry-locks';
import type { Kind } from './known-types';
import { locksHeldAt } from './lock-regions';
import { runsOnceUnderLock } from './run-once';
import type { Resolver } from './resolve';
import type { ClassInfo, FunctionInfo, Scope } from './scope';
import type { SemanticModel } from './semantic-model';

const MUTATORS = /^(append|extend|insert|pop|popleft|popitem|appendleft|remove|discard|add|update|clear|setdefault|sort|reverse)$/;

/** A method of the builtin containers that changes the container it is called on (`append`, `pop`...). */
export function isMutatorMethod(name: string): boolean {
  return MUTATORS.test(name);
}

/** Mutual-exclusion locks; a semaphore counts tokens and guards no attribute. */
const GUARDS: ReadonlySet<Kind> = new Set<Kind>(['thread-lock', 'thread-rlock', 'thread-condition']);
/** Run before the object is shared (or in a fresh child after fork), or when nothing else can reach it. */
export const EXEMPT_METHODS: ReadonlySet<string> = new Set([...CONSTRUCTION, '__del__', '__init_subclass__', '__getstate__', '__reduce__', '__repr__']);

/**
 * `rebind` replaces the reference (`self.x = v`, `del self.x`), `update` reads and writes it back
 * (`self.x += 1`), `mutate` changes the object in place (`self.x.append(v)`, `self.x[k] = v`).
 */
export type WriteShape = 'rebind' | 'update' | 'mutate';

/** One use of `self.<attr>` in a method of a class that owns a lock. */
export interface Access {
  readonly node: SNode;
  readonly attr: string;
  readonly write: WriteShape | undefined;
  /** Text of the class lock held here, on entry or in a region; undefined when none is. */
  readonly lock: string | undefined;
  /** The lock is only assumed (a private helper nobody here calls): quiet, but no evidence of a guarded write. */
  readonly assumed: boolean;
  /**
   * The lock is held by some calls of this private method and not by others (see EntryState's
   * `heldBySome`): the race is at the calls without it, which is where TW501 reports.
   */
  readonly bySomeCallers?: boolean;
  /** The method the access is in (a lambda inside it counts as the method). */
  readonly fn: FunctionInfo;
}

/** How a class that owns a lock uses it: the locks, every attribute access, the writes made under a lock. */
export interface LockDiscipline {
  /** Attributes holding a mutual-exclusion lock (or a Condition). */
  readonly lockAttrs: ReadonlySet<string>;
  /** Accesses in the methods that run while the object is shared. */
  readonly accesses: readonly Access[];
  /** The first write under a class lock (shown, not assumed) of each attribute. */
  readonly guardedWrites: ReadonlyMap<string, Access>;
}

/**
 * Per model, not per class: an edit elsewhere in the file carries a ClassInfo over to the next
 * model unchanged, while the callers and locks its discipline depends on may have changed.
 */
const caches = new WeakMap<SemanticModel, Map<ClassInfo, LockDiscipline | null>>();

/** The lock attributes of a class: attributes assigned a lock (or annotated as one) somewhere. */
export function lockAttributes(cls: ClassInfo, resolver: Resolver): Set<string> {
  const out = new Set<string>();
  for (const [name, values] of cls.attributes) {
    const kinds = values.map((v) => resolver.kindOf(v, resolver.scopeAt(v, cls)));
    if (kinds.some((k) => k && GUARDS.has(k))) out.add(name);
  }
  return out;
}

/** Undefined for a class that owns no lock. */
export function lockDiscipline(cls: ClassInfo, resolver: Resolver): LockDiscipline | undefined {
  let cache = caches.get(resolver.model);
  if (!cache) caches.set(resolver.model, (cache = new Map()));
  const known = cache.get(cls);
  if (known !== undefined) return known ?? undefined;
  const lockAttrs = lockAttributes(cls, resolver);
  let result: LockDiscipline | null = null;
  if (lockAttrs.size > 0) {
    const methods = [...cls.methods.values()]
      .flat()
      // A set-up-once method's locked writes are initial state, as construction's are.
      .filter((m) => !EXEMPT_METHODS.has(m.name) && !m.isAsync && !entryState(m, resolver).constructionOnly && !runsOnceUnderLock(m, resolver));
    const accesses = methods.flatMap((m) => accessesIn(m, cls, lockAttrs, resolver));
    const guardedWrites = new Map<string, Access>();
    for (const a of accesses) if (a.write && a.lock && !a.assumed && !guardedWrites.has(a.attr)) guardedWrites.set(a.attr, a);
    result = { lockAttrs, accesses, guardedWrites };
  }
  cache.set(cls, result);
  return result ?? undefined;
}

export function writeShape(attrNode: SNode, resolver: Resolver): WriteShape | undefined {
  const p = attrNode.parent;
  if (!p) return undefined;
  if (p.type === 'assignment' && attrNode.field === 'left') return 'rebind';
  if (p.type === 'augmented_assignment' && attrNode.field === 'left') return 'update';
  if (p.type === 'delete_statement') return 'rebind';
  if (p.type === 'subscript' && attrNode.field === 'value') {
    const q = p.parent;
    return !!q && (q.type === 'assignment' || q.type === 'augmented_assignment' || q.type === 'delete_statement') && p.field !== 'right' ? 'mutate' : undefined;
  }
  if (p.type === 'attribute' && attrNode.field === 'object' && p.parent?.type === 'call' && p.field === 'function') {
    return isMutatorMethod(resolver.text(child(p, 'attribute')!)) ? 'mutate' : undefined;
  }
  return undefined;
}

/** The class lock held at a node, in a region of its own or on entry, as the code names it. */
function classLockHeld(node: SNode, scope: Scope, fn: FunctionInfo, lockAttrs: ReadonlySet<string>, resolver: Resolver): { lock: string; assumed: boolean; bySomeCallers?: boolean } | undefined {
  // `attr:Owner@offset.name`: a lock of this class, or one it inherits, whatever class assigned it.
  const ownLock = (key: string) => key.startsWith('attr:') && lockAttrs.has(key.slice(key.lastIndexOf('.') + 1));
  const named = (key: string) => `${fn.receiver}.${key.slice(key.lastIndexOf('.') + 1)}`;
  const region = locksHeldAt(node, scope, resolver).find((r) => r.kind !== 'thread-semaphore' && ownLock(r.key));
  if (region) return { lock: region.text, assumed: false };
  if (scope.type !== 'function') return undefined;
  const entry = entryState(scope, resolver);
  for (const key of entry.held) {
    if (key === ANY_LOCK) return { lock: `${fn.receiver}.${[...lockAttrs][0]}`, assumed: entry.assumed };
    if (ownLock(key)) return { lock: named(key), assumed: entry.assumed };
  }
  for (const key of entry.heldBySome ?? []) {
    if (ownLock(key)) return { lock: named(key), assumed: true, bySomeCallers: true };
  }
  return undefined;
}

function accessesIn(fn: FunctionInfo, cls: ClassInfo, lockAttrs: ReadonlySet<string>, resolver: Resolver): Access[] {
  const out: Access[] = [];
  const body = child(fn.node, 'body');
  if (!body || !fn.receiver) return out;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition') return false;
    if (n.type !== 'attribute') return true;
    const object = child(n, 'object');
    const attr = child(n, 'attribute');
    if (object?.type !== 'identifier' || !attr || resolver.text(object) !== fn.receiver) return true;
    const name = resolver.text(attr);
    if (lockAttrs.has(name) || resolver.methodsOf(cls, name)) return true;
    const scope = resolver.scopeAt(n, fn);
    const held = classLockHeld(n, scope, fn, lockAttrs, resolver);
    out.push({ node: n, attr: name, write: writeShape(n, resolver), lock: held?.lock, assumed: held?.assumed ?? false, ...(held?.bySomeCallers ? { bySomeCallers: true } : {}), fn });
    return true;
  });
  return out;
}
