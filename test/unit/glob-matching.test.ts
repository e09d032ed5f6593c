import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ignore from 'ignore';
import { FileCollector } from '../../server/cli/files';
import { GitignoreRules } from '../../server/cli/gitignore';
import { isExcluded, matchesGlob } from '../../server/project';
import { scratch } from '../cli/run-cli';

/**
 * Glob matching must finish for every pattern: these inputs made the old regular-expression
 * matchers backtrack for hours. The tests only have to complete; they assert results, not time.
 */
const LONG_NAME = 'a'.repeat(40);
const LONG_PATH = `${'a/'.repeat(1500)}c`;
const NESTED_BRACES = `${'{a,'.repeat(30)}b${'}'.repeat(30)}`;

const ADVERSARIAL: Array<[pattern: string, path: string]> = [
  ['*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', LONG_NAME],
  ['*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(3000)}/x`],
  ['src/*a*a*a*a*a*a*a*a*a*a*a*a*b', `src/${'a'.repeat(3000)}`],
  [`${'**/'.repeat(40)}b`, LONG_PATH],
  [`${'a/**/'.repeat(12)}b`, LONG_PATH],
  [`**${'a**'.repeat(20)}b`, 'a'.repeat(3000)],
  [NESTED_BRACES, 'a'.repeat(3000)],
  [`${'{*a,a*}'.repeat(15)}b`, 'a'.repeat(3000)],
  [`${'*'.repeat(500)}b`, 'a'.repeat(3000)],
  [`${'?*'.repeat(100)}/b`, LONG_PATH],
];

test('config globs: adversarial patterns against long paths finish (and match nothing)', () => {
  for (const [pattern, p] of ADVERSARIAL) {
    assert.equal(matchesGlob(p, pattern), false, pattern.slice(0, 40));
    assert.equal(isExcluded(path.join('/r', p), '/r', [pattern]), false, pattern.slice(0, 40));
  }
  // And they still match where they should.
  assert.ok(matchesGlob(`${LONG_NAME}b`, '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'));
  assert.ok(matchesGlob(`${'a/'.repeat(1500)}b`, `${'**/'.repeat(40)}b`));
  assert.ok(matchesGlob('x/b', NESTED_BRACES));
  assert.ok(matchesGlob('x/a', NESTED_BRACES));
});

test('gitignore patterns (--exclude, .gitignore): adversarial patterns against long paths finish', () => {
  for (const [pattern, p] of ADVERSARIAL) {
    assert.equal(new GitignoreRules([pattern]).test(p, false).ignored, false, pattern.slice(0, 40));
  }
  const collector = new FileCollector({ exclude: ['a/**/a/**/a/**/a/**/a/**/a/**/a/**/b', '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'], respectGitignore: false, base: '/r' });
  assert.equal(collector.isExcluded(`/r/${'a/'.repeat(2000)}c.py`), false);
  assert.equal(collector.isExcluded(`/r/${LONG_NAME}.py`), false);
  assert.equal(collector.isExcluded(`/r/${'a/'.repeat(20)}b/c.py`), true, 'a folder matched excludes what is in it');
});

test('a .gitignore with an adversarial pattern does not stall the walk of a deep tree', () => {
  const tmp = scratch();
  try {
    const deep = path.join(tmp.dir, ...Array.from({ length: 60 }, () => 'a'));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'm.py'), '');
    fs.writeFileSync(path.join(deep, 'b.py'), '');
    fs.writeFileSync(path.join(tmp.dir, '.gitignore'), `${'a/**/'.repeat(10)}b.py\n*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b.py\n`);
    const files = new FileCollector({ exclude: [], respectGitignore: true, base: tmp.dir }).collect([tmp.dir], () => assert.fail('missing'));
    assert.deepEqual(files.map((f) => path.basename(f)), ['m.py']);
  } finally {
    tmp.dispose();
  }
});

