import { anyLockHeld, concurrentEntryFor, sharedForEntry } from '../model/shared-state-entry';
import { sharedTarget } from '../model/thread-reachability';
import { writtenOnlyByOwnThread } from '../model/own-thread';
import { mayTakeLock, threadLockCall } from '../model/locks';
import { lazyTarget } from '../model/lazy-target';
import { child, walk } from '../syntax';
import type { SNode } from '../syntax';
import type { Rule } from './rule';

const PLAIN_LEAVES = new Set(['integer', 'float', 'true', 'false', 'none', 'identifier', 'attribute', 'string_start', 'string_content', 'string_end', 'escape_sequence']);
const PLAIN_OPERATORS = new Set(['binary_operator', 'unary_operator', 'parenthesized_expression', 'concatenated_string', 'string', 'tuple', 'interpolation', 'format_specifier']);

/**
 * A value made only of literals, names and operators (`'%s Server' % self.version`, an f-string of
 * names, `base + 1`): no call builds an object or has an effect, so two threads make equal values.
 */
function plainValue(value: SNode): boolean {
  let plain = true;
  walk(value, (n) => {
    if (!plain) return false;
    if (!n.named) return true;
    if (n.type === 'attribute' || n.type === 'identifier') return false;
    if (PLAIN_LEAVES.has(n.type)) return true;
    if (!PLAIN_OPERATORS.has(n.type)) plain = false;
    return plain;
  });
  return plain;
}

export const unsafeLazyInit: Rule = {
  meta: {
    code: 'TW504',
    name: 'unsafe-lazy-init',
    severity: 'information',
    fix: 'none',
    summary: '`if x is None: x = ...` on shared state in code run by threads, without a lock',
    description: '`if x is None: x = ...` on shared state in code run by threads, without a lock: two threads can both build it.',
    peerCodes: [],
  },
  nodeTypes: ['if_statement'],
  onNode({ node, scope }, ctx) {
    // Whether threads run this code is one map lookup: asked before anything is sliced or walked.
    const entry = concurrentEntryFor(scope, ctx.resolver);
    if (!entry) return;
    const condition = child(node, 'condition');
    const body = child(node, 'consequence');
    if (!condition || !body) return;
    const checked = lazyTarget(condition, ctx.resolver);
    if (!checked) return;
    const { targetText } = checked;
    // hasattr/getattr name an attribute of their first argument: shared when that is `self` or a global.
    const ownerShared = checked.viaName && (ctx.resolver.receiverClass(checked.target, scope) || sharedTarget(checked.target, scope, ctx.resolver));
    const shared = checked.viaName ? (ownerShared ? targetText : undefined) : sharedTarget(checked.target, scope, ctx.resolver);
    if (!shared) return;
    // hasattr(self, 'x') names self.x through a string: ask about the object whose attribute it is.
    if (!checked.viaName && !sharedForEntry(checked.target, entry, scope, ctx.resolver)) return;
    if (checked.viaName && entry.lockOwner) return;
    let assigns = false;
    let builds = false;
    let locks = false;
    walk(body, (n) => {
      if (n.type === 'assignment' && ctx.resolver.text(child(n, 'left')!) === targetText) {
        assigns = true;
        const value = child(n, 'right');
        if (!value || !plainValue(value)) builds = true;
      }
      // Double-checked locking: the inner check runs under a lock, taken by `with` or by `acquire()`.
      if (n.type === 'with_statement' && mayTakeLock(n, scope, ctx.resolver)) locks = true;
      const callee = n.type === 'call' ? child(n, 'function') : undefined;
      if (callee && threadLockCall({ node: n, callee, args: child(n, 'arguments'), scope }, 'acquire', ctx.resolver)) locks = true;
      return true;
    });
    // Every thread that gets there computes an equal plain value (a string, a number): whichever
    // write lands last, nothing is lost and nothing is built twice that matters.
    if (!assigns || locks || !builds) return;
    // State the object keeps for its own thread (a Thread subclass's run, a one-worker pool's job):
    // only that thread builds it, so it cannot be built twice.
    if (!checked.viaName && writtenOnlyByOwnThread(checked.target, scope, ctx.resolver)) return;
    if (anyLockHeld(node, scope, ctx.resolver)) return;
    ctx.report({
      start: node.start,
      end: condition.end,
      message: `Lazy initialisation of '${shared}' in code run by threads (${entry.via}) without a lock: two threads can both see None and both build it; guard it with a lock (check again inside it).`,
    });
  },
};
