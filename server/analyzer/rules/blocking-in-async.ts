import { aloneOnPrivateLoop } from '../model/private-loop';
import { blockingCallName, type BlockingFamily } from '../model/blocking-calls';
import { callRole, describeLoopFunction, eventLoopFunction, isHandedOff } from '../model/call-context';
import { child, namedChildren, walk, type SNode } from '../syntax';
import type { CallSite } from '../model/semantic-model';
import { ensureModuleImported } from '../fixes/imports';
import { awaitExpression, insideGeneratorExpression } from '../fixes/await-expression';
import type { Fix, Rule, RuleContext, RuleMeta } from './rule';

/** The edit to `await asyncio.to_thread(fn, *args, **kwargs)`, where one can be offered. */
export function toThreadFix(site: CallSite, ctx: RuleContext): Fix | undefined {
  if (site.args?.type !== 'argument_list' || callRole(site.node, ctx.source) === 'awaited') return undefined;
  if (isHandedOff(site.node, site.scope, ctx.resolver) || insideGeneratorExpression(site.node)) return undefined;
  const asyncio = ensureModuleImported('asyncio', site.scope, ctx.resolver);
  if (!asyncio) return undefined;
  const callee = ctx.source.slice(site.callee.start, site.callee.end);
  // The argument text is kept as written, comments and trailing commas included.
  const inner = ctx.source.slice(site.args.start + 1, site.args.end - 1);
  const args = inner.trim() === '' ? '' : `, ${inner.trimStart()}`;
  const replacement = `${asyncio.name}.to_thread(${callee}${args})`;
  return {
    title: `Run it in a thread: 'await ${asyncio.name}.to_thread(${callee}${args ? ', ...' : ''})'`,
    safety: 'quick',
    edits: [...asyncio.edits, { start: site.node.start, end: site.node.end, newText: awaitExpression(site.node, replacement) }],
  };
}

/**
 * Builds a rule that flags one family of blocking calls made on the event loop. `explain` says,
 * for the call's name, what it waits for; `fixable` says whether moving the call itself to a
 * thread removes the blocking (not for `open()`, whose reads come later).
 */
export function blockingInAsync(
  meta: RuleMeta,
  family: BlockingFamily,
  explain: (name: string) => string,
  fixable: (name: string) => boolean,
): Rule {
  return {
    meta,
    onCall(site, ctx) {
      // Most calls are not on an event loop, and that is a walk up a few scopes: asked first.
      const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
      if (!loop) return;
      const name = blockingCallName(site.node, site.scope, family, ctx.resolver);
      if (!name) return;
      // A coroutine alone on a worker thread's own loop blocks nothing but itself.
      if (aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
      if (bodyDoesTheWork(site, family, ctx)) return;
      // The fix inserts `await`, which a generator-based coroutine cannot use.
      const fix = !loop.viaLambda && !loop.generatorBased && fixable(name) ? toThreadFix(site, ctx) : undefined;
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `${name}() blocks the event loop in ${describeLoopFunction(loop)} ${explain(name)}`,
        ...(fix ? { fix } : {}),
      });
    },
  };
}

/**
 * `with zipfile.ZipFile(p) as z: z.extractall(d)`: the block's own blocking call on what the `with`
 * opened is the work, and moving the whole block to a thread is one fix. The finding goes there,
 * not on the opening as well: two warnings for one block read as two problems.
 */
function bodyDoesTheWork(site: CallSite, family: BlockingFamily, ctx: RuleContext): boolean {
  const pattern = site.node.parent;
  if (pattern?.type !== 'as_pattern' || pattern.parent?.type !== 'with_item') return false;
  const alias = child(pattern, 'alias');
  const name = alias ? namedChildren(alias)[0] : undefined;
  const statement = pattern.parent.parent?.parent;
  const body = statement?.type === 'with_statement' ? child(statement, 'body') : undefined;
  if (name?.type !== 'identifier' || !body) return false;
  const target = ctx.resolver.text(name);
  let found = false;
  walk(body, (n: SNode) => {
    if (found || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type !== 'call') return true;
    const callee = child(n, 'function');
    const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
    if (object?.type === 'identifier' && ctx.resolver.textIs(object, target) && blockingCallName(n, site.scope, family, ctx.resolver)) found = true;
    return !found;
  });
  return found;
}
