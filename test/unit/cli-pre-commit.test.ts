import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { INPUTS, REPO, runCli } from '../cli/run-cli';

type Hook = Record<string, string | string[] | boolean>;

/**
 * Reads .pre-commit-hooks.yaml, which keeps to a small YAML subset (a list of flat maps whose
 * values are scalars or flow lists); anything outside it fails the test rather than being skipped.
 */
function parseHooks(text: string): Hook[] {
  const hooks: Hook[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (line.trim() === '') continue;
    const m = /^(- |  )([a-z_]+): (.*)$/.exec(line);
    assert.ok(m, `unexpected line in .pre-commit-hooks.yaml: ${raw}`);
    if (m[1] === '- ') hooks.push({});
    const value = m[3]!.trim();
    const scalar = (v: string): string | boolean => (v === 'true' ? true : v === 'false' ? false : v.replace(/^"(.*)"$/, '$1'));
    const hook = hooks.at(-1);
    assert.ok(hook, 'a key before the first hook');
    hook[m[2]!] = value.startsWith('[') ? value.slice(1, -1).split(',').map((s) => String(scalar(s.trim()))) : scalar(value);
  }
  return hooks;
}

test('.pre-commit-hooks.yaml names a real bin and flags the CLI accepts', () => {
  const hooks = parseHooks(fs.readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8'));
  assert.equal(hooks.length, 1);
  const hook = hooks[0]!;
  assert.equal(hook['id'], 'threadwise');
  assert.equal(hook['language'], 'node', 'installed with npm, so the bin comes from package.json');
  assert.deepEqual(hook['types'], ['python']);
  assert.equal(hook['pass_filenames'], true);

  const [bin, ...args] = String(hook['entry']).split(/\s+/);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.ok(pkg.bin[bin!], `package.json declares a '${bin}' bin`);
  const target = path.join(REPO, pkg.bin[bin!]!);
  assert.ok(fs.existsSync(target), `${pkg.bin[bin!]} exists (npm run build)`);
  assert.match(fs.readFileSync(target, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env node/, 'the bin is executable by name');

  // pre-commit appends the staged file names to the entry: the command must accept them.
  const clean = runCli([...args, 'clean.py'], { cwd: INPUTS });
  assert.equal(clean.status, 0, clean.stderr);
  const dirty = runCli([...args, 'async_app.py', 'clean.py'], { cwd: INPUTS });
  assert.equal(dirty.status, 1, 'findings fail the hook');
  assert.match(dirty.stdout, /^async_app\.py:\d+:\d+: TW/m);
  const extra = hook['args'];
  if (Array.isArray(extra)) assert.notEqual(runCli([...args, ...extra, 'clean.py']).status, 2, 'hook args are accepted');
});
