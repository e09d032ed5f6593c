import type { Finding } from '../../analyzer/rules/rule';
import { syncCallee } from '../chains';
import { describeSteps, leaves, relatedAt, type IndexRule } from '../findings';

/**
 * TW404 across modules: a call made while a thread lock is held, to a sync function whose chain
 * of calls blocks in another module. (The single-file rule sees only blocking calls made directly
 * under the lock.)
 */
export const blockingUnderLockAcrossModules: IndexRule = {
  code: 'TW404',
  findings(summary, ctx) {
    const out: Finding[] = [];
    for (const fn of summary.functions) {
      for (const call of fn.calls) {
        if (!call.held || call.held.length === 0 || call.viaLambda || call.noWait || call.waitsNobody) continue;
        const callee = syncCallee(call, ctx.names);
        // Another lock taken briefly down the chain is lock order (TW407), not slow work.
        const path = callee ? ctx.chains.chainOf(callee, { slow: true, everyPath: true }) : undefined;
        if (!path || !leaves(summary.file, path.steps)) continue;
        const held = call.held.map((h) => ctx.locks.canonical(h)).filter((h) => h !== undefined);
        if (held.length === 0) continue;
        const lock = held[held.length - 1]!;
        const last = path.steps[path.steps.length - 1]!;
        out.push({
          code: 'TW404',
          severity: 'warning',
          start: call.span.start,
          end: call.span.end,
          message: `'${call.text}()' blocks while '${lock.text}' is held: ${describeSteps(path.steps, ctx)} → ${path.blocking}(); every thread that needs the lock waits as long as this call does; do the slow work before taking the lock or after releasing it.`,
          related: [
            ...path.steps.map((s) => relatedAt(s.ref.summary.file, s.ref.fn.span, `${s.ref.fn.name}() is defined here`)),
            relatedAt(last.ref.summary.file, last.via, `${path.blocking}() blocks here`),
          ],
        });
      }
    }
    return out;
  },
};
