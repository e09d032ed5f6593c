import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { child, namedChildren, type SNode } from '../syntax';

/** An `x.name` of the module, with the scope it is evaluated in. */
export interface AttributeMention {
  readonly node: SNode;
  readonly scope: Scope;
}

const mentions = new WeakMap<object, Map<string, AttributeMention[]>>();

/**
 * Every `x.name` of the module, by name, in source order: one walk per model, however many
 * questions about a lock's or a method's uses are asked of it.
 */
export function attributeMentions(resolver: Resolver): ReadonlyMap<string, readonly AttributeMention[]> {
  let found = mentions.get(resolver.model);
  if (found) return found;
  found = new Map();
  // An explicit stack: deep nesting must not grow the JS stack.
  const stack: Array<[SNode, Scope]> = [[resolver.model.root, resolver.model.module]];
  while (stack.length > 0) {
    const [node, outer] = stack.pop()!;
    const opened = node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition' ? resolver.model.scopeOf.get(node) : undefined;
    const scope = opened ?? outer;
    const attr = node.type === 'attribute' ? child(node, 'attribute') : undefined;
    if (attr) {
      const name = resolver.text(attr);
      const list = found.get(name);
      if (list) list.push({ node, scope });
      else found.set(name, [{ node, scope }]);
    }
    const children = namedChildren(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, scope]);
  }
  mentions.set(resolver.model, found);
  return found;
}
