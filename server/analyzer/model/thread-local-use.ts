import { child, unparenthesize, type SNode } from '../syntax';
import { attributeMentions } from './attribute-mentions';
import { eventLoopFunction } from './call-context';
import { writeShape } from './class-locking';
import type { Kind } from './known-types';
import { lockKey } from './locks';
import type { Resolver } from './resolve';
import type { SemanticModel } from './semantic-model';
import type { FunctionInfo, Scope } from './scope';

/** How a module uses one `threading.local()` object, from every `local.name` it writes. */
export interface ThreadLocalUse {
  /** Some code running on an event loop changes it (`local.token = token` in an `async def`). */
  readonly changedOnLoop: boolean;
  /** It keeps an asyncio primitive (`local.lock = asyncio.Lock()`): state meant for every task of the thread's loop. */
  readonly keepsLoopPrimitive: boolean;
  /** Its `local.name` mentions in each loop function, in source order. */
  readonly mentionsIn: ReadonlyMap<FunctionInfo, readonly SNode[]>;
}

/** asyncio's primitives for coordinating the tasks of one loop. */
const LOOP_PRIMITIVES: ReadonlySet<Kind> = new Set<Kind>(['async-lock', 'async-semaphore', 'async-condition', 'async-event', 'async-queue']);

const uses = new WeakMap<SemanticModel, Map<string, ThreadLocalUse>>();

/**
 * The module's uses of the thread-local that `object` (in `scope`) names, found in one pass per
 * object. A thread-local that only synchronous code sets (per-thread configuration, read by
 * coroutines) holds no task's value; one that holds an `asyncio.Lock` is the loop's own state,
 * shared by design.
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
  const mentionsIn = new Map<FunctionInfo, SNode[]>();
  for (const list of attributeMentions(resolver).values()) {
    for (const { node, scope: at } of list) {
      const of = child(node, 'object');
      if (!of || resolver.text(unparenthesize(of)) !== text || lockKey(of, at, resolver) !== key) continue;
      const loopFn = eventLoopFunction(at, resolver)?.fn;
      if (loopFn) (mentionsIn.get(loopFn) ?? mentionsIn.set(loopFn, []).get(loopFn)!).push(node);
      if (!writeShape(node, resolver)) continue;
      if (loopFn) changedOnLoop = true;
      const assigned = node.parent?.type === 'assignment' && node.field === 'left' ? child(node.parent, 'right') : undefined;
      const kind = assigned ? resolver.kindOf(assigned, at) : undefined;
      if (kind && LOOP_PRIMITIVES.has(kind)) keepsLoopPrimitive = true;
    }
  }
  for (const nodes of mentionsIn.values()) nodes.sort((a, b) => a.start - b.start);
  const use = { changedOnLoop, keepsLoopPrimitive, mentionsIn };
  known.set(key, use);
  return use;
}
