import { targetAtLeast } from '../config';
import { describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { ensureModuleImported } from '../fixes/imports';
import { child } from '../syntax';
import type { Fix, Rule } from './rule';

const GET_EVENT_LOOP = new Set(['asyncio.get_event_loop', 'asyncio.events.get_event_loop']);

/** What the call does with no loop set, for the oldest Python the project supports. */
function outsideCoroutineBehaviour(targetVersion: number | undefined): string {
  if (targetAtLeast(targetVersion, 14)) return 'raises RuntimeError when no event loop is set';
  if (targetAtLeast(targetVersion, 14) === false) return 'is deprecated when no event loop is set, and raises RuntimeError there from Python 3.14';
  return 'raises RuntimeError since Python 3.14 when no loop is set';
}

export const getEventLoop: Rule = {
  meta: {
    code: 'TW205',
    name: 'get-event-loop',
    severity: 'warning',
    fix: 'safe',
    summary: 'asyncio.get_event_loop(): use get_running_loop() in coroutines; outside, it raises since 3.14',
    description: '`asyncio.get_event_loop()`: in a coroutine use `get_running_loop()`; elsewhere it raises on Python 3.14 when no loop is set.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const q = ctx.resolver.qualifiedName(site.callee, site.scope);
    if (!q || !GET_EVENT_LOOP.has(q)) return;
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    // Outside a coroutine it is a hazard whatever the target: code written for 3.12 breaks on 3.14.
    if (!loop) {
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `asyncio.get_event_loop() outside a coroutine ${outsideCoroutineBehaviour(ctx.targetVersion)}; create one with asyncio.new_event_loop() or use asyncio.run().`,
      });
      return;
    }
    // Inside a running coroutine both calls return the running loop, so nothing breaks today:
    // the finding is advice, reported as information (a user severity for TW205 still wins).
    if (loop.generatorBased) {
      // No fix: a Tornado or legacy asyncio coroutine may be driven by a loop Threadwise cannot
      // see is asyncio's, and get_running_loop() would raise there.
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        severity: 'information',
        message: `asyncio.get_event_loop() in ${describeLoopFunction(loop)}: while the coroutine runs it returns the running loop; asyncio.get_running_loop() says so and never creates a loop.`,
      });
      return;
    }
    // Both calls return the running loop here, so the swap is safe.
    let fix: Fix | undefined;
    const attr = site.callee.type === 'attribute' ? child(site.callee, 'attribute') : undefined;
    if (attr) {
      fix = { title: "Use 'get_running_loop()'", safety: 'safe', edits: [{ start: attr.start, end: attr.end, newText: 'get_running_loop' }] };
    } else {
      const asyncio = ensureModuleImported('asyncio', site.scope, ctx.resolver);
      if (asyncio) {
        fix = {
          title: `Use '${asyncio.name}.get_running_loop()'`,
          safety: 'safe',
          edits: [...asyncio.edits, { start: site.callee.start, end: site.callee.end, newText: `${asyncio.name}.get_running_loop` }],
        };
      }
    }
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      severity: 'information',
      message: `asyncio.get_event_loop() in async def '${loop.fn.name}': use asyncio.get_running_loop(), which says what it means and never creates a loop.`,
      ...(fix ? { fix } : {}),
    });
  },
};
