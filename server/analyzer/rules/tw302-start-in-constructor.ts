import { methodCall } from '../model/call-context';
import { statementOf } from '../model/locks';
import type { Resolver } from '../model/resolve';
import { enclosingFunction, type ClassInfo, type FunctionInfo } from '../model/scope';
import type { SemanticModel } from '../model/semantic-model';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import type { Rule } from './rule';

const LOOPS = new Set(['for_statement', 'while_statement']);

/**
 * True when some statement of the function body can run after `stmt` has: the rest of its block,
 * the statements after the `if`/`with`/`try` that contains it, a `finally`, or the next turn of a
 * loop. A `return` or `raise` right after it ends the function, so nothing later counts; `pass`
 * does nothing.
 */
function codeRunsAfter(stmt: SNode, body: SNode): boolean {
  let n = stmt;
  for (;;) {
    const block = n.parent;
    if (!block) return false;
    if (block.type === 'block' || block.type === 'module') {
      const siblings = namedChildren(block);
      for (const s of siblings.slice(siblings.indexOf(n) + 1)) {
        if (s.type === 'return_statement' || s.type === 'raise_statement') return false;
        if (s.type !== 'pass_statement') return true;
      }
      if (block === body) return false;
    }
    // Climb to the statement that owns this block, seeing what runs when the block is done.
    let up: SNode = block;
    let from: SNode = n;
    while (up.parent && up.parent.type !== 'block' && up.parent.type !== 'module') {
      if (LOOPS.has(up.type)) return true;
      from = up;
      up = up.parent;
    }
    if (LOOPS.has(up.type)) return true;
    if (up.type === 'try_statement' && from.type !== 'finally_clause') {
      const later = up.children.filter((c) => c.type === 'finally_clause' || (c.type === 'else_clause' && from.field === 'body'));
      if (later.some((c) => doesWork(c.children.find((b) => b.type === 'block')))) return true;
    }
    if (up === body || !up.parent) return false;
    n = up;
  }
}

function doesWork(block: SNode | undefined): boolean {
  return !!block && namedChildren(block).some((s) => s.type !== 'pass_statement');
}

/** True when `cls` has `ancestor` among its bases, directly or through classes of this module. */
function inheritsFrom(cls: ClassInfo, ancestor: ClassInfo, resolver: Resolver, depth = 0): boolean {
  if (depth > 16) return false;
  for (const base of cls.bases) {
    const b = resolver.classNamed(base, cls.parent!);
    if (b && (b === ancestor || inheritsFrom(b, ancestor, resolver, depth + 1))) return true;
  }
  return false;
}

/** `super().__init__(...)` or `Base.__init__(self, ...)` made directly in `init`. */
function superInitCalls(init: FunctionInfo, model: SemanticModel, resolver: Resolver): SNode[] {
  const out: SNode[] = [];
  for (const site of model.calls) {
    if (site.scope !== init) continue;
    const call = methodCall(site.callee, resolver);
    if (call?.method !== '__init__') continue;
    const object = unparenthesize(call.object);
    const isSuper = object.type === 'call' && resolver.textIs(child(object, 'function') ?? object, 'super');
    if (isSuper || object.type === 'identifier' || object.type === 'attribute') out.push(site.node);
  }
  return out;
}

/** A subclass of `owner` in this module whose `__init__` goes on initialising after the base's. */
function subclassInitialisingLate(owner: ClassInfo, model: SemanticModel, resolver: Resolver): ClassInfo | undefined {
  for (const cls of model.classes) {
    if (cls === owner || !inheritsFrom(cls, owner, resolver)) continue;
    for (const init of cls.methods.get('__init__') ?? []) {
      const body = child(init.node, 'body');
      if (!body) continue;
      if (superInitCalls(init, model, resolver).some((c) => codeRunsAfter(statementOf(c), body))) return cls;
    }
  }
  return undefined;
}

/** The `self.<attr>` a node names, when `receiver` is the object: the attribute's name. */
function selfAttribute(node: SNode, receiver: string, resolver: Resolver): string | undefined {
  let n = unparenthesize(node);
  while (n.type === 'subscript') n = unparenthesize(child(n, 'value') ?? n);
  const object = n.type === 'attribute' ? child(n, 'object') : undefined;
  const attr = n.type === 'attribute' ? child(n, 'attribute') : undefined;
  return object?.type === 'identifier' && attr && resolver.text(object) === receiver ? resolver.text(attr) : undefined;
}

/**
 * The attributes of `self` that run() and the methods it calls on `self` (in the class and its
 * bases of this module, an override of the class first) read; undefined when run() calls a
 * method of `self` that is not defined here, whose reads are unknown.
 */
function attributesRunReads(cls: ClassInfo, resolver: Resolver): Set<string> | undefined {
  const runs = resolver.methodsOf(cls, 'run');
  if (!runs) return undefined;
  const seen = new Set<FunctionInfo>();
  const queue = [...runs];
  const reads = new Set<string>();
  while (queue.length > 0) {
    const fn = queue.shift()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    if (!fn.receiver) return undefined;
    const receiver = fn.receiver;
    let unknown = false;
    walk(fn.node, (n) => {
      if (unknown) return false;
      const attr = n.type === 'attribute' ? selfAttribute(n, receiver, resolver) : undefined;
      if (!attr) return true;
      reads.add(attr);
      const parent = n.parent;
      if (parent?.type === 'call' && child(parent, 'function') === n) {
        const methods = resolver.methodsOf(cls, attr);
        if (methods) queue.push(...methods);
        else if (!THREAD_OWN_METHODS.has(attr)) unknown = true;
      }
      return true;
    });
    if (unknown) return undefined;
  }
  return reads;
}

