import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import type { Access } from './class-locking';
import { locksHeldAt } from './lock-regions';
import { callSitesOf } from './call-sites';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';

const EXITS = new Set(['raise_statement', 'return_statement']);

/** `self.<flag>` read alone as a condition (`if self._shutdown:`), for the receiver `self`. */
function testsFlag(cond: SNode | undefined, self: string, flag: string, resolver: Resolver): boolean {
  const node = cond ? unparenthesize(cond) : undefined;
  if (node?.type === 'boolean_operator' && resolver.textIs(child(node, 'operator')!, 'or')) {
    return testsFlag(child(node, 'left'), self, flag, resolver) || testsFlag(child(node, 'right'), self, flag, resolver);
  }
  return node?.type === 'attribute' && resolver.text(node).replace(/\s+/g, '') === `${self}.${flag}`;
}

/**
 * True when `node` in `fn` runs only after `if self.<flag>: raise/return`, checked while the lock
 * `lockText` is held (the same hold as `node`): directly, or in every caller of a helper.
 */
function afterFlagCheck(node: SNode, fn: FunctionInfo, flag: string, lockText: string, resolver: Resolver, depth = 0): boolean {
  if (depth > 3 || !fn.receiver) return false;
  const held = locksHeldAt(node, fn, resolver).filter((r) => r.text === lockText);
  for (let n: SNode = node; n.parent && n !== fn.node; n = n.parent) {
    if (n.parent.type !== 'block') continue;
    const siblings = namedChildren(n.parent);
    for (const s of siblings.slice(0, siblings.indexOf(n))) {
      if (s.type !== 'if_statement' || s.children.some((c) => c.field === 'alternative')) continue;
      const body = namedChildren(child(s, 'consequence') ?? s);
      const last = body[body.length - 1];
      if (!last || !EXITS.has(last.type) || !testsFlag(child(s, 'condition'), fn.receiver, flag, resolver)) continue;
      if (held.some((r) => r.start <= s.start && s.end <= r.end)) return true;
    }
  }
  if (held.length > 0) return false;
  // A helper: each of its calls must come after the check, in a caller holding the lock.
  const calls = callSitesOf(fn, resolver);
  return calls.length > 0 && calls.every((c) => c.scope.type === 'function' && c.scope !== fn && afterFlagCheck(c.node, c.scope, flag, lockText, resolver, depth + 1));
}

/**
 * The shutdown protocol: `with lock: self._shutdown = True` in this method, before the unlocked
 * access, and every change of the attribute under the lock made only after `if self._shutdown:
 * raise` under that same lock (ThreadPoolExecutor's submit/shutdown). Once the flag is set nothing
 * changes the attribute any more, so reading it afterwards without the lock races with nothing.
 * The flag must never be set back: every write of it outside construction stores True.
 */
export function changesStoppedByFlag(a: Access, accesses: readonly Access[], resolver: Resolver): boolean {
  const writes = accesses.filter((b) => b.attr === a.attr && b.write && b.lock);
  if (writes.length === 0) return false;
  const lockText = writes[0]!.lock!;
  if (writes.some((b) => b.lock !== lockText)) return false;
  const flags = accesses.filter((f) => f.fn === a.fn && f.write === 'rebind' && f.lock === lockText && f.node.start < a.node.start && storesTrue(f.node));
  return flags.some((f) => {
    const everyFlagWrite = accesses.filter((g) => g.attr === f.attr && g.write);
    if (!everyFlagWrite.every((g) => g.write === 'rebind' && storesTrue(g.node))) return false;
    return writes.every((b) => afterFlagCheck(b.node, b.fn, f.attr, lockText, resolver));
  });
}

function storesTrue(attrNode: SNode): boolean {
  const p = attrNode.parent;
  return p?.type === 'assignment' && attrNode.field === 'left' && child(p, 'right')?.type === 'true';
}
