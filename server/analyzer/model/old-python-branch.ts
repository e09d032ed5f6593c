import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';

/**
 * Compatibility branches that only run on Pythons before 3.(minor), and the functions defined
 * in them: a hazard that exists from 3.(minor) on cannot happen there.
 *
 * Recognised tests: `sys.version_info` compared with a tuple (`>= (3, 7)`: its `else` runs before
 * 3.7; `< (3, 8)`: its body does), `sys.version_info[:2] == (3, 6)` / `!= (3, 6)` (the branch that
 * runs on 3.6 only), and the flags compatibility layers name after the version they start at
 * (`compat.py37`, `PY38`, `PY3_7`, `PY_39`), whose `else` runs before that version.
 */
export function inOldPythonBranch(node: SNode, minor: number, resolver: Resolver, scope: Scope): boolean {
  // Up through enclosing definitions too: a function defined in an old-Python branch
  // (`else: def _get_running_loop(): ...`) exists, and so runs, only there.
  for (let n: SNode | null = node; n?.parent; n = n.parent) {
    const p: SNode = n.parent;
    const ifStatement = p.type === 'if_statement' ? p : p.type === 'else_clause' && p.parent?.type === 'if_statement' ? p.parent : undefined;
    if (!ifStatement) continue;
    const test = versionTest(child(ifStatement, 'condition'), resolver, scope);
    if (!test || test.from > minor) continue;
    // "From 3.N on" holds in the body, so the else runs only before 3.N; "before 3.N", the other way.
    const inElse = p.type === 'else_clause';
    const inBody = p === ifStatement && n.field === 'consequence';
    if ((inElse && test.holdsFrom) || (inBody && !test.holdsFrom)) return true;
  }
  return false;
}

const VERSION_FLAG = /^(?:py|PY)_?3_?(\d{1,2})$/;

/**
 * A test that splits Pythons at 3.(from): `holdsFrom` when it is true from that version on (and
 * false before), false when it is true only before it; undefined for any other test.
 */
function versionTest(condition: SNode | undefined, resolver: Resolver, scope: Scope): { from: number; holdsFrom: boolean } | undefined {
  const test = condition ? unparenthesize(condition) : undefined;
  if (!test) return undefined;
  if (test.type === 'identifier' || test.type === 'attribute') {
    const name = test.type === 'attribute' ? child(test, 'attribute') : test;
    const m = name ? VERSION_FLAG.exec(resolver.text(name)) : null;
    return m ? { from: Number(m[1]), holdsFrom: true } : undefined;
  }
  if (test.type === 'not_operator') {
    const inner = versionTest(child(test, 'argument'), resolver, scope);
    return inner && { from: inner.from, holdsFrom: !inner.holdsFrom };
  }
  if (test.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(test);
  const [left, right] = operands;
  const op = test.children.find((c) => !c.named)?.type;
  if (!left || !right || operands.length !== 2) return undefined;
  const version = versionTuple(right, resolver);
  if (!version || version[0] !== 3) return undefined;
  // `sys.version_info[:2] == (3, 6)` holds on 3.6 only: its body runs before 3.7; `!=`, its else.
  if ((op === '==' || op === '!=') && majorMinorSlice(left, resolver, scope) && version[2] === 0) {
    return { from: version[1] + 1, holdsFrom: op === '!=' };
  }
  if (resolver.qualifiedName(left, scope) !== 'sys.version_info') return undefined;
  // sys.version_info has five items, so against (3, N) `>` is `>=` and `<=` is `<`: 3.N.0 is past
  // (3, N). A micro version (3, N, 2) splits 3.N itself: counted as the next minor, where the
  // old side surely ends.
  const from = version[1] + (version[2] > 0 ? 1 : 0);
  if (op === '>=' || op === '>') return { from, holdsFrom: true };
  if (op === '<' || op === '<=') return { from, holdsFrom: false };
  return undefined;
}

/** `sys.version_info[:2]` or `sys.version_info[0:2]`: the major and minor numbers. */
function majorMinorSlice(node: SNode, resolver: Resolver, scope: Scope): boolean {
  const sub = unparenthesize(node);
  if (sub.type !== 'subscript') return false;
  const value = child(sub, 'value');
  const index = child(sub, 'subscript');
  return !!value && !!index && resolver.qualifiedName(value, scope) === 'sys.version_info' && /^(?:0)?:2$/.test(resolver.text(index).replace(/\s+/g, ''));
}

/** `(3, 7)` or `(3, 7, 2)`: major, minor and micro (0 when not given). */
function versionTuple(node: SNode, resolver: Resolver): [number, number, number] | undefined {
  const tuple = unparenthesize(node);
  if (tuple.type !== 'tuple') return undefined;
  const items = namedChildren(tuple);
  if (items.length < 2 || items.length > 3 || items.some((i) => i.type !== 'integer')) return undefined;
  const [major, minor, micro] = items.map((i) => Number(resolver.text(i)));
  return [major!, minor!, micro ?? 0];
}