/** Builtins that only read the object they are given. */
const READING_BUILTINS = new Set(['getattr', 'hasattr', 'isinstance', 'type', 'id', 'repr', 'str']);

/** `getattr(self, ...)` and the like: `self` given to a builtin that only reads it. */
function readOnlyArgument(n: SNode, resolver: Resolver): boolean {
  const call = n.parent?.type === 'argument_list' ? n.parent.parent : undefined;
  const fn = call?.type === 'call' ? child(call, 'function') : undefined;
  return fn?.type === 'identifier' && READING_BUILTINS.has(resolver.text(fn)) && !resolver.lookup(resolver.text(fn), resolver.model.module);
}

/** Methods of threading.Thread itself that run() may call without reading the subclass's state. */
const THREAD_OWN_METHODS = new Set(['is_alive', 'getName', 'isDaemon']);

/** What run() reads, for the class and for each subclass of it in this module (theirs may differ). */
function readsOfEveryRun(cls: ClassInfo, resolver: Resolver): Set<string> | undefined {
  const all = new Set<string>();
  for (const c of [cls, ...resolver.model.classes.filter((k) => k !== cls && inheritsFrom(k, cls, resolver))]) {
    const reads = attributesRunReads(c, resolver);
    if (!reads) return undefined;
    for (const r of reads) all.add(r);
  }
  return all;
}

/**
 * True when every statement after `start()` in the body of `__init__` changes nothing run() can
 * see: it assigns only attributes of `self` that run() and what it calls never read (the thread's
 * `name`, say), or locals, or calls another object's method without handing it `self` or calling
 * a method of `self`. Anything else (a branch, a call of a method of `self`) may still be building
 * what run() reads.
 */
function laterStatementsInvisibleToRun(stmt: SNode, body: SNode, init: FunctionInfo, resolver: Resolver): boolean {
  if (stmt.parent !== body || !init.owner || !init.receiver) return false;
  const receiver = init.receiver;
  const siblings = namedChildren(body);
  const later = siblings.slice(siblings.indexOf(stmt) + 1);
  let reads: Set<string> | undefined | null = null;
  const usesSelfOtherThanReading = (expr: SNode): boolean => {
    let found = false;
    walk(expr, (n) => {
      if (found) return false;
      // `super().__init__(...)` and the like run code of this object too.
      if (n.type === 'call' && resolver.textIs(child(n, 'function') ?? n, 'super')) found = true;
      else if (n.type === 'identifier' && resolver.text(n) === receiver) {
        const parent = n.parent;
        // `self.x` read is fine; `self.m(...)` runs code of this object; bare `self` hands it over.
        if (parent?.type === 'attribute' && child(parent, 'object') === n) {
          const call = parent.parent;
          if (call?.type === 'call' && child(call, 'function') === parent) found = true;
        } else if (!readOnlyArgument(n, resolver)) found = true;
      }
      return !found;
    });
    return found;
  };
  for (const s of later) {
    if (s.type === 'pass_statement') continue;
    if (s.type !== 'expression_statement') return false;
    const expr = namedChildren(s)[0];
    if (!expr) return false;
    if (expr.type === 'assignment' || expr.type === 'augmented_assignment') {
      const left = child(expr, 'left');
      const right = child(expr, 'right');
      if (!left || (right && usesSelfOtherThanReading(right))) return false;
      const attr = selfAttribute(left, receiver, resolver);
      if (attr === undefined) {
        if (left.type !== 'identifier') return false;
        continue;
      }
      if (reads === null) reads = readsOfEveryRun(init.owner, resolver);
      if (!reads || reads.has(attr)) return false;
      continue;
    }
    if (expr.type !== 'call' || usesSelfOtherThanReading(expr)) return false;
  }
  return true;
}

export const startInConstructor: Rule = {
  meta: {
    code: 'TW302',
    name: 'start-in-constructor',
    severity: 'warning',
    fix: 'none',
    summary: 'a Thread subclass starts itself in __init__, before construction has finished',
    description: '`self.start()` in the `__init__` of a `Thread` or `Process` subclass, with construction still going on after it: the new thread can see a half-built object.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (call?.method !== 'start') return;
    const { object } = call;
    const fn = enclosingFunction(site.scope);
    if (!fn || fn.name !== '__init__' || !fn.owner || fn !== site.scope) return;
    if (object.type !== 'identifier' || ctx.resolver.text(object) !== fn.receiver) return;
    const kind = ctx.resolver.classKind(fn.owner);
    if (kind !== 'thread' && kind !== 'process') return;
    const body = child(fn.node, 'body');
    if (!body) return;
    // The hazard is construction still going on while run() starts. When start() is the last
    // thing __init__ does and no subclass here adds to it, the object is complete by then.
    const owner = fn.owner;
    const stmt = statementOf(site.node);
    if (codeRunsAfter(stmt, body) && !laterStatementsInvisibleToRun(stmt, body, fn, ctx.resolver)) {
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `'${owner.name}.__init__' starts the ${kind} itself before it has finished: run() may begin before the code after start() has run; start it last, or let the caller call start().`,
      });
      return;
    }
    const late = subclassInitialisingLate(owner, ctx.model, ctx.resolver);
    if (!late) return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `'${owner.name}.__init__' starts the ${kind} itself, and subclass '${late.name}' goes on initialising after the base __init__ returns: run() may begin before it has; let the caller call start().`,
    });
  },
};
