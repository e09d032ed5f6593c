import { argument } from '../model/callables';
import type { Resolver } from '../model/resolve';
import type { FunctionInfo } from '../model/scope';
import { child, unparenthesize } from '../syntax';
import type { AddEntry } from './collect';
import { decoratorNames, importsFrom, namedFunctions } from './evidence';
import { RUN_ON_EXECUTOR } from './tornado';

/*
 * Framework helpers that run a sync callable off the event loop, like `asyncio.to_thread`. A lambda
 * given to one is not on the loop (call-context.ts asks here), and a named function given to one
 * runs on worker threads (thread-reachability.ts asks here).
 */

/** Functions whose first argument runs in a worker thread. */
export const FRAMEWORK_HANDOFF_FUNCTIONS: ReadonlySet<string> = new Set([
  'starlette.concurrency.run_in_threadpool', 'fastapi.concurrency.run_in_threadpool',
  'asgiref.sync.sync_to_async', 'channels.db.database_sync_to_async',
]);
/** Methods whose first argument runs in a worker thread: Home Assistant's executor jobs. */
export const FRAMEWORK_HANDOFF_METHODS: ReadonlySet<string> = new Set(['async_add_executor_job', 'add_executor_job', 'async_add_import_executor_job']);

/** Decorators that turn a sync function into an awaitable whose body runs in a worker thread. */
const OFFLOADING_DECORATORS = new Set([RUN_ON_EXECUTOR, 'asgiref.sync.sync_to_async', 'channels.db.database_sync_to_async']);

/**
 * True when calling the function does not run its body on the caller's thread (`@run_on_executor`,
 * `@sync_to_async`): an async def that awaits it does not block, so it is not a blocking helper.
 */
export function offloadedByDecorator(fn: FunctionInfo, resolver: Resolver): boolean {
  return fn.decorators.length > 0 && decoratorNames(fn, resolver).some((q) => OFFLOADING_DECORATORS.has(q));
}

/**
 * `sync_to_async` is thread-sensitive by default: everything it runs goes to one shared thread, one
 * call at a time, so it makes no concurrency of its own; with `thread_sensitive=False` it uses a pool.
 */
function threadSensitive(call: NonNullable<ReturnType<typeof argument>>, resolver: Resolver): boolean {
  const value = argument(call, 'thread_sensitive', undefined, resolver);
  return !value || resolver.text(unparenthesize(value)) !== 'False';
}

/** The packages FRAMEWORK_HANDOFF_FUNCTIONS come from. */
const HANDOFF_PACKAGES = ['starlette', 'fastapi', 'asgiref', 'channels'];

export function collectHandoffs(resolver: Resolver, add: AddEntry): void {
  // Resolving every call's name is most of this collector's cost: a module that imports none of
  // the packages (at any level) cannot call their functions by name.
  const named = importsFrom(resolver, HANDOFF_PACKAGES, true);
  // Every method name of FRAMEWORK_HANDOFF_METHODS ends so: a text without it calls none of them.
  const methods = resolver.model.source.includes('executor_job');
  if (!named && !methods) return;
  for (const site of resolver.model.calls) {
    const q = named ? resolver.qualifiedName(site.callee, site.scope) : undefined;
    let via: string | undefined;
    if (q && FRAMEWORK_HANDOFF_FUNCTIONS.has(q)) {
      if (q.endsWith('sync_to_async') && threadSensitive(site.node, resolver)) continue;
      via = resolver.text(site.callee);
    } else if (methods && site.callee.type === 'attribute' && FRAMEWORK_HANDOFF_METHODS.has(resolver.text(child(site.callee, 'attribute')!))) {
      via = resolver.text(site.callee);
    }
    if (!via) continue;
    for (const fn of namedFunctions(argument(site.node, undefined, 0, resolver), site.scope, resolver)) add(fn, 'thread', via);
  }
}
