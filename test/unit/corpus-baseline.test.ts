import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeCorpus, hazardEntries, keyOf, missingModules, NOT_INSTALLED, readBaseline, UNREVIEWED, VERDICTS, verdictTable } from '../corpus/corpus';

// The real-code corpus (test/corpus/packages.txt) must be installed: .ci/run runs
// test/corpus/install.sh. Without it this test fails rather than skips.
test('the Debian real-code corpus gives exactly the reviewed findings, each with a verdict', async () => {
  const missing = missingModules();
  assert.deepEqual(missing, [], `${NOT_INSTALLED}; missing: ${missing.join(', ')}`);
  const { entries } = readBaseline();
  assert.ok(entries.length > 0, 'test/baseline/corpus-findings.txt is missing or empty: run npm run corpus:update-baseline');
  const bad = entries.filter((e) => !(VERDICTS as readonly string[]).includes(e.verdict) || e.reason.length < 15);
  const unreviewed = bad.filter((e) => e.verdict === UNREVIEWED);
  assert.deepEqual(unreviewed.map(keyOf), [], `${unreviewed.length} baseline entries are UNREVIEWED: give each a verdict (true, false, debatable) and a reason`);
  assert.deepEqual(bad.map((e) => `${keyOf(e)} | ${e.verdict} | ${e.reason}`), [], 'each baseline entry needs a verdict of true, false or debatable and a one-line reason');

  const run = await analyzeCorpus();
  assert.deepEqual(run.ruleErrors, [], 'a rule threw on corpus code');
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const actual = count(run.findings.map(keyOf));
  const expected = count(entries.map(keyOf));
  const diff = (a: Map<string, number>, b: Map<string, number>) =>
    [...a].flatMap(([k, n]) => Array<string>(Math.max(0, n - (b.get(k) ?? 0))).fill(k));
  const added = diff(actual, expected);
  const removed = diff(expected, actual);
  console.log(`corpus: ${run.files} files, ${run.lines} lines, ${run.findings.length} findings (${((1000 * run.findings.length) / run.lines).toFixed(2)} per 1,000 lines)\n${verdictTable(entries)}`);
  const hazards = hazardEntries(entries, run.findings);
  console.log(`warnings and errors only (information-severity advice left out): ${hazards.length} findings\n${verdictTable(hazards)}`);
  assert.ok(
    added.length === 0 && removed.length === 0,
    `the analyzer's findings on the corpus differ from test/baseline/corpus-findings.txt (npm run corpus:update-baseline rewrites it, keeping verdicts):\n` +
      `new (not in the baseline):\n${added.map((k) => `  + ${k}`).join('\n') || '  (none)'}\n` +
      `missing (in the baseline, no longer reported):\n${removed.map((k) => `  - ${k}`).join('\n') || '  (none)'}`,
  );
});
