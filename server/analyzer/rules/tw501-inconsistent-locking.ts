import type { Kind } from '../model/known-types';
import { locksHeldAt, onlyCalledWithLock } from '../model/lock-regions';
import type { ClassInfo, FunctionInfo } from '../model/scope';
import { child, walk, type SNode } from '../syntax';
import type { Rule, RuleContext } from './rule';

const MUTATORS = /^(append|extend|insert|pop|popleft|appendleft|remove|discard|add|update|clear|setdefault|sort|reverse)$/;
/** Mutual-exclusion locks; a semaphore counts tokens and guards no attribute. */
const GUARDS: ReadonlySet<Kind> = new Set<Kind>(['thread-lock', 'thread-rlock', 'thread-condition']);
const EXEMPT_METHODS = new Set(['__init__', '__new__', '__del__', '__init_subclass__']);

interface Access {
  readonly node: SNode;
  readonly attr: string;
  readonly write: boolean;
  readonly lock: string | undefined; // text of a class lock held here
  readonly fn: FunctionInfo;
}

function isWrite(attrNode: SNode, ctx: RuleContext): boolean {
  const p = attrNode.parent;
  if (!p) return false;
  if ((p.type === 'assignment' || p.type === 'augmented_assignment') && attrNode.field === 'left') return true;
  if (p.type === 'delete_statement') return true;
  if (p.type === 'subscript' && attrNode.field === 'value') {
    const q = p.parent;
    return !!q && (q.type === 'assignment' || q.type === 'augmented_assignment' || q.type === 'delete_statement') && p.field !== 'right';
  }
  if (p.type === 'attribute' && attrNode.field === 'object' && p.parent?.type === 'call' && p.field === 'function') {
    return MUTATORS.test(ctx.resolver.text(child(p, 'attribute')!));
  }
  return false;
}

function accessesIn(fn: FunctionInfo, cls: ClassInfo, lockAttrs: Set<string>, ctx: RuleContext): Access[] {
  const out: Access[] = [];
  const body = child(fn.node, 'body');
  if (!body || !fn.receiver) return out;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition') return false;
    if (n.type !== 'attribute') return true;
    const object = child(n, 'object');
    const attr = child(n, 'attribute');
    if (object?.type !== 'identifier' || !attr || ctx.resolver.text(object) !== fn.receiver) return true;
    const name = ctx.resolver.text(attr);
    if (lockAttrs.has(name) || ctx.resolver.methodsOf(cls, name)) return true;
    const scope = ctx.resolver.scopeAt(n, fn);
    const held = locksHeldAt(n, scope, ctx.resolver).find((r) => r.kind !== 'thread-semaphore' && r.key.startsWith(`attr:${cls.name}@`));
    out.push({ node: n, attr: name, write: isWrite(n, ctx), lock: held?.text, fn });
    return true;
  });
  return out;
}

export const inconsistentLocking: Rule = {
  meta: {
    code: 'TW501',
    name: 'inconsistent-locking',
    severity: 'warning',
    fix: 'none',
    summary: 'an attribute written under a lock in one method and used without it in another',
    description: 'An attribute written under the class\'s lock in one method and read or written without it in another.',
    peerCodes: [],
  },
  onFinish(ctx) {
    for (const cls of ctx.model.classes) {
      const lockAttrs = new Set<string>();
      for (const [name, values] of cls.attributes) {
        const kinds = values.map((v) => ctx.resolver.kindOf(v, ctx.resolver.scopeAt(v, cls)));
        if (kinds.some((k) => k && GUARDS.has(k))) lockAttrs.add(name);
      }
      if (lockAttrs.size === 0) continue;
      const methods = [...cls.methods.values()].flat().filter((m) => !EXEMPT_METHODS.has(m.name) && !m.isAsync);
      const accesses = methods.flatMap((m) => accessesIn(m, cls, lockAttrs, ctx));
      const guardedWrites = new Map<string, Access>();
      for (const a of accesses) if (a.write && a.lock && !guardedWrites.has(a.attr)) guardedWrites.set(a.attr, a);
      const helperGuarded = new Map<FunctionInfo, boolean>();
      for (const a of accesses) {
        const w = guardedWrites.get(a.attr);
        if (!w || a.lock || a.fn === w.fn) continue;
        if (accesses.some((b) => b.fn === a.fn && b.attr === a.attr && b.write && b.lock)) continue;
        let guarded = helperGuarded.get(a.fn);
        if (guarded === undefined) {
          // Dunder methods are called by Python itself, never visibly here: they are not helpers.
          const privateHelper = a.fn.name.startsWith('_') && !a.fn.name.endsWith('__');
          guarded = privateHelper && onlyCalledWithLock(a.fn, (k) => k.startsWith(`attr:${cls.name}@`), ctx.resolver);
          helperGuarded.set(a.fn, guarded);
        }
        if (guarded) continue;
        ctx.report({
          start: a.node.start,
          end: a.node.end,
          message: `'${ctx.resolver.text(a.node)}' is written under '${w.lock}' in '${w.fn.name}' but ${a.write ? 'written' : 'read'} here in '${a.fn.name}' without it: another thread can see a half-made update or lose this one; take '${w.lock}' here too.`,
        });
      }
    }
  },
};
