import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli, scratch } from '../cli/run-cli';

const RUN_NOT_START = 'import threading\nthreading.Thread(target=print).run()\n';
const SLEEP_IN_ASYNC = 'import time\n\nasync def f():\n    time.sleep(1)\n';
const GET_EVENT_LOOP = 'import asyncio\n\nloop = asyncio.get_event_loop()\n';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

type Row = { file: string; code: string; severity: string };
function findings(cwd: string, args: string[] = ['.'], input?: string): { rows: string[]; stderr: string; status: number | null } {
  const run = runCli(['check', ...args, '--format', 'json'], { cwd, input });
  const rows = (JSON.parse(run.stdout) as Row[]).map((f) => `${f.file} ${f.code} ${f.severity}`);
  return { rows, stderr: run.stderr, status: run.status };
}

test('the nearest pyproject.toml with [tool.threadwise] configures each file', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, {
      'pyproject.toml': [
        '[project]', 'name = "demo"', '',
        '[tool.threadwise]',
        'ignore = ["TW3"]',
        'severity = { TW101 = "error" }',
        'exclude = ["generated"]',
        'per-file-ignores = { "tests/**" = ["TW101"] }',
      ].join('\n'),
      'app.py': RUN_NOT_START + SLEEP_IN_ASYNC,
      'tests/test_app.py': SLEEP_IN_ASYNC,
      'generated/out.py': SLEEP_IN_ASYNC,
      // A sub-project with its own table wins for the files below it; keys are not merged.
      'sub/pyproject.toml': '[tool.threadwise]\nselect = ["TW3"]\n',
      'sub/mod.py': RUN_NOT_START + SLEEP_IN_ASYNC,
      // A pyproject.toml without the table is passed over.
      'other/pyproject.toml': '[tool.black]\nline-length = 100\n',
      'other/mod.py': SLEEP_IN_ASYNC,
    });
    const r = findings(tmp.dir);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.rows, ['app.py TW101 error', 'other/mod.py TW101 error', 'sub/mod.py TW301 warning']);
    // --select and --ignore on the command line take precedence over the file's keys.
    assert.deepEqual(findings(tmp.dir, ['.', '--select', 'TW3', '--ignore', 'TW4']).rows, ['app.py TW301 warning', 'sub/mod.py TW301 warning']);
    // A file named explicitly that the project excludes is not checked either.
    assert.deepEqual(findings(tmp.dir, ['generated/out.py']).rows, []);
    // From another working directory, each file still finds its own pyproject.toml.
    assert.deepEqual(findings(path.join(tmp.dir, 'sub'), ['.', '../app.py']).rows, ['../app.py TW101 error', 'mod.py TW301 warning']);
  } finally {
    tmp.dispose();
  }
});

test('--stdin-filename picks the configuration of the path it names', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, { 'pyproject.toml': '[tool.threadwise]\nper-file-ignores = { "tests/**" = ["TW1"] }\nseverity = { TW1 = "information" }\nexclude = ["vendor"]\n' });
    assert.deepEqual(findings(tmp.dir, ['--stdin-filename', 'src/a.py'], SLEEP_IN_ASYNC).rows, ['src/a.py TW101 information']);
    assert.deepEqual(findings(tmp.dir, ['--stdin-filename', 'tests/test_a.py'], SLEEP_IN_ASYNC).rows, []);
    assert.deepEqual(findings(tmp.dir, ['--stdin-filename', 'vendor/x.py'], SLEEP_IN_ASYNC).rows, []);
  } finally {
    tmp.dispose();
  }
});

test('target-version reaches the rules that depend on it', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, { 'old/pyproject.toml': '[tool.threadwise]\ntarget-version = "py39"\n', 'old/a.py': GET_EVENT_LOOP, 'new/pyproject.toml': '[tool.threadwise]\ntarget-version = "py314"\n', 'new/a.py': GET_EVENT_LOOP });
    const run = runCli(['check', '.', '--format', 'json'], { cwd: tmp.dir });
    const byFile = new Map((JSON.parse(run.stdout) as Array<{ file: string; message: string }>).map((f) => [f.file, f.message]));
    assert.ok(byFile.has('old/a.py') && byFile.has('new/a.py'), run.stdout);
    assert.notEqual(byFile.get('old/a.py'), byFile.get('new/a.py'), 'the message depends on the target version');
  } finally {
    tmp.dispose();
  }
});

test('a broken configuration is reported once per problem, naming file and key, and the valid rest applies', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, {
      'pyproject.toml': '[tool.threadwise]\nignore = ["TW3", "TW999"]\nseverty = { TW101 = "error" }\nseverity = { TW101 = "fatal", TW2 = "error" }\n',
      'a.py': RUN_NOT_START + SLEEP_IN_ASYNC,
      'b.py': 'import asyncio\n\nasync def g():\n    pass\n\nasync def f():\n    g()\n',
      'broken/pyproject.toml': '[tool.threadwise\nselect = ["TW1"]\n',
      'broken/c.py': RUN_NOT_START,
    });
    const r = findings(tmp.dir);
    assert.equal(r.status, 1, 'configuration problems do not change the exit status');
    // TW3 ignored (TW999 skipped), TW2 raised to error; the bad TW101 severity is dropped.
    assert.deepEqual(r.rows, ['a.py TW101 warning', 'b.py TW201 error', 'broken/c.py TW301 warning']);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.filter((l) => l.includes("'TW999'") || l.includes('"TW999"')).length, 1, r.stderr);
    assert.match(r.stderr, /^threadwise: configuration: pyproject\.toml: \[tool\.threadwise\] ignore: unknown rule code/m);
    assert.match(r.stderr, /^threadwise: configuration: pyproject\.toml: \[tool\.threadwise\] severty: unknown key/m);
    assert.match(r.stderr, /^threadwise: configuration: pyproject\.toml: \[tool\.threadwise\] severity/m);
    assert.match(r.stderr, /^threadwise: configuration: broken\/pyproject\.toml:1:\d+: invalid TOML/m);
    assert.equal(new Set(lines).size, lines.length, 'each problem once, though two files share the config');
  } finally {
    tmp.dispose();
  }
});

test('an invalid glob in exclude or per-file-ignores is a configuration message; the rest of the table applies', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, {
      'pyproject.toml': [
        '[tool.threadwise]',
        'exclude = ["[z-a]", "generated"]',
        'per-file-ignores = { "[z-a]" = ["TW3"], "tests/**" = ["TW101"] }',
      ].join('\n'),
      'app.py': RUN_NOT_START + SLEEP_IN_ASYNC,
      'tests/test_app.py': SLEEP_IN_ASYNC + RUN_NOT_START,
      'generated/out.py': SLEEP_IN_ASYNC,
    });
    const r = findings(tmp.dir);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(r.rows, ['app.py TW301 warning', 'app.py TW101 warning', 'tests/test_app.py TW301 warning']);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^threadwise: configuration: pyproject\.toml: \[tool\.threadwise\] exclude: entry 1 is not a valid glob \(the range "z-a" in a character class is out of order\); it is skipped\.$/);
    assert.match(lines[1]!, /^threadwise: configuration: pyproject\.toml: \[tool\.threadwise\] per-file-ignores\."\[z-a\]": not a valid glob \(.*\); its codes are skipped\.$/);
    assert.doesNotMatch(r.stderr, /internal error/);
  } finally {
    tmp.dispose();
  }
});
