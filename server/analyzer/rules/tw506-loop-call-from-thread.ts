import { threadEntryFor } from '../model/thread-reachability';
import { methodCall } from '../model/call-context';
import { ownedByLoopRunner } from '../model/loop-runner';
import { enclosingFunction } from '../model/scope';
import type { Fix, Rule } from './rule';

const UNSAFE = new Map<string, ReadonlySet<string>>([
  ['event-loop', new Set(['create_task', 'call_soon', 'call_later', 'call_at', 'create_future'])],
  ['async-queue', new Set(['put_nowait', 'get_nowait'])],
  ['async-event', new Set(['set', 'clear'])],
  ['async-future', new Set(['set_result', 'set_exception', 'cancel'])],
]);
const UNSAFE_METHODS = new Set([...UNSAFE.values()].flatMap((s) => [...s]));

export const loopCallFromThread: Rule = {
  meta: {
    code: 'TW506',
    name: 'loop-call-from-thread',
    severity: 'warning',
    fix: 'quick',
    summary: 'asyncio loop, queue, event or future methods called from a worker thread',
    description: 'asyncio loop, queue, event or future methods called from a worker thread instead of through `call_soon_threadsafe()`.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (!call) return;
    const { object, attr, method } = call;
    // The method name is a set lookup; the receiver's kind may follow assignments.
    if (!UNSAFE_METHODS.has(method)) return;
    const kind = ctx.resolver.kindOf(object, site.scope);
    if (!kind || !UNSAFE.get(kind)?.has(method)) return;
    const entry = threadEntryFor(site.scope, ctx.resolver);
    if (!entry) return;
    // The thread that runs the loop in this very function is the loop's own thread.
    const fn = enclosingFunction(site.scope);
    if (fn && ownedByLoopRunner(object, fn, ctx.resolver)) return;
    let fix: Fix | undefined;
    if (kind === 'event-loop' && method === 'call_soon') {
      fix = { title: "Use 'call_soon_threadsafe'", safety: 'quick', edits: [{ start: attr.start, end: attr.end, newText: 'call_soon_threadsafe' }] };
    }
    const name = ctx.resolver.text(site.callee);
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `${name}() is called from a worker thread (${entry.via}), but asyncio objects are not thread-safe: the loop may never notice, or its state gets corrupted; use loop.call_soon_threadsafe(...) or asyncio.run_coroutine_threadsafe(...).`,
      ...(fix ? { fix } : {}),
    });
  },
};
