import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { pyCompileAll } from '../support/python';
import { runCli, scratch } from '../cli/run-cli';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

const APP = [
  'import asyncio',
  'import time',
  'import requests',
  '',
  '',
  'async def handler():',
  '    time.sleep(1)  # noqa: E501',
  '    asyncio.create_task(work())  # keep this note',
  '    data = requests.get(',
  '        "https://example.org",',
  '        timeout=1,',
  '    )',
  '    total = 1 + \\',
  '        time.sleep(2)',
  '    time.sleep(3); asyncio.create_task(work())  # threadwise: ignore[TW202]  # reason kept',
  '    return data, total',
  '',
  '',
  'async def work():',
  '    pass',
  '',
].join('\n');

test('--add-noqa suppresses every finding where the reader looks, keeps other comments, compiles, and a second run changes nothing', async () => {
  const tmp = scratch();
  try {
    write(tmp.dir, { 'app.py': APP, 'clean.py': 'x = 1\n' });
    const run = runCli(['check', '--add-noqa', '.'], { cwd: tmp.dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'Added 5 suppressions in 1 file.\n');
    assert.equal(run.stderr, '');
    const after = read(tmp.dir, 'app.py');
    const lines = after.split('\n');
    // The other comment stays, the directive and its reason placeholder go after it.
    assert.equal(lines[6], '    time.sleep(1)  # noqa: E501  # threadwise: ignore[TW101]  # TODO: reason');
    assert.equal(lines[7], '    asyncio.create_task(work())  # keep this note  # threadwise: ignore[TW202]  # TODO: reason');
    // A statement over several lines: on the line where the finding starts, as the reader wants.
    assert.equal(lines[8], '    data = requests.get(  # threadwise: ignore[TW102]  # TODO: reason');
    assert.equal(lines[12], '    total = 1 + \\', 'nothing after a continuation backslash');
    assert.equal(lines[13], '        time.sleep(2)  # threadwise: ignore[TW101]  # TODO: reason');
    // An existing directive gets the new codes merged in, and keeps its reason.
    assert.equal(lines[14], '    time.sleep(3); asyncio.create_task(work())  # threadwise: ignore[TW202, TW101]  # reason kept');
    assert.equal(lines.length, APP.split('\n').length, 'no line added or removed');
    assert.equal(read(tmp.dir, 'clean.py'), 'x = 1\n');

    // It still parses and compiles, and nothing is reported any more.
    assert.equal((await analyzeSource(after)).syntaxErrors, false);
    assert.deepEqual([...pyCompileAll(new Map([['app.py', after]]))], []);
    const check = runCli(['check', '.'], { cwd: tmp.dir });
    assert.equal(check.status, 0, check.stdout);

    const again = runCli(['check', '--add-noqa', '.'], { cwd: tmp.dir });
    assert.equal(again.status, 0);
    assert.equal(again.stdout, 'No suppressions to add.\n');
    assert.equal(read(tmp.dir, 'app.py'), after, 'a second run changes nothing');
  } finally {
    tmp.dispose();
  }
});

test('--add-noqa respects select, ignore, exclude and per-file-ignores, and takes a reason', () => {
  const tmp = scratch();
  const sleep = 'import time\n\n\nasync def f():\n    time.sleep(1)\n';
  const run = 'import threading\nthreading.Thread(target=print).run()\n';
  try {
    write(tmp.dir, {
      'pyproject.toml': '[tool.threadwise]\nexclude = ["generated"]\nper-file-ignores = { "tests/**" = ["TW101"] }\n',
      'app.py': sleep + run,
      'tests/test_app.py': sleep,
      'generated/out.py': sleep,
    });
    const r = runCli(['check', '--add-noqa=legacy, see #12', '--ignore', 'TW3', '.'], { cwd: tmp.dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Added 1 suppression in 1 file.\n');
    assert.match(read(tmp.dir, 'app.py'), /^ {4}time\.sleep\(1\) {2}# threadwise: ignore\[TW101\] {2}# legacy, see #12$/m);
    assert.match(read(tmp.dir, 'app.py'), /\.run\(\)\n$/, 'an ignored rule gets no suppression');
    assert.equal(read(tmp.dir, 'tests/test_app.py'), sleep, 'per-file-ignores');
    assert.equal(read(tmp.dir, 'generated/out.py'), sleep, 'exclude');
    // Only the selected rule, and no reason when it is empty.
    const s = runCli(['check', '--add-noqa=', '--select', 'TW301', 'app.py'], { cwd: tmp.dir });
    assert.equal(s.status, 0, s.stderr);
    assert.match(read(tmp.dir, 'app.py'), /\.run\(\) {2}# threadwise: ignore\[TW301\]\n$/);
  } finally {
    tmp.dispose();
  }
});

test('--add-noqa puts the comment where the reader looks for a finding on a multi-line string', () => {
  const tmp = scratch();
  const text = 'import time\n\n\nasync def f():\n    time.sleep("""\n""")\n    time.sleep(1)\n';
  try {
    write(tmp.dir, { 'app.py': text });
    const r = runCli(['check', '--add-noqa', 'app.py'], { cwd: tmp.dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Added 2 suppressions in 1 file.\n');
    const after = read(tmp.dir, 'app.py');
    assert.match(after, /time\.sleep\("""\n"""\) {2}# threadwise: ignore\[TW101\] {2}# TODO: reason\n {4}time\.sleep\(1\) {2}# threadwise: ignore\[TW101\] {2}# TODO: reason\n$/);
    assert.deepEqual([...pyCompileAll(new Map([['app.py', after]]))], []);
    assert.equal(runCli(['check', 'app.py'], { cwd: tmp.dir }).status, 0, 'both findings are silenced');
  } finally {
    tmp.dispose();
  }
});

test('--add-noqa cannot be combined with options that rewrite or print findings', () => {
  for (const args of [['--add-noqa', '--fix'], ['--add-noqa', '--diff'], ['--add-noqa', '--format', 'json'], ['--add-noqa', '--statistics'], ['--add-noqa=a\nb'], ['--add-noqa', '--write-baseline', 'b.json']]) {
    const r = runCli(['check', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /Usage: threadwise check/);
  }
});
