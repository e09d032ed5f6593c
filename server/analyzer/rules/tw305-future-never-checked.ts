import { callRole, methodCall } from '../model/call-context';
import type { Rule } from './rule';

const EXECUTORS = new Set(['thread-executor', 'process-executor']);

export const futureNeverChecked: Rule = {
  meta: {
    code: 'TW305',
    name: 'future-never-checked',
    severity: 'warning',
    fix: 'none',
    summary: 'executor.submit() future dropped: any exception in the task is lost',
    description: '`executor.submit()` whose future is dropped: an exception in the task is lost silently.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (call?.method !== 'submit') return;
    const { object } = call;
    const role = callRole(site.node, ctx.source);
    if (role !== 'dropped' && role !== 'underscore') return;
    if (!EXECUTORS.has(ctx.resolver.kindOf(object, site.scope) ?? '')) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: 'The future from submit() is dropped: if the task raises, the exception is stored in the future and nobody ever sees it; keep the future and call result() (or add_done_callback).',
    });
  },
};
