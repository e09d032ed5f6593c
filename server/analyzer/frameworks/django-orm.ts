import type { Resolver } from '../model/resolve';
import type { Scope } from '../model/scope';
import { child, unparenthesize, type SNode } from '../syntax';
import { derivesFrom } from './evidence';

/*
 * Django's ORM refuses to run in async code: a query made on a thread with a running event loop
 * raises SynchronousOnlyOperation. Since Django 4.1 every query method that hits the database has
 * an async twin with an `a` prefix (`aget`, `acount`, `asave`...), and querysets support `async for`.
 */

/** Manager and queryset methods that run a query at once (not the lazy ones such as filter()). */
export const QUERY_METHODS: ReadonlySet<string> = new Set([
  'get', 'create', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update', 'count', 'exists', 'first', 'last',
  'latest', 'earliest', 'aggregate', 'in_bulk', 'update', 'delete', 'iterator', 'contains', 'explain',
]);
/** Model instance methods that run a query. */
export const INSTANCE_METHODS: ReadonlySet<string> = new Set(['save', 'delete', 'refresh_from_db']);
const MANAGERS = new Set(['objects', '_default_manager']);

/** A model class: defined here on django.db.models.Model, or imported from a `models` module. */
function isModel(expr: SNode, scope: Scope, resolver: Resolver): boolean {
  const node = unparenthesize(expr);
  if (node.type !== 'identifier') return false;
  const cls = resolver.classNamed(node, scope);
  if (cls) return derivesFrom(cls, resolver, (q) => q === 'django.db.models.Model' || q === 'django.db.models.base.Model');
  const q = resolver.qualifiedName(node, scope);
  return !!q && /(?:^|\.)models\.\w+$/.test(q);
}

/** The model whose manager a chain starts from (`Item` in `Item.objects.filter(...).order_by(...)`), if it is one. */
export function managerChainModel(expr: SNode, scope: Scope, resolver: Resolver): string | undefined {
  let node = unparenthesize(expr);
  for (let depth = 0; depth < 32; depth++) {
    if (node.type === 'call') node = unparenthesize(child(node, 'function') ?? node);
    if (node.type !== 'attribute') return undefined;
    const object = unparenthesize(child(node, 'object')!);
    const attr = resolver.text(child(node, 'attribute')!);
    if (MANAGERS.has(attr) && isModel(object, scope, resolver)) return resolver.text(object);
    node = object;
  }
  return undefined;
}

/** True when a name holds a model instance: `item = Item(...)`, `item = Item.objects.get(...)`, `item = await Item.objects.aget(...)`. */
export function holdsModelInstance(expr: SNode, scope: Scope, resolver: Resolver): boolean {
  const node = unparenthesize(expr);
  if (node.type !== 'identifier') return false;
  const found = resolver.lookup(resolver.text(node), scope);
  if (!found || found.bindings.length === 0) return false;
  return found.bindings.every((b) => {
    if (b.kind !== 'assign') return false;
    let value = unparenthesize(b.value);
    if (value.type === 'await') value = unparenthesize(value.children.find((c) => c.named) ?? value);
    if (value.type !== 'call') return false;
    const callee = child(value, 'function')!;
    return isModel(callee, found.scope, resolver) || managerChainModel(value, found.scope, resolver) !== undefined;
  });
}
