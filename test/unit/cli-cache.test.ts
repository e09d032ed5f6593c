import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG, type AnalyzerConfig } from '../../server/analyzer/config';
import type { FileTask } from '../../server/cli/check-file';
import { runProject } from '../../server/cli/project-run';
import { runCli, scratch } from '../cli/run-cli';

const FILES: Record<string, string> = {
  'pyproject.toml': '[tool.threadwise]\n',
  'pkg/__init__.py': '',
  'pkg/helpers.py': 'import time\n\n\ndef pause():\n    time.sleep(1)\n',
  'pkg/api.py': 'from .helpers import pause\n\n\nasync def handler():\n    pause()\n',
  'pkg/other.py': 'def unrelated():\n    return 1\n',
};

function project(): { dir: string; dispose: () => void } {
  const s = scratch();
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(s.dir, name)), { recursive: true });
    fs.writeFileSync(path.join(s.dir, name), text);
  }
  return s;
}

function tasks(dir: string, config: AnalyzerConfig = DEFAULT_CONFIG): FileTask[] {
  return Object.keys(FILES).filter((f) => f.endsWith('.py')).sort().map((name) => {
    const file = path.join(dir, name);
    return { path: file, shown: name, config, fixMode: 'none', project: { root: dir, src: [], file } };
  });
}

async function run(dir: string, options: { analyzer?: string; config?: AnalyzerConfig } = {}) {
  const outcome = await runProject(tasks(dir, options.config), {
    threads: () => 1,
    onDone: () => {},
    cacheDir: (root) => path.join(root, '.threadwise_cache'),
    analyzer: options.analyzer ?? 'test-1',
  });
  const findings = outcome.results.flatMap((r) => r.findings.map((f) => `${f.file}:${f.line}:${f.code}`));
  const messages = outcome.results.flatMap((r) => r.findings.map((f) => f.message));
  return { parsed: outcome.parsed, findings, messages };
}

/** The cache's per-file result entries (not the summaries beside them, not the manifest). */
function resultFiles(cacheDir: string): string[] {
  return fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json') && !f.endsWith('.summary.json') && f !== 'manifest.json').map((f) => path.join(cacheDir, f));
}

test('a second run parses nothing and reports the same, cross-module findings included', async () => {
  const { dir, dispose } = project();
  try {
    const first = await run(dir);
    assert.deepEqual(first.parsed, ['pkg/__init__.py', 'pkg/api.py', 'pkg/helpers.py', 'pkg/other.py']);
    assert.deepEqual(first.findings, ['pkg/api.py:5:TW107']);
    const second = await run(dir);
    assert.deepEqual(second.parsed, []);
    assert.deepEqual(second.findings, first.findings);
  } finally {
    dispose();
  }
});

test('an edit re-checks the edited file and the dependents whose cross-module findings change, nothing else', async () => {
  const { dir, dispose } = project();
  try {
    await run(dir);
    // Blocking another way: the importer's finding names a new chain, so it is checked again.
    fs.writeFileSync(path.join(dir, 'pkg/helpers.py'), 'import subprocess\n\n\ndef pause():\n    subprocess.run(["sync"])\n');
    const other = await run(dir);
    assert.deepEqual(other.parsed, ['pkg/api.py', 'pkg/helpers.py']);
    assert.deepEqual(other.findings, ['pkg/api.py:5:TW107']);
    assert.match(other.messages[0]!, /subprocess\.run\(\)/);
    // Not blocking: the importer has no cross-module finding left, and its own result is cached.
    fs.writeFileSync(path.join(dir, 'pkg/helpers.py'), 'def pause():\n    return 1\n');
    const edited = await run(dir);
    assert.deepEqual(edited.parsed, ['pkg/helpers.py']);
    assert.deepEqual(edited.findings, []);
    // Back as it was: the finding comes back (the entry holds the last chain only, so api.py is checked again).
    fs.writeFileSync(path.join(dir, 'pkg/helpers.py'), FILES['pkg/helpers.py']!);
    const restored = await run(dir);
    assert.deepEqual(restored.parsed, ['pkg/api.py', 'pkg/helpers.py']);
    assert.deepEqual(restored.findings, ['pkg/api.py:5:TW107']);
    // An edit that other modules cannot see leaves their cached results standing.
    fs.appendFileSync(path.join(dir, 'pkg/other.py'), '# a comment\n');
    const unrelated = await run(dir);
    assert.deepEqual(unrelated.parsed, ['pkg/other.py']);
    assert.deepEqual(unrelated.findings, ['pkg/api.py:5:TW107']);
  } finally {
    dispose();
  }
});

