import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import { RULES } from '../../server/analyzer/rules/registry';
import { expectationsOf, FIXTURES, fixtureFiles } from '../support/expectations';

for (const name of fixtureFiles()) {
  test(`fixture ${name}: findings match the inline expectations exactly`, async () => {
    const source = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    const result = await analyzeSource(source);
    const lines = new LineIndex(source);
    const actual = result.findings.map((f) => `${lines.lineOf(f.start) + 1}:${f.code}`).sort();
    assert.deepEqual(result.ruleErrors, []);
    assert.equal(result.syntaxErrors, false, 'fixtures must be valid Python');
    assert.deepEqual(actual, expectationsOf(source));
  });
}

test('every rule has at least three positive and three negative fixture lines', () => {
  const positives = new Map<string, number>();
  const negatives = new Map<string, number>();
  for (const name of fixtureFiles()) {
    const code = /^tw(\d{3})_/.exec(name)?.[1];
    const source = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    for (const e of expectationsOf(source)) {
      const c = e.split(':')[1]!;
      positives.set(c, (positives.get(c) ?? 0) + 1);
    }
    // Summed over the rule's files: a second file of a rule must not hide the first one's.
    if (code) negatives.set(`TW${code}`, (negatives.get(`TW${code}`) ?? 0) + (source.match(/# ok\b/g) ?? []).length);
  }
  for (const code of RULES.map((r) => r.meta.code)) {
    assert.ok((positives.get(code) ?? 0) >= 3, `${code} positives`);
    assert.ok((negatives.get(code) ?? 0) >= 3, `${code} negatives`);
  }
});
