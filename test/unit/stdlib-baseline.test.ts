import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import { collectPythonFiles, readSource } from '../../server/cli/files';
import { STDLIB_CONCURRENCY, stdlibDir } from '../support/stdlib';

const BASELINE = path.join(__dirname, '..', 'baseline', 'stdlib-concurrency.txt');

/** `file | code | line text` for each baseline entry, counted (the same line may appear twice). */
function baseline(): string[] {
  return fs.readFileSync(BASELINE, 'utf8').split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [file, code, text, reason] = l.split(' | ');
      assert.ok(file && code && text && reason && reason.trim().length > 10, `baseline line needs file | code | text | reason: ${l}`);
      return `${file} | ${code} | ${text}`;
    })
    .sort();
}

test('the standard library concurrency modules give exactly the reviewed findings, without crashing', async () => {
  const root = stdlibDir();
  const files = collectPythonFiles(STDLIB_CONCURRENCY.map((c) => path.join(root, c)), (p) => assert.fail(`missing ${p}`));
  assert.ok(files.length > 50, `only ${files.length} files found under ${root}`);
  const actual: string[] = [];
  for (const file of files) {
    const source = readSource(file);
    const result = await analyzeSource(source);
    assert.deepEqual(result.ruleErrors, [], file);
    const lines = source.split(/\r?\n/);
    const index = new LineIndex(source);
    const rel = path.relative(root, file).split(path.sep).join('/');
    for (const f of result.findings) actual.push(`${rel} | ${f.code} | ${lines[index.lineOf(f.start)]!.trim()}`);
  }
  assert.deepEqual(actual.sort(), baseline());
});
