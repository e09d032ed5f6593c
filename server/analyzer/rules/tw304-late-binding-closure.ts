import { callRole } from '../model/call-context';
import { argument } from '../model/callables';
import type { CallSite } from '../model/semantic-model';
import type { FunctionInfo } from '../model/scope';
import { child, namedChildren, outerParens, unparenthesize, walk, type SNode } from '../syntax';
import type { Fix, Rule, RuleContext } from './rule';

const THREAD_CONSTRUCTORS = new Set(['threading.Thread', 'multiprocessing.Process']);
/** Methods that keep a callable to run later, with the position of the callable argument. */
const DEFERRING_METHODS = new Map([
  ['submit', 0], ['run_in_executor', 1], ['call_soon', 0], ['call_soon_threadsafe', 0],
  ['call_later', 1], ['call_at', 1], ['add_done_callback', 0], ['apply_async', 0],
]);

/** The callable argument a call keeps to run later, if the call is one that defers. */
function deferredCallable(site: CallSite, ctx: RuleContext): SNode | undefined {
  const q = ctx.resolver.qualifiedName(site.callee, site.scope);
  if (q && THREAD_CONSTRUCTORS.has(q)) return argument(site.node, 'target', 1, ctx.resolver);
  if (q === 'threading.Timer') return argument(site.node, 'function', 1, ctx.resolver);
  if (site.callee.type !== 'attribute') return undefined;
  const attr = child(site.callee, 'attribute');
  const position = attr ? DEFERRING_METHODS.get(ctx.resolver.text(attr)) : undefined;
  return position === undefined ? undefined : argument(site.node, undefined, position, ctx.resolver);
}

/** Names bound by the `for` loops (and comprehension clauses) around `node`, inside its function. */
function loopVariables(node: SNode, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (let n = node.parent; n && n.type !== 'function_definition' && n.type !== 'module'; n = n.parent) {
    const clauses = n.type === 'for_statement' ? [n]
      : ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'].includes(n.type)
        ? n.children.filter((c) => c.type === 'for_in_clause') : [];
    for (const clause of clauses) {
      const left = child(clause, 'left');
      if (left) walk(left, (t) => { if (t.type === 'identifier') names.add(ctx.resolver.text(t)); });
    }
  }
  return names;
}

/** Loop variables the callable reads when it runs, rather than when it was made. */
function capturedLoopVariables(fn: FunctionInfo, loopVars: Set<string>, ctx: RuleContext): string[] {
  const found = new Set<string>();
  const body = child(fn.node, 'body');
  if (!body) return [];
  walk(body, (n) => {
    // `obj.n` and `f(n=1)` name an attribute and a keyword, not the variable.
    const isName = !(n.parent?.type === 'attribute' && n.field === 'attribute') && !(n.parent?.type === 'keyword_argument' && n.field === 'name');
    if (n.type === 'identifier' && isName && loopVars.has(ctx.resolver.text(n))) {
      const name = ctx.resolver.text(n);
      const scope = ctx.resolver.scopeAt(n, fn);
      const binding = ctx.resolver.lookup(name, scope);
      if (binding && binding.scope !== fn && !(binding.scope.type === 'function' && binding.scope.parent === fn)) found.add(name);
    }
  });
  return [...found];
}

/** True when the deferred work finishes inside the same iteration (awaited, or its result taken). */
function finishesInIteration(site: CallSite, ctx: RuleContext): boolean {
  if (callRole(site.node, ctx.source) === 'awaited') return true;
  const parent = outerParens(site.node).parent;
  if (parent?.type !== 'attribute') return false;
  const attr = child(parent, 'attribute');
  return !!attr && ['result', 'join'].includes(ctx.resolver.text(attr)) && parent.parent?.type === 'call';
}

export const lateBindingClosure: Rule = {
  meta: {
    code: 'TW304',
    name: 'late-binding-closure',
    severity: 'warning',
    fix: 'quick',
    summary: 'a closure handed to a thread or callback reads the loop variable when it runs, not when made',
    description: 'A `lambda` or nested function handed to a thread, executor or event loop in a loop reads the loop variable when it runs, not when made.',
    peerCodes: ['B023', 'W0640'],
  },
  onCall(site, ctx) {
    const arg = deferredCallable(site, ctx);
    if (!arg) return;
    const callable = unparenthesize(arg);
    let fn: FunctionInfo | undefined;
    if (callable.type === 'lambda') fn = ctx.model.scopeOf.get(callable) as FunctionInfo | undefined;
    else if (callable.type === 'identifier') {
      const fns = ctx.resolver.localFunctions(callable, site.scope);
      fn = fns?.length === 1 && fns[0]!.parent?.type === 'function' ? fns[0] : undefined;
    }
    if (!fn) return;
    const loopVars = loopVariables(site.node, ctx);
    if (loopVars.size === 0 || finishesInIteration(site, ctx)) return;
    const captured = capturedLoopVariables(fn, loopVars, ctx);
    if (captured.length === 0) return;
    let fix: Fix | undefined;
    const params = child(fn.node, 'parameters');
    // Defaults cannot follow `*args`/`**kw`, and a trailing comma would need other punctuation.
    const simpleParams = !params || (!namedChildren(params).some((p) => /splat|keyword_separator|positional_separator/.test(p.type)) && !ctx.resolver.text(params).trim().endsWith(','));
    if (fn.isLambda && simpleParams) {
      const defaults = captured.map((v) => `${v}=${v}`).join(', ');
      const hasParams = params && namedChildren(params).length > 0;
      const at = params ? params.end : fn.node.start + 'lambda'.length;
      fix = {
        title: `Bind ${captured.join(', ')} now: add ${defaults} as default argument${captured.length > 1 ? 's' : ''}`,
        safety: 'quick',
        edits: [{ start: at, end: at, newText: hasParams ? `, ${defaults}` : ` ${defaults}` }],
      };
    }
    const list = captured.map((v) => `'${v}'`).join(', ');
    ctx.report({
      start: callable.start,
      end: callable.end,
      message: `This ${fn.isLambda ? 'lambda' : `function '${fn.name}'`} reads the loop variable ${list} when it runs, not when it is handed off: by then the loop has moved on and every call may see the last value; bind it as a default argument or pass it via args.`,
      ...(fix ? { fix } : {}),
    });
  },
};
