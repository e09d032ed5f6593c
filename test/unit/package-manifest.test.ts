import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { [key: string]: Json };

/** The files `vsce package` would put into the .vsix, as vsce itself computes them from .vscodeignore. */
let shipped: Set<string>;
before(async () => {
  for (const bundle of ['dist/client.js', 'dist/server.js']) {
    assert.ok(fs.existsSync(path.join(ROOT, bundle)), `${bundle} is missing: run \`npm run build\` before this test`);
  }
  const vsce = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const { stdout } = await run(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  shipped = new Set(stdout.split('\n').map((l) => l.trim()).filter(Boolean));
});

/**
 * Every file path package.json points at: `icon`, `main`, `bin`, and anywhere under `contributes`
 * (snippet files, walkthrough media, grammars). Script commands and dependency versions are not paths.
 */
function referencedFiles(): Array<{ where: string; file: string }> {
  const found: Array<{ where: string; file: string }> = [];
  const looksLikeFile = (s: string): boolean => /^(\.\/)?[\w@-][\w@.-]*(\/[\w@.-]+)*\.[A-Za-z0-9-]+$/.test(s) && !/^\d/.test(s);
  const walk = (value: Json, where: string): void => {
    if (typeof value === 'string') {
      if (looksLikeFile(value) && value.includes('/')) found.push({ where, file: path.posix.normalize(value) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${where}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
    }
  };
  for (const key of ['icon', 'main', 'bin', 'contributes']) if (pkg[key] !== undefined) walk(pkg[key]!, key);
  return found;
}

test('the .vsix holds the manifest, README, LICENSE, CHANGELOG, icon, snippets, rule pages and bundles', () => {
  const required = [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'media/icon.png',
    'snippets/python.code-snippets',
    'dist/client.js',
    'dist/server.js',
    'dist/web-tree-sitter.wasm',
    'dist/tree-sitter-python.wasm',
    ...fs.readdirSync(path.join(ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => `docs/rules/${f}`),
  ];
  const missing = required.filter((f) => !shipped.has(f));
  assert.deepEqual(missing, [], 'files the installed extension needs');
  assert.ok(required.filter((f) => /^docs\/rules\/TW\d{3}\.md$/.test(f)).length >= 30, 'the rule pages were found');
});

test('the .vsix holds no tests, dependencies, sources, source maps or snippet programs', () => {
  const unwanted = [...shipped].filter(
    (f) =>
      /^(test|node_modules|server|client|bench|examples|snippets\/programs|\.ci|\.git)\//.test(f) ||
      f.includes('/node_modules/') ||
      /\.(ts|map|vsix)$/.test(f) ||
      f === 'package-lock.json' ||
      f === 'dist/cli.js',
  );
  assert.deepEqual(unwanted, []);
});

test('every file package.json refers to exists, and all but the npm CLI entry ship in the .vsix', () => {
  const refs = referencedFiles();
  for (const expected of ['icon', 'main', 'contributes.snippets[0].path']) {
    assert.ok(refs.some((r) => r.where === expected), `package.json refers to a file at ${expected}`);
  }
  for (const { where, file } of refs) {
    // `bin` is the CLI for npm installs; the extension does not use it.
    if (where.startsWith('bin')) {
      assert.ok(fs.existsSync(path.join(ROOT, file)), `${where}: ${file} exists (after npm run build)`);
      continue;
    }
    assert.ok(fs.existsSync(path.join(ROOT, file)), `${where}: ${file} exists`);
    assert.ok(shipped.has(file), `${where}: ${file} is in the .vsix`);
  }
});

test('the README and CHANGELOG images and links that point into the repo are shipped', () => {
  for (const doc of ['README.md', 'CHANGELOG.md']) {
    const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    for (const m of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      assert.ok(shipped.has(path.posix.normalize(target)), `${doc} shows ${target}, so the .vsix must hold it`);
    }
  }
});

test('the icon is a 128x128 PNG rendered from media/icon.svg', () => {
  assert.equal(pkg['icon'], 'media/icon.png');
  const png = fs.readFileSync(path.join(ROOT, 'media', 'icon.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.match(fs.readFileSync(path.join(ROOT, 'media', 'icon.svg'), 'utf8'), /<svg[^>]*viewBox="0 0 128 128"/);
  const banner = pkg['galleryBanner'] as { color?: string; theme?: string } | undefined;
  assert.match(banner?.color ?? '', /^#[0-9a-f]{6}$/i);
  assert.ok(banner?.theme === 'dark' || banner?.theme === 'light');
});

test('the marketplace metadata is complete', () => {
  assert.equal(typeof pkg['displayName'], 'string');
  const description = pkg['description'] as string;
  assert.ok(description.length >= 40 && description.length <= 300, 'a description of useful length');
  const categories = pkg['categories'] as string[];
  // The categories the marketplace accepts (vsce rejects others).
  const known = ['Programming Languages', 'Snippets', 'Linters', 'Themes', 'Debuggers', 'Formatters', 'Keymaps', 'SCM Providers', 'Other', 'Extension Packs', 'Language Packs', 'Data Science', 'Machine Learning', 'Visualization', 'Notebooks', 'Education', 'Testing', 'AI', 'Chat'];
  for (const c of categories) assert.ok(known.includes(c), `${c} is a marketplace category`);
  for (const c of ['Linters', 'Snippets']) assert.ok(categories.includes(c), `listed under ${c}`);
  const keywords = pkg['keywords'] as string[];
  assert.ok(keywords.length <= 30, 'the marketplace shows at most 30 keywords');
  for (const k of ['python', 'asyncio', 'threading', 'concurrency']) assert.ok(keywords.includes(k), `keyword ${k}`);
  assert.equal(pkg['license'], 'MIT');
  assert.match(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
  const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(changelog, new RegExp(`^## ${String(pkg['version']).replace(/\./g, '\\.')}$`, 'm'), 'the CHANGELOG has a section for this version');
});

test('workspace trust and virtual workspace support are declared', () => {
  const caps = pkg['capabilities'] as { untrustedWorkspaces?: { supported?: Json }; virtualWorkspaces?: { supported?: Json; description?: string } };
  // The server only reads files and never runs workspace code, so it is safe in untrusted folders.
  assert.equal(caps.untrustedWorkspaces?.supported, true);
  const virtual = caps.virtualWorkspaces?.supported;
  assert.ok(virtual === true || virtual === false || virtual === 'limited');
  if (virtual !== true) assert.ok((caps.virtualWorkspaces?.description ?? '').length > 20, 'a limit is explained');
});
