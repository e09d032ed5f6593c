import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';

/** `asyncio.get_event_loop` by the qualified names a call of it resolves to (TW205, and the index's loop-only facts). */
export const GET_EVENT_LOOP: ReadonlySet<string> = new Set(['asyncio.get_event_loop', 'asyncio.events.get_event_loop']);

/**
 * Receivers that are an asyncio event loop, and the callbacks handed to one: the loop runs those
 * on its own thread, while it runs.
 */

// A loop handed in (`self._loop = loop`, `request._loop`) has no kind the resolver can see, but
// asyncio code names its loop so; objects named otherwise (a connection, a task manager) may
// have methods of the same name that do something else.
const LOOP_NAME = /^_*(?:event_?)?loop$/;

/** `loop`, `self._loop`, `asyncio.get_running_loop()`: known to be a loop, or unknown and named as one. */
export function isLoopReceiver(object: SNode, scope: Scope, resolver: Resolver): boolean {
  const kind = resolver.kindOf(object, scope);
  if (kind !== undefined) return kind === 'event-loop';
  const node = unparenthesize(object);
  const name = node.type === 'attribute' ? child(node, 'attribute') : node.type === 'identifier' ? node : undefined;
  return !!name && LOOP_NAME.test(resolver.text(name));
}

/** The loop's scheduling methods, by the position of the callback among their arguments. */
const CALLBACK_POSITION = new Map([
  ['call_soon', 0],
  ['call_soon_threadsafe', 0],
  ['call_later', 1],
  ['call_at', 1],
  ['add_reader', 1],
  ['add_writer', 1],
  ['add_signal_handler', 1],
]);

/** `loop.call_soon(node, ...)`, `self._loop.call_later(delay, node)`: the loop calls `node` later, on its thread. */
export function loopCallbackArgument(node: SNode, scope: Scope, resolver: Resolver): boolean {
  const args = node.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  const callee = call?.type === 'call' ? child(call, 'function') : undefined;
  if (callee?.type !== 'attribute') return false;
  const position = CALLBACK_POSITION.get(resolver.text(child(callee, 'attribute') ?? callee));
  const object = child(callee, 'object');
  return position !== undefined && namedChildren(args!)[position] === node && !!object && isLoopReceiver(object, scope, resolver);
}
