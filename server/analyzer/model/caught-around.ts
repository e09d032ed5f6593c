import type { Resolver } from './resolve';
import { caughtTypes, type SNode } from '../syntax';

/**
 * `node` is in the body of a `try`, within its own function, one of whose handlers catches an
 * error `catches` matches by the name written there (`KeyError`, `queue.Empty`), or is a bare
 * `except:`. Rules ask it of the error their hazard would raise: a KeyError after a stale check,
 * the RuntimeError of `get_event_loop()` without a loop.
 */
export function caughtAround(node: SNode, catches: RegExp, resolver: Resolver): boolean {
  for (let n: SNode = node; n.parent; n = n.parent) {
    const p: SNode = n.parent;
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
    if (p.type !== 'try_statement' || n.field !== 'body') continue;
    for (const clause of p.children) {
      if (clause.type !== 'except_clause') continue;
      const caught = caughtTypes(clause);
      if (!caught || caught.some((c) => catches.test(resolver.text(c).replace(/\s+/g, '')))) return true;
    }
  }
  return false;
}
