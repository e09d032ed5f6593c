import type { Resolver } from './resolve';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';

/**
 * The attribute or global a condition checks for "not made yet": `x is None`, `not hasattr(self, 'x')`,
 * `getattr(self, 'x', None) is None`, or one of these joined with `and`/`or` to other tests.
 * `viaName` marks the hasattr/getattr forms, whose target is spelled as a string.
 */
export function lazyTarget(condition: SNode, resolver: Resolver): { target: SNode; targetText: string; viaName: boolean } | undefined {
  const test = unparenthesize(condition);
  if (test.type === 'boolean_operator') {
    for (const operand of namedChildren(test)) {
      const found = lazyTarget(operand, resolver);
      if (found) return found;
    }
    return undefined;
  }
  if (test.type === 'not_operator') {
    const inner = unparenthesize(namedChildren(test)[0] ?? test);
    const named = attributeNamed(inner, 'hasattr', resolver);
    if (named) return { ...named, viaName: true };
    // `if not self._client: self._client = Client(...)`: falsy stands for "not made yet".
    return inner.type === 'attribute' || inner.type === 'identifier' ? { target: inner, targetText: resolver.text(inner), viaName: false } : undefined;
  }
  const operands = test.type === 'comparison_operator' ? namedChildren(test) : [];
  if (operands.length !== 2 || !/\bis\s+None$/.test(resolver.text(test)) || operands[1]!.type !== 'none') return undefined;
  const left = unparenthesize(operands[0]!);
  const named = attributeNamed(left, 'getattr', resolver);
  if (named) return { ...named, viaName: true };
  return { target: left, targetText: resolver.text(left), viaName: false };
}

/** `hasattr(obj, 'name')` / `getattr(obj, 'name', None)`: `obj` and the text `obj.name`. */
function attributeNamed(call: SNode, builtin: 'hasattr' | 'getattr', resolver: Resolver): { target: SNode; targetText: string } | undefined {
  if (call.type !== 'call') return undefined;
  const fn = child(call, 'function');
  const args = child(call, 'arguments');
  const [object, name] = args ? namedChildren(args) : [];
  if (fn?.type !== 'identifier' || !resolver.textIs(fn, builtin) || !object || name?.type !== 'string') return undefined;
  const m = /^["'](\w+)["']$/.exec(resolver.text(name));
  return m ? { target: object, targetText: `${resolver.text(object)}.${m[1]}` } : undefined;
}
