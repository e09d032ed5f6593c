import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { compare, disagreementKey, REPO_ROOT } from '../peers/ruff-compare';

const LIST = path.join(REPO_ROOT, 'test', 'baseline', 'ruff-differences.txt');

interface Explained { key: string; page: string; item: string }

function explained(): Explained[] {
  return fs.readFileSync(LIST, 'utf8').split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const cut = l.lastIndexOf(' | ');
      const [page, item] = l.slice(cut + 3).split('#');
      assert.ok(page && /^TW\d{3}$/.test(page) && item, `needs '| TWnnn#item' at the end: ${l}`);
      return { key: l.slice(0, cut), page, item };
    });
}

/** The text of a page's "Differences from Ruff" section. */
function differencesSection(code: string): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${code}.md`), 'utf8');
  const start = text.indexOf('## Differences from Ruff');
  assert.ok(start >= 0, `docs/rules/${code}.md has a "Differences from Ruff" section`);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

test('every disagreement with Ruff on the fixtures and the standard library is explained in the docs', async () => {
  const result = await compare();
  // Both tools must be doing their job for the comparison to mean anything.
  assert.ok(result.shared >= 30, `only ${result.shared} findings shared with Ruff`);
  const actual = result.disagreements.map(disagreementKey).sort();
  const list = explained();
  assert.deepEqual(actual, list.map((e) => e.key).sort(),
    'test/baseline/ruff-differences.txt must list exactly the current disagreements (see test/peers/ruff-compare.ts)');
  for (const e of list) {
    assert.ok(differencesSection(e.page).includes(`\`${e.item}\``), `docs/rules/${e.page}.md "Differences from Ruff" explains \`${e.item}\``);
  }
});
