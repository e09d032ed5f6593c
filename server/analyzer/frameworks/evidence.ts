import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import type { Resolver } from '../model/resolve';
import type { ClassInfo, FunctionInfo, Scope } from '../model/scope';

/**
 * True when the module imports anything from one of these packages (`fastapi`, `flask`...): the
 * evidence that makes a conventional name such as `@router.get("/")` mean what it means there.
 * `anywhere` counts imports made inside functions and class bodies too.
 */
export function importsFrom(resolver: Resolver, packages: readonly string[], anywhere = false): boolean {
  const { model } = resolver;
  const scopes: Scope[] = anywhere ? [model.module, ...model.functions, ...model.classes] : [model.module];
  for (const scope of scopes) {
    for (const bindings of scope.bindings.values()) {
      for (const b of bindings) {
        if (b.kind === 'import' && packages.some((p) => b.qname === p || b.qname.startsWith(`${p}.`))) return true;
      }
    }
  }
  return false;
}

/** The expression a decorator applies (`app.get("/")` in `@app.get("/")`). */
export function decoratorExpression(decorator: SNode): SNode | undefined {
  return decorator.children.find((c) => c.named && c.type !== 'comment');
}

/** The decorator's callee, without its arguments: `app.get` for `@app.get("/")`, `callback` for `@callback`. */
export function decoratorCallee(decorator: SNode): SNode | undefined {
  const expr = decoratorExpression(decorator);
  if (!expr) return undefined;
  return expr.type === 'call' ? child(expr, 'function') : expr;
}

/** Qualified names of a function's decorators that resolve to imports. */
export function decoratorNames(fn: FunctionInfo, resolver: Resolver): string[] {
  const out: string[] = [];
  for (const d of fn.decorators) {
    const callee = decoratorCallee(d);
    const q = callee ? resolver.qualifiedName(callee, fn.parent!) : undefined;
    if (q) out.push(q);
  }
  return out;
}

/** The qualified name of the call that built `expr` in this module (`app = FastAPI()` gives `fastapi.FastAPI`). */
export function constructedBy(expr: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const call = resolver.constructionOf(expr, scope);
  const callee = call ? child(call, 'function') : undefined;
  return callee ? resolver.qualifiedName(callee, scope) : undefined;
}

/** True when a class derives, directly or through classes of this module, from a base whose qualified name passes `test`. */
export function derivesFrom(cls: ClassInfo, resolver: Resolver, test: (qname: string) => boolean, depth = 0): boolean {
  if (depth > 8) return false;
  for (const base of cls.bases) {
    const q = resolver.qualifiedName(base, cls.parent!);
    if (q && test(q)) return true;
    const local = resolver.classNamed(base, cls.parent!);
    if (local && derivesFrom(local, resolver, test, depth + 1)) return true;
  }
  return false;
}

/** The module functions an argument names (`create_item`, not a lambda or a call). */
export function namedFunctions(arg: SNode | undefined, scope: Scope, resolver: Resolver): FunctionInfo[] {
  if (!arg) return [];
  const node = unparenthesize(arg);
  if (node.type !== 'identifier' && node.type !== 'attribute') return [];
  return resolver.localFunctions(node, scope) ?? [];
}

/** The first positional argument's string text, unquoted, when it is a plain literal. */
export function firstStringArgument(call: SNode, resolver: Resolver): string | undefined {
  const args = child(call, 'arguments');
  const first = args ? namedChildren(args).find((a) => a.type !== 'keyword_argument') : undefined;
  if (first?.type !== 'string') return undefined;
  const m = /^[rRbBuU]?["']([^"']*)["']$/.exec(resolver.text(first));
  return m?.[1];
}

/** The name of the first parameter (after `self` for methods), if any. */
export function firstParameter(fn: FunctionInfo, resolver: Resolver): string | undefined {
  const params = child(fn.node, 'parameters');
  const names = params ? namedChildren(params).map((p) => {
    const id = p.type === 'identifier' ? p : namedChildren(p).find((c) => c.type === 'identifier');
    return id ? resolver.text(id) : undefined;
  }) : [];
  return fn.owner ? names[1] : names[0];
}
