import { decoratorNames } from '../frameworks/evidence';
import { child, namedChildren, unparenthesize } from '../syntax';
import type { Resolver } from './resolve';
import type { ClassInfo, FunctionInfo } from './scope';

const ABSTRACT_DECORATORS = new Set(['abc.abstractmethod', 'abc.abstractproperty']);

/**
 * A method that only declares its subclasses' job: `@abc.abstractmethod`, or a body (past its
 * docstring) that only raises NotImplementedError. `self.install()` on such a method runs one of
 * the overrides; a method that does something itself (a `pass` hook included) may be what runs.
 */
export function isAbstractMethod(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!fn.owner || fn.isLambda) return false;
  if (fn.decorators.length > 0 && decoratorNames(fn, resolver).some((q) => ABSTRACT_DECORATORS.has(q))) return true;
  const body = child(fn.node, 'body');
  const statements = body ? namedChildren(body).filter((s) => s.type !== 'comment') : [];
  const first = statements[0];
  const docstring = first?.type === 'expression_statement' && namedChildren(first)[0]?.type === 'string';
  const rest = docstring ? statements.slice(1) : statements;
  if (rest.length !== 1 || rest[0]!.type !== 'raise_statement') return false;
  const raised = namedChildren(rest[0]!)[0];
  const error = raised?.type === 'call' ? child(raised, 'function') : raised;
  return !!error && resolver.text(unparenthesize(error)) === 'NotImplementedError';
}

/** True when `cls` derives from `base` through classes of this module. */
function derivesFrom(cls: ClassInfo, base: ClassInfo, resolver: Resolver, depth = 0): boolean {
  if (depth > 8) return false;
  return cls.bases.some((b) => {
    const local = resolver.classNamed(b, cls.parent!);
    return local !== undefined && (local === base || derivesFrom(local, base, resolver, depth + 1));
  });
}

/** The methods of this module's subclasses of `fn`'s class that override it. */
export function overridesOf(fn: FunctionInfo, resolver: Resolver): FunctionInfo[] {
  const owner = fn.owner;
  if (!owner) return [];
  return resolver.model.classes.filter((c) => c !== owner && derivesFrom(c, owner, resolver)).flatMap((c) => c.methods.get(fn.name) ?? []);
}
