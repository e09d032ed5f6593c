import type { Finding } from '../../analyzer/rules/rule';
import { relatedAt, type IndexRule } from '../findings';
import type { CallFact } from '../summary';

/**
 * TW201 across modules: a dropped (or truth-tested) call to a coroutine function of another module, or to an async
 * method of an object whose class another module defines. Same-file calls are the single-file
 * rule's.
 */
export const unawaitedCoroutineAcrossModules: IndexRule = {
  code: 'TW201',
  findings(summary, ctx) {
    const out: Finding[] = [];
    const check = (call: CallFact) => {
      if ((!call.dropped && !call.truth) || call.awaited) return;
      const target = ctx.names.resolve(call.target);
      if (target?.kind !== 'function' || !target.fn.coroutineFunction || target.summary.file === summary.file) return;
      out.push({
        code: 'TW201',
        severity: 'warning',
        start: call.span.start,
        end: call.span.end,
        message: call.truth
          ? `Coroutine '${call.text}()' is tested for truth but never awaited: a coroutine object is always true and its body never runs.`
          : `Coroutine '${call.text}()' is never awaited: its body never runs and Python warns "coroutine was never awaited".`,
        related: [relatedAt(target.summary.file, target.fn.span, `async def ${target.fn.name} is defined in ${ctx.shown(target.summary.file)}`)],
        ...(call.canAwait && !call.viaLambda
          ? { fix: { title: `Add 'await' before '${call.text}()'`, safety: 'quick' as const, edits: [{ start: call.span.start, end: call.span.start, newText: 'await ' }] } }
          : {}),
      });
    };
    for (const fn of summary.functions) fn.calls.forEach(check);
    summary.calls.forEach(check);
    return out;
  },
};
