import { heldRegions } from './lock-regions';
import { answerOnce } from './answer-once';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';
import type { SemanticModel } from './semantic-model';
import { child, namedChildren, unparenthesize, walk } from '../syntax';

const answers = new WeakMap<SemanticModel, Map<FunctionInfo, boolean>>();

/**
 * A method that does its locked work once per object: every region where it holds a lock checks a
 * flag of the object first and returns when it is set (`with self._lock: if self.ready: return`),
 * and sets that flag to True later in the region (Django's `Apps.populate`). The lock makes the
 * setup happen once, however many threads ask; what the setup writes under it is initial state,
 * as `__init__`'s is, not state the lock guards for later use.
 */
export function runsOnceUnderLock(fn: FunctionInfo, resolver: Resolver): boolean {
  return answerOnce(answers, resolver.model, fn, () => decide(fn, resolver));
}

function decide(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!fn.receiver || !fn.owner) return false;
  const regions = heldRegions(fn, resolver).filter((r) => r.blocking);
  return regions.length > 0 && regions.every((r) => {
    const guard = flagGuard(r.start, r.end, fn, resolver);
    return guard !== undefined && setsFlag(guard.flag, guard.end, r.end, fn, resolver);
  });
}

/** The first `if self.<flag>: ... return` inside the span, not nested in another statement's block. */
function flagGuard(start: number, end: number, fn: FunctionInfo, resolver: Resolver): { flag: string; end: number } | undefined {
  let found: { flag: string; end: number } | undefined;
  walk(fn.node, (n) => {
    if (found || n.end <= start || n.start >= end) return false;
    if (n !== fn.node && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
    if (n.type !== 'if_statement' || n.start < start || child(n, 'alternative')) return true;
    const condition = child(n, 'condition');
    const flag = condition ? unparenthesize(condition) : undefined;
    const body = child(n, 'consequence');
    const last = body ? namedChildren(body).filter((c) => c.type !== 'comment').at(-1) : undefined;
    if (flag?.type === 'attribute' && resolver.text(child(flag, 'object')!) === fn.receiver && last?.type === 'return_statement') {
      found = { flag: resolver.text(child(flag, 'attribute')!), end: n.end };
    }
    return false;
  });
  return found;
}

/** `self.<flag> = True` between `from` and `to`. */
function setsFlag(flag: string, from: number, to: number, fn: FunctionInfo, resolver: Resolver): boolean {
  let found = false;
  walk(fn.node, (n) => {
    if (found || n.end <= from || n.start >= to) return false;
    if (n.type === 'function_definition' && n !== fn.node) return false;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left?.type === 'attribute' && right?.type === 'true' && resolver.text(child(left, 'object')!) === fn.receiver && resolver.textIs(child(left, 'attribute')!, flag)) found = true;
    }
    return !found;
  });
  return found;
}
