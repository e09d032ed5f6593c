import { namedChildren, type SNode } from '../syntax';
import { threadWaitName } from './blocking-calls';
import { methodCall } from './call-context';
import { queueGuardEnd } from './queue-guard';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';
import { threadReachable } from './thread-reachability';

const NESTED = new Set(['function_definition', 'lambda', 'class_definition']);

/** True when `fn`'s own body can suspend (`await`, `yield`) between offsets `from` and `to`. */
function suspendsBetween(fn: FunctionInfo, from: number, to: number): boolean {
  const walk = (n: SNode): boolean => {
    if (n.end <= from || n.start >= to) return false;
    if (n !== fn.node && NESTED.has(n.type)) return false;
    if ((n.type === 'await' || n.type === 'yield') && n.start >= from) return true;
    return namedChildren(n).some(walk);
  };
  return walk(fn.node);
}

/**
 * True when no function of this module that runs on a worker thread takes items from the queue
 * (`receiver`, matched by its text) with a blocking `get()`: the threads only feed it, so an item
 * the loop's code saw stays there until that code takes it.
 */
function threadsOnlyFeed(receiver: SNode, resolver: Resolver): boolean {
  const text = resolver.text(receiver).replace(/\s+/g, '');
  const reachable = threadReachable(resolver);
  return !resolver.model.calls.some((site) => {
    if (site.scope.type !== 'function' || !reachable.has(site.scope)) return false;
    const call = methodCall(site.callee, resolver);
    return call?.method === 'get' && resolver.text(call.object).replace(/\s+/g, '') === text && !!threadWaitName(site.node, site.scope, resolver);
  });
}

/**
 * True when `call`, made in the coroutine `fn`, runs only once the queue `receiver` is known to
 * hold an item (`while q.empty(): await sleep(0)` then `q.get()`), with no suspension between the
 * check and the call (no other task can take the item) and no worker thread of the module
 * consuming the queue (no other thread can): the `get()` that follows returns at once.
 */
export function pollGuardedGet(call: SNode, receiver: SNode, fn: FunctionInfo, resolver: Resolver): boolean {
  const from = queueGuardEnd(call, receiver, 'item', fn.node.start, resolver);
  if (from === undefined || suspendsBetween(fn, from, call.start)) return false;
  return threadsOnlyFeed(receiver, resolver);
}
