import { enclosingFunction } from '../model/scope';
import { child, namedChildren } from '../syntax';
import type { Fix, Rule } from './rule';

const ASYNC_PRIMITIVES = new Set(['async-lock', 'async-semaphore', 'async-condition']);

export const syncWithAsyncPrimitive: Rule = {
  meta: {
    code: 'TW207',
    name: 'sync-with-async-primitive',
    severity: 'error',
    fix: 'safe',
    summary: 'plain `with` on an asyncio Lock/Semaphore/Condition raises TypeError',
    description: 'A plain `with` on an asyncio `Lock`, `Semaphore` or `Condition` raises; it needs `async with`.',
    peerCodes: ['S7515'],
  },
  nodeTypes: ['with_statement'],
  onNode({ node, scope }, ctx) {
    if (node.children.some((c) => c.type === 'async')) return;
    const clause = node.children.find((c) => c.type === 'with_clause');
    const items = clause ? namedChildren(clause).filter((c) => c.type === 'with_item') : [];
    for (const item of items) {
      let value = child(item, 'value');
      if (value?.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
      if (!value || !ASYNC_PRIMITIVES.has(ctx.resolver.kindOf(value, scope) ?? '')) continue;
      const fn = enclosingFunction(scope);
      const canFix = items.length === 1 && fn !== undefined && fn.isAsync && !fn.isLambda && scope === fn;
      const fix: Fix | undefined = canFix
        ? { title: "Use 'async with'", safety: 'safe', edits: [{ start: node.start, end: node.start, newText: 'async ' }] }
        : undefined;
      ctx.report({
        start: value.start,
        end: value.end,
        message: `'${ctx.resolver.text(value)}' is an asyncio primitive: a plain 'with' raises TypeError at run time; use 'async with'.`,
        ...(fix ? { fix } : {}),
      });
    }
  },
};
