import { child, childrenOf, namedChildren, unparenthesize, type SNode } from '../syntax';
import { METHOD_RESULTS, type Kind } from '../model/known-types';
import type { Resolver } from '../model/resolve';
import type { Scope } from '../model/scope';
import { attributeResult, clientKind } from './clients';

const MAX_DEPTH = 6;

/** Which qualified names a user's entries make into classes worth following. */
export interface UserClasses {
  readonly size: number;
  has(qualified: string): boolean;
}

/**
 * The kind of object a method is called on, for the catalogue. The resolver's kindOf comes first;
 * this adds what only the catalogue needs and keeps it out of the shared resolver: clients reached
 * through attributes and subscripts (`client.db.users` in pymongo) and instances of the classes a
 * user's `blocking-calls` names (`userClasses`), made by calling the imported class or declared
 * by an annotation (also `Optional[...]`, `X | None`, a function's return annotation).
 */
export function receiverKind(expr: SNode, scope: Scope, resolver: Resolver, userClasses: UserClasses, depth = 0): Kind | undefined {
  const known = resolver.kindOf(expr, scope);
  if (known || depth > MAX_DEPTH) return known;
  const node = unparenthesize(expr);
  const next = (e: SNode, s: Scope) => receiverKind(e, s, resolver, userClasses, depth + 1);
  switch (node.type) {
    case 'call': {
      const callee = child(node, 'function');
      if (!callee) return undefined;
      const q = resolver.qualifiedName(callee, scope);
      if (q) return userClasses.has(q) ? clientKind(q) : undefined;
      const fns = resolver.localFunctions(callee, scope);
      if (fns && fns.length > 0) {
        const annotations = fns.map((f) => child(f.node, 'return_type'));
        return agree(annotations.map((a, i) => (a ? annotationClass(a, fns[i]!.parent ?? fns[i]!, resolver, userClasses) : undefined)));
      }
      const object = callee.type === 'attribute' ? child(callee, 'object') : undefined;
      const attr = callee.type === 'attribute' ? child(callee, 'attribute') : undefined;
      const base = object ? next(object, scope) : undefined;
      return base && attr ? METHOD_RESULTS.get(`${base}.${resolver.text(attr)}`) : undefined;
    }
    case 'attribute': {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      if (!object || !attr) return undefined;
      const cls = resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope);
      if (cls) {
        const values = resolver.attributeValues(cls, resolver.text(attr));
        if (!values) return undefined;
        // `self.r: Optional[redis.Redis] = None` declares what the attribute will hold; None says nothing else.
        const kinds = values.map((v) => {
          const declared = declaredClass(v.value, v.scope, resolver, userClasses);
          return unparenthesize(v.value).type === 'none' ? (declared ?? null) : (next(v.value, v.scope) ?? declared);
        });
        return agree(kinds.filter((k) => k !== null));
      }
      const base = next(object, scope);
      return base ? attributeResult(base) : undefined;
    }
    case 'subscript': {
      const value = child(node, 'value');
      const base = value ? next(value, scope) : undefined;
      return base ? attributeResult(base) : undefined;
    }
    case 'identifier': {
      const found = resolver.lookup(resolver.text(node), scope);
      if (!found) return undefined;
      return agree(found.bindings.map((b) => {
        if (b.kind === 'assign') return next(b.value, resolver.scopeAt(b.value, found.scope)) ?? declaredClass(b.value, found.scope, resolver, userClasses);
        if (b.kind === 'param' && b.annotation) return annotationClass(b.annotation, found.scope, resolver, userClasses);
        return undefined;
      }));
    }
    default:
      return undefined;
  }
}

/** `self.client: Client = make_client()`: the assignment's own annotation. */
function declaredClass(value: SNode, scope: Scope, resolver: Resolver, userClasses: UserClasses): Kind | undefined {
  const assignment = value.parent;
  const annotation = assignment?.type === 'assignment' ? child(assignment, 'type') : undefined;
  return annotation ? (resolver.annotationKind(annotation, scope) ?? annotationClass(annotation, scope, resolver, userClasses)) : undefined;
}

/** A user class an annotation declares: `Client`, `"Client"`, `Optional[Client]`, `Client | None`. */
function annotationClass(annotation: SNode, scope: Scope, resolver: Resolver, userClasses: UserClasses, depth = 0): Kind | undefined {
  if (userClasses.size === 0 || depth > MAX_DEPTH) return undefined;
  let node = unparenthesize(annotation);
  if (node.type === 'type') node = namedChildren(node)[0] ?? node;
  const inner = (n: SNode) => annotationClass(n, scope, resolver, userClasses, depth + 1);
  switch (node.type) {
    case 'identifier':
    case 'attribute': {
      const q = resolver.qualifiedName(node, scope);
      return q && userClasses.has(q) ? clientKind(q) : undefined;
    }
    case 'string': {
      const m = /^[rRuU]?["']{1,3}\s*([A-Za-z_][\w.]*)\s*["']{1,3}$/.exec(resolver.text(node));
      if (!m) return undefined;
      const [head, ...rest] = m[1]!.split('.');
      const found = resolver.lookup(head!, scope);
      const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
      const q = b?.kind === 'import' ? [b.qname, ...rest].join('.') : undefined;
      return q && userClasses.has(q) ? clientKind(q) : undefined;
    }
    case 'binary_operator':
      return agree(namedChildren(node).filter((c) => unparenthesize(c).type !== 'none').map(inner));
    case 'subscript':
    case 'generic_type': {
      const value = child(node, 'value') ?? namedChildren(node)[0];
      const q = value ? (resolver.qualifiedName(value, scope) ?? resolver.text(value)).replace(/^builtins\./, '') : '';
      if (!/^(?:typing(?:_extensions)?\.)?(?:Optional|Union)$/.test(q)) return undefined;
      const parameters = namedChildren(node).find((c) => c.type === 'type_parameter');
      const args = node.type === 'subscript' ? childrenOf(node, 'subscript') : parameters ? namedChildren(parameters) : [];
      return agree(args.filter((c) => unparenthesize(c).type !== 'none').map(inner));
    }
    default:
      return undefined;
  }
}

/** Every value is known and they agree. */
function agree(kinds: ReadonlyArray<Kind | undefined>): Kind | undefined {
  const first = kinds[0];
  return first !== undefined && kinds.every((k) => k === first) ? first : undefined;
}
