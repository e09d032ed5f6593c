import type { CliFinding } from '../report';

const noun = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function formatText(findings: readonly CliFinding[], filesChecked: number, fixedCount = 0): string {
  const lines = findings.flatMap((f) => [
    `${f.file}:${f.line}:${f.column}: ${f.code} [${f.severity}] ${f.message}`,
    ...(f.related ?? []).map((r) => `  ${r.file}:${r.line}:${r.column}: ${r.message}`),
  ]);
  const fixable = findings.filter((f) => f.fix).length;
  if (fixedCount > 0) lines.push(`Fixed ${noun(fixedCount, 'finding')}.`);
  // How many files have findings, out of how many were checked: "in 2 files" alone read as if
  // every checked file had some.
  const withFindings = new Set(findings.map((f) => f.file)).size;
  lines.push(findings.length === 0
    ? `No findings in ${noun(filesChecked, 'file')}.`
    : `Found ${noun(findings.length, 'finding')} in ${withFindings} of ${noun(filesChecked, 'file')} (${fixable} with a quick fix).`);
  return lines.join('\n') + '\n';
}
