// Re-runs the analyzer over the corpus and rewrites test/baseline/corpus-findings.txt: entries that
// still exist keep their verdict and reason, new ones are written as UNREVIEWED (the corpus test
// fails until someone reviews them), and removed ones are listed here with their old verdict.
// Run: npm run corpus:update-baseline
import * as fs from 'node:fs';
import { analyzeCorpus, BASELINE_FILE, formatEntry, keyOf, readBaseline, UNREVIEWED, verdictTable, type BaselineEntry } from './corpus';

const HEADER = [
  '# Reviewed findings of Threadwise on the real-code corpus of test/corpus/packages.txt (Python',
  '# libraries from Debian packages, read where Debian installs them, /usr/lib/python3/dist-packages).',
  '# Each line: file (relative to dist-packages) | code | the functions and classes around it (<module>',
  '# outside them) | the flagged source line, stripped | verdict | why.',
  '# Verdicts: true (a real hazard a maintainer would accept a change for), false (a false alarm),',
  '# debatable. test/unit/corpus-baseline.test.ts checks that the analyzer reports exactly these lines',
  '# (matched by scope and text, not line number) and that none is UNREVIEWED. After changing the',
  '# analyzer run `npm run corpus:update-baseline`: it keeps the verdicts of entries that remain,',
  '# adds new entries as UNREVIEWED and prints the removed ones with their old verdicts.',
];

async function main() {
  const run = await analyzeCorpus();
  if (run.ruleErrors.length > 0) console.log(`rule errors:\n${run.ruleErrors.join('\n')}`);
  const { header, entries } = readBaseline();
  const old = new Map<string, BaselineEntry[]>();
  for (const e of entries) old.set(keyOf(e), [...(old.get(keyOf(e)) ?? []), e]);
  const next: BaselineEntry[] = [];
  const added: BaselineEntry[] = [];
  for (const f of run.findings) {
    const kept = old.get(keyOf(f))?.shift();
    const entry = kept ?? { file: f.file, code: f.code, scope: f.scope, text: f.text, verdict: UNREVIEWED, reason: `line ${f.line}: not reviewed yet` };
    if (!kept) added.push(entry);
    next.push(entry);
  }
  const removed = [...old.values()].flat();
  // Entries are matched by scope and text, in order: when one of several lines with the same text
  // in the same function goes, the verdicts left are those of the first ones, which may not be the
  // lines that remain.
  const ambiguous = [...old.entries()].filter(([key, left]) => left.length > 0 && next.some((e) => keyOf(e) === key));
  fs.writeFileSync(BASELINE_FILE, [...(header.length > 0 ? header : HEADER), ...next.map(formatEntry)].join('\n') + '\n');
  console.log(`${run.files} files, ${run.lines} lines, ${next.length} findings: ${next.length - added.length} kept, ${added.length} new (UNREVIEWED), ${removed.length} removed`);
  if (removed.length > 0) {
    console.log('\nremoved (no longer reported):');
    for (const e of removed) console.log(`  [${e.verdict}] ${keyOf(e)} -- ${e.reason}`);
  }
  if (ambiguous.length > 0) {
    console.log('\nremoved among lines with the same text (verdicts were kept in order: check that each remaining entry has its own):');
    for (const [key] of ambiguous) console.log(`  ${key}`);
  }
  if (added.length > 0) {
    console.log('\nnew (UNREVIEWED):');
    for (const e of added) console.log(`  ${keyOf(e)}`);
  }
  console.log(`\n${verdictTable(next)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