test('config globs keep their meaning', () => {
  const table: Array<[path: string, pattern: string, matches: boolean]> = [
    ['tests/test_x.py', 'tests/*', true],
    ['tests/unit/test_x.py', 'tests/*.py', false],
    ['tests/unit/test_x.py', 'tests/**/*.py', true],
    ['tests/test_x.py', 'tests/**/*.py', true],
    ['tests/test_x.py', 'tests/**', true],
    ['tests', 'tests/**', false],
    ['src/pkg/test_x.py', 'test_*.py', true],
    ['src/pkg/test_x.py', 'test_?.py', true],
    ['src/pkg/test_xy.py', 'test_?.py', false],
    ['a/build/gen.py', 'build', true],
    ['a/build/gen.py', 'b*d', true],
    ['build/gen.py', 'build/', true],
    ['src/legacy/old.py', './src/legacy', true],
    ['src/legacy/old.py', '/src/legacy', true],
    ['src/legacy/old.py', 'src\\legacy', true],
    ['src/legacy_new/old.py', 'src/legacy', false],
    ['x/src/legacy/old.py', 'src/legacy', false],
    ['a//b.py', 'a/b.py', true],
    ['a/x1.py', 'a/x[0-9].py', true],
    ['a/xa.py', 'a/x[0-9].py', false],
    ['a/xy.py', 'a/x[!y].py', false],
    ['a/xz.py', 'a/x[!y].py', true],
    ['a/xz.py', 'a/x[^y].py', true],
    ['a/x].py', 'a/x[]].py', true],
    ['a/x[.py', 'a/x[.py', true],
    ['docs/conf.py', '{docs,examples}/*.py', true],
    ['examples/conf.py', '{docs,examples}/*.py', true],
    ['other/conf.py', '{docs,examples}/*.py', false],
    ['a/b/c.py', '{x,a/b}/c.py', true],
    ['q.py', '{p,{q,r}}.py', true],
    ['{a.py', '{a.py', true],
    ['a,b.py', 'a,b.py', true],
    ['a}.py', 'a}.py', true],
    ['a.b(c).py', 'a.b(c).py', true],
    ['aXb(c).py', 'a.b(c).py', false],
    ['a+b$^|.py', 'a+b$^|.py', true],
    ['a/x/y/b.py', 'a/x**b.py', true],
    ['a/x/y/b.py', 'a**b.py', false],
    ['a/b.py', 'a/**/b.py', true],
    ['a/x/y/b.py', 'a/**/b.py', true],
    ['Build/gen.py', 'build', false],
    ['', 'build', false],
    ['build/gen.py', '', false],
    ['build/gen.py', '   ', false],
  ];
  for (const [p, pattern, expected] of table) assert.equal(matchesGlob(p, pattern), expected, `${JSON.stringify(pattern)} vs ${p}`);
});

test('gitignore patterns agree with the ignore package on ordinary patterns', () => {
  const sets: string[][] = [
    ['*.py'], ['build/'], ['/build'], ['build'], ['a/b'], ['a/**/b'], ['**/b'], ['a/**'], ['**'],
    ['*.py', '!keep.py'], ['docs/*', '!docs/keep/'], ['x[0-9].py'], ['x[!0-9].py'], ['\\#hash.py'], ['\\!bang.py'],
    ['# comment', '', 'gen_*.py   '], ['space\\ .py'], ['BUILD'], ['a?c'], ['a***/b'], ['[z-a]x', 'y[z-ab]'],
    ['pkg/', '!pkg/keep.py'], ['*/sub'], ['sub/*.py'],
  ];
  const paths = ['a.py', 'keep.py', 'build', 'build/x.py', 'src/build/x.py', 'a/b', 'a/x/y/b', 'a/b/c.py', 'b', 'x/b',
    'docs/a.md', 'docs/keep', 'docs/keep/k.md', 'x1.py', 'xa.py', '#hash.py', '!bang.py', 'gen_a.py', 'space .py', 'abc', 'a/c',
    'pkg/keep.py', 'pkg', 'x/sub', 'sub/a.py', 'sub/x/a.py', 'bx', 'yb', 'ya'];
  for (const lines of sets) {
    const theirs = ignore().add(lines);
    const ours = new GitignoreRules(lines);
    for (const p of paths) {
      for (const dir of [false, true]) {
        const t = theirs.test(dir ? `${p}/` : p);
        const o = ours.test(p, dir);
        assert.deepEqual({ ignored: o.ignored, unignored: o.unignored }, { ignored: t.ignored, unignored: t.unignored }, `${JSON.stringify(lines)} vs ${p}${dir ? '/' : ''}`);
      }
    }
  }
});
