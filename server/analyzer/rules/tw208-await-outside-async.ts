import { enclosingFunction } from '../model/scope';
import { child, type SNode } from '../syntax';
import type { Rule } from './rule';

/** True when `node` is in the iterable of the generator expression's first `for` clause. */
function inOutermostIterable(node: SNode, genexp: SNode): boolean {
  const first = genexp.children.find((c) => c.type === 'for_in_clause');
  const iterable = first ? child(first, 'right') : undefined;
  return !!iterable && iterable.start <= node.start && node.end <= iterable.end;
}

export const awaitOutsideAsync: Rule = {
  meta: {
    code: 'TW208',
    name: 'await-outside-async',
    severity: 'error',
    fix: 'none',
    summary: '`await`, `async for` or `async with` outside async def is a SyntaxError',
    description: '`await`, `async with` or `async for` outside an `async def` is a SyntaxError.',
    peerCodes: ['PLE1142'],
  },
  nodeTypes: ['await', 'with_statement', 'for_statement', 'for_in_clause'],
  onNode({ node, scope }, ctx) {
    const what = node.type === 'await' ? "'await'"
      : node.children.some((c) => c.type === 'async') ? (node.type === 'with_statement' ? "'async with'" : "'async for'")
      : undefined;
    if (!what) return;
    // An async generator expression is legal anywhere: it is its own asynchronous scope. Except for
    // its outermost iterable, which is evaluated in the enclosing scope: `(x for x in await f())`
    // needs an async def around the generator expression.
    for (let n = node.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
      if (n.type === 'generator_expression' && !inOutermostIterable(node, n)) return;
    }
    if (scope.type === 'class') {
      ctx.report({ start: node.start, end: node.type === 'await' ? node.end : node.start + 5, message: `${what} in a class body is a SyntaxError, even inside an async def; move it into a method or compute it before the class.` });
      return;
    }
    const fn = enclosingFunction(scope);
    if (fn && fn.isAsync && !fn.isLambda) return;
    // Point at `await` or at the `async with`/`async for` keywords, not the whole block.
    const keyword = node.children.findIndex((c) => c.type === 'async');
    const end = node.type === 'await' ? node.end : (node.children[keyword + 1]?.end ?? node.end);
    // An async comprehension inside an async def is legal even though it opens no def of its own.
    if (fn?.isLambda) {
      ctx.report({ start: node.start, end, message: `${what} inside a lambda is a SyntaxError: a lambda cannot be a coroutine; use an async def.` });
      return;
    }
    const where = fn ? `in the sync function '${fn.name}'` : 'at module level';
    ctx.report({
      start: node.start,
      end,
      message: `${what} ${where} is a SyntaxError (outside notebooks and the asyncio REPL); make the function async def or run the coroutine with asyncio.run().`,
    });
  },
};
