import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/analyzer/line-index';
import { effectiveOptions } from '../../server/project';
import { runProject } from '../../server/cli/project-run';
import { checkProject } from '../../server/index/check-project';
import { Layout } from '../../server/index/layout';
import { ProjectIndex } from '../../server/index/project-index';
import { expectationsOf } from '../support/expectations';

const PROJECTS = path.join(__dirname, '..', 'projects');

function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** `src` from the project's pyproject.toml, read plainly: the fixture files keep it to one line. */
function srcOf(root: string): string[] {
  const file = path.join(root, 'pyproject.toml');
  if (!fs.existsSync(file)) return [];
  const m = /^src\s*=\s*\[([^\]]*)\]/m.exec(fs.readFileSync(file, 'utf8'));
  return m ? [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!) : [];
}

for (const name of fs.readdirSync(PROJECTS).sort()) {
  const root = path.join(PROJECTS, name);
  test(`project ${name}: findings in every module match the inline expectations exactly`, async () => {
    const index = new ProjectIndex(new Layout({ root, src: srcOf(root) }));
    const files = pythonFiles(root).map((file) => ({ file, source: fs.readFileSync(file, 'utf8') }));
    // Each file gets the options the editor gives it: test files are test files (`test-files`).
    const config = (file: string) => effectiveOptions(file, { root }, undefined, 'editorFirst').config;
    const results = await checkProject(index, files, config);
    const actual: string[] = [];
    const expected: string[] = [];
    for (const { file, source } of files) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const result = results.get(file)!;
      assert.deepEqual(result.ruleErrors, [], rel);
      assert.equal(result.syntaxErrors, false, `${rel} must be valid Python`);
      const lines = new LineIndex(source);
      for (const f of result.findings) actual.push(`${rel}:${lines.lineOf(f.start) + 1}:${f.code}`);
      for (const e of expectationsOf(source)) expected.push(`${rel}:${e}`);
    }
    assert.deepEqual(actual.sort(), expected.sort());
  });
}

// The CLI summarises every module before any knows the others, then checks against that index:
// what a module's summary says must not depend on having been made without the rest.
for (const name of fs.readdirSync(PROJECTS).sort()) {
  const root = path.join(PROJECTS, name);
  test(`project ${name}: the CLI's project run reports the same inline expectations, with and without its cache`, async () => {
    // A copy, so that one file can change between cached runs.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-project-'));
    const copy = path.join(work, name);
    fs.cpSync(root, copy, { recursive: true });
    const files = pythonFiles(copy);
    const tasks = files.map((file) => ({
      path: file,
      shown: path.relative(copy, file).split(path.sep).join('/'),
      config: effectiveOptions(file, { root: copy }, undefined, 'editorFirst').config,
      fixMode: 'none' as const,
      project: { root: copy, src: srcOf(copy), file },
    }));
    const expected = tasks.flatMap((t) => expectationsOf(fs.readFileSync(t.path, 'utf8')).map((e) => `${t.shown}:${e}`)).sort();
    const cache = path.join(work, 'cache');
    const run = async (cacheDir: string | undefined, when: string) => {
      const { results } = await runProject(tasks, { threads: () => 1, onDone: () => {}, cacheDir: () => cacheDir, analyzer: 'test' });
      const actual = results.flatMap((r) => {
        assert.deepEqual(r.ruleErrors, [], `${when}: ${r.shown}`);
        return r.findings.map((f) => `${r.shown}:${f.line}:${f.code}`);
      });
      assert.deepEqual(actual.sort(), expected, when);
    };
    try {
      await run(undefined, 'without a cache');
      await run(cache, 'filling the cache');
      // Every result, and the summaries learnt against the whole index, from the cache.
      await run(cache, 'from the cache');
      // One file changed (a comment at its end): the others' summaries come from the cache.
      fs.appendFileSync(files[0]!, '\n# changed\n');
      await run(cache, 'after a change to one file');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}