test('another analyzer version or configuration invalidates every entry', async () => {
  const { dir, dispose } = project();
  try {
    await run(dir);
    const version = await run(dir, { analyzer: 'test-2' });
    assert.equal(version.parsed.length, 4);
    const config = await run(dir, { analyzer: 'test-2', config: { ...DEFAULT_CONFIG, ignore: ['TW107'] } });
    assert.equal(config.parsed.length, 4);
    assert.deepEqual(config.findings, []);
  } finally {
    dispose();
  }
});

test('corrupt and foreign cache files are ignored, and the run is still right', async () => {
  const { dir, dispose } = project();
  try {
    await run(dir);
    const cacheDir = path.join(dir, '.threadwise_cache');
    const entries = resultFiles(cacheDir);
    assert.equal(entries.length, 4);
    for (const [i, file] of entries.entries()) {
      const text = fs.readFileSync(file, 'utf8');
      if (i === 0) fs.writeFileSync(file, text.slice(0, text.length / 2));
      else if (i === 1) fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(text), cross: { key: 'k', result: { shown: 'x' } } }));
      else if (i === 2) fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(text), local: { shown: 'x', findings: [{ code: 1 }], ruleErrors: [], fixedCount: 0 } }));
      else fs.writeFileSync(file, '\u0000\u0001 not json');
    }
    const again = await run(dir);
    assert.equal(again.parsed.length, 4);
    assert.deepEqual(again.findings, ['pkg/api.py:5:TW107']);
    assert.equal(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')).length, 0, 'no temporary files are left behind');
  } finally {
    dispose();
  }
});

test('summaries are read only when the project changed; a corrupt one makes its file checked again', async () => {
  const { dir, dispose } = project();
  try {
    await run(dir);
    const cacheDir = path.join(dir, '.threadwise_cache');
    const summaries = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.summary.json')).map((f) => path.join(cacheDir, f));
    assert.equal(summaries.length, 4);
    const helpers = summaries.find((f) => fs.readFileSync(f, 'utf8').includes('helpers.py'))!;
    const text = fs.readFileSync(helpers, 'utf8');
    fs.writeFileSync(helpers, JSON.stringify({ ...JSON.parse(text), summary: { version: 1, functions: 'x' } }));
    // Nothing changed: no index is built, so the broken summary is never read.
    const unchanged = await run(dir);
    assert.deepEqual(unchanged.parsed, []);
    assert.deepEqual(unchanged.findings, ['pkg/api.py:5:TW107']);
    // other.py changed: the index is built from the summaries, and helpers.py, whose summary is
    // not usable, is checked again to get one; api.py still sees the blocking helper.
    fs.writeFileSync(path.join(dir, 'pkg/other.py'), 'def unrelated():\n    return 2\n');
    const edited = await run(dir);
    assert.deepEqual(edited.parsed, ['pkg/helpers.py', 'pkg/other.py']);
    assert.deepEqual(edited.findings, ['pkg/api.py:5:TW107']);
    const repaired = await run(dir);
    assert.deepEqual(repaired.parsed, []);
  } finally {
    dispose();
  }
});

test('the CLI writes its cache where cache-dir says, and not at all with --no-cache', () => {
  const { dir, dispose } = project();
  try {
    const none = runCli(['check', '.', '--no-cache'], { cwd: dir });
    assert.equal(none.status, 1, none.stderr);
    assert.match(none.stdout, /pkg\/api\.py:5:5: TW107 .*pause\(\) \(pkg\/helpers\.py\)/);
    assert.match(none.stdout, /^ {2}pkg\/helpers\.py:5:5: time\.sleep\(\) blocks here$/m);
    assert.equal(fs.existsSync(path.join(dir, '.threadwise_cache')), false);
    // On checker threads the index reaches each thread as data: the same report.
    assert.equal(runCli(['check', '.', '--no-cache', '--jobs', '2'], { cwd: dir }).stdout, none.stdout);
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.threadwise]\ncache-dir = "build/tw"\n');
    const cached = runCli(['check', '.'], { cwd: dir });
    assert.equal(cached.stdout, none.stdout);
    assert.equal(resultFiles(path.join(dir, 'build', 'tw')).length, 4);
    assert.ok(fs.existsSync(path.join(dir, 'build', 'tw', 'manifest.json')));
    assert.equal(fs.existsSync(path.join(dir, '.threadwise_cache')), false);
    assert.equal(runCli(['check', '.'], { cwd: dir }).stdout, none.stdout);
  } finally {
    dispose();
  }
});

