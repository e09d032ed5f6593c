import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { endsLine, lineBreakOf, lineEndAt, lineStartAt, nextLineStart, startsLine } from '../fixes/source-text';
import { indentLines } from '../fixes/reindent';
import type { CallSite } from '../model/semantic-model';
import { mentionsAny } from '../model/name-mentions';
import type { Fix, Rule, RuleContext } from './rule';

const STARTERS = new Map([
  ['multiprocessing.Pool', 'multiprocessing.Pool()'],
  ['concurrent.futures.ProcessPoolExecutor', 'ProcessPoolExecutor()'],
]);

/** `__name__ == "__main__"` (either way round), read from the tree: not text inside a string. */
function isMainGuard(condition: SNode, source: string): boolean {
  const test = unparenthesize(condition);
  if (test.type !== 'comparison_operator') return false;
  const operands = namedChildren(test);
  const operators = test.children.filter((c) => !operands.includes(c) && c.type !== 'comment');
  if (operands.length !== 2 || operators.length !== 1 || operators[0]!.type !== '==') return false;
  const text = (n: SNode) => source.slice(n.start, n.end);
  const isName = (n: SNode) => n.type === 'identifier' && text(n) === '__name__';
  const isMain = (n: SNode) => n.type === 'string' && /^(['"])__main__\1$/.test(text(n));
  const [a, b] = operands.map((o) => unparenthesize(o)) as [SNode, SNode];
  return (isName(a) && isMain(b)) || (isMain(a) && isName(b));
}

/** True for an `if` whose condition, or an `elif`'s, refers to `__name__`. */
function testsModuleName(s: SNode, source: string): boolean {
  if (s.type !== 'if_statement') return false;
  const conditions = [child(s, 'condition'), ...s.children.filter((c) => c.type === 'elif_clause').map((c) => child(c, 'condition'))];
  let found = false;
  for (const c of conditions) {
    if (c) walk(c, (n) => !(found ||= n.type === 'identifier' && source.slice(n.start, n.end) === '__name__'));
  }
  return found;
}
/** Statements a spawned child needs at module level: moving them under the guard breaks it. */
const MUST_STAY = new Set(['function_definition', 'class_definition', 'decorated_definition', 'import_statement', 'import_from_statement', 'future_import_statement']);

/** True inside the body (not the else) of `if`/`elif __name__ == "__main__":`. */
function underMainGuard(node: SNode, source: string): boolean {
  for (let n: SNode | null = node; n?.parent; n = n.parent) {
    const p: SNode = n.parent;
    if (n.field !== 'consequence' || (p.type !== 'if_statement' && p.type !== 'elif_clause')) continue;
    const condition = child(p, 'condition');
    if (condition && isMainGuard(condition, source)) return true;
  }
  return false;
}

function topLevelStatement(node: SNode): SNode {
  let n = node;
  while (n.parent && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** Names a top-level statement binds: assignment targets, loop variables, `with ... as` names. */
function boundNames(stmt: SNode, ctx: RuleContext): string[] {
  const names: string[] = [];
  const targets: SNode[] = [];
  walk(stmt, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') { const l = child(n, 'left'); if (l) targets.push(l); }
    if (n.type === 'for_statement') { const l = child(n, 'left'); if (l) targets.push(l); }
    if (n.type === 'as_pattern_target') targets.push(n);
    return true;
  });
  for (const t of targets) walk(t, (n) => { if (n.type === 'identifier') names.push(ctx.resolver.text(n)); });
  return names;
}

/**
 * The top-level statements to move under a new guard: from the first offending one through the
 * last later statement that uses a name they bind (a child re-importing the module would otherwise
 * fail on a name the guard no longer defines). None when a definition or import falls inside.
 */
function guardedRange(offenders: SNode[], ctx: RuleContext): [number, number] | undefined {
  const top = ctx.model.root.children.filter((c) => c.named && c.type !== 'comment');
  const indices = offenders.map((o) => top.indexOf(o));
  if (indices.some((i) => i < 0)) return undefined;
  const first = Math.min(...indices);
  let last = Math.max(...indices);
  const names = new Set<string>();
  for (let i = first; i <= last; i++) for (const n of boundNames(top[i]!, ctx)) names.add(n);
  for (let i = last + 1; i < top.length; i++) {
    if (!mentionsAny(top[i]!, names, ctx.resolver)) continue;
    for (let j = last + 1; j <= i; j++) for (const n of boundNames(top[j]!, ctx)) names.add(n);
    last = i;
  }
  for (let i = first; i <= last; i++) {
    const s = top[i]!;
    if (MUST_STAY.has(s.type) || testsModuleName(s, ctx.source)) return undefined;
  }
  return [first, last];
}

function guardFix(offenders: SNode[], ctx: RuleContext): Fix | undefined {
  const range = guardedRange(offenders, ctx);
  if (!range) return undefined;
  const { source } = ctx;
  const top = ctx.model.root.children.filter((c) => c.named && c.type !== 'comment');
  const from = top[range[0]]!;
  const to = top[range[1]]!;
  if (!startsLine(source, from.start) || !endsLine(source, to.end)) return undefined;
  const unit = /^\t/m.test(source) ? '\t' : '    ';
  const start = lineStartAt(source, from.start);
  const moved = top.slice(range[0], range[1] + 1);
  const lines = indentLines(source, start, nextLineStart(source, to.end), from.startRow, unit, moved);
  return {
    title: "Move the process start-up under 'if __name__ == \"__main__\":'",
    safety: 'quick',
    edits: [{ start, end: lineEndAt(source, to.end), newText: ['if __name__ == "__main__":', ...lines].join(lineBreakOf(source)) }],
  };
}

interface Offender { node: SNode; what: string; statement: SNode }

/** What a module-level call starts, if it starts processes outside the guard. */
function offence(site: CallSite, ctx: RuleContext): string | undefined {
  const q = ctx.resolver.qualifiedName(site.callee, site.scope);
  let what = q ? STARTERS.get(q) : undefined;
  if (!what && site.callee.type === 'attribute') {
    const attr = child(site.callee, 'attribute');
    const object = child(site.callee, 'object');
    if (attr && object && ctx.resolver.text(attr) === 'start' && ctx.resolver.kindOf(object, site.scope) === 'process') what = 'Process.start()';
  }
  return what && !underMainGuard(site.node, ctx.source) ? what : undefined;
}

export const missingMainGuard: Rule = {
  meta: {
    code: 'TW308',
    name: 'missing-main-guard',
    severity: 'warning',
    fix: 'quick',
    summary: 'processes started at module level without `if __name__ == "__main__":`',
    description: 'Module-level code that starts processes outside `if __name__ == "__main__":` runs again in every spawned child.',
    peerCodes: [],
  },
  // All at the end, from the module's call sites, so that one fix can move every offending
  // statement under one guard.
  onFinish(ctx) {
    const offenders: Offender[] = [];
    for (const site of ctx.model.calls) {
      if (site.scope.type !== 'module') continue;
      const what = offence(site, ctx);
      if (what) offenders.push({ node: site.node, what, statement: topLevelStatement(site.node) });
    }
    if (offenders.length === 0) return;
    const inGuardElse = (s: SNode): boolean => testsModuleName(s, ctx.source);
    const statements = [...new Set(offenders.map((o) => o.statement))].filter((s) => !inGuardElse(s));
    const whole = statements.length > 0 ? guardFix(statements, ctx) : undefined;
    for (const o of offenders) {
      const fix = inGuardElse(o.statement) ? undefined : whole ?? guardFix([o.statement], ctx);
      ctx.report({
        start: o.node.start,
        end: o.node.end,
        message: `${o.what} at module level without 'if __name__ == "__main__":': under the spawn and forkserver start methods each child re-imports this module and starts processes again (RuntimeError or a fork bomb); move it under the guard.`,
        ...(fix ? { fix } : {}),
      });
    }
  },
};
