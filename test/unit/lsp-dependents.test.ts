import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DependentChecks } from '../../server/lsp/workspace/dependents';
import { discoverPythonFiles, mayIndex, MAX_INDEXED_BYTES } from '../../server/lsp/workspace/discover';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `condition` holds, for at most two seconds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(10);
  assert.ok(condition(), 'timed out');
}

test('dependents are checked once each after the delay, and a run reports its end', async () => {
  const checked: string[] = [];
  let runs = 0;
  const deps = new DependentChecks(async (f) => void checked.push(f), () => runs++, 20);
  deps.add(['b.py', 'a.py']);
  deps.add(['a.py']);
  assert.deepEqual(checked, [], 'nothing before the delay');
  await until(() => runs === 1);
  assert.deepEqual(checked.sort(), ['a.py', 'b.py']);
});

test('an edit postpones pending dependents, and one arriving mid-run stops it between files', async () => {
  const checked: string[] = [];
  let deps: DependentChecks | undefined;
  deps = new DependentChecks(async (f) => {
    checked.push(f);
    // An edit arrives while the first dependent is checked.
    if (checked.length === 1) deps!.postpone();
  }, () => undefined, 300);
  deps.add(['a.py', 'b.py', 'c.py']);
  await sleep(150);
  deps.postpone();
  await sleep(250);
  assert.deepEqual(checked, [], 'the edit pushed the run back');
  await until(() => checked.length >= 1);
  await sleep(50);
  assert.equal(checked.length, 1, 'the run stopped after the file being checked when the edit came');
  assert.equal(deps.size, 2, 'the others stay pending');
  await until(() => checked.length === 3);
  assert.deepEqual(checked.sort(), ['a.py', 'b.py', 'c.py']);
});

test('a file checked on its own (it was edited or opened) is dropped from the pending ones', async () => {
  const checked: string[] = [];
  const deps = new DependentChecks(async (f) => void checked.push(f), () => undefined, 20);
  deps.add(['a.py', 'b.py']);
  deps.drop('a.py');
  await until(() => checked.length > 0);
  await sleep(50);
  assert.deepEqual(checked, ['b.py']);
});

test('workspace discovery: .gitignore, exclude, tool folders and the size cap apply; new files outside them may be indexed', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-discover-'));
  try {
    const write = (rel: string, text = 'x = 1\n') => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('pkg/a.py');
    write('pkg/b.py');
    write('pkg/stub.pyi');
    write('build/gen.py');
    write('.venv/lib/site.py');
    write('node_modules/x/y.py');
    write('skip/c.py');
    write('big.py', '#'.repeat(MAX_INDEXED_BYTES + 1));
    fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n');
    const found = discoverPythonFiles(root, ['skip/']);
    assert.deepEqual(found.files.map((f) => path.relative(root, f)).sort(), ['pkg/a.py', 'pkg/b.py']);
    assert.equal(found.tooLarge, 1);
    const capped = discoverPythonFiles(root, ['skip/'], 1);
    assert.equal(capped.files.length, 1);
    assert.equal(capped.overCount, 1);

    assert.equal(mayIndex(root, path.join(root, 'pkg', 'new.py')), true);
    assert.equal(mayIndex(root, path.join(root, '.venv', 'lib', 'new.py')), false);
    assert.equal(mayIndex(root, path.join(root, 'pkg', '__pycache__', 'new.py')), false);
    assert.equal(mayIndex(root, path.join(root, 'pkg', 'notes.txt')), false);
    assert.equal(mayIndex(root, path.join(path.dirname(root), 'elsewhere.py')), false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
