import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pyCompileAll } from '../support/python';
import { CLI, INPUTS, REPO, runCli, scratch } from '../cli/run-cli';

/** Every .py file below dir, as relative path -> text. */
function pythonFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.endsWith('.py')) out.set(entry, fs.readFileSync(path.join(dir, entry), 'utf8'));
  }
  return out;
}

test('exit status: 0 without findings, 1 with findings, 2 for usage and input errors', () => {
  assert.equal(runCli(['check', 'clean.py']).status, 0);
  assert.equal(runCli(['check', 'async_app.py']).status, 1);
  for (const args of [['check', '--frobnicate'], ['check', '--format', 'xml'], ['check', '--select', 'E501'], ['bogus'], [], ['check', '--unsafe-fixes'], ['check', '--fix', '--diff']]) {
    const run = runCli(args);
    assert.equal(run.status, 2, `threadwise ${args.join(' ')}`);
    assert.match(run.stderr, /Usage: threadwise check/, 'usage errors print the usage');
    assert.equal(run.stdout, '', 'nothing on stdout');
  }
  const missing = runCli(['check', 'clean.py', 'no_such_dir']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no_such_dir: no such file or directory/);
  assert.match(missing.stdout, /No findings in 1 file\./, 'the files that exist are still checked');
});

test('--select and --ignore reject codes and prefixes that name no rule, as pyproject.toml and the settings do', () => {
  for (const [flag, value, named] of [['--select', 'TW999', "'TW999'"], ['--ignore', 'TW1,TW9', "'TW9'"], ['--select', 'tw101,E501,TW70', "'E501', 'TW70'"]] as const) {
    const run = runCli(['check', 'async_app.py', flag, value]);
    assert.equal(run.status, 2, `${flag} ${value}`);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.startsWith(`threadwise: ${flag}: unknown rule code`), run.stderr);
    assert.ok(run.stderr.includes(named), run.stderr);
    assert.match(run.stderr, /threadwise rules/);
  }
  const long = runCli(['check', '--select', `TW1,${'X'.repeat(5000)}`]);
  assert.equal(long.status, 2);
  assert.ok(long.stderr.split('\n')[0]!.length < 200, 'a long argument is not repeated whole');
  // Codes are case-insensitive and prefixes that name rules are fine.
  assert.equal(runCli(['check', 'async_app.py', '--select', 'tw1,TW20', '--ignore', 'tw']).status, 1);
});

test('the summary says how many of the checked files have findings', () => {
  const run = runCli(['check', 'clean.py', 'pkg/sub/locks.py']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /\nFound 1 finding in 1 of 2 files \(1 with a quick fix\)\.\n$/);
});

test('--help documents the exit codes and --version prints the package version', () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /0 {2}no findings/);
  assert.match(help.stdout, /1 {2}findings/);
  assert.match(help.stdout, /2 {2}usage error/);
  for (const flag of ['--format', '--fix', '--unsafe-fixes', '--diff', '--statistics', '--stdin-filename', '--exclude', '--no-respect-gitignore', '--jobs']) {
    assert.ok(help.stdout.includes(flag), `--help mentions ${flag}`);
  }
  const version = runCli(['--version']);
  assert.equal(version.status, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout, `threadwise ${pkg.version}\n`);
});

test('--fix applies safe fixes only, the result compiles, and a second run changes nothing', () => {
  const tmp = scratch(INPUTS);
  try {
    const before = pythonFiles(tmp.dir);
    const run = runCli(['check', '.', '--fix'], { cwd: tmp.dir });
    assert.equal(run.status, 1, 'unfixed findings remain');
    assert.match(run.stdout, /^Fixed 3 findings\.$/m);
    const after = pythonFiles(tmp.dir);
    const app = after.get('async_app.py')!;
    assert.match(app, /async with self\._lock:/, 'TW207 (safe) fixed');
    assert.match(app, /asyncio\.get_running_loop\(\)/, 'TW205 (safe) fixed');
    assert.doesNotMatch(app, /threadwise: ignore/, 'TW001 (safe) removed the unused suppression');
    assert.match(app, /^ {4}time\.sleep\(0\.5\)$/m, 'TW101 (quick) left alone');
    assert.match(app, /^ {4}refresh\(cache\)$/m, 'TW201 (quick) left alone');
    assert.equal(after.get('pkg/sub/locks.py'), before.get('pkg/sub/locks.py'), 'quick-fix-only files untouched');
    assert.deepEqual([...pyCompileAll(after)], []);
    const again = runCli(['check', '.', '--fix'], { cwd: tmp.dir });
    assert.doesNotMatch(again.stdout, /Fixed/);
    assert.deepEqual(pythonFiles(tmp.dir), after, 'idempotent');
  } finally {
    tmp.dispose();
  }
});

