import { aloneOnPrivateLoop } from '../model/private-loop';
import { matchCatalogue, matchUserBlocking } from '../catalogue/lookup';
import { catalogueRule } from '../catalogue/rule';
import type { CatalogueEntry } from '../catalogue/table';
import { describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { toThreadFix } from './blocking-in-async';
import type { Rule } from './rule';

const WHY: Readonly<Record<string, string>> = {
  import: 'while it finds, reads and compiles the module (the first time)',
  tls: 'while it reads and parses the certificate files',
  timezone: 'while it reads the time-zone database from disk (the first time)',
  cpu: 'while it computes (key derivation is slow by design)',
  'sdk-setup': "while it loads the service's model files from disk",
};

const fromCatalogue = catalogueRule(
  {
    code: 'TW110',
    name: 'blocking-call',
    severity: 'warning',
    alsoReports: 'information',
    fix: 'quick',
    summary: 'a call listed in blocking-calls, or a slow start-up call (import, TLS setup, time zone, key derivation), inside async def',
    description: 'A call your configuration lists in `blocking-calls` (warning), or one the catalogue knows is slow once or CPU-bound (`importlib.import_module`, loading TLS certificates, time-zone lookups, key derivation; information), in an `async def`.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC200'],
  },
  (entry: CatalogueEntry) => WHY[entry.family] ?? 'while it works',
);

/** The catalogue's slow calls, plus the project's own `blocking-calls` (the catalogue's rows win). */
export const blockingCall: Rule = {
  meta: fromCatalogue.meta,
  onCall(site, ctx) {
    fromCatalogue.onCall!(site, ctx);
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    if (!loop || matchCatalogue(site.node, site.scope, ctx.resolver)) return;
    const user = matchUserBlocking(site.node, site.scope, ctx.resolver);
    if (!user) return;
    // A coroutine alone on a worker thread's own loop blocks nothing but itself.
    if (aloneOnPrivateLoop(loop.fn, ctx.resolver)) return;
    const fix = !loop.viaLambda && !loop.generatorBased ? toThreadFix(site, ctx) : undefined;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${user.name}() blocks the event loop in ${describeLoopFunction(loop)}: the project's blocking-calls lists "${user.entry}"; use its async counterpart or 'await asyncio.to_thread(...)'.`,
      ...(fix ? { fix } : {}),
    });
  },
};
