import { methodCall } from '../model/call-context';
import type { Rule } from './rule';

export const runInsteadOfStart: Rule = {
  meta: {
    code: 'TW301',
    name: 'run-instead-of-start',
    severity: 'warning',
    fix: 'quick',
    summary: 'Thread.run()/Process.run() runs the target in the caller, not in a new thread',
    description: '`.run()` on a `Thread` or `Process` runs the target in the caller; nothing is started.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (call?.method !== 'run') return;
    const { object, attr } = call;
    const kind = ctx.resolver.kindOf(object, site.scope);
    if (kind !== 'thread' && kind !== 'process') return;
    const what = kind === 'thread' ? 'Thread' : 'Process';
    const where = kind === 'thread' ? 'in the calling thread; no new thread is started' : 'in this process; no child process is started';
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${what}.run() runs the target ${where}; call start().`,
      fix: { title: `Call '${ctx.resolver.text(object)}.start()' instead`, safety: 'quick', edits: [{ start: attr.start, end: attr.end, newText: 'start' }] },
    });
  },
};
