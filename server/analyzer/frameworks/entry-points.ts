import type { Resolver } from '../model/resolve';
import type { FunctionInfo } from '../model/scope';
import type { SemanticModel } from '../model/semantic-model';
import { collectAiohttp } from './aiohttp';
import { collectCelery } from './celery';
import type { AddEntry } from './collect';
import { collectDjango } from './django';
import { collectFastApi } from './fastapi';
import { collectFlask } from './flask';
import { collectHandoffs } from './handoffs';
import { collectHomeAssistant } from './home-assistant';
import { collectTornado } from './tornado';
import type { FrameworkEntry } from './types';

/*
 * Where frameworks run the functions of a module, found from this module alone. An `async def`
 * the framework calls is on the loop already and is left out; a generator-based coroutine too.
 * What a framework does with a function it gets from another module needs cross-module analysis.
 */

interface Entries {
  readonly loop: Map<FunctionInfo, FrameworkEntry>;
  readonly thread: Map<FunctionInfo, FrameworkEntry>;
}

const cache = new WeakMap<SemanticModel, Entries>();

const COLLECTORS = [collectFastApi, collectFlask, collectDjango, collectAiohttp, collectTornado, collectCelery, collectHomeAssistant, collectHandoffs];

function entriesOf(resolver: Resolver): Entries {
  const known = cache.get(resolver.model);
  if (known) return known;
  const entries: Entries = { loop: new Map(), thread: new Map() };
  const add: AddEntry = (fn, runs, via, instancePerCall) => {
    if (fn.isAsync || fn.isLambda) return;
    const map = runs === 'loop' ? entries.loop : entries.thread;
    // The first reason found is the one messages give.
    if (!map.has(fn)) map.set(fn, instancePerCall ? { fn, runs, via, instancePerCall } : { fn, runs, via });
  };
  for (const collect of COLLECTORS) collect(resolver, add);
  cache.set(resolver.model, entries);
  return entries;
}

/** The framework entry that puts a sync function on the event loop (a Home Assistant @callback, a Tornado get()), if any. */
export function frameworkLoopEntry(fn: FunctionInfo, resolver: Resolver): FrameworkEntry | undefined {
  const entries = entriesOf(resolver);
  // A function handed to an executor as well is not reported as on the loop.
  return entries.thread.has(fn) ? undefined : entries.loop.get(fn);
}

/** Sync functions that frameworks run on worker threads, several at a time. */
export function frameworkThreadEntries(resolver: Resolver): Iterable<FrameworkEntry> {
  return entriesOf(resolver).thread.values();
}
