import { eventLoopFunction } from '../model/call-context';
import { child } from '../syntax';
import type { Rule } from './rule';

export const threadLocalInAsync: Rule = {
  meta: {
    code: 'TW505',
    name: 'thread-local-in-async',
    severity: 'warning',
    fix: 'none',
    summary: 'threading.local() state used in async def: every task on the loop shares it',
    description: '`threading.local()` state used in an `async def` is shared by every task on the loop; use a `ContextVar`.',
    peerCodes: [],
  },
  nodeTypes: ['attribute'],
  onNode({ node, scope }, ctx) {
    // The event-loop test first: it is a walk up a few scopes, while kindOf may follow assignments,
    // and most attributes are not in async code.
    const loop = eventLoopFunction(scope, ctx.resolver);
    if (!loop) return;
    const object = child(node, 'object');
    if (!object || ctx.resolver.kindOf(object, scope) !== 'thread-local') return;
    ctx.report({
      start: node.start,
      end: node.end,
      message: `'${ctx.resolver.text(node)}' is threading.local() state used in async def '${loop.fn.name}': all tasks on the event loop run on one thread and share it, so one request's value leaks into another; use a contextvars.ContextVar.`,
    });
  },
};
