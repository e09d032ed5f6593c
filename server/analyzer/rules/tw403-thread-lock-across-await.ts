import { eventLoopFunction } from '../model/call-context';
import { locksHeldAt } from '../model/lock-regions';
import { child } from '../syntax';
import type { Rule } from './rule';

export const threadLockAcrossAwait: Rule = {
  meta: {
    code: 'TW403',
    name: 'thread-lock-across-await',
    severity: 'warning',
    fix: 'none',
    summary: 'a threading lock held across an await',
    description: 'An `await` while holding a `threading` lock: another task that takes the lock blocks the whole event loop.',
    peerCodes: [],
  },
  // `async with` and `async for` suspend the task too, in __aenter__/__aexit__ and __anext__.
  nodeTypes: ['await', 'with_statement', 'for_statement'],
  onNode({ node, scope }, ctx) {
    let end = node.end;
    let what = 'await';
    if (node.type !== 'await') {
      if (node.children[0]?.type !== 'async') return;
      const header = node.type === 'with_statement' ? node.children.find((c) => c.type === 'with_clause') : child(node, 'right');
      if (!header) return;
      end = header.end;
      what = node.type === 'with_statement' ? 'async with' : 'async for';
    }
    const loop = eventLoopFunction(scope, ctx.resolver);
    if (!loop || loop.viaLambda) return;
    const held = locksHeldAt(node, scope, ctx.resolver);
    if (held.length === 0) return;
    const names = [...new Set(held.map((r) => `'${r.text}'`))].join(', ');
    ctx.report({
      start: node.start,
      end,
      message: `${what} while holding the threading lock ${names}: other tasks run on this same thread meanwhile, and one that takes the lock blocks the whole event loop (deadlock); use an asyncio.Lock or release before awaiting.`,
    });
  },
};
