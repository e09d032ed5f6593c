import type { Resolver } from './resolve';
import { walk, type SNode } from '../syntax';

/** `node` contains an identifier spelled as one of `names` (any use: read, bound, attribute name). */
export function mentionsAny(node: SNode, names: ReadonlySet<string>, resolver: Resolver): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.type === 'identifier' && names.has(resolver.text(n))) found = true;
    return !found;
  });
  return found;
}
