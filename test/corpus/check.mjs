// Runs the built CLI over the real-code corpus of packages.txt and prints findings per rule and per
// 1,000 lines. Run: npm run corpus:check (builds first). Needs test/corpus/install.sh to have run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const site = '/usr/lib/python3/dist-packages';
const modules = fs.readFileSync(path.join(here, 'packages.txt'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
  .flatMap((l) => l.split('|')[2].trim().split(/\s+/).map((m) => path.join(site, m)));
const missing = modules.filter((m) => !fs.existsSync(m));
if (missing.length > 0) {
  console.error(`the corpus is not installed: run test/corpus/install.sh (missing: ${missing.join(', ')})`);
  process.exit(2);
}

function pyFiles(p) {
  if (fs.statSync(p).isFile()) return p.endsWith('.py') ? [p] : [];
  return fs.readdirSync(p).flatMap((n) => (n === '__pycache__' ? [] : pyFiles(path.join(p, n))));
}
let lines = 0;
for (const f of modules.flatMap(pyFiles)) {
  const text = fs.readFileSync(f, 'utf8');
  lines += text.split(/\r?\n/).length - (text.endsWith('\n') ? 1 : 0);
}

const run = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', ...modules], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (run.status !== 0 && run.status !== 1) {
  console.error(run.stderr);
  process.exit(2);
}
const findings = JSON.parse(run.stdout);
const perRule = new Map();
for (const f of findings) perRule.set(f.code, (perRule.get(f.code) ?? 0) + 1);
const rate = (n) => ((1000 * n) / lines).toFixed(3);
console.log(`${modules.length} module paths, ${lines} lines, ${findings.length} findings, ${rate(findings.length)} per 1,000 lines\n`);
console.log('rule     count  per-1000-lines');
for (const [code, n] of [...perRule].sort()) console.log(`${code.padEnd(8)} ${String(n).padStart(5)}  ${rate(n).padStart(14)}`);
