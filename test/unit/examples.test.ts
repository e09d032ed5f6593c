import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/analyzer/line-index';
import { checkProject } from '../../server/index/check-project';
import { Layout } from '../../server/index/layout';
import { ProjectIndex } from '../../server/index/project-index';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

test('the bundled examples produce exactly the findings examples/EXPECTED.md lists', async () => {
  const expected = [...fs.readFileSync(path.join(EXAMPLES, 'EXPECTED.md'), 'utf8').matchAll(/^\| `([\w./]+\.py):(\d+)` \| (TW\d{3}) \|/gm)]
    .map((m) => `${m[1]}:${m[2]} ${m[3]}`)
    .sort();
  assert.ok(expected.length >= 8, 'EXPECTED.md lists the planted hazards');
  const actual: string[] = [];
  // The framework apps are packages of several modules: every .py file below examples/ counts,
  // checked as one project, as `threadwise check examples/` (the README's demo) checks them.
  const names = (fs.readdirSync(EXAMPLES, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).filter((f) => f.endsWith('.py'));
  const files = names.map((name) => ({ name, file: path.join(EXAMPLES, name), source: fs.readFileSync(path.join(EXAMPLES, name), 'utf8') }));
  const results = await checkProject(new ProjectIndex(new Layout({ root: EXAMPLES })), files);
  for (const { name, file, source } of files) {
    const lines = new LineIndex(source);
    for (const f of results.get(file)!.findings) actual.push(`${name}:${lines.lineOf(f.start) + 1} ${f.code}`);
  }
  assert.deepEqual(actual.sort(), expected);
});
