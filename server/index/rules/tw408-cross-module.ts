import type { Finding } from '../../analyzer/rules/rule';
import { syncCallee } from '../chains';
import { describeSteps, leaves, relatedAt, type IndexRule } from '../findings';

/**
 * TW408 across modules: while a `threading.Lock` is held, a call reaches a function of another
 * module that takes the same lock again, and waits for itself forever.
 */
export const reacquireAcrossModules: IndexRule = {
  code: 'TW408',
  findings(summary, ctx) {
    const out: Finding[] = [];
    for (const fn of summary.functions) {
      for (const call of fn.calls) {
        if (!call.held || call.viaLambda) continue;
        const callee = syncCallee(call, ctx.names);
        if (!callee) continue;
        const taken = ctx.locks.acquiredBy(callee);
        for (const h of call.held) {
          const held = ctx.locks.canonical(h);
          if (!held || held.reentrant) continue;
          const again = taken.get(held.id);
          if (!again || !leaves(summary.file, again.steps)) continue;
          const last = again.steps[again.steps.length - 1]!;
          out.push({
            code: 'TW408',
            severity: 'error',
            start: call.span.start,
            end: call.span.end,
            message: `'${h.text}' is a threading.Lock already held here; calling ${describeSteps(again.steps, ctx)}, which takes it again, waits for itself forever (self-deadlock). Release it first, or make it a threading.RLock.`,
            related: [relatedAt(last.ref.summary.file, last.via, `'${again.lock.text}' is taken again here`)],
          });
          break;
        }
      }
    }
    return out;
  },
};
