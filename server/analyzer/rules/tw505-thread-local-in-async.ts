import { eventLoopFunction } from '../model/call-context';
import { threadLocalUse } from '../model/thread-local-use';
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
    // Only a value some task sets can leak into another task. Per-thread settings written by
    // synchronous code (a configured resolver), or the loop's own shared state (an asyncio.Lock
    // kept per thread, so per loop), are what threading.local is for here.
    const use = threadLocalUse(object, scope, ctx.resolver);
    if (!use.changedOnLoop || use.keepsLoopPrimitive) return;
    // One finding per coroutine, at its first use of the object, naming what it uses.
    const mentions = use.mentionsIn.get(loop.fn) ?? [];
    if (mentions[0] !== undefined && mentions[0].start !== node.start) return;
    const names = [...new Set(mentions.map((m) => ctx.resolver.text(child(m, 'attribute')!)))];
    const what = names.length > 1 ? `'${ctx.resolver.text(object)}' (${names.map((n) => `.${n}`).join(', ')})` : `'${ctx.resolver.text(node)}'`;
    ctx.report({
      start: node.start,
      end: node.end,
      message: `${what} is threading.local() state used in async def '${loop.fn.name}', and coroutines change it: all tasks on the event loop run on one thread and share it, so one request's value leaks into another; use a contextvars.ContextVar.`,
    });
  },
};
