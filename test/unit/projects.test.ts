import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/analyzer/line-index';
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
    const results = await checkProject(index, files);
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