test('--fix --unsafe-fixes also applies quick fixes; the result compiles and is stable', () => {
  const tmp = scratch(INPUTS);
  try {
    const run = runCli(['check', '.', '--fix', '--unsafe-fixes', '--format', 'json'], { cwd: tmp.dir });
    const left = JSON.parse(run.stdout) as Array<{ code: string }>;
    assert.deepEqual(left.map((f) => f.code), ['TW502'], 'only the finding without a fix is left');
    assert.equal(run.status, 1);
    const after = pythonFiles(tmp.dir);
    assert.match(after.get('async_app.py')!, /await asyncio\.sleep\(0\.5\)/);
    assert.match(after.get('async_app.py')!, /await refresh\(cache\)/);
    assert.match(after.get('odd, name.py')!, /t\.start\(\)/);
    assert.match(after.get('pkg/sub/locks.py')!, /with lock:\n {8}items\.append\(item\)\n/);
    assert.deepEqual([...pyCompileAll(after)], []);
    const again = runCli(['check', '.', '--diff', '--unsafe-fixes'], { cwd: tmp.dir });
    assert.equal(again.status, 0, 'nothing left to fix');
    assert.equal(again.stdout, '');
  } finally {
    tmp.dispose();
  }
});

test('--diff writes nothing, exits 1, and the diff applied by git equals what --fix writes', () => {
  const tmp = scratch(INPUTS);
  const fixedCopy = scratch(INPUTS);
  try {
    const before = pythonFiles(tmp.dir);
    const diff = runCli(['check', '.', '--diff', '--unsafe-fixes'], { cwd: tmp.dir });
    assert.equal(diff.status, 1);
    assert.match(diff.stderr, /Would fix 7 findings in 3 files\./);
    assert.deepEqual(pythonFiles(tmp.dir), before, '--diff wrote nothing');
    fs.writeFileSync(path.join(tmp.dir, 'changes.diff'), diff.stdout);
    const apply = spawnSync('git', ['apply', '--unsafe-paths', 'changes.diff'], { cwd: tmp.dir, encoding: 'utf8' });
    assert.equal(apply.status, 0, `git apply: ${apply.stderr}`);
    runCli(['check', '.', '--fix', '--unsafe-fixes'], { cwd: fixedCopy.dir });
    assert.deepEqual(pythonFiles(tmp.dir), pythonFiles(fixedCopy.dir));
    const none = runCli(['check', 'clean.py', '--diff']);
    assert.equal(none.status, 0);
    assert.equal(none.stdout, '');
  } finally {
    tmp.dispose();
    fixedCopy.dispose();
  }
});

test('--stdin-filename checks stdin under that name; with --fix the fixed source goes to stdout', () => {
  const source = fs.readFileSync(path.join(INPUTS, 'async_app.py'), 'utf8');
  const run = runCli(['check', '--stdin-filename', 'src/app.py', '--format', 'json'], { input: source, cwd: INPUTS });
  assert.equal(run.status, 1);
  const findings = JSON.parse(run.stdout) as Array<{ file: string; code: string }>;
  assert.deepEqual([...new Set(findings.map((f) => f.file))], ['src/app.py']);
  assert.equal(findings.length, 5);

  const fixed = runCli(['check', '--stdin-filename', 'app.py', '--fix'], { input: source });
  assert.match(fixed.stdout, /async with self\._lock:/);
  assert.match(fixed.stdout, /get_running_loop/);
  assert.equal(fixed.stdout.split('\n').length, source.split('\n').length, 'the whole file, fixed, on stdout');
  assert.match(fixed.stderr, /app\.py:18:5: TW101/, 'the report goes to stderr');
  assert.equal(fixed.status, 1);

  const clean = runCli(['check', '--stdin-filename', 'x.py'], { input: 'print(1)\n' });
  assert.equal(clean.status, 0);
  assert.equal(runCli(['check', '--stdin-filename', 'x.py', 'clean.py']).status, 2, 'stdin and PATHS together is a usage error');
});

