import { argument, hasSplat } from '../model/callables';
import { inheritedThreadOf } from '../model/inherited-threads';
import type { Rule } from './rule';

const CONSTRUCTORS = new Map([['threading.Thread', 'Thread'], ['multiprocessing.Process', 'Process']]);

export const threadWithoutTarget: Rule = {
  meta: {
    code: 'TW303',
    name: 'thread-without-target',
    severity: 'warning',
    fix: 'none',
    summary: 'Thread() with no target and no run override does nothing',
    description: 'A `Thread` or `Process` with no `target` and no `run()` override starts and does nothing.',
    peerCodes: ['W1506'],
  },
  onCall(site, ctx) {
    const q = ctx.resolver.qualifiedName(site.callee, site.scope);
    let what = q ? CONSTRUCTORS.get(q) : undefined;
    if (!what) {
      const cls = ctx.resolver.classNamed(site.callee, site.scope);
      const kind = cls ? ctx.resolver.classKind(cls) : undefined;
      if (!cls || (kind !== 'thread' && kind !== 'process') || ctx.resolver.methodsOf(cls, 'run')) return;
      // Its own __init__ may pass a target to the base; a Timer subclass runs its function.
      if (ctx.resolver.methodsOf(cls, '__init__') || cls.bases.some((b) => ctx.resolver.qualifiedName(b, cls.parent!) === 'threading.Timer')) return;
      // A thread through a base of another module (oslo.log's notifier on pyinotify's
      // ThreadedNotifier): the project index knows whether that base gives start() its work.
      if (inheritedThreadOf(cls, ctx.model)?.runsWork) return;
      what = cls.name;
    }
    if (hasSplat(site.node) || argument(site.node, 'target', 1, ctx.resolver)) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${what}() has no target and no run() override: start() runs nothing; pass target=... or override run().`,
    });
  },
};
