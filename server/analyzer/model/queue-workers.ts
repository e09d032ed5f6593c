import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { argument } from './callables';
import { own, projectFactsOf } from './project-facts';
import type { Resolver } from './resolve';
import type { CallSite } from './semantic-model';
import type { ClassInfo, FunctionInfo } from './scope';

/*
 * A worker thread fed through a queue of callables: a method puts its argument into a queue
 * (`def submit(self, callback): self._queue.put_nowait(callback)`), and a thread of the same class
 * takes items from that queue and calls them (`callback = self._queue.get(); callback()`, or
 * `func, args, kwargs = self._queue.get(); func(*args, **kwargs)`). Calling the method hands the
 * callable to that thread, as `Thread(target=...)` does (sentry_sdk's BackgroundWorker.submit,
 * kazoo's TreeCache._in_background).
 */

/** A method that hands one of its parameters to a worker thread of its class. */
export interface QueueHandoffMethod {
  readonly method: FunctionInfo;
  /** The parameter's name and its position among the positional parameters after `self`. */
  readonly param: string;
  readonly position: number;
}

const PUTS = new Set(['put', 'put_nowait', 'append', 'appendleft']);
const GETS = new Set(['get', 'get_nowait', 'popleft', 'pop']);

/** `self.<name>` when `node` is an attribute of the method's own receiver. */
function ownAttribute(node: SNode, fn: FunctionInfo, resolver: Resolver): string | undefined {
  const n = unparenthesize(node);
  const object = n.type === 'attribute' ? child(n, 'object') : undefined;
  if (!object || object.type !== 'identifier' || !fn.receiver || !resolver.textIs(object, fn.receiver)) return undefined;
  return resolver.text(child(n, 'attribute')!);
}

/** `self.q.<method>(...)` in `fn`: the queue's attribute name, if `method` is one of `methods`. */
function queueCall(call: SNode, fn: FunctionInfo, methods: ReadonlySet<string>, resolver: Resolver): string | undefined {
  const callee = call.type === 'call' ? child(call, 'function') : undefined;
  const method = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
  if (!callee || !method || !methods.has(resolver.text(method))) return undefined;
  return ownAttribute(child(callee, 'object')!, fn, resolver);
}

/** Walks a function's own body: nested functions, lambdas and classes are other scopes. */
function walkOwn(fn: FunctionInfo, visit: (n: SNode) => void): void {
  walk(fn.node, (n) => {
    if (n !== fn.node && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
    visit(n);
    return true;
  });
}

/**
 * The queues (attribute names) from which `entry`, a thread's code, takes items and calls them:
 * `item = self.q.get()` followed by `item()`, or by `f, *rest = item` (or the unpacking done in
 * the assignment itself) and `f(...)`.
 */
function callableQueues(entry: FunctionInfo, resolver: Resolver): Set<string> {
  const taken = new Map<string, string>(); // local name -> queue
  const callables = new Map<string, string>(); // name called -> queue
  walkOwn(entry, (n) => {
    if (n.type !== 'assignment') return;
    const left = child(n, 'left');
    const right = child(n, 'right');
    if (!left || !right) return;
    const value = unparenthesize(right);
    const queue = queueCall(value, entry, GETS, resolver) ?? (value.type === 'identifier' ? taken.get(resolver.text(value)) : undefined);
    if (queue === undefined) return;
    if (left.type === 'identifier') {
      taken.set(resolver.text(left), queue);
      callables.set(resolver.text(left), queue);
    } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
      const first = namedChildren(left)[0];
      if (first?.type === 'identifier') callables.set(resolver.text(first), queue);
    }
  });
  const out = new Set<string>();
  if (callables.size === 0) return out;
  walkOwn(entry, (n) => {
    const callee = n.type === 'call' ? child(n, 'function') : undefined;
    if (callee?.type !== 'identifier') return;
    const queue = callables.get(resolver.text(callee));
    if (queue !== undefined) out.add(queue);
  });
  return out;
}

