import { child, namedChildren, type SNode } from '../syntax';
import type { Resolver } from './resolve';
import type { SemanticModel } from './semantic-model';

/** Decorators Python removed, by the minor version that removed them: applying one raises at import. */
const REMOVED_DECORATORS = new Map([
  ['asyncio.coroutine', 11],
  ['asyncio.coroutines.coroutine', 11],
]);

const known = new WeakMap<SemanticModel, number | null>();

/**
 * The oldest Python 3 minor version on which the module cannot even be imported, because its
 * import runs a decorator that version removed (`@asyncio.coroutine` on a module-level function
 * or a method, gone in 3.11); undefined when nothing says so. Definitions inside a function, an
 * `if` or a `try` may not run at import, and are left out.
 */
export function failsToImportFrom(resolver: Resolver): number | undefined {
  const found = known.get(resolver.model);
  if (found !== undefined) return found ?? undefined;
  let oldest: number | undefined;
  const visit = (block: SNode): void => {
    for (const stmt of namedChildren(block)) {
      const definition = stmt.type === 'decorated_definition' ? child(stmt, 'definition') : stmt;
      if (stmt.type === 'decorated_definition') {
        for (const decorator of namedChildren(stmt).filter((c) => c.type === 'decorator')) {
          let expr: SNode | undefined = namedChildren(decorator)[0];
          if (expr?.type === 'call') expr = child(expr, 'function');
          const removedIn = expr ? REMOVED_DECORATORS.get(resolver.qualifiedName(expr, resolver.scopeAt(expr, resolver.model.module)) ?? '') : undefined;
          if (removedIn !== undefined) oldest = Math.min(oldest ?? removedIn, removedIn);
        }
      }
      // A class body runs at import: its methods' decorators are applied then.
      const body = definition?.type === 'class_definition' ? child(definition, 'body') : undefined;
      if (body) visit(body);
    }
  };
  visit(resolver.model.root);
  known.set(resolver.model, oldest ?? null);
  return oldest;
}
