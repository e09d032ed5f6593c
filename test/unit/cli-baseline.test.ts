import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { MAX_BASELINE_BYTES } from '../../server/baseline/file';
import { runCli, scratch } from '../cli/run-cli';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

const APP = [
  'import asyncio',
  'import time',
  '',
  '',
  'class Worker:',
  '    async def run(self):',
  '        time.sleep(1)',
  '        asyncio.create_task(self.run())',
  '',
  '',
  'async def main():',
  '    time.sleep(1)',
  '',
].join('\n');

type Row = { file: string; line: number; code: string };
function check(cwd: string, args: string[] = []): { rows: string[]; stderr: string; status: number | null } {
  const run = runCli(['check', '.', '--format', 'json', ...args], { cwd });
  const rows = (JSON.parse(run.stdout) as Row[]).map((f) => `${f.file}:${f.line} ${f.code}`);
  return { rows, stderr: run.stderr, status: run.status };
}

test('--write-baseline records the findings; --baseline then reports only new ones, across edits elsewhere', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, { 'app.py': APP, 'pkg/run.py': 'import threading\nthreading.Thread(target=print).run()\n' });
    const w = runCli(['check', '.', '--write-baseline', 'threadwise-baseline.json'], { cwd: tmp.dir });
    assert.equal(w.status, 0, w.stderr);
    assert.equal(w.stdout, 'Recorded 4 findings in 2 files in threadwise-baseline.json.\n');
    const text = fs.readFileSync(path.join(tmp.dir, 'threadwise-baseline.json'), 'utf8');
    const doc = JSON.parse(text) as { version: number; findings: Array<Record<string, string>> };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.findings.map((f) => `${f['file']} ${f['code']} ${f['scope']}`), [
      'app.py TW101 Worker.run',
      'app.py TW101 main',
      'app.py TW202 Worker.run',
      'pkg/run.py TW301 ',
    ]);
    for (const f of doc.findings) assert.match(f['fingerprint']!, /^[0-9a-f]{16}$/);
    // One entry per line, so a review diff shows exactly the findings that came and went.
    assert.equal(text.split('\n').filter((l) => l.trim().startsWith('{"file"')).length, 4);
    // Writing again gives the same bytes.
    runCli(['check', '.', '--write-baseline', 'threadwise-baseline.json'], { cwd: tmp.dir });
    assert.equal(fs.readFileSync(path.join(tmp.dir, 'threadwise-baseline.json'), 'utf8'), text);

    let r = check(tmp.dir, ['--baseline', 'threadwise-baseline.json']);
    assert.equal(r.status, 0);
    assert.deepEqual(r.rows, []);
    assert.equal(r.stderr, 'threadwise: baseline: 4 recorded findings not reported.\n');

    // Lines shift and the block is re-indented: still the same findings.
    const shifted = APP.replace('import time\n', 'import time\nimport os\n\nLIMIT = os.cpu_count()\n').replace('async def main():\n    time.sleep(1)', 'async def main():\n    if LIMIT:\n        time.sleep(1)');
    write(tmp.dir, { 'app.py': shifted });
    r = check(tmp.dir, ['--baseline', 'threadwise-baseline.json']);
    assert.equal(r.status, 0, r.rows.join('\n'));

    // A new hazard is reported, and only it: also a second copy of a recorded line.
    write(tmp.dir, { 'app.py': `${shifted}\n\nasync def extra():\n    time.sleep(2)\n` });
    r = check(tmp.dir, ['--baseline', 'threadwise-baseline.json']);
    assert.equal(r.status, 1);
    assert.deepEqual(r.rows, ['app.py:20 TW101']);
    write(tmp.dir, { 'app.py': shifted.replace('        time.sleep(1)\n        asyncio', '        time.sleep(1)\n        time.sleep(1)\n        asyncio') });
    r = check(tmp.dir, ['--baseline', 'threadwise-baseline.json']);
    assert.deepEqual(r.rows, ['app.py:11 TW101'], 'an identical line in the same method is a new finding');

    // A hazard removed: its entry is stale, and the note says where and how to drop it.
    write(tmp.dir, { 'app.py': shifted.replace('        asyncio.create_task(self.run())\n', '') });
    r = check(tmp.dir, ['--baseline', 'threadwise-baseline.json']);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /^threadwise: baseline threadwise-baseline\.json: 1 entry matches no finding any more \(app\.py: 1\); run `threadwise check --write-baseline threadwise-baseline\.json` to drop it\.$/m);
    // Entries of a file this run did not check are not judged; those of a file that is gone are stale.
    write(tmp.dir, { 'pkg/run.py': 'import threading\n' });
    const one = runCli(['check', 'app.py', '--baseline', 'threadwise-baseline.json'], { cwd: tmp.dir });
    assert.match(one.stderr, /1 entry matches no finding any more \(app\.py: 1\)/);
    fs.rmSync(path.join(tmp.dir, 'pkg'), { recursive: true });
    r = check(tmp.dir, ['--baseline', 'threadwise-baseline.json']);
    assert.match(r.stderr, /2 entries match no finding any more \(app\.py: 1, pkg\/run\.py: 1\)/);
    // Writing again shrinks the file to what is left.
    runCli(['check', '.', '--write-baseline', 'threadwise-baseline.json'], { cwd: tmp.dir });
    assert.equal((JSON.parse(fs.readFileSync(path.join(tmp.dir, 'threadwise-baseline.json'), 'utf8')) as typeof doc).findings.length, 2);
    assert.doesNotMatch(check(tmp.dir, ['--baseline', 'threadwise-baseline.json']).stderr, /no finding any more/);
  } finally {
    tmp.dispose();
  }
});

