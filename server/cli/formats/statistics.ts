import type { RuleMeta } from '../../analyzer/rules/rule';
import type { CliFinding } from '../report';

export interface RuleCount {
  readonly code: string;
  readonly name: string;
  readonly count: number;
  /** How many of them carry a fix (of any safety). */
  readonly fixable: number;
}

/** Counts per rule, most frequent first, then by code. */
export function countByRule(findings: readonly CliFinding[], rules: readonly RuleMeta[]): RuleCount[] {
  const names = new Map(rules.map((r) => [r.code, r.name]));
  const counts = new Map<string, { count: number; fixable: number }>();
  for (const f of findings) {
    const c = counts.get(f.code) ?? { count: 0, fixable: 0 };
    c.count++;
    if (f.fix) c.fixable++;
    counts.set(f.code, c);
  }
  return [...counts]
    .map(([code, c]) => ({ code, name: names.get(code) ?? '', ...c }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

export function formatStatistics(counts: readonly RuleCount[]): string {
  if (counts.length === 0) return 'No findings.\n';
  const width = String(Math.max(...counts.map((c) => c.count))).length;
  const nameWidth = Math.max(...counts.map((c) => c.name.length));
  return counts.map((c) => `${String(c.count).padStart(width)}  ${c.code}  ${c.name.padEnd(nameWidth)}  ${c.fixable > 0 ? `(${c.fixable} fixable)` : ''}`.trimEnd() + '\n').join('');
}
