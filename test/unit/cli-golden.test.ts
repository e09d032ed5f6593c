import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { GOLDEN, runCli } from '../cli/run-cli';

/**
 * Every output format over test/cli/inputs, compared byte for byte with test/cli/golden. To accept
 * a deliberate change, run with THREADWISE_UPDATE_GOLDEN=1 and review the diff of the golden files.
 */
const CASES: Array<{ golden: string; args: string[]; status: number }> = [
  { golden: 'text.txt', args: ['check', '.'], status: 1 },
  { golden: 'json.json', args: ['check', '.', '--format', 'json'], status: 1 },
  { golden: 'sarif.sarif', args: ['check', '.', '--format', 'sarif'], status: 1 },
  { golden: 'github.txt', args: ['check', '.', '--format', 'github'], status: 1 },
  { golden: 'junit.xml', args: ['check', '.', '--format', 'junit'], status: 1 },
  { golden: 'statistics.txt', args: ['check', '.', '--statistics'], status: 1 },
  { golden: 'statistics.json', args: ['check', '.', '--statistics', '--format', 'json'], status: 1 },
  { golden: 'fix-safe.diff', args: ['check', '.', '--diff'], status: 1 },
  { golden: 'fix-unsafe.diff', args: ['check', '.', '--diff', '--unsafe-fixes'], status: 1 },
  { golden: 'select-tw4.txt', args: ['check', '.', '--select', 'TW4,TW5', '--ignore', 'TW502'], status: 1 },
  { golden: 'clean.txt', args: ['check', 'clean.py'], status: 0 },
];

for (const c of CASES) {
  test(`golden: threadwise ${c.args.join(' ')} -> ${c.golden}`, () => {
    const run = runCli(c.args);
    const file = path.join(GOLDEN, c.golden);
    if (process.env['THREADWISE_UPDATE_GOLDEN'] === '1') fs.writeFileSync(file, run.stdout);
    assert.equal(run.status, c.status, `exit status; stderr: ${run.stderr}`);
    if (!c.args.includes('--diff')) assert.equal(run.stderr, '', 'nothing on stderr');
    assert.equal(run.stdout, fs.readFileSync(file, 'utf8'));
  });
}
