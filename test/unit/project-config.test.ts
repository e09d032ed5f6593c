import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import {
  clearProjectConfigCache,
  effectiveOptions,
  formatProblem,
  isExcluded,
  loadProjectConfig,
  matchesGlob,
  minorFromRequiresPython,
  type ProjectConfig,
} from '../../server/project';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-config-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
/** A fresh project directory with the given files (relative path -> content). */
function project(files: Record<string, string>): string {
  const dir = path.join(tmp, `p${counter++}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

test('the nearest pyproject.toml with [tool.threadwise] wins', () => {
  const dir = project({
    'pyproject.toml': '[tool.threadwise]\nselect = ["TW1"]\n',
    'pkg/pyproject.toml': '[tool.threadwise]\nselect = ["TW4"]\n',
    'pkg/sub/mod.py': '',
    'other/mod.py': '',
  });
  const inner = loadProjectConfig(path.join(dir, 'pkg', 'sub', 'mod.py'));
  assert.equal(inner.file, path.join(dir, 'pkg', 'pyproject.toml'));
  assert.deepEqual(inner.config?.select, ['TW4']);
  assert.equal(inner.config?.root, path.join(dir, 'pkg'));
  const outer = loadProjectConfig(path.join(dir, 'other', 'mod.py'));
  assert.equal(outer.file, path.join(dir, 'pyproject.toml'));
  assert.deepEqual(outer.config?.select, ['TW1']);
});

test('a pyproject.toml without [tool.threadwise] is passed over, even when it is broken', () => {
  const dir = project({
    'pyproject.toml': '[tool.threadwise]\nignore = ["TW2"]\n',
    'a/pyproject.toml': '[tool.black]\nline-length = 100\n',
    'a/b/pyproject.toml': '[project\nname = "broken, but not ours"\n',
    'a/b/c.py': '',
  });
  const loaded = loadProjectConfig(path.join(dir, 'a', 'b', 'c.py'));
  assert.equal(loaded.file, path.join(dir, 'pyproject.toml'));
  assert.deepEqual(loaded.config?.ignore, ['TW2']);
  assert.deepEqual(loaded.problems, []);
});

test('no pyproject.toml up to the filesystem root gives no config and no problems', () => {
  const dir = project({ 'x.py': '' });
  const loaded = loadProjectConfig(path.join(dir, 'x.py'));
  // The temporary directory has no pyproject.toml above it with a [tool.threadwise] table.
  assert.equal(loaded.config, undefined);
  assert.equal(loaded.file, undefined);
  assert.deepEqual(loaded.problems, []);
});

test('bad TOML gives one problem with the file and line:column, and an empty config', () => {
  const dir = project({ 'pyproject.toml': '[tool.threadwise]\nselect = ["TW1"\nignore = []\n' });
  const loaded = loadProjectConfig(path.join(dir, 'm.py'));
  assert.equal(loaded.problems.length, 1);
  const [p] = loaded.problems;
  assert.equal(p!.file, path.join(dir, 'pyproject.toml'));
  assert.equal(typeof p!.line, 'number');
  assert.ok(p!.line! >= 2, `line ${p!.line}`);
  assert.match(formatProblem(p!), new RegExp(`^${escape(path.join(dir, 'pyproject.toml'))}:\\d+:\\d+: invalid TOML`));
  assert.deepEqual(loaded.config, { root: dir });
});

test('unknown key, unknown code and bad values each give one problem naming the key; the valid rest is kept', () => {
  const dir = project({
    'pyproject.toml': [
      '[tool.threadwise]',
      'select = ["TW1", "TW999", "XX1"]',
      'ignore = "TW101"',
      'severity = { TW404 = "error", TW5 = "fatal", TW77 = "hint", TW2 = "hint" }',
      'exclude = ["build/**", 3]',
      'per_file_ignores = { "tests/**" = ["TW3"] }',
      'per-file-ignores = { "tests/**" = ["TW3", "TW0000"], "x.py" = "TW1" }',
      'target-version = "py27"',
      '',
    ].join('\n'),
  });
  const { config, problems } = loadProjectConfig(path.join(dir, 'm.py'));
  const byKey = new Map(problems.map((p) => [p.key, p.message]));
  assert.deepEqual([...byKey.keys()].sort(), [
    'exclude', 'ignore', 'per-file-ignores."tests/**"', 'per-file-ignores."x.py"', 'per_file_ignores',
    'select', 'severity.TW5', 'severity.TW77', 'target-version',
  ].sort());
  assert.equal(problems.length, byKey.size, 'one problem per key');
  assert.match(byKey.get('select')!, /"TW999", "XX1"/);
  assert.match(byKey.get('per_file_ignores')!, /did you mean "per-file-ignores"/);
  assert.match(byKey.get('severity.TW5')!, /"fatal"/);
  assert.match(byKey.get('target-version')!, /py38.*py314/);
  for (const p of problems) assert.ok(formatProblem(p).startsWith(`${path.join(dir, 'pyproject.toml')}: [tool.threadwise] ${p.key}: `));

  assert.deepEqual(config?.select, ['TW1']);
  assert.equal(config?.ignore, undefined);
  assert.deepEqual(config?.severity, { TW404: 'error', TW2: 'hint' });
  assert.deepEqual(config?.exclude, ['build/**']);
  assert.deepEqual(config?.perFileIgnores, [{ pattern: 'tests/**', codes: ['TW3'] }]);
  assert.equal(config?.targetVersion, undefined);
});

test('[tool.threadwise] that is not a table is one problem', () => {
  const dir = project({ 'pyproject.toml': '[tool]\nthreadwise = "yes"\n' });
  const { config, problems } = loadProjectConfig(path.join(dir, 'm.py'));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /must be a table/);
  assert.deepEqual(config, { root: dir });
});

test('target-version is read, or inferred from requires-python', () => {
  const explicit = project({ 'pyproject.toml': '[project]\nrequires-python = ">=3.9"\n[tool.threadwise]\ntarget-version = "py312"\n' });
  assert.equal(loadProjectConfig(path.join(explicit, 'm.py')).config?.targetVersion, 12);
  const inferred = project({ 'pyproject.toml': '[project]\nrequires-python = ">=3.11, <4"\n[tool.threadwise]\n' });
  assert.equal(loadProjectConfig(path.join(inferred, 'm.py')).config?.targetVersion, 11);
  assert.equal(minorFromRequiresPython('~=3.10'), 10);
  assert.equal(minorFromRequiresPython('==3.13.*'), 13);
  assert.equal(minorFromRequiresPython('>=3.6'), 8);
  assert.equal(minorFromRequiresPython('<4'), undefined);
  assert.equal(minorFromRequiresPython(3.11), undefined);
});

test('the cache follows the file: a change of mtime re-reads it', () => {
  const dir = project({ 'pyproject.toml': '[tool.threadwise]\nselect = ["TW1"]\n' });
  const file = path.join(dir, 'pyproject.toml');
  const first = loadProjectConfig(path.join(dir, 'm.py'));
  assert.equal(loadProjectConfig(path.join(dir, 'm.py')).config, first.config, 'unchanged file: the same parsed object');
  fs.writeFileSync(file, '[tool.threadwise]\nselect = ["TW4"]\n'); // same size on purpose
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file, later, later);
  assert.deepEqual(loadProjectConfig(path.join(dir, 'm.py')).config?.select, ['TW4']);
  fs.rmSync(file);
  assert.equal(loadProjectConfig(path.join(dir, 'm.py')).config, undefined);
  clearProjectConfigCache();
});

test('globs: * stays in a segment, ** crosses, a bare name matches at any depth, a directory covers its files', () => {
  assert.ok(matchesGlob('tests/test_x.py', 'tests/*'));
  assert.ok(!matchesGlob('tests/unit/test_x.py', 'tests/*.py'));
  assert.ok(matchesGlob('tests/unit/test_x.py', 'tests/**/*.py'));
  assert.ok(matchesGlob('tests/test_x.py', 'tests/**/*.py'));
  assert.ok(matchesGlob('src/pkg/test_x.py', 'test_*.py'));
  assert.ok(matchesGlob('a/build/gen.py', 'build'));
  assert.ok(matchesGlob('build/gen.py', 'build/'));
  assert.ok(matchesGlob('src/legacy/old.py', './src/legacy'));
  assert.ok(!matchesGlob('src/legacy_new/old.py', 'src/legacy'));
  assert.ok(matchesGlob('a/x1.py', 'a/x[0-9].py'));
  assert.ok(!matchesGlob('a/xy.py', 'a/x[!y].py'));
  assert.ok(matchesGlob('docs/conf.py', '{docs,examples}/*.py'));
  assert.ok(matchesGlob('a.b(c).py', 'a.b(c).py'));
  assert.ok(!matchesGlob('aXb(c).py', 'a.b(c).py'));
});

test('isExcluded resolves patterns against the root', () => {
  const root = path.join(tmp, 'root');
  assert.ok(isExcluded(path.join(root, 'vendor', 'lib', 'x.py'), root, ['vendor/**']));
  assert.ok(isExcluded(path.join(root, 'vendor', 'x.py'), root, ['vendor']));
  assert.ok(!isExcluded(path.join(root, 'src', 'vendor.py'), root, ['vendor']));
  assert.ok(!isExcluded(path.join(root, 'src', 'x.py'), root, []));
  assert.ok(isExcluded(path.join(root, 'src', 'x.py'), root, [path.join(root, 'src')]));
  // Outside the root only patterns without a directory part can match.
  assert.ok(isExcluded(path.join(tmp, 'elsewhere', 'gen_x.py'), root, ['gen_*.py']));
  assert.ok(!isExcluded(path.join(tmp, 'elsewhere', 'x.py'), root, ['elsewhere/x.py']));
});

const proj: ProjectConfig = {
  root: path.join(tmp, 'proj'),
  select: ['TW4'],
  severity: { TW404: 'error' },
  exclude: ['generated/**'],
  perFileIgnores: [{ pattern: 'tests/**', codes: ['TW401'] }],
  targetVersion: 11,
};
const editor = { select: ['TW1'], ignore: ['TW102'], severity: {}, exclude: [], root: path.join(tmp, 'proj') };

test('editorFirst: editor values win where set, the project fills the rest', () => {
  const o = effectiveOptions(path.join(proj.root, 'tests', 't.py'), editor, proj, 'editorFirst');
  assert.deepEqual(o.config.select, ['TW1']);
  assert.deepEqual(o.config.ignore, ['TW102']);
  assert.deepEqual(o.config.severity, { TW404: 'error' });
  assert.deepEqual(o.config.fileIgnore, ['TW401']);
  assert.equal(o.config.targetVersion, 11);
  assert.deepEqual(o.sources, { select: 'editor', ignore: 'editor', severity: 'project', exclude: 'project' });
  assert.ok(effectiveOptions(path.join(proj.root, 'generated', 'g.py'), editor, proj, 'editorFirst').excluded);
});

test('filesystemFirst: project values win where set, the editor fills the rest', () => {
  const o = effectiveOptions(path.join(proj.root, 'src', 'm.py'), { ...editor, exclude: ['src'] }, proj, 'filesystemFirst');
  assert.deepEqual(o.config.select, ['TW4']);
  assert.deepEqual(o.config.ignore, ['TW102']);
  assert.equal(o.config.fileIgnore, undefined);
  assert.equal(o.excluded, false, 'the project exclude applies, not the editor one');
  assert.deepEqual(o.sources, { select: 'project', ignore: 'editor', severity: 'project', exclude: 'project' });
});

test('editorOnly: pyproject.toml is not consulted', () => {
  const o = effectiveOptions(path.join(proj.root, 'tests', 't.py'), editor, proj, 'editorOnly');
  // tests/t.py is a test file under the default test-files, which editorOnly still applies.
  assert.deepEqual(o.config, { select: ['TW1'], ignore: ['TW102'], severity: {}, testFile: true });
  assert.ok(!effectiveOptions(path.join(proj.root, 'generated', 'g.py'), editor, proj, 'editorOnly').excluded);
  assert.ok(effectiveOptions(path.join(proj.root, 'generated', 'g.py'), { ...editor, exclude: ['generated'] }, proj, 'editorOnly').excluded);
});

test('with nothing set anywhere the defaults apply', () => {
  const o = effectiveOptions(path.join(tmp, 'm.py'), {}, undefined, 'editorFirst');
  assert.deepEqual(o.config, { select: ['TW'], ignore: [], severity: {} });
  assert.equal(o.excluded, false);
});

const SOURCE = [
  'import asyncio',
  'import threading',
  'import time',
  'lock = threading.Lock()',
  'async def main():',
  '    asyncio.create_task(work())',
  '    try:',
  '        await asyncio.sleep(1)',
  '    except asyncio.CancelledError:',
  '        pass',
  '    time.sleep(1)',
  'async def work():',
  '    pass',
  'def sync():',
  '    with lock:',
  '        time.sleep(1)',
  'loop = asyncio.get_event_loop()',
  '',
].join('\n');

test('the analyzer applies severity overrides and per-file ignores', async () => {
  const base = { select: ['TW'], ignore: [], severity: {} };
  const plain = await analyzeSource(SOURCE, base);
  const codes = plain.findings.map((f) => f.code);
  for (const c of ['TW101', 'TW202', 'TW203', 'TW205', 'TW404']) assert.ok(codes.includes(c), `${c} in ${codes}`);
  const tuned = await analyzeSource(SOURCE, { ...base, severity: { TW4: 'error', TW101: 'hint', TW1: 'information' }, fileIgnore: ['TW20'] });
  const sev = new Map(tuned.findings.map((f) => [f.code, f.severity]));
  assert.equal(sev.get('TW404'), 'error');
  assert.equal(sev.get('TW101'), 'hint', 'the longest prefix wins');
  assert.ok(!tuned.findings.some((f) => f.code.startsWith('TW20')));
  // A per-file ignore silences even what select names exactly.
  const selected = await analyzeSource(SOURCE, { ...base, select: ['TW101'], fileIgnore: ['TW1'] });
  assert.deepEqual(selected.findings.map((f) => f.code), []);
});

test('target-version changes version-dependent advice', async () => {
  const base = { select: ['TW202', 'TW203', 'TW205'], ignore: [], severity: {} };
  const message = async (code: string, targetVersion?: number) => {
    const r = await analyzeSource(SOURCE, targetVersion === undefined ? base : { ...base, targetVersion });
    return r.findings.find((f) => f.code === code)?.message ?? '';
  };
  assert.match(await message('TW202', 11), /asyncio\.TaskGroup/);
  assert.doesNotMatch(await message('TW202', 10), /TaskGroup/);
  assert.doesNotMatch(await message('TW202'), /TaskGroup/);
  assert.match(await message('TW203', 11), /asyncio\.timeout\(\)/);
  assert.match(await message('TW203', 10), /asyncio\.wait_for\(\)/);
  assert.match(await message('TW205', 14), /raises RuntimeError when no event loop is set/);
  assert.match(await message('TW205', 12), /is deprecated when no event loop is set/);
  assert.match(await message('TW205'), /since Python 3\.14/);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('an unknown key suggests the known key it most likely meant', () => {
  const dir = project({ 'pyproject.toml': '[tool.threadwise]\nignor = []\nSelect = []\nseverities = {}\ncolour = 1\n' });
  const byKey = new Map(loadProjectConfig(path.join(dir, 'm.py')).problems.map((p) => [p.key, p.message]));
  assert.match(byKey.get('ignor')!, /did you mean "ignore"/);
  assert.match(byKey.get('Select')!, /did you mean "select"/);
  assert.match(byKey.get('severities')!, /did you mean "severity"/);
  assert.doesNotMatch(byKey.get('colour')!, /did you mean/);
});

test('an invalid glob in exclude or per-file-ignores is one problem naming the key; the rest applies', () => {
  const dir = project({
    'pyproject.toml': [
      '[tool.threadwise]',
      'exclude = ["[z-a]", "build/**"]',
      '',
      '[tool.threadwise.per-file-ignores]',
      '"tests/[z-a].py" = ["TW1"]',
      '"tests/**" = ["TW3"]',
      '',
    ].join('\n'),
  });
  const { config, problems } = loadProjectConfig(path.join(dir, 'm.py'));
  assert.deepEqual(problems.map((p) => p.key), ['exclude', 'per-file-ignores."tests/[z-a].py"']);
  for (const p of problems) {
    assert.match(p.message, /not a valid glob \(the range "z-a" in a character class is out of order\)/);
    assert.ok(formatProblem(p).startsWith(`${path.join(dir, 'pyproject.toml')}: [tool.threadwise] ${p.key}: `));
  }
  assert.match(problems[0]!.message, /^entry 1 /);
  assert.deepEqual(config?.exclude, ['build/**']);
  assert.deepEqual(config?.perFileIgnores, [{ pattern: 'tests/**', codes: ['TW3'] }]);
  // Matching with what is left works; a bad pattern handed in directly matches nothing.
  const o = effectiveOptions(path.join(dir, 'build', 'x.py'), {}, config, 'editorFirst');
  assert.ok(o.excluded);
  assert.equal(isExcluded(path.join(dir, 'x.py'), dir, ['[z-a]']), false);
  assert.equal(matchesGlob('a.py', `${'{'.repeat(40)}a${'}'.repeat(40)}.py`), false, 'braces nested too deep');
});
