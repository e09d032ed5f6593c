import { decoratorNames } from '../frameworks/evidence';
import { child, namedChildren, unparenthesize } from '../syntax';
import type { Resolver } from './resolve';
import type { ClassInfo, FunctionInfo } from './scope';
import type { SemanticModel } from './semantic-model';

const ABSTRACT_DECORATORS = new Set(['abc.abstractmethod', 'abc.abstractproperty']);

/**
 * A method that only declares its subclasses' job: `@abc.abstractmethod`, or a body (past its
 * docstring) that only raises NotImplementedError. `self.install()` on such a method runs one of
 * the overrides; a method that does something itself (a `pass` hook included) may be what runs.
 */
export function isAbstractMethod(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!fn.owner || fn.isLambda) return false;
  let answers = abstract.get(resolver.model);
  if (!answers) abstract.set(resolver.model, (answers = new Map()));
  let answer = answers.get(fn);
  if (answer === undefined) answers.set(fn, (answer = declaresOnly(fn, resolver)));
  return answer;
}

const abstract = new WeakMap<SemanticModel, Map<FunctionInfo, boolean>>();

function declaresOnly(fn: FunctionInfo, resolver: Resolver): boolean {
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

/** True when `cls` derives from `base` through classes of this module (each class visited once). */
function derivesFrom(cls: ClassInfo, base: ClassInfo, resolver: Resolver): boolean {
  const seen = new Set<ClassInfo>([cls]);
  const queue = [cls];
  while (queue.length > 0) {
    const c = queue.shift()!;
    for (const b of c.bases) {
      const local = resolver.classNamed(b, c.parent!);
      if (local === base) return true;
      if (local && !seen.has(local)) {
        seen.add(local);
        queue.push(local);
      }
    }
  }
  return false;
}

// Asked at every call of the method that a blocking chain passes: answered once per model.
const known = new WeakMap<SemanticModel, Map<FunctionInfo, readonly FunctionInfo[]>>();

/** The methods of this module's subclasses of `fn`'s class that override it. */
export function overridesOf(fn: FunctionInfo, resolver: Resolver): readonly FunctionInfo[] {
  const owner = fn.owner;
  if (!owner) return [];
  let byMethod = known.get(resolver.model);
  if (!byMethod) known.set(resolver.model, (byMethod = new Map()));
  let found = byMethod.get(fn);
  if (!found) {
    found = resolver.model.classes.filter((c) => c !== owner && derivesFrom(c, owner, resolver)).flatMap((c) => c.methods.get(fn.name) ?? []);
    byMethod.set(fn, found);
  }
  return found;
}
