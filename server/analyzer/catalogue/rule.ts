import { describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { aloneOnPrivateLoop } from '../model/private-loop';
import { toThreadFix } from '../rules/blocking-in-async';
import type { Rule, RuleMeta } from '../rules/rule';
import { matchCatalogue } from './lookup';
import type { CatalogueEntry } from './table';

/**
 * A rule that reports, on an event loop, the catalogue rows carrying its code. `explain` says what
 * the call waits for; the row's twin is the alternative the message names. The fix hands the call
 * to `asyncio.to_thread`, except where the object must stay on the thread that made it.
 */
export function catalogueRule(meta: RuleMeta, explain: (entry: CatalogueEntry) => string): Rule {
  return {
    meta,
    onCall(site, ctx) {
      const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
      if (!loop) return;
      const hit = matchCatalogue(site.node, site.scope, ctx.resolver);
      if (!hit || hit.entry.code !== meta.code) return;
      // A coroutine alone on a worker thread's own loop blocks nothing but itself.
      if (aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
      const fix = !loop.viaLambda && !loop.generatorBased && !hit.entry.noFix ? toThreadFix(site, ctx) : undefined;
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `${hit.name}() blocks the event loop in ${describeLoopFunction(loop)} ${explain(hit.entry)}; use ${hit.entry.twin}.`,
        ...(hit.entry.information ? { severity: 'information' as const } : {}),
        ...(fix ? { fix } : {}),
      });
    },
  };
}
