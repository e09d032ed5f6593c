import { isLockConstruction } from '../model/lock-regions';
import type { FunctionInfo } from '../model/scope';
import { child, namedChildren, walk } from '../syntax';
import type { Rule } from './rule';

/** True when every use of a local name is `with name:`, `name.acquire()` or `name.release()`. */
function onlyLockedLocally(fn: FunctionInfo, name: string, source: string): boolean {
  const body = child(fn.node, 'body');
  if (!body) return false;
  let shared = false;
  walk(body, (n) => {
    if (shared) return false;
    if ((n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') && source.slice(n.start, n.end).includes(name)) {
      shared = true; // a closure may carry it elsewhere
      return false;
    }
    if (n.type !== 'identifier' || source.slice(n.start, n.end) !== name) return true;
    const p = n.parent!;
    const usedAsLock = (p.type === 'with_item' && n.field === 'value') ||
      (p.type === 'attribute' && n.field === 'object' && /^(acquire|release|locked)$/.test(source.slice(child(p, 'attribute')!.start, child(p, 'attribute')!.end)));
    const assigned = p.type === 'assignment' && n.field === 'left';
    if (!usedAsLock && !assigned) shared = true;
    return true;
  });
  return !shared;
}

export const uselessLock: Rule = {
  meta: {
    code: 'TW402',
    name: 'useless-lock',
    severity: 'warning',
    fix: 'none',
    summary: 'a lock created where it is used guards nothing: no other thread can see it',
    description: 'A lock created in the `with` or in the function that uses it is new on every call and guards nothing.',
    peerCodes: ['PLW2101', 'W2101'],
  },
  nodeTypes: ['with_statement'],
  onNode({ node, scope }, ctx) {
    const clause = node.children.find((c) => c.type === 'with_clause');
    for (const item of clause ? namedChildren(clause) : []) {
      let value = child(item, 'value');
      if (value?.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
      if (!value) continue;
      if (isLockConstruction(value, scope, ctx.resolver)) {
        ctx.report({
          start: value.start,
          end: value.end,
          message: `'with ${ctx.resolver.text(value)}:' creates a new lock each time, so no two threads ever hold the same one: it guards nothing; share one lock (a module global or an attribute).`,
        });
        continue;
      }
      if (value.type !== 'identifier' || scope.type !== 'function') continue;
      const name = ctx.resolver.text(value);
      const found = ctx.resolver.lookup(name, scope);
      if (!found || found.scope !== scope || found.bindings.length !== 1) continue;
      const b = found.bindings[0]!;
      if (b.kind !== 'assign' || !isLockConstruction(b.value, scope, ctx.resolver)) continue;
      if (!onlyLockedLocally(scope, name, ctx.source)) continue;
      ctx.report({
        start: value.start,
        end: value.end,
        message: `'${name}' is a lock created in this call of '${scope.name}' and never shared: each call locks its own lock, so it guards nothing; create it once where all threads can reach it.`,
      });
    }
  },
};