test('--exclude takes gitignore-style patterns, repeatable, and applies to named files too', () => {
  const names = (args: string[]) => (JSON.parse(runCli(['check', ...args, '--format', 'json']).stdout) as Array<{ file: string }>).map((f) => f.file);
  assert.ok(names(['.']).includes('pkg/sub/locks.py'));
  assert.deepEqual([...new Set(names(['.', '--exclude', 'pkg/']))], ['async_app.py', 'odd, name.py']);
  assert.deepEqual([...new Set(names(['.', '--exclude', 'pkg', '--exclude', 'odd*']))], ['async_app.py']);
  assert.deepEqual(names(['async_app.py', '--exclude=async_*.py']), []);
  assert.deepEqual([...new Set(names(['.', '--exclude', '**/locks.py']))], ['async_app.py', 'odd, name.py']);
});

test('.gitignore files are respected, nested ones and negations included; --no-respect-gitignore turns that off', () => {
  const tmp = scratch();
  try {
    const bad = 'import threading\nthreading.Thread(target=print).run()\n';
    const files = ['app.py', 'build/gen.py', 'src/keep.py', 'src/generated/a.py', 'src/generated/special.py', 'src/local_only.py'];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(tmp.dir, f)), { recursive: true });
      fs.writeFileSync(path.join(tmp.dir, f), bad);
    }
    fs.mkdirSync(path.join(tmp.dir, '.git'));
    fs.writeFileSync(path.join(tmp.dir, '.gitignore'), 'build/\n*_only.py\n');
    fs.writeFileSync(path.join(tmp.dir, 'src', '.gitignore'), 'generated/*\n!generated/special.py\n');
    const checked = (cwd: string, args: string[]) =>
      [...new Set((JSON.parse(runCli(['check', ...args, '--format', 'json'], { cwd }).stdout) as Array<{ file: string }>).map((f) => f.file))];
    assert.deepEqual(checked(tmp.dir, ['.']), ['app.py', 'src/generated/special.py', 'src/keep.py']);
    // Walking from a subfolder still honours the repository root's .gitignore.
    assert.deepEqual(checked(path.join(tmp.dir, 'src'), ['.']), ['generated/special.py', 'keep.py']);
    assert.deepEqual(checked(tmp.dir, ['.', '--no-respect-gitignore']), [...files].sort());
    // A file or folder named on the command line is checked even if ignored (pre-commit passes names).
    assert.deepEqual(checked(tmp.dir, ['build/gen.py']), ['build/gen.py']);
    assert.deepEqual(checked(tmp.dir, ['build']), ['build/gen.py']);
    assert.deepEqual(checked(path.join(tmp.dir, 'build'), ['.']), ['gen.py']);
  } finally {
    tmp.dispose();
  }
});

