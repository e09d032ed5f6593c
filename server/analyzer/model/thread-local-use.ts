import { child, unparenthesize, type SNode } from '../syntax';
import { attributeMentions } from './attribute-mentions';
import { eventLoopFunction } from './call-context';
import { writeShape } from './class-locking';
import type { Kind } from './known-types';
import { lockKey } from './locks';
import type { Resolver } from './resolve';
import type { SemanticModel } from './semantic-model';
import type { Scope } from './scope';

/** How a module uses one `threading.local()` object, from every `local.name` it writes. */
export interface ThreadLocalUse {
  /** Some code running on an event loop changes it (`local.token = token` in an `async def`). */
  readonly changedOnLoop: boolean;
  /** It keeps an asyncio primitive (`local.lock = asyncio.Lock()`): state meant for every task of the thread's loop. */
  readonly keepsLoopPrimitive: boolean;
}

/** asyncio's primitives for coordinating the tasks of one loop. */
const LOOP_PRIMITIVES: ReadonlySet<Kind> = new Set<Kind>(['async-lock', 'async-semaphore', 'async-condition', 'async-event', 'async-queue']);

const uses = new WeakMap<SemanticModel, Map<string, ThreadLocalUse>>();

/**
 * The writes of the module to the thread-local that `object` (in `scope`) names. A thread-local
 * that only synchronous code sets (per-thread configuration, read by coroutines) holds no task's
 * value; one that holds an `asyncio.Lock` is the loop's own state, shared by design.
 */
export function threadLocalUse(object: SNode, scope: Scope, resolver: Resolver): ThreadLocalUse {
  const key = lockKey(object, scope, resolver);
  let known = uses.get(resolver.model);
  if (!known) uses.set(resolver.model, (known = new Map()));
  const found = known.get(key);
  if (found) return found;
  const text = resolver.text(unparenthesize(object));
  let changedOnLoop = false;
  let keepsLoopPrimitive = false;
  for (const list of attributeMentions(resolver).values()) {
    for (const { node, scope: at } of list) {
      const of = child(node, 'object');
      if (!of || resolver.text(unparenthesize(of)) !== text || lockKey(of, at, resolver) !== key) continue;
      const shape = writeShape(node, resolver);
      if (!shape) continue;
      if (eventLoopFunction(at, resolver)) changedOnLoop = true;
      const assigned = node.parent?.type === 'assignment' && node.field === 'left' ? child(node.parent, 'right') : undefined;
      const kind = assigned ? resolver.kindOf(assigned, at) : undefined;
      if (kind && LOOP_PRIMITIVES.has(kind)) keepsLoopPrimitive = true;
    }
  }
  const use = { changedOnLoop, keepsLoopPrimitive };
  known.set(key, use);
  return use;
}

/**
 * The `local.name` mentions of the thread-local `object` names in the loop function `fn`, in
 * source order: the rule speaks once per function, at the first, and names the attributes.
 */
export function threadLocalMentionsIn(object: SNode, scope: Scope, fn: Scope, resolver: Resolver): SNode[] {
  const key = lockKey(object, scope, resolver);
  const text = resolver.text(unparenthesize(object));
  const out: SNode[] = [];
  for (const list of attributeMentions(resolver).values()) {
    for (const { node, scope: at } of list) {
      const of = child(node, 'object');
      if (!of || resolver.text(unparenthesize(of)) !== text || eventLoopFunction(at, resolver)?.fn !== fn || lockKey(of, at, resolver) !== key) continue;
      out.push(node);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