/** The positional parameters of a method after its receiver. */
function positionalParams(fn: FunctionInfo, resolver: Resolver): string[] {
  const params = child(fn.node, 'parameters');
  const out: string[] = [];
  for (const p of params ? namedChildren(params) : []) {
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') break;
    const name = p.type === 'identifier' ? p : child(p, 'name') ?? namedChildren(p).find((c) => c.type === 'identifier');
    if (name) out.push(resolver.text(name));
  }
  return fn.receiver !== undefined ? out.slice(1) : out;
}

/** The parameter of `fn` that it puts (alone, or first in a tuple) into one of `queues`. */
function putParameter(fn: FunctionInfo, queues: ReadonlySet<string>, resolver: Resolver): { param: string; position: number } | undefined {
  const params = positionalParams(fn, resolver);
  let found: { param: string; position: number } | undefined;
  walkOwn(fn, (n) => {
    if (found || n.type !== 'call') return;
    const queue = queueCall(n, fn, PUTS, resolver);
    if (queue === undefined || !queues.has(queue)) return;
    let item = argument(n, 'item', 0, resolver);
    item = item ? unparenthesize(item) : undefined;
    if (item?.type === 'tuple') item = namedChildren(item)[0];
    const position = item?.type === 'identifier' ? params.indexOf(resolver.text(item)) : -1;
    if (position >= 0) found = { param: params[position]!, position };
  });
  return found;
}

/**
 * The module's methods that hand a parameter to a worker thread of their class through a queue.
 * `workerEntries` are the class's thread code: what `Thread(target=self.m)` runs, `run` of a
 * Thread subclass.
 */
export function queueHandoffMethods(resolver: Resolver, workerEntries: (cls: ClassInfo) => readonly FunctionInfo[]): Map<FunctionInfo, QueueHandoffMethod> {
  const out = new Map<FunctionInfo, QueueHandoffMethod>();
  for (const cls of resolver.model.classes) {
    const entries = workerEntries(cls);
    const queues = new Set(entries.flatMap((e) => [...callableQueues(e, resolver)]));
    if (queues.size === 0) continue;
    for (const methods of cls.methods.values()) {
      for (const m of methods) {
        if (entries.includes(m) || m.isAsync) continue;
        const put = putParameter(m, queues, resolver);
        if (put) out.set(m, { method: m, ...put });
      }
    }
  }
  return out;
}

/** The names of the methods that hand off: this module's, and those of the classes it imports. */
export function queueHandoffNames(local: ReadonlyMap<FunctionInfo, QueueHandoffMethod>, resolver: Resolver): Set<string> {
  const out = new Set([...local.keys()].map((m) => m.name));
  const imported = projectFactsOf(resolver.model)?.imported;
  for (const name in imported ?? {}) for (const m in own(imported, name)?.handoffs ?? {}) out.add(m);
  return out;
}

/**
 * The callable a call hands to a queue worker: `self._worker.submit(fn)` where `_worker` is built
 * from a class of this module, or of another module of the project (whose summary says which of
 * its methods hand what), or `self._in_background(fn)` on the class itself.
 */
export function queueHandoffTarget(site: CallSite, local: ReadonlyMap<FunctionInfo, QueueHandoffMethod>, resolver: Resolver): SNode | undefined {
  if (site.callee.type !== 'attribute') return undefined;
  const name = resolver.text(child(site.callee, 'attribute')!);
  const object = child(site.callee, 'object')!;
  let handoff: { param: string; position: number } | undefined;
  for (const fn of resolver.localFunctions(site.callee, site.scope) ?? []) handoff ??= local.get(fn);
  if (!handoff) {
    const made = resolver.constructionOf(object, site.scope);
    const maker = made ? unparenthesize(child(made, 'function')!) : undefined;
    const cls = maker ? resolver.classNamed(maker, site.scope) : undefined;
    if (cls) {
      for (const fn of cls.methods.get(name) ?? []) handoff ??= local.get(fn);
    } else if (maker?.type === 'identifier') {
      const imported = own(projectFactsOf(resolver.model)?.imported, resolver.text(maker));
      handoff = own(imported?.handoffs, name);
    }
  }
  return handoff ? argument(site.node, handoff.param, handoff.position, resolver) : undefined;
}
