// Ruff's WASM build as a whole process, the counterpart of `threadwise check DIR`: start Node,
// load Ruff, walk DIR for .py files (skipping dot- and cache folders, as the CLI does), read and
// check each with ASYNC + RUF006, print the finding count and the time of each phase as JSON. Usage:
//   node bench/lib/ruff-check.mjs DIR TARGET_VERSION   (TARGET_VERSION like py311)
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const started = performance.now();
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Loading the package compiles and instantiates Ruff's WebAssembly.
const ruff = createRequire(path.join(repo, 'package.json'))('@astral-sh/ruff-wasm-nodejs');
const loaded = performance.now();
const [dir, target] = process.argv.slice(2);
const SKIPPED = new Set(['node_modules', '__pycache__', 'site-packages', 'dist-packages', 'venv']);

const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (e.name.startsWith('.') || SKIPPED.has(e.name)) continue;
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full);
    else if (e.isFile() && e.name.endsWith('.py')) files.push(full);
  }
})(dir);

const workspace = new ruff.Workspace({ 'target-version': target, lint: { select: ['ASYNC', 'RUF006'], preview: true } }, ruff.PositionEncoding.Utf16);
const ready = performance.now();
let findings = 0;
for (const f of files) {
  let text = fs.readFileSync(f, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  for (const d of workspace.check(text)) if (d.code !== null && d.code !== 'invalid-syntax') findings++;
}
const done = performance.now();
// Milliseconds; before `started` the process spent its time starting Node (`performance.now()` counts from there).
const phases = { node: started, load: loaded - started, workspace: ready - loaded, check: done - ready };
process.stdout.write(JSON.stringify({ files: files.length, findings, phases }));
