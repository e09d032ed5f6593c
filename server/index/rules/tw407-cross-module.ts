import type { Finding } from '../../analyzer/rules/rule';
import { describeSteps, leaves, relatedAt, type IndexContext, type IndexRule } from '../findings';
import type { Ordering } from '../locks';

function describe(o: Ordering, ctx: IndexContext): string {
  const via = o.steps.length > 1 ? ` via ${describeSteps(o.steps, ctx)}` : ` (${ctx.shown(o.summary.file)})`;
  return `'${o.fn.fn.name}' takes '${o.second.text}' while holding '${o.first.text}'${via}`;
}

/**
 * TW407 across modules: two paths take the same two locks in opposite orders, where at least one
 * path crosses a file. Both paths are named, each with its own file; orders found within one file
 * are the single-file rule's.
 */
export const lockOrderAcrossModules: IndexRule = {
  code: 'TW407',
  findings(summary, ctx) {
    const out: Finding[] = [];
    const all = ctx.locks.orderings();
    const seen = new Set<number>();
    for (const o of all) {
      if (o.summary.file !== summary.file || seen.has(o.at.start)) continue;
      const other = all.find((p) => p.first.id === o.second.id && p.second.id === o.first.id && (p.summary.file !== summary.file || leaves(summary.file, o.steps, p.steps)));
      if (!other) continue;
      seen.add(o.at.start);
      out.push({
        code: 'TW407',
        severity: 'warning',
        start: o.at.start,
        end: o.at.end,
        message: `Lock order inversion: ${describe(o, ctx)}, but ${describe(other, ctx)}; two threads on these paths can deadlock. Always take the locks in one order.`,
        related: [
          relatedAt(other.summary.file, other.at, `the opposite order: ${describe(other, ctx)}`),
          ...[o, other].flatMap((p) => {
            const last = p.steps[p.steps.length - 1]!;
            return p.steps.length > 1 ? [relatedAt(last.ref.summary.file, last.via, `'${p.second.text}' is taken here`)] : [];
          }),
        ],
      });
    }
    return out;
  },
};
