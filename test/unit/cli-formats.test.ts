import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { unifiedDiff } from '../../server/cli/diff';
import { escapeData, escapeProperty, formatGithub } from '../../server/cli/formats/github';
import { escapeXml, formatJunit } from '../../server/cli/formats/junit';
import type { CliFinding } from '../../server/cli/report';
import { scratch } from '../cli/run-cli';

const NASTY = 'a <b> & "c" \'d\' 100% x,y:z\nline2\r\u0001\u001b\ud800 é🙂';

function finding(over: Partial<CliFinding>): CliFinding {
  return { file: 'f.py', line: 1, column: 1, endLine: 1, endColumn: 2, code: 'TW101', severity: 'warning', message: 'm', ...over };
}

test('JUnit XML escapes what XML must and is read back intact by a real XML parser', () => {
  const xml = formatJunit([
    { file: 'we<ird>&"name".py', findings: [finding({ file: 'we<ird>&"name".py', message: NASTY })] },
    { file: 'clean.py', findings: [] },
    { file: 'bad.py', findings: [], problem: 'is not valid UTF-8 <here>' },
  ]);
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'root = ET.fromstring(sys.stdin.buffer.read())',
    'suite = root.find("testsuite")',
    'cases = suite.findall("testcase")',
    'print(json.dumps({"tests": suite.get("tests"), "failures": suite.get("failures"), "errors": suite.get("errors"),',
    '  "names": [c.get("name") for c in cases], "message": cases[0].find("failure").get("message"),',
    '  "text": cases[0].find("failure").text, "error": cases[2].find("error").get("message")}))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  assert.equal(run.status, 0, `python3 could not parse the XML: ${run.stderr}\n${xml}`);
  const got = JSON.parse(run.stdout);
  assert.deepEqual([got.tests, got.failures, got.errors], ['3', '1', '1']);
  assert.deepEqual(got.names, ['we<ird>&"name".py', 'clean.py', 'bad.py']);
  const expectedText = NASTY.replace('\u0001', '\\u0001').replace('\u001b', '\\u001b').replace('\ud800', '\\ud800');
  assert.equal(got.message, `TW101 ${expectedText}`, 'line breaks survive in attributes; illegal characters become visible escapes');
  assert.equal(got.text, `we<ird>&"name".py:1:1: TW101 [warning] ${expectedText}`);
  assert.equal(got.error, 'is not valid UTF-8 <here>');
  assert.equal(escapeXml('plain text'), 'plain text');
});

test('GitHub workflow commands escape %, CR, LF and, in properties, : and ,', () => {
  assert.equal(escapeData('100%\r\nx'), '100%25%0D%0Ax');
  assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  const out = formatGithub([finding({ file: 'dir/a,b:c.py', message: 'two\nlines 50%', severity: 'information', line: 3, column: 4, endLine: 5, endColumn: 6 })]);
  assert.equal(out, '::notice file=dir/a%2Cb%3Ac.py,line=3,col=4,endLine=5,endColumn=6,title=TW101::two%0Alines 50%25\n');
  assert.match(formatGithub([finding({ severity: 'error' })]), /^::error /);
});

test('unified diffs apply with git apply, including missing final newlines and CRLF', () => {
  const cases: Array<[string, string]> = [
    ['a\nb\nc\n', 'a\nB\nc\n'],
    ['a\nb', 'a\nb\n'],
    ['a\nb\n', 'a\nb'],
    ['x\r\ny\r\n', 'x\r\n  y\r\nz\r\n'],
    ['', 'new\n'],
    [Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join(''), Array.from({ length: 40 }, (_, i) => (i % 13 === 0 ? `changed ${i}\n` : `line ${i}\n`)).join('') + 'tail\n'],
  ];
  const tmp = scratch();
  try {
    cases.forEach(([before, after], i) => {
      const name = `case${i}.py`;
      fs.writeFileSync(path.join(tmp.dir, name), before);
      const diff = unifiedDiff(name, before, after);
      fs.writeFileSync(path.join(tmp.dir, 'p.diff'), diff);
      const run = spawnSync('git', ['apply', '--unsafe-paths', 'p.diff'], { cwd: tmp.dir, encoding: 'utf8' });
      assert.equal(run.status, 0, `case ${i}: git apply failed: ${run.stderr}\n${diff}`);
      assert.equal(fs.readFileSync(path.join(tmp.dir, name), 'utf8'), after, `case ${i}`);
    });
    assert.equal(unifiedDiff('same.py', 'x\n', 'x\n'), '');
    // Two changes far apart make separate hunks; the change on the last line and the appended one share a hunk.
    assert.equal((unifiedDiff('f', cases[5]![0], cases[5]![1]).match(/^@@ /gm) ?? []).length, 4);
  } finally {
    tmp.dispose();
  }
});
