import { argument, unpicklableCallable } from '../model/callables';
import { child } from '../syntax';
import type { Rule } from './rule';

const POOL_METHODS = new Set(['submit', 'map', 'apply', 'apply_async', 'map_async', 'imap', 'imap_unordered', 'starmap', 'starmap_async']);
const PROCESS_CONSTRUCTORS = new Set(['multiprocessing.Process', 'multiprocessing.context.Process']);

export const unpicklableProcessTarget: Rule = {
  meta: {
    code: 'TW307',
    name: 'unpicklable-process-target',
    severity: 'error',
    fix: 'none',
    summary: 'lambda or nested function sent to another process cannot be pickled',
    alsoReports: 'warning',
    description: 'A `lambda` or nested function sent to a worker process cannot be pickled: always fails in pools, fails under spawn and forkserver for `Process`.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const { resolver } = ctx;
    const q = resolver.qualifiedName(site.callee, site.scope);
    if (q && PROCESS_CONSTRUCTORS.has(q)) {
      const target = argument(site.node, 'target', 1, resolver);
      const bad = target ? unpicklableCallable(target, site.scope, resolver) : undefined;
      if (!target || !bad) return;
      ctx.report({
        start: target.start,
        end: target.end,
        severity: 'warning',
        message: `Process target ${bad === 'lambda' ? 'is a lambda' : `'${bad.name}' is a nested function`}: it cannot be pickled, so start() fails under the spawn and forkserver start methods (the default on macOS, Windows and, from Python 3.14, Linux); use a module-level function.`,
      });
      return;
    }
    if (site.callee.type !== 'attribute') return;
    const attr = child(site.callee, 'attribute');
    const object = child(site.callee, 'object');
    if (!attr || !object || !POOL_METHODS.has(resolver.text(attr))) return;
    const kind = resolver.kindOf(object, site.scope);
    if (kind !== 'process-executor' && kind !== 'process-pool') return;
    // Executors name the callable `fn`, multiprocessing pools `func`.
    const fnArg = argument(site.node, kind === 'process-executor' ? 'fn' : 'func', 0, resolver);
    const bad = fnArg ? unpicklableCallable(fnArg, site.scope, resolver) : undefined;
    if (!fnArg || !bad) return;
    ctx.report({
      start: fnArg.start,
      end: fnArg.end,
      message: `${bad === 'lambda' ? 'A lambda' : `The nested function '${bad.name}'`} is sent to a worker process by ${resolver.text(attr)}(), which always pickles it: this raises PicklingError; use a module-level function.`,
    });
  },
};
