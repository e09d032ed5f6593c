import { aloneOnPrivateLoop } from '../model/private-loop';
import { describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { blockingChain, directBlockingSites, syncCallees } from '../model/call-graph';
import { methodCall } from '../model/call-context';
import { pollGuardedGet } from '../model/queue-poll';
import { isAbstractMethod } from '../model/overrides';
import type { CallSite } from '../model/semantic-model';
import { child, unparenthesize, walk, type SNode } from '../syntax';
import { generatorFunction } from '../model/generator-calls';
import type { FunctionInfo, Scope } from '../model/scope';
import type { Rule, RuleContext } from './rule';

const LOOPS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * A helper whose only wait is one `self.q.get()` (not in a loop), called as `self.helper()` by
 * the coroutine right after it polled `self.q` non-empty: the get takes the item it saw.
 */
function takesPolledItem(site: CallSite, helper: FunctionInfo, coroutine: FunctionInfo, ctx: RuleContext): boolean {
  const waits = directBlockingSites(helper, ctx.resolver);
  if (!waits || waits.length !== 1) return false;
  const wait = waits[0]!;
  const get = methodCall(wait.callee, ctx.resolver);
  if (get?.method !== 'get' || ctx.resolver.kindOf(get.object, wait.scope) !== 'thread-queue') return false;
  for (let p = wait.node.parent; p && p !== helper.node; p = p.parent) if (LOOPS.has(p.type)) return false;
  // The queue's name means the same object in both only through the instance both run on.
  const via = methodCall(site.callee, ctx.resolver);
  const self = helper.receiver;
  if (!self || !via || !ctx.resolver.textIs(via.object, self) || coroutine.receiver !== self) return false;
  if (!ctx.resolver.text(get.object).startsWith(`${self}.`)) return false;
  return pollGuardedGet(site.node, get.object, coroutine, ctx.resolver);
}

/** The other branches of each if/else that holds `node`, up to the function. */
function otherBranches(node: SNode, fn: FunctionInfo): SNode[] {
  const out: SNode[] = [];
  for (let a = node.parent; a && a !== fn.node; a = a.parent) {
    if (a.type !== 'if_statement') continue;
    const consequence = child(a, 'consequence');
    if (consequence) out.push(consequence);
    out.push(...a.children.filter((c) => c.type === 'else_clause' || c.type === 'elif_clause'));
  }
  return out.filter((b) => !(node.start >= b.start && node.end <= b.end));
}

/**
 * `if len(data) < 10_000: data = write(data)` / `else: data = await offload(write, data)`: the
 * coroutine hands the same helper to a worker in another branch, so it knows the helper blocks
 * and runs it inline only where it decided the work is small.
 */
function offloadedInAnotherBranch(site: CallSite, coroutine: FunctionInfo, ctx: RuleContext): boolean {
  const name = ctx.resolver.text(site.callee).replace(/\s+/g, '');
  return otherBranches(site.node, coroutine).some((branch) => {
    let found = false;
    walk(branch, (n) => {
      if (found) return false;
      if (n.type === 'await') {
        walk(n, (m) => {
          const args = m.parent;
          if (!found && args?.type === 'argument_list' && m.type !== 'call' && ctx.resolver.text(m).replace(/\s+/g, '') === name) found = true;
          return !found;
        });
        return false;
      }
      return !['function_definition', 'lambda', 'class_definition'].includes(n.type);
    });
    return found;
  });
}

export const blockingViaHelper: Rule = {
  meta: {
    code: 'TW107',
    name: 'blocking-via-helper',
    severity: 'warning',
    fix: 'none',
    summary: 'async def calls a sync helper of this module that blocks',
    description: 'An `async def` calls a sync function of the module that blocks, directly or through further calls; the message names the chain.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  onCall(site, ctx) {
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    const callees = syncCallees(site, ctx.resolver);
    // `self.install()` on an abstract method runs whichever override the object has: one that
    // blocks is enough, as the coroutine cannot know it is not that one.
    const named = ctx.resolver.localFunctions(site.callee, site.scope) ?? [];
    const overrides = named.length === 1 && isAbstractMethod(named[0]!, ctx.resolver);
    if (callees.length !== 1 && !(overrides && callees.length > 0)) return;
    let callee: FunctionInfo | undefined;
    let chain: readonly string[] | undefined;
    for (const c of callees) {
      chain = blockingChain(c, ctx.resolver);
      if (chain) {
        callee = c;
        break;
      }
    }
    if (!callee || !chain) return;
    // A coroutine alone on a worker thread's own loop blocks nothing but itself.
    if (aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
    if (takesPolledItem(site, callee, loop.fn, ctx) || offloadedInAnotherBranch(site, loop.fn, ctx)) return;
    const steps = overrides && callee.owner ? [`${callee.owner.name}.${chain[0]}`, ...chain.slice(1)] : chain;
    const path = steps.map((c) => `${c}()`).join(' → ');
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `'${ctx.resolver.text(site.callee)}()' blocks the event loop in ${describeLoopFunction(loop)}: ${path}; ${loop.framework ? 'run it in a worker thread (an executor job),' : loop.generatorBased ? 'run it in a worker thread (asyncio.to_thread, an executor) and yield that,' : `run it with 'await asyncio.to_thread(${ctx.resolver.text(site.callee)}, ...)'`} or make the helper async.`,
    });
  },
  // `content = self.get_content(path)` then `for chunk in content:`: the call only made the
  // generator (not reported there); its body, and what blocks in it, runs as the loop iterates.
  nodeTypes: ['for_statement'],
  onNode({ node, scope }, ctx) {
    if (node.children.some((c) => c.type === 'async')) return;
    const iterable = child(node, 'right');
    if (iterable?.type !== 'identifier') return;
    const loop = eventLoopFunction(scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop) return;
    const made = generatorBoundTo(iterable, scope, ctx);
    if (!made) return;
    const chain = blockingChain(made.fn, ctx.resolver);
    if (!chain || aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
    const path = chain.map((c) => `${c}()`).join(' → ');
    ctx.report({
      start: iterable.start,
      end: iterable.end,
      message: `Iterating '${ctx.resolver.text(iterable)}' runs the generator '${made.text}()' in ${describeLoopFunction(loop)}, and it blocks the event loop: ${path}; read it in a worker thread (collect the items with asyncio.to_thread) or make it an async generator.`,
    });
  },
};

/** The name is bound once in the function, to a call of a plain generator function of the module. */
function generatorBoundTo(name: SNode, scope: Scope, ctx: RuleContext): { fn: FunctionInfo; text: string } | undefined {
  const found = ctx.resolver.lookup(ctx.resolver.text(name), scope);
  const only = found?.scope === scope && found.bindings.length === 1 ? found.bindings[0] : undefined;
  if (only?.kind !== 'assign') return undefined;
  const value = unparenthesize(only.value);
  const callee = value.type === 'call' ? child(value, 'function') : undefined;
  const fns = callee ? (ctx.resolver.localFunctions(callee, scope) ?? []) : [];
  const fn = fns.length === 1 ? fns[0]! : undefined;
  return fn && generatorFunction(fn, ctx.resolver) === 'plain' ? { fn, text: ctx.resolver.text(callee!) } : undefined;
}