test('the baseline key of pyproject.toml, relative to it, applies to every file it configures', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, {
      'pyproject.toml': '[tool.threadwise]\nbaseline = "config/threadwise-baseline.json"\n',
      'src/app.py': APP,
    });
    fs.mkdirSync(path.join(tmp.dir, 'config'));
    // Written from a sub-folder: entries are still relative to the baseline's own folder.
    const w = runCli(['check', '..', '--write-baseline', '../config/threadwise-baseline.json'], { cwd: path.join(tmp.dir, 'src') });
    assert.equal(w.status, 0, w.stderr);
    const entries = (JSON.parse(fs.readFileSync(path.join(tmp.dir, 'config', 'threadwise-baseline.json'), 'utf8')) as { findings: Array<{ file: string }> }).findings;
    assert.deepEqual([...new Set(entries.map((e) => e.file))], ['../src/app.py']);
    assert.equal(check(tmp.dir).status, 0);
    assert.equal(check(path.join(tmp.dir, 'src')).status, 0);
    // --baseline on the command line takes precedence; --write-baseline records everything.
    write(tmp.dir, { 'empty.json': '{"version": 1, "findings": []}\n' });
    assert.equal(check(tmp.dir, ['--baseline', 'empty.json']).rows.length, 3);
    // --write-baseline keeps the entries of files it did not check.
    write(tmp.dir, { 'src/other.py': 'import threading\nthreading.Thread(target=print).run()\n' });
    runCli(['check', 'src/other.py', '--write-baseline', 'config/threadwise-baseline.json'], { cwd: tmp.dir });
    assert.equal(check(tmp.dir).status, 0);
    // A bad value is a configuration problem naming the key; the rest applies.
    write(tmp.dir, { 'pyproject.toml': '[tool.threadwise]\nbaseline = 3\nignore = ["TW3"]\n' });
    const bad = check(tmp.dir);
    assert.match(bad.stderr, /pyproject\.toml: \[tool\.threadwise\] baseline: expected the path of a baseline file/);
    assert.deepEqual(bad.rows, ['src/app.py:7 TW101', 'src/app.py:8 TW202', 'src/app.py:12 TW101']);
  } finally {
    tmp.dispose();
  }
});

test('a broken, hostile or missing baseline is one configuration problem and is not used', () => {
  const tmp = scratch();
  try {
    write(tmp.dir, { 'app.py': APP });
    const cases: Record<string, string | undefined> = {
      'bad.json': '{"version": 1, "findings": [',
      'shape.json': '["not", "an", "object"]',
      'version.json': '{"version": 2, "findings": []}',
      'entry.json': '{"version": 1, "findings": [{"file": "/etc/passwd", "code": "TW101", "fingerprint": "0000000000000000"}]}',
      'code.json': '{"version": 1, "findings": [{"file": "app.py", "code": "E501", "fingerprint": "0000000000000000"}]}',
      'proto.json': '{"version": 1, "findings": [{"__proto__": {"file": "app.py"}, "code": "TW101", "fingerprint": "0000000000000000"}]}',
      'deep.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'missing.json': undefined,
    };
    for (const [name, text] of Object.entries(cases)) if (text !== undefined) write(tmp.dir, { [name]: text });
    // Too big to be a baseline: refused by size, never read.
    fs.writeFileSync(path.join(tmp.dir, 'huge.json'), '');
    fs.truncateSync(path.join(tmp.dir, 'huge.json'), MAX_BASELINE_BYTES + 1);
    for (const name of [...Object.keys(cases), 'huge.json']) {
      const r = check(tmp.dir, ['--baseline', name]);
      assert.equal(r.status, 1, name);
      assert.equal(r.rows.length, 3, `${name}: every finding is reported`);
      const problems = r.stderr.split('\n').filter((l) => l.startsWith('threadwise: configuration:'));
      assert.equal(problems.length, 1, `${name}: ${r.stderr}`);
      assert.match(problems[0]!, new RegExp(`^threadwise: configuration: ${name.replace('.', '\\.')}: .+; the baseline is not used, so every finding is reported\\.$`));
      assert.ok(problems[0]!.length < 400, `${name}: the message is short`);
    }
  } finally {
    tmp.dispose();
  }
});

test('--baseline and --write-baseline need a file and do not mix with each other or with rewriting', () => {
  for (const args of [['--baseline'], ['--write-baseline'], ['--baseline', 'a.json', '--write-baseline', 'b.json'], ['--write-baseline', 'b.json', '--fix'], ['--write-baseline', 'b.json', '--format', 'sarif'], ['--write-baseline', 'b.json', '--stdin-filename', 'x.py']]) {
    const r = runCli(['check', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /Usage: threadwise check/);
  }
});