test('a run that finds every file as the last run left it takes each result the manifest names, stale cross-module entries included', async () => {
  const { dir, dispose } = project();
  const helpers = path.join(dir, 'pkg/helpers.py');
  const manifest = path.join(dir, '.threadwise_cache', 'manifest.json');
  try {
    assert.deepEqual((await run(dir)).findings, ['pkg/api.py:5:TW107']);
    assert.ok(fs.existsSync(manifest), 'the run leaves a manifest');
    // The helper stops blocking: api.py's entry keeps its old cross-module result, unused.
    fs.writeFileSync(helpers, 'def pause():\n    return None\n');
    assert.deepEqual((await run(dir)).findings, []);
    // Nothing changed since: the manifest says api.py's result is its own, not the stale one.
    const unchanged = await run(dir);
    assert.deepEqual(unchanged.parsed, []);
    assert.deepEqual(unchanged.findings, []);
    // Blocking again: the same bytes as the first run, so every entry is found, but not the
    // manifest the last run left; the index decides, and the next run takes the shortcut.
    fs.writeFileSync(helpers, FILES['pkg/helpers.py']!);
    assert.deepEqual((await run(dir)).findings, ['pkg/api.py:5:TW107']);
    assert.deepEqual((await run(dir)).findings, ['pkg/api.py:5:TW107']);
    // A manifest that is not one is ignored.
    fs.writeFileSync(manifest, '{"format": "threadwise-manifest", "key": 1}');
    assert.deepEqual((await run(dir)).findings, ['pkg/api.py:5:TW107']);
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse('{"format":"threadwise-manifest","key":"x","cross":{}}') }));
    assert.deepEqual((await run(dir)).findings, ['pkg/api.py:5:TW107']);
  } finally {
    dispose();
  }
});

test('without a pyproject.toml, a folder given on the command line is where its imports resolve from', () => {
  const { dir, dispose } = scratch();
  try {
    const app = path.join(dir, 'services', 'app');
    fs.mkdirSync(path.join(app, 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(app, 'pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(app, 'pkg', 'helpers.py'), 'import time\n\n\ndef pause():\n    time.sleep(1)\n');
    fs.writeFileSync(path.join(app, 'pkg', 'api.py'), 'from pkg.helpers import pause\n\n\nasync def handler():\n    pause()\n');
    // From the folder above, `pkg` is importable only with services/app as a root.
    const fromAbove = runCli(['check', 'services/app', '--no-cache'], { cwd: dir });
    assert.match(fromAbove.stdout, /services\/app\/pkg\/api\.py:5:5: TW107 .*pause\(\) \(services\/app\/pkg\/helpers\.py\)/);
    // A folder inside the package stands for the folder above the package: the same names.
    const inside = runCli(['check', 'services/app/pkg', '--no-cache'], { cwd: dir });
    assert.equal(inside.stdout, fromAbove.stdout);
  } finally {
    dispose();
  }
});

/** A package at `folder` whose api.py reaches a blocking helper through `from <dotted>.helpers import pause`. */
function packageWithChain(folder: string, dotted: string): void {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, '__init__.py'), '');
  fs.writeFileSync(path.join(folder, 'helpers.py'), 'import time\n\n\ndef pause():\n    time.sleep(1)\n');
  fs.writeFileSync(path.join(folder, 'api.py'), `from ${dotted}.helpers import pause\n\n\nasync def handler():\n    pause()\n`);
}

test('without a pyproject.toml, a namespace package given on the command line resolves from its parent', () => {
  const { dir, dispose } = scratch();
  try {
    // `cylc/` has no __init__.py; its modules import themselves as `cylc.flow...`.
    packageWithChain(path.join(dir, 'site', 'cylc', 'flow'), 'cylc.flow');
    const run = runCli(['check', 'site/cylc', '--no-cache'], { cwd: dir });
    assert.match(run.stdout, /site\/cylc\/flow\/api\.py:5:5: TW107 .*pause\(\) \(site\/cylc\/flow\/helpers\.py\)/);
    // A project folder named like the package inside it (`code/myapp/myapp/`) stays the root.
    packageWithChain(path.join(dir, 'code', 'myapp', 'myapp'), 'myapp');
    const project = runCli(['check', 'code/myapp', '--no-cache'], { cwd: dir });
    assert.match(project.stdout, /code\/myapp\/myapp\/api\.py:5:5: TW107 .*pause\(\) \(code\/myapp\/myapp\/helpers\.py\)/);
  } finally {
    dispose();
  }
});
