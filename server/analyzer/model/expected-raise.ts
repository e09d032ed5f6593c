import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { child, namedChildren, type SNode } from '../syntax';

/**
 * Whether a node sits in the body of a `with` that expects an exception, in the same function:
 * `with self.assertRaises(RuntimeError): loop.create_task(coro)` or `with pytest.raises(...)`.
 * A test that says the call fails is not leaking what the call would have made when it succeeded.
 */

const UNITTEST_EXPECTS = /^(?:assertRaises|assertRaisesRegex|assertRaisesRegexp)$/;

function expectsRaise(item: SNode, resolver: Resolver, scope: Scope): boolean {
  // `with self.assertRaises(E) as cm:`: the call is the item's value.
  const value = item.type === 'as_pattern' ? namedChildren(item)[0] : item;
  const call = value?.type === 'call' ? value : undefined;
  const callee = call ? child(call, 'function') : undefined;
  if (!callee) return false;
  if (resolver.qualifiedName(callee, scope) === 'pytest.raises') return true;
  const attr = callee.type === 'attribute' ? child(callee, 'attribute') : undefined;
  return !!attr && UNITTEST_EXPECTS.test(resolver.text(attr));
}

export function insideExpectedRaise(node: SNode, resolver: Resolver, scope: Scope): boolean {
  for (let n: SNode | null = node; n?.parent; n = n.parent) {
    const p: SNode = n.parent;
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
    if (p.type !== 'with_statement' || n.field !== 'body') continue;
    const clause = namedChildren(p).find((c) => c.type === 'with_clause');
    const items = clause ? namedChildren(clause).filter((c) => c.type === 'with_item') : [];
    if (items.some((i) => { const v = namedChildren(i)[0]; return !!v && expectsRaise(v, resolver, scope); })) return true;
  }
  return false;
}
