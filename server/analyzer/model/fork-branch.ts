import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';

/**
 * Whether `node` runs only in a process forked since the object was set up: the fork check
 * `if self.pid != os.getpid(): self.reset()` (redis-py, pymongo, SQLAlchemy's pool, kombu and
 * multiprocessing.util all write it), its `else` after `==`, or the code after
 * `if self.pid == os.getpid(): return`. That code runs once per child, on the first call after
 * the fork, when the child has the one thread that forked; a lock it takes there is not
 * contended and a wait there does not stall a running event loop call after call.
 */
export function inForkedChildBranch(node: SNode, scope: Scope, resolver: Resolver): boolean {
  for (let n: SNode | null = node; n?.parent; n = n.parent) {
    const p: SNode = n.parent;
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
    if (p.type === 'if_statement' && n.field === 'consequence' && pidTest(child(p, 'condition'), resolver, scope) === 'changed') return true;
    if (p.type === 'else_clause' && p.parent?.type === 'if_statement' && pidTest(child(p.parent, 'condition'), resolver, scope) === 'same') return true;
    if (p.type === 'block') {
      const from = sameProcessReturn(p, resolver, scope);
      if (from !== undefined && from < n.start) return true;
    }
  }
  return false;
}

/**
 * Per model and block, where its first `if self.pid == os.getpid(): return` ends (one scan per
 * block). By model: a block carried over to the next version may see other imports.
 */
const returns = new WeakMap<object, Map<SNode, number | null>>();

function sameProcessReturn(block: SNode, resolver: Resolver, scope: Scope): number | undefined {
  let byBlock = returns.get(resolver.model);
  if (!byBlock) returns.set(resolver.model, (byBlock = new Map()));
  const known = byBlock.get(block);
  if (known !== undefined) return known ?? undefined;
  const found = block.children.find((s) => s.type === 'if_statement' && returnsAtOnce(s) && pidTest(child(s, 'condition'), resolver, scope) === 'same');
  byBlock.set(block, found ? found.end : null);
  return found?.end;
}

/** `if ...: return` with nothing else in its body and no else. */
function returnsAtOnce(ifStatement: SNode): boolean {
  const body = child(ifStatement, 'consequence');
  const statements = body ? namedChildren(body).filter((s) => s.type !== 'comment') : [];
  return statements.length === 1 && statements[0]!.type === 'return_statement' && !ifStatement.children.some((c) => c.type === 'else_clause' || c.type === 'elif_clause');
}

/** A comparison of a saved pid with `os.getpid()`: 'changed' for `!=`, 'same' for `==`. */
function pidTest(condition: SNode | undefined, resolver: Resolver, scope: Scope): 'changed' | 'same' | undefined {
  const test = condition ? unparenthesize(condition) : undefined;
  if (test?.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(test);
  if (operands.length !== 2 || !operands.some((o) => isGetpid(o, resolver, scope))) return undefined;
  const op = test.children.filter((c) => !c.named).map((c) => c.type).join(' ');
  if (op === '!=' || op === 'is not') return 'changed';
  if (op === '==' || op === 'is') return 'same';
  return undefined;
}

function isGetpid(node: SNode, resolver: Resolver, scope: Scope): boolean {
  const call = unparenthesize(node);
  const fn = call.type === 'call' ? child(call, 'function') : undefined;
  // `os.getpid()` by its text too: Coverage.py rebinds `os = isolate_module(os)`, a copy of the module.
  return !!fn && (resolver.qualifiedName(fn, scope) === 'os.getpid' || resolver.text(fn).replace(/\s+/g, '') === 'os.getpid');
}
