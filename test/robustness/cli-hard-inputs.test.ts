// Hard inputs through the built CLI (`dist/cli.js check`): each case asserts the finding at its
// line and column (columns in Unicode characters, 1-based) or the message and exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bigFile, nestedDefs, TW101_FILE } from './support/hard-inputs';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  findings: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; code: string }>;
}

function check(cwd: string, args: string[], env?: NodeJS.ProcessEnv): CliRun {
  // The limit only keeps a hang from blocking the suite forever; no assertion is made on time.
  const run = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  if (run.error) throw run.error;
  let findings: CliRun['findings'] = [];
  try {
    findings = JSON.parse(run.stdout);
  } catch {
    throw new Error(`not JSON on stdout (status ${run.status}):\n${run.stdout.slice(0, 500)}\n${run.stderr.slice(0, 2000)}`);
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, findings };
}

const where = (r: CliRun) => r.findings.map((f) => [f.code, f.line, f.column, f.endColumn]);

describe('CLI: hard inputs', () => {
  let dir: string;
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), content);
    return name;
  };
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-cli-hard-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('syntax errors around the finding', () => {
    const f = write('syntax.py', 'import time\ndef broken(:\n    pass\n)))\nasync def f():\n    time.sleep(1)\nclass X(\n');
    const r = check(dir, [f]);
    assert.equal(r.status, 1);
    assert.deepEqual(where(r), [['TW101', 6, 5, 18]]);
  });

  test('a 10 MB file is checked to the end', () => {
    const text = bigFile(10_000_000);
    const f = write('big.py', text);
    const r = check(dir, [f]);
    assert.equal(r.status, 1, r.stderr);
    const lines = text.split('\n').length - 1;
    assert.deepEqual(where(r), [['TW101', lines, 5, 18]]);
  });

  test('5,000 levels of parentheses, lists, lambdas and nested defs and ifs', () => {
    const cases: Record<string, string> = {
      parens: `x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`,
      lists: `x = ${'['.repeat(5000)}1${']'.repeat(5000)}\n`,
      lambdas: `g = ${'lambda: '.repeat(5000)}1\n`,
      defs: nestedDefs(5000),
    };
    for (const [name, body] of Object.entries(cases)) {
      const f = write(`nest_${name}.py`, body + TW101_FILE);
      const r = check(dir, [f]);
      const line = (body + TW101_FILE).split('\n').length - 1;
      assert.deepEqual(where(r), [['TW101', line, 5, 18]], name);
    }
  });

  test('60 classes of 8 bases each that share ancestors: the kind is found through all of them', () => {
    // Walked once per path, this hierarchy takes minutes to hours; each class is visited once.
    const lines = ['import threading', '', '', 'class B0(threading.Thread):', '    pass', ''];
    for (let i = 1; i < 60; i++) {
      const bases = Array.from({ length: Math.min(i, 8) }, (_, k) => `B${i - 1 - k}`).join(', ');
      lines.push('', `class B${i}(${bases}):`, '    pass', '');
    }
    lines.push('', 'def main():', '    B59().run()', '');
    const f = write('bases.py', lines.join('\n'));
    const r = check(dir, [f]);
    assert.equal(r.status, 1, r.stderr);
    // B59 is a Thread through every level: run() called directly, and a thread with nothing to run.
    assert.deepEqual(r.findings.map((x) => [x.code, x.line]), [['TW301', lines.length - 1], ['TW303', lines.length - 1]]);
  });

  test('an attribute computed from itself in 60 methods: its class is worked out once, not once per path', () => {
    // `self.type = self.type.widen(env)`, as a compiler's node classes write it: asked afresh at
    // every value, each of whose callees asks again, this took minutes for 60 methods.
    const lines = ['import time', '', '', 'class Node:'];
    for (let i = 0; i < 60; i++) lines.push(`    def step${i}(self, env):`, `        self.type = self.type.widen${i}(env)`, '');
    lines.push('', 'async def main():', '    time.sleep(1)', '');
    const f = write('self_typed.py', lines.join('\n'));
    const r = check(dir, [f]);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(where(r), [['TW101', lines.length - 1, 5, 18]]);
  });

  test('8,000 calls of another module under one lock, in a body that builds once: each call does not re-read the body', () => {
    // The index asks of every call made under a lock whether the lock only makes a one-time build
    // wait; reading the whole body for each call took 11 s for these 8,000 lines.
    fs.mkdirSync(path.join(dir, 'pkg'), { recursive: true });
    write('pkg/__init__.py', '');
    write('pkg/helpers.py', 'import time\n\n\ndef step(i):\n    time.sleep(1)\n');
    const lines = ['import threading', 'import time', 'from pkg.helpers import step', '', '_lock = threading.Lock()', '_ready = None', '', '', 'def build():', '    global _ready', '    with _lock:', '        if _ready is None:'];
    for (let i = 0; i < 8000; i++) lines.push(`            step(${i})`);
    lines.push('            _ready = True', '', '', 'async def main():', '    time.sleep(1)', '');
    write('pkg/build.py', lines.join('\n'));
    const r = check(dir, ['pkg']);
    assert.equal(r.status, 1, r.stderr);
    // The one-time build waits for nobody; the sleep on the loop is still found.
    assert.deepEqual(r.findings.map((x) => [x.file.replace(/\\/g, '/'), x.code, x.line]), [['pkg/build.py', 'TW101', lines.length - 1]]);
  });

  test('a 400,000-character line', () => {
    const prefix = `    x = ${Array.from({ length: 100_000 }, () => '1').join('+')}; `;
    const f = write('long.py', `import time\nasync def f():\n${prefix}time.sleep(1)\n`);
    assert.deepEqual(where(check(dir, [f])), [['TW101', 3, prefix.length + 1, prefix.length + 14]]);
  });

  test('CRLF, LF mixed with CRLF, and lone CR line endings', () => {
    const cases: Array<[string, string]> = [
      ['crlf.py', TW101_FILE.replace(/\n/g, '\r\n')],
      ['mixed.py', 'import time\r\n\nasync def f():\r\n    x = 1\n    time.sleep(1)\r\n'],
      ['lone_cr.py', 'import time\nasync def f():\r    x = 1\r    time.sleep(1)\r'],
      ['all_three.py', 'import time\r\n\rasync def f():\n    x = 1\r    time.sleep(1)\n'],
    ];
    for (const [name, text] of cases) {
      const r = check(dir, [write(name, text)]);
      assert.deepEqual(where(r), [['TW101', 5 - Number(name === 'crlf.py' || name === 'lone_cr.py'), 5, 18]], name);
    }
  });

  test('tabs count as one character', () => {
    const f = write('tabs.py', 'import time\nasync def f():\n\tif x:\n\t\ttime.sleep(1)\n');
    assert.deepEqual(where(check(dir, [f])), [['TW101', 4, 3, 16]]);
  });

  test('non-ASCII identifiers and astral characters: columns in characters, not UTF-16 units', () => {
    const line = '    𝔘𝔫𝔦 = "😀"; データ = 1; time.sleep(𝔘𝔫𝔦)';
    const f = write('unicode_名前.py', `import time\nasync def f():\n${line}\n`);
    const r = check(dir, [f]);
    const chars = [...line];
    const col = chars.findIndex((_, i) => chars.slice(i, i + 10).join('') === 'time.sleep') + 1;
    assert.equal(col, 25);
    assert.deepEqual(where(r), [['TW101', 3, col, chars.length + 1]]);
    assert.equal(r.findings[0]!.file, f, 'a non-ASCII file name is printed as it is');
  });

  test('invalid UTF-8 and NUL bytes: the file is named with the offset, exit 2, the other files still checked', () => {
    const nul = write('nul.py', Buffer.concat([Buffer.from('import time\x00\nasync def f():\n    time.sleep(1)\n')]));
    const latin = write('latin.py', Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff, 0x0a]), Buffer.from('x = 1\n')]));
    const good = write('good.py', 'import time\nasync def f():\n    time.sleep(1)\n');
    const r = check(dir, [nul, latin, good]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /nul\.py contains a NUL byte at offset 11/);
    assert.match(r.stderr, /latin\.py .*UTF-8.*offset 5/);
    assert.deepEqual(where(r), [['TW101', 3, 5, 18]], 'the readable file is still checked');
  });

  test('a declared encoding (PEP 263) is read as Python reads it; what Python refuses is named', () => {
    const latin = write('decl_latin.py', Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nimport time\nasync def f():\n    s = "caf'), Buffer.from([0xe9]), Buffer.from('"; time.sleep(1)\n')]));
    const koi = write('decl_koi.py', Buffer.concat([Buffer.from('#!/usr/bin/env python3\n# vim: set fileencoding=koi8-r :\nimport time\nasync def f():\n    s = "'), Buffer.from([0xf0, 0xd2, 0xc9]), Buffer.from('"; time.sleep(1)\n')]));
    // Python looks at line 2 only when line 1 is blank or a comment: here the bytes are not UTF-8.
    const late = write('decl_late.py', Buffer.concat([Buffer.from('x = 1\n# coding: latin-1\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    const unknown = write('decl_unknown.py', Buffer.from('# coding: cp437\nx = 1\n'));
    const bomLatin = write('decl_bom.py', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# coding: latin-1\nx = 1\n')]));
    const notAscii = write('decl_ascii.py', Buffer.concat([Buffer.from('# coding: ascii\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    const r = check(dir, [latin, koi, late, unknown, bomLatin, notAscii]);
    assert.equal(r.status, 2, r.stderr);
    // Columns count characters: each non-ASCII byte is one character before the call.
    assert.deepEqual(r.findings.map((f) => [f.file, f.code, f.line, f.column]), [[koi, 'TW101', 5, 16], [latin, 'TW101', 4, 17]]);
    assert.match(r.stderr, /decl_late\.py is not valid UTF-8 \(first bad byte at offset \d+\)/);
    assert.match(r.stderr, /decl_unknown\.py declares the encoding 'cp437' on line 1, which Threadwise cannot read/);
    assert.match(r.stderr, /decl_bom\.py starts with a UTF-8 byte-order mark but line 1 declares the encoding 'latin-1'/);
    assert.match(r.stderr, /decl_ascii\.py is not valid ASCII, as line 1 declares/);
  });

  test('--fix writes a file back in the encoding it declares, or not at all', () => {
    const source = (bytes: number[]) => Buffer.concat([Buffer.from('# coding: latin-1\nimport asyncio\nasync def f():\n    s = "'), Buffer.from(bytes), Buffer.from('"\n    return asyncio.get_event_loop(), s\n')]);
    const latin = write('fix_latin.py', source([0x63, 0x61, 0x66, 0xe9]));
    const run = spawnSync(process.execPath, [CLI, 'check', '--fix', latin], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const fixed = fs.readFileSync(path.join(dir, latin));
    assert.ok(fixed.includes(Buffer.from('asyncio.get_running_loop()')), fixed.toString('latin1'));
    assert.ok(fixed.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x22])), 'the é is still one latin-1 byte');
    const compiled = spawnSync('python3', ['-c', 'import sys, py_compile; py_compile.compile(sys.argv[1], doraise=True)', path.join(dir, latin)], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);

    // Shift JIS gives these characters two bytes each: the fix cannot be written faithfully.
    const sjisBytes = Buffer.concat([Buffer.from('# coding: shift_jis\nimport asyncio\nasync def f():\n    s = "'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('"\n    return asyncio.get_event_loop(), s\n')]);
    const sjis = write('fix_sjis.py', sjisBytes);
    const refused = spawnSync(process.execPath, [CLI, 'check', '--fix', sjis], { cwd: dir, encoding: 'utf8' });
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /fix_sjis\.py: the fixed file was not written: it declares the encoding 'shift_jis'/);
    assert.deepEqual(fs.readFileSync(path.join(dir, sjis)), sjisBytes, 'the file is left as it was');

    // Through stdin the fixed source comes back on stdout in the same encoding.
    const piped = spawnSync(process.execPath, [CLI, 'check', '--fix', '--stdin-filename', 'piped.py'], { cwd: dir, input: source([0xe9]) });
    assert.equal(piped.status, 0, piped.stderr.toString());
    assert.deepEqual(piped.stdout, Buffer.from(source([0xe9]).toString('latin1').replace('get_event_loop', 'get_running_loop'), 'latin1'));
  });

  test('a byte-order mark is skipped and columns stay right', () => {
    const r = check(dir, [write('bom.py', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('import time\nasync def f():\n    time.sleep(1)\n')]))]);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(where(r), [['TW101', 3, 5, 18]]);
  });

  test('an empty file and a whitespace-only file: no findings, exit 0', () => {
    const r = check(dir, [write('empty.py', ''), write('blank.py', '\n\n \t\n')]);
    assert.equal(r.status, 0);
    assert.deepEqual(r.findings, []);
  });

  test('a file that does not exist: a message naming it, exit 2, the other files still checked', () => {
    const ok = write('present.py', TW101_FILE);
    const run = spawnSync(process.execPath, [CLI, 'check', 'missing.py', ok], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^threadwise: missing\.py: no such file or directory$/m);
    assert.match(run.stdout, /^present\.py:4:5: TW101 /m);
  });

  test('a FIFO named like a Python file is refused, not read forever', () => {
    const made = spawnSync('mkfifo', [path.join(dir, 'pipe.py')]);
    assert.equal(made.status, 0, 'mkfifo');
    const ok = write('beside_pipe.py', TW101_FILE);
    const run = spawnSync(process.execPath, [CLI, 'check', 'pipe.py', ok], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^threadwise: pipe\.py cannot be read: not a regular file$/m);
    assert.match(run.stdout, /^beside_pipe\.py:4:5: TW101 /m);
  });

  test('a rule that throws (THREADWISE_TEST_FAIL_RULE) is named on stderr and the other findings print', () => {
    const f = write('faulty.py', 'import asyncio, time\nasync def f():\n    asyncio.create_task(g())\n    time.sleep(1)\n');
    const r = check(dir, [f], { THREADWISE_TEST_FAIL_RULE: 'TW101' });
    assert.deepEqual(where(r), [['TW202', 3, 5, 29]]);
    assert.match(r.stderr, /^threadwise: faulty\.py: TW101 failed: Error: TW101 made to fail by THREADWISE_TEST_FAIL_RULE$/m);
  });
});
