import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { answerOnce } from './answer-once';
import type { Resolver } from './resolve';
import { callSitesOf } from './call-sites';
import type { SemanticModel } from './semantic-model';
import { enclosingFunction, type FunctionInfo } from './scope';
import { threadReachable } from './thread-reachability';

/** asyncio and anyio functions that put more work on the running loop: tasks and concurrent awaits. */
const SPAWNING_FUNCTIONS = /^(?:asyncio|anyio)\.(?:.*\.)?(?:create_task|ensure_future|gather|wait|as_completed|TaskGroup|create_task_group|start_server|to_thread|run_in_executor)$/;
/** Methods that do the same on a loop, a task group or a nursery. */
const SPAWNING_METHODS = new Set(['create_task', 'start_soon', 'call_soon', 'call_later', 'call_at', 'add_reader', 'add_writer', 'run_in_executor', 'create_server', 'add_done_callback']);

const cache = new WeakMap<SemanticModel, Map<FunctionInfo, boolean>>();

/** `loop` is a local of `fn` bound once, to `asyncio.new_event_loop()`. */
function privateLoop(loop: SNode, fn: FunctionInfo, resolver: Resolver): boolean {
  const node = unparenthesize(loop);
  if (node.type !== 'identifier') return false;
  const found = resolver.lookup(resolver.text(node), fn);
  const only = found?.scope === fn && found.bindings.length === 1 ? found.bindings[0] : undefined;
  if (only?.kind !== 'assign' || unparenthesize(only.value).type !== 'call') return false;
  const callee = child(unparenthesize(only.value), 'function');
  return !!callee && resolver.qualifiedName(callee, fn) === 'asyncio.new_event_loop';
}

/** The coroutine's own body schedules nothing else on its loop. */
function spawnsNothing(fn: FunctionInfo, resolver: Resolver): boolean {
  let spawns = false;
  walk(fn.node, (n) => {
    if (spawns) return false;
    if (n.type === 'call') {
      const callee = child(n, 'function');
      const q = callee ? resolver.qualifiedName(callee, resolver.scopeAt(n, fn)) : undefined;
      const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
      if ((q && SPAWNING_FUNCTIONS.test(q)) || (attr && SPAWNING_METHODS.has(resolver.text(attr)))) spawns = true;
    }
    return !spawns;
  });
  return !spawns;
}

/** How often each identifier appears in the module, outside the name of its own `def`; once per model. */
const mentionCounts = new WeakMap<SemanticModel, Map<string, number>>();

function mentionsOf(resolver: Resolver): Map<string, number> {
  const model = resolver.model;
  let mentions = mentionCounts.get(model);
  if (mentions) return mentions;
  mentions = new Map<string, number>();
  walk(model.root, (n) => {
    if (n.type === 'identifier' && n.parent?.type !== 'function_definition') {
      const name = resolver.text(n);
      mentions!.set(name, (mentions!.get(name) ?? 0) + 1);
    }
    return true;
  });
  mentionCounts.set(model, mentions);
  return mentions;
}

/** Most modules never make a loop of their own: one text search spares every coroutine the scan. */
const possibleIn = new WeakMap<SemanticModel, boolean>();

function decide(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!fn.isAsync || fn.isLambda) return false;
  const model = resolver.model;
  let possible = possibleIn.get(model);
  if (possible === undefined) possibleIn.set(model, (possible = model.source.includes('run_until_complete') && model.source.includes('new_event_loop')));
  if (!possible) return false;
  // Cheapest first: a coroutine nothing calls by name is not run on a private loop here. The walk
  // of its body and the count of the module's names (a walk of the whole tree) come last, for
  // the few coroutines that are only ever handed to `run_until_complete`.
  const sites = callSitesOf(fn, resolver);
  if (sites.length === 0) return false;
  const reachable = threadReachable(resolver);
  let runs = 0;
  for (const site of sites) {
    // `loop.run_until_complete(fn())`, in a worker thread's function that made `loop` itself.
    const args = site.node.parent;
    const runner = args?.type === 'argument_list' ? args.parent : undefined;
    const runnerCallee = runner?.type === 'call' ? child(runner, 'function') : undefined;
    const owner = enclosingFunction(site.scope);
    if (!runnerCallee || runnerCallee.type !== 'attribute' || !owner || namedChildren(args!)[0] !== site.node) return false;
    if (!resolver.textIs(child(runnerCallee, 'attribute')!, 'run_until_complete')) return false;
    if (!privateLoop(child(runnerCallee, 'object')!, owner, resolver) || !reachable.has(owner)) return false;
    runs++;
  }
  if (!spawnsNothing(fn, resolver)) return false;
  // Every mention of the name must be one of those calls: a reference could be run anywhere.
  return (mentionsOf(resolver).get(fn.name) ?? 0) === runs;
}

/**
 * True when the coroutine is all its loop runs: a worker thread makes a loop of its own
 * (`loop = asyncio.new_event_loop()`), runs this coroutine on it with `run_until_complete`, and
 * the coroutine starts no other task or callback there. Blocking in it then holds up only itself,
 * as in any thread, and no other coroutine waits on that loop.
 */
export function aloneOnPrivateLoop(fn: FunctionInfo, resolver: Resolver): boolean {
  return answerOnce(cache, resolver.model, fn, () => decide(fn, resolver));
}
