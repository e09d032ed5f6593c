// A rule that throws, at the analyzer level: the registry's test hook is read when the module
// loads, so the variable is set before the analyzer is imported (each test file is its own process).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCorpus } from './support/corpus';

process.env.THREADWISE_TEST_FAIL_RULE = 'TW202';

test('a throwing rule is reported in ruleErrors once per file and the other rules still report', async () => {
  const { analyzeSource } = await import('../../server/analyzer/analyze.js');
  const source = [
    'import asyncio, time',
    'async def f():',
    '    asyncio.create_task(g())',
    '    asyncio.create_task(g())  # noqa: TW202',
    '    time.sleep(1)',
    '',
  ].join('\n');
  const result = await analyzeSource(source);
  assert.deepEqual(result.findings.map((f) => f.code), ['TW101'], 'TW101 still reports; the TW202 suppression is not called unused');
  assert.equal(result.ruleErrors.length, 1, 'a failed rule is not called again for the rest of the file');
  assert.match(result.ruleErrors[0]!, /^TW202 failed: Error: TW202 made to fail by THREADWISE_TEST_FAIL_RULE\n\s+at /);
});

test('over the whole corpus, only the failing rule goes missing', async () => {
  const { analyzeSource } = await import('../../server/analyzer/analyze.js');
  let failures = 0;
  let kept = 0;
  for (const file of loadCorpus()) {
    const result = await analyzeSource(file.text);
    assert.ok(result.findings.every((f) => f.code !== 'TW202'), file.name);
    assert.ok(result.ruleErrors.every((e) => e.startsWith('TW202 failed')), `${file.name}: ${result.ruleErrors.join('\n')}`);
    failures += result.ruleErrors.length;
    kept += result.findings.length;
  }
  assert.ok(failures > 50, `TW202 was made to fail in ${failures} files`);
  assert.ok(kept > 50, `${kept} findings of other rules still arrived`);
});
