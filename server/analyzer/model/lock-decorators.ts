import { answerOnce } from './answer-once';
import { THREAD_LOCK_KINDS } from './known-types';
import { attributeLockKey } from './locks';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';
import { child, namedChildren, walk, type SNode } from '../syntax';

/**
 * The locks a method's decorators hold around every call of it: `@_locked`, where the module
 * defines `_locked(method)` to return a wrapper that calls `method` inside `with self._lock:`
 * (Coverage.py's CoverageData, and the `@synchronized` decorators of many code bases). Keys of
 * the method's class's lock attributes; only attributes the class makes a thread lock count.
 */
export function decoratorLocks(fn: FunctionInfo, resolver: Resolver): string[] {
  const cls = fn.owner;
  if (!cls || fn.decorators.length === 0) return [];
  const out: string[] = [];
  for (const d of fn.decorators) {
    const expr = namedChildren(d)[0];
    if (expr?.type !== 'identifier') continue;
    const found = resolver.localFunctions(expr, cls);
    // Once per decorator: a class's `@_locked` methods all ask of the same one.
    const decorator = found?.length === 1 ? found[0]! : undefined;
    const attr = decorator ? answerOnce(wrapperLocks, resolver.model, decorator, () => wrapperLock(decorator.node, resolver) ?? null) : null;
    if (!attr) continue;
    const owner = resolver.attributeOwner(cls, attr) ?? cls;
    const made = (resolver.attributeValues(owner, attr) ?? []).filter((v) => v.value.type !== 'none');
    const isLock = (v: (typeof made)[number]) => {
      const kind = resolver.kindOf(v.value, v.scope);
      return kind !== undefined && THREAD_LOCK_KINDS.has(kind);
    };
    if (made.length === 0 || !made.every(isLock)) continue;
    out.push(attributeLockKey(cls, attr, resolver));
  }
  return out;
}

const wrapperLocks = new WeakMap<object, Map<FunctionInfo, string | null>>();

/** The parameter names of a `def`, in order, `*args` and `**kwargs` by their names. */
function parameterNames(def: SNode, resolver: Resolver): string[] {
  const params = child(def, 'parameters');
  return (params ? namedChildren(params) : []).map((p) => {
    const id = p.type === 'identifier' ? p : namedChildren(p).find((c) => c.type === 'identifier');
    return id ? resolver.text(id) : '';
  });
}

/**
 * `def _locked(method): def wrapper(self, ...): with self._lock: return method(self, ...)`, then
 * `return wrapper`: the attribute (`_lock`) the wrapper holds while it calls the decorated method.
 */
function wrapperLock(decorator: SNode, resolver: Resolver): string | undefined {
  const [wrapped] = parameterNames(decorator, resolver);
  const body = child(decorator, 'body');
  const stmts = body ? namedChildren(body).filter((s) => s.type !== 'comment') : [];
  const last = stmts.at(-1);
  const returned = last?.type === 'return_statement' ? namedChildren(last)[0] : undefined;
  if (!wrapped || returned?.type !== 'identifier') return undefined;
  const name = resolver.text(returned);
  const wrapper = stmts
    .map((s) => (s.type === 'decorated_definition' ? child(s, 'definition') : s))
    .find((s) => s?.type === 'function_definition' && resolver.text(child(s, 'name') ?? s) === name);
  const receiver = wrapper ? parameterNames(wrapper, resolver)[0] : undefined;
  if (!wrapper || !receiver) return undefined;
  let attr: string | undefined;
  walk(child(wrapper, 'body') ?? wrapper, (n) => {
    if (attr !== undefined) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type !== 'with_statement') return true;
    for (const item of withItems(n)) {
      const value = child(item, 'value');
      const object = value?.type === 'attribute' ? child(value, 'object') : undefined;
      const lock = value?.type === 'attribute' ? child(value, 'attribute') : undefined;
      if (object?.type !== 'identifier' || !lock || !resolver.textIs(object, receiver)) continue;
      if (callsNamed(child(n, 'body'), wrapped, resolver)) attr = resolver.text(lock);
    }
    return attr === undefined;
  });
  return attr;
}

function withItems(withStatement: SNode): SNode[] {
  const clause = withStatement.children.find((c) => c.type === 'with_clause');
  return clause ? namedChildren(clause).filter((c) => c.type === 'with_item') : [];
}

/** A call of the plain name `name` somewhere in `block`. */
function callsNamed(block: SNode | undefined, name: string, resolver: Resolver): boolean {
  let found = false;
  if (!block) return false;
  walk(block, (n) => {
    if (found) return false;
    const fn = n.type === 'call' ? child(n, 'function') : undefined;
    if (fn?.type === 'identifier' && resolver.textIs(fn, name)) found = true;
    return !found;
  });
  return found;
}
