import { callRole, describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { awaitExpression, insideGeneratorExpression } from '../fixes/await-expression';
import { holdsModelInstance, INSTANCE_METHODS, managerChainModel, QUERY_METHODS } from '../frameworks/django-orm';
import { child, unparenthesize } from '../syntax';
import type { Fix, Rule } from './rule';

/** Builtins that evaluate a lazy queryset on the spot. */
const EVALUATORS = new Set(['builtins.list', 'builtins.tuple', 'builtins.len', 'builtins.sorted', 'builtins.set', 'builtins.bool']);

const ADVICE = "Django raises SynchronousOnlyOperation when the ORM is used on the event loop's thread";

export const syncOrmInAsync: Rule = {
  meta: {
    code: 'TW111',
    name: 'sync-orm-in-async',
    severity: 'error',
    fix: 'quick',
    summary: 'Django ORM query inside async def raises SynchronousOnlyOperation',
    description: 'A synchronous Django ORM query (`Model.objects.get()`, `obj.save()`, iterating a queryset) in an `async def` raises `SynchronousOnlyOperation`.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  nodeTypes: ['for_statement'],
  onCall(site, ctx) {
    if (site.callee.type !== 'attribute' && site.callee.type !== 'identifier') return;
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    if (site.callee.type === 'identifier') {
      // list(Item.objects.filter(...)): the builtin runs the query.
      const q = ctx.resolver.qualifiedName(site.callee, site.scope);
      const arg = site.args?.type === 'argument_list' ? site.args.children.find((c) => c.named) : undefined;
      if (!q || !EVALUATORS.has(q) || !arg || !managerChainModel(arg, site.scope, ctx.resolver)) return;
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `${ctx.resolver.text(site.callee)}() evaluates a queryset in ${describeLoopFunction(loop)}: ${ADVICE}; collect it with '[x async for x in ...]'.`,
      });
      return;
    }
    const object = child(site.callee, 'object')!;
    const attr = child(site.callee, 'attribute')!;
    const method = ctx.resolver.text(attr);
    const model = QUERY_METHODS.has(method) ? managerChainModel(object, site.scope, ctx.resolver) : undefined;
    const instance = !model && INSTANCE_METHODS.has(method) && holdsModelInstance(object, site.scope, ctx.resolver);
    if (!model && !instance) return;
    let fix: Fix | undefined;
    // The async twin is the same call (aiterator() is iterated with `async for`, not awaited) with an `a` in front, awaited; not possible where `await` is not.
    if (method !== 'iterator' && !loop.viaLambda && !loop.generatorBased && callRole(site.node, ctx.source) !== 'awaited' && !insideGeneratorExpression(site.node)) {
      const text = ctx.source.slice(site.node.start, attr.start) + `a${method}` + ctx.source.slice(attr.end, site.node.end);
      fix = {
        title: `Use the async twin: 'await ...${'.a' + method}()'`,
        safety: 'quick',
        edits: [{ start: site.node.start, end: site.node.end, newText: awaitExpression(site.node, text) }],
      };
    }
    const what = model ? `${ctx.resolver.text(unparenthesize(site.callee))}() queries the database` : `${ctx.resolver.text(site.callee)}() writes to the database`;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${what} in ${describeLoopFunction(loop)}: ${ADVICE}; use 'await ...a${method}()' or wrap the work in sync_to_async.`,
      ...(fix ? { fix } : {}),
    });
  },
  onNode({ node, scope }, ctx) {
    // `async for` over a queryset is the supported way; a plain `for` runs the query synchronously.
    if (node.children.some((c) => c.type === 'async')) return;
    const right = child(node, 'right');
    if (!right) return;
    const loop = eventLoopFunction(scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    const value = unparenthesize(right);
    const terminal = value.type === 'call' ? child(value, 'function') : undefined;
    if (terminal?.type === 'attribute' && QUERY_METHODS.has(ctx.resolver.text(child(terminal, 'attribute')!))) return; // reported as a call
    if (!managerChainModel(value, scope, ctx.resolver)) return;
    ctx.report({
      start: right.start,
      end: right.end,
      message: `Iterating a queryset in ${describeLoopFunction(loop)} runs the query synchronously: ${ADVICE}; use 'async for'.`,
    });
  },
};
