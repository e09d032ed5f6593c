import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_META } from '../../server/analyzer/rules/registry';
import { runCli, scratch } from '../cli/run-cli';
import { validateSarif } from '../cli/sarif-validator';
import * as fs from 'node:fs';
import * as path from 'node:path';

function assertValid(sarif: string): void {
  const v = validateSarif(sarif);
  assert.equal(v.status, 0, `validator exit status; output:\n${v.output}`);
  assert.deepEqual(v.problems, [], `the SARIF validator reported problems:\n${v.problems.join('\n')}`);
  assert.doesNotMatch(v.output, /: error /, v.output);
}

test('the validator rejects a broken log, so a pass below means something', () => {
  const v = validateSarif(JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: 'not an array' }));
  assert.ok(v.problems.some((p) => p.includes('error')), `expected an error, got ${JSON.stringify(v)}`);
});

test('SARIF over the CLI inputs (findings, fixes, a non-ASCII line, a file name with a comma) passes the official validator', () => {
  const run = runCli(['check', '.', '--format', 'sarif']);
  assert.equal(run.status, 1, run.stderr);
  assertValid(run.stdout);
  const log = JSON.parse(run.stdout);
  const driver = log.runs[0].tool.driver;
  assert.deepEqual(driver.rules.map((r: { id: string }) => r.id), ALL_META.map((m) => m.code));
  for (const r of driver.rules) assert.match(r.helpUri, new RegExp(`^https://.+/docs/rules/${r.id}\\.md$`));
  const results = log.runs[0].results as Array<{ ruleId: string; ruleIndex: number; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
  for (const r of results) assert.equal(driver.rules[r.ruleIndex].id, r.ruleId, 'ruleIndex points at the rule');
  assert.ok(results.some((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'odd%2C%20name.py'), 'file names are URI-encoded');
});

test('SARIF with no findings and with an undecodable file is still valid', () => {
  const clean = runCli(['check', 'clean.py', '--format', 'sarif']);
  assert.equal(clean.status, 0, clean.stderr);
  assertValid(clean.stdout);
  assert.deepEqual(JSON.parse(clean.stdout).runs[0].results, []);

  const tmp = scratch();
  try {
    fs.writeFileSync(path.join(tmp.dir, 'latin1.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]));
    fs.writeFileSync(path.join(tmp.dir, 'ok.py'), 'import threading\nthreading.Thread(target=print).run()\n');
    const run = runCli(['check', '.', '--format', 'sarif'], { cwd: tmp.dir });
    assert.equal(run.status, 2, 'an undecodable file is an input error');
    assertValid(run.stdout);
    const inv = JSON.parse(run.stdout).runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.match(inv.toolExecutionNotifications[0].message.text, /latin1\.py is not valid UTF-8/);
    assert.equal(JSON.parse(run.stdout).runs[0].results.length, 1, 'the readable file is still checked');
  } finally {
    tmp.dispose();
  }
});
