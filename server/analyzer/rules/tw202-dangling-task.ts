import { targetAtLeast } from '../config';
import { callRole } from '../model/call-context';
import { insideExpectedRaise } from '../model/expected-raise';
import { isLoopReceiver } from '../model/loop-receivers';
import { moduleInsertionOffset } from '../fixes/imports';
import { endsLine, indentAt, lineBreakOf, startsLine } from '../fixes/source-text';
import { child, outerParens, type SNode } from '../syntax';
import type { Fix, Rule, RuleContext } from './rule';
import type { CallSite } from '../model/semantic-model';

const TASK_FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.tasks.create_task', 'asyncio.tasks.ensure_future']);
const TASKS_SET = '_background_tasks';

function taskFactory(site: CallSite, ctx: RuleContext): string | undefined {
  const q = ctx.resolver.qualifiedName(site.callee, site.scope);
  if (q && TASK_FACTORIES.has(q)) return q.replace('asyncio.tasks.', 'asyncio.');
  if (site.callee.type !== 'attribute') return undefined;
  const object = child(site.callee, 'object');
  const attr = child(site.callee, 'attribute');
  if (!object || !attr || ctx.resolver.text(attr) !== 'create_task') return undefined;
  return isLoopReceiver(object, site.scope, ctx.resolver) ? 'loop.create_task' : undefined;
}

/** The statement the call's value is thrown away in: `f()` or `_ = f()`. */
function enclosingStatement(call: SNode): SNode | undefined {
  let n: SNode | null = outerParens(call).parent;
  if (n?.type === 'assignment') n = n.parent;
  return n?.type === 'expression_statement' ? n : undefined;
}

function keepTaskFix(site: CallSite, ctx: RuleContext): Fix | undefined {
  const { source, model } = ctx;
  const stmt = enclosingStatement(site.node);
  if (!stmt || !startsLine(source, stmt.start) || !endsLine(source, stmt.end)) return undefined;
  const edits = [];
  const existing = model.module.bindings.get(TASKS_SET);
  const eol = lineBreakOf(source);
  if (!existing) {
    const at = moduleInsertionOffset(model.root, source);
    // A module-level statement above the insertion point would run before the set exists.
    if (stmt.start < at) return undefined;
    edits.push({ start: at, end: at, newText: `${eol}${TASKS_SET} = set()${eol}` });
  }
  const indent = indentAt(source, stmt.start);
  const call = source.slice(site.node.start, site.node.end);
  edits.push({
    start: stmt.start,
    end: stmt.end,
    newText: [`_task = ${call}`, `${indent}${TASKS_SET}.add(_task)`, `${indent}_task.add_done_callback(${TASKS_SET}.discard)`].join(eol),
  });
  return { title: `Keep a reference to the task in '${TASKS_SET}'`, safety: 'quick', edits };
}

export const danglingTask: Rule = {
  meta: {
    code: 'TW202',
    name: 'dangling-task',
    severity: 'warning',
    fix: 'quick',
    summary: 'task created and dropped: the loop keeps only a weak reference',
    description: 'A task created without keeping a reference can be garbage-collected mid-flight.',
    peerCodes: ['RUF006', 'ASYNC300', 'S7502'],
  },
  onCall(site, ctx) {
    const role = callRole(site.node, ctx.source);
    if (role !== 'dropped' && role !== 'underscore') return;
    const factory = taskFactory(site, ctx);
    if (!factory) return;
    // A test asserting the call fails (a closed loop, a bad argument) makes no task to keep.
    if (insideExpectedRaise(site.node, ctx.resolver, site.scope)) return;
    const fix = keepTaskFix(site, ctx);
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `The task from ${factory}() is not kept: the event loop holds only a weak reference, so it can be garbage-collected before it finishes${
        // TaskGroup exists from 3.11; suggest it only when the project says it may.
        targetAtLeast(ctx.targetVersion, 11) ? '; keep a reference, or create it in an asyncio.TaskGroup, which holds its tasks and waits for them' : ''
      }.`,
      ...(fix ? { fix } : {}),
    });
  },
};
