import type { Finding } from '../../analyzer/rules/rule';
import { functionNamed, syncCallee, type FunctionRef } from '../chains';
import type { LockArgFact, LockFact, Span } from '../summary';
import { describeSteps, leaves, relatedAt, type IndexRule } from '../findings';

/**
 * TW408 across modules: while a `threading.Lock` is held, a call reaches a function of another
 * module that takes the same lock again, and waits for itself forever.
 */
export const reacquireAcrossModules: IndexRule = {
  code: 'TW408',
  findings(summary, ctx) {
    const out: Finding[] = [];
    // A function of another module that nests two locks its caller chooses, given one
    // threading.Lock twice, or given the lock the caller already holds.
    const twice = (at: Span, args: readonly LockArgFact[], callee: FunctionRef | undefined, held: readonly LockFact[]) => {
      if (!callee || callee.summary.file === summary.file) return;
      const same = ctx.locks.boundPairs(args, callee, held).find((p) => p.first.id === p.second.id && !p.first.reentrant && !p.guarded);
      if (!same) return;
      out.push({
        code: 'TW408',
        severity: 'error',
        start: at.start,
        end: at.end,
        message: `'${same.first.text}' is a threading.Lock that ${describeSteps([{ ref: callee, via: same.span }], ctx)} takes twice with these arguments: it waits for itself forever (self-deadlock). Pass two different locks, or release it first.`,
        related: [relatedAt(callee.summary.file, same.span, `'${same.second.text}' is taken again here`)],
      });
    };
    for (const fn of summary.functions) {
      for (const call of fn.calls) if (call.lockArgs && !call.viaLambda) twice(call.span, call.lockArgs, syncCallee(call, ctx.names), call.held ?? []);
    }
    for (const h of summary.handoffs) if (h.lockArgs) twice(h.span, h.lockArgs, functionNamed(h.target, ctx.names), []);
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
