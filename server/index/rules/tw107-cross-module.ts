import type { Finding } from '../../analyzer/rules/rule';
import { syncCallee } from '../chains';
import { relatedAt, type IndexRule } from '../findings';

/**
 * TW107 across modules: a call on an event loop to a sync function (a constructor's `__init__`, a
 * method of an object whose class is known) that blocks through a chain leaving its own file.
 * Chains that stay in the caller's file are the single-file rule's, which reports them already.
 */
export const blockingViaHelperAcrossModules: IndexRule = {
  code: 'TW107',
  findings(summary, ctx) {
    const out: Finding[] = [];
    for (const fn of summary.functions) {
      for (const call of fn.calls) {
        if (!call.loop || call.noWait) continue;
        const callee = syncCallee(call, ctx.names);
        if (!callee) continue;
        if (callee.summary.file === summary.file && ctx.chains.chainOf(callee, { onlyIn: summary.file })) continue;
        const path = ctx.chains.chainOf(callee, { everyPath: true });
        if (!path || path.steps.every((s) => s.ref.summary.file === summary.file)) continue;
        const chain = [...path.steps.map((s) => `${s.ref.fn.name}() (${ctx.shown(s.ref.summary.file)})`), `${path.blocking}()`].join(' → ');
        const advice = call.loop.advice === 'executor'
          ? 'run it in a worker thread (an executor job),'
          : call.loop.advice === 'yield'
          ? 'run it in a worker thread (asyncio.to_thread, an executor) and yield that,'
          : `run it with 'await asyncio.to_thread(${call.text}, ...)'`;
        const last = path.steps[path.steps.length - 1]!;
        out.push({
          code: 'TW107',
          severity: 'warning',
          start: call.span.start,
          end: call.span.end,
          message: `'${call.text}()' blocks the event loop in ${call.loop.description}: ${chain}; ${advice} or make the helper async.`,
          related: [
            ...path.steps.map((s, i) => relatedAt(s.ref.summary.file, s.ref.fn.span, i === 0 ? `${s.ref.fn.name}() is defined here` : `${s.ref.fn.name}() is called from ${path.steps[i - 1]!.ref.fn.name}()`)),
            relatedAt(last.ref.summary.file, last.via, `${path.blocking}() blocks here`),
          ],
        });
      }
    }
    return out;
  },
};