test('files that are not UTF-8 or hold NUL bytes are reported by name and do not stop the run', () => {
  const tmp = scratch();
  try {
    fs.writeFileSync(path.join(tmp.dir, 'a_latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    fs.writeFileSync(path.join(tmp.dir, 'b_binary.py'), Buffer.from([0x70, 0x00, 0x01, 0x02]));
    fs.writeFileSync(path.join(tmp.dir, 'c_bom.py'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('import threading; threading.Thread(target=print).run()\n')]));
    const run = runCli(['check', '.'], { cwd: tmp.dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /a_latin1\.py is not valid UTF-8 \(first bad byte at offset 8\)/);
    assert.match(run.stderr, /b_binary\.py contains a NUL byte at offset 1/);
    assert.doesNotMatch(run.stderr, /internal error/);
    assert.match(run.stdout, /^c_bom\.py:1:19: TW301 /m, 'a BOM is not counted as a column');
    const fixed = runCli(['check', 'c_bom.py', '--fix', '--unsafe-fixes'], { cwd: tmp.dir });
    assert.equal(fixed.status, 0);
    assert.deepEqual([...fs.readFileSync(path.join(tmp.dir, 'c_bom.py')).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM survives a fix');
    const stdin = runCli(['check', '--stdin-filename', 'x.py'], { input: Buffer.from([0xff, 0xfe, 0x41]) });
    assert.equal(stdin.status, 2);
    assert.match(stdin.stderr, /x\.py \(stdin\) is not valid UTF-8/);
  } finally {
    tmp.dispose();
  }
});

test('checking on several threads prints exactly what one thread prints', () => {
  const tmp = scratch();
  try {
    const inputs = pythonFiles(INPUTS);
    for (let i = 0; i < 12; i++) {
      for (const [name, text] of inputs) {
        const target = path.join(tmp.dir, `copy${String(i).padStart(2, '0')}`, name);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
      }
    }
    for (const format of ['text', 'json', 'sarif', 'junit']) {
      const one = runCli(['check', '.', '--format', format, '--jobs', '1'], { cwd: tmp.dir });
      const many = runCli(['check', '.', '--format', format, '--jobs', '3'], { cwd: tmp.dir });
      const auto = runCli(['check', '.', '--format', format], { cwd: tmp.dir });
      assert.equal(one.status, 1);
      assert.equal(many.stdout, one.stdout, `${format}: --jobs 3`);
      assert.equal(auto.stdout, one.stdout, `${format}: default`);
      assert.equal(many.stderr, '', 'no progress line when stderr is not a terminal');
    }
    const fixedOne = scratch(tmp.dir);
    const fixedMany = scratch(tmp.dir);
    try {
      runCli(['check', '.', '--fix', '--unsafe-fixes', '--jobs', '1'], { cwd: fixedOne.dir });
      runCli(['check', '.', '--fix', '--unsafe-fixes', '--jobs', '3'], { cwd: fixedMany.dir });
      assert.deepEqual(pythonFiles(fixedMany.dir), pythonFiles(fixedOne.dir));
    } finally {
      fixedOne.dispose();
      fixedMany.dispose();
    }
  } finally {
    tmp.dispose();
  }
});

test('threadwise rule prints the rule page, from the repo and from a package layout', () => {
  const page = fs.readFileSync(path.join(REPO, 'docs', 'rules', 'TW101.md'), 'utf8');
  const run = runCli(['rule', 'TW101']);
  assert.equal(run.status, 0);
  assert.equal(run.stdout, page.endsWith('\n') ? page : `${page}\n`);
  assert.equal(runCli(['rule', 'tw101']).stdout, run.stdout, 'codes are case-insensitive');
  const unknown = runCli(['rule', 'TW999']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown rule 'TW999'/);
  assert.equal(runCli(['rule']).status, 2);

  // The installed layout: dist/cli.js beside docs/rules, run from an unrelated folder.
  const pkg = scratch();
  try {
    fs.mkdirSync(path.join(pkg.dir, 'dist'));
    for (const f of fs.readdirSync(path.dirname(CLI))) if (f.startsWith('cli.js') || f.endsWith('.wasm')) fs.copyFileSync(path.join(path.dirname(CLI), f), path.join(pkg.dir, 'dist', f));
    fs.cpSync(path.join(REPO, 'docs', 'rules'), path.join(pkg.dir, 'docs', 'rules'), { recursive: true });
    const installed = spawnSync(process.execPath, [path.join(pkg.dir, 'dist', 'cli.js'), 'rule', 'TW401'], { cwd: INPUTS, encoding: 'utf8' });
    assert.equal(installed.status, 0, installed.stderr);
    assert.equal(installed.stdout.trimEnd(), fs.readFileSync(path.join(REPO, 'docs', 'rules', 'TW401.md'), 'utf8').trimEnd());
  } finally {
    pkg.dispose();
  }
});
