#!/usr/bin/env node
// Threadwise benchmark: cold checks against Ruff's WASM build, editing latency and memory through
// a real stdio LSP connection, CLI workspace scale, and the CLI's whole process against Ruff's. Writes bench/RESULTS.md and prints a
// summary. Run with `npm run bench` (builds first) or `node bench/run.mjs` after `npm run build`.
//
// Options: --quick          fewer repetitions and edits (for trying the script; does not write RESULTS.md)
//          --sections=1,3   run only some sections (does not write RESULTS.md)
//          --write          write RESULTS.md even with --quick or --sections
//          --out=FILE       write the report to FILE instead of bench/RESULTS.md (implies --write)
//
// This is a measurement, not a test: nothing here asserts on timings. Targets are reported as met
// or not.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadAnalyzer } from './lib/analyzer-bundle.mjs';
import { concurrencyCorpus, CONCURRENCY_ENTRIES, countLines, findStdlib, syntheticFiles, wholeStdlib } from './lib/corpus.mjs';
import { editSession, takeEdits } from './lib/edits.mjs';
import { PushClient } from './lib/lsp-client.mjs';
import { denseFile } from './lib/dense.mjs';
import { editingFile, inProcessReplay, stdlibStream } from './lib/replay.mjs';
import { addSplits, profileClock, profiled, profilesIn, splitProfile, splitRows } from './lib/profile-split.mjs';
import {
  installCleanupHooks, int, log, makeTempDir, mb, median, ms, pass, pct, percentile, plainTable, ratio, removeTempDir, sleep, table, trackChild,
} from './lib/util.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH_DIR, '..');
const requireFromRepo = createRequire(path.join(REPO, 'package.json'));

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const sectionsArg = args.find((a) => a.startsWith('--sections='));
const SECTIONS = new Set(sectionsArg ? sectionsArg.slice('--sections='.length).split(',').map(Number) : [1, 2, 3, 4, 5, 6]);
const outArg = args.find((a) => a.startsWith('--out='));
const OUT = outArg ? path.resolve(outArg.slice('--out='.length)) : path.join(BENCH_DIR, 'RESULTS.md');
const WRITE = !!outArg || args.includes('--write') || (!QUICK && !sectionsArg);

// Repetitions, chosen so a full run stays under ~10 minutes on a 2-core machine.
const P = QUICK
  ? { coldRuns: { concurrency: 2, stdlib: 1 }, splitRuns: { concurrency: 1, stdlib: 1 }, fullReparseRuns: 5, edits: 100, memFiles: 10, driftEdits: 1_000, driftEvery: 200, driftBurst: 20, scale: [1, 10], cliRuns: { 0: 1, 1: 1, 10: 1, 100: 1 }, processRuns: { concurrency: 1, stdlib: 1 }, profiledEdits: 50 }
  : { coldRuns: { concurrency: 5, stdlib: 3 }, splitRuns: { concurrency: 3, stdlib: 1 }, fullReparseRuns: 20, edits: 500, memFiles: 50, driftEdits: 10_000, driftEvery: 1_000, driftBurst: 20, scale: [1, 10, 100], cliRuns: { 0: 3, 1: 3, 10: 3, 100: 1 }, processRuns: { concurrency: 3, stdlib: 3 }, profiledEdits: 200 };
const FILE_LINES = 5_000;
const RUFF_SELECT = ['ASYNC', 'RUF006'];

/** A share of a whole, as a percentage without a sign. */
const shareOf = (v) => `${(v * 100).toFixed(1)}%`;

const TARGETS = { p50: 10, p95: 25, rssMb: 300, drift: 0.10, coldVsRuff: 1.0, warmVsRuff: 0.2 };

// ---------------------------------------------------------------------------------------------
// Machine

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux
  }
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const head = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'server', 'package.json').length > 0;
  const pkgVersion = (name) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  let rules = '';
  try {
    rules = execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'rules'], { encoding: 'utf8' })
      .split('\n').map((l) => l.split(/\s+/)[0]).filter(Boolean).join(', ');
  } catch {
    rules = '?';
  }
  return {
    cpu,
    cores: os.cpus().length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: head ? `${head}${dirty ? ' + uncommitted changes under server/' : ''}` : 'unknown',
    versions: {
      ruff: pkgVersion('@astral-sh/ruff-wasm-nodejs'),
      webTreeSitter: pkgVersion('web-tree-sitter'),
      treeSitterPython: pkgVersion('tree-sitter-python'),
    },
    rules,
  };
}

// ---------------------------------------------------------------------------------------------
// Section 1: cold check, in process

function makeRuff(pythonVersion) {
  const ruff = requireFromRepo('@astral-sh/ruff-wasm-nodejs');
  const [maj, min] = pythonVersion.split('.');
  // preview: ASYNC119 (yield in a context manager in an async generator) is preview-only in 0.17.3;
  // the other ASYNC rules and RUF006 are stable. Preview makes Ruff display rule names, not codes.
  const options = { 'target-version': `py${maj}${min}`, lint: { select: RUFF_SELECT, preview: true } };
  const t0 = performance.now();
  const workspace = new ruff.Workspace(options, ruff.PositionEncoding.Utf16);
  return { workspace, initMs: performance.now() - t0, version: ruff.Workspace.version(), options };
}

async function runThreadwise(tw, files) {
  let findings = 0;
  let syntaxErrorFiles = 0;
  const t0 = performance.now();
  for (const f of files) {
    const r = await tw.analyzeSource(f.text);
    findings += r.findings.length;
    if (r.syntaxErrors) syntaxErrorFiles++;
  }
  return { ms: performance.now() - t0, findings, syntaxErrorFiles };
}

function runRuff(ruff, files) {
  let findings = 0;
  let syntaxErrors = 0;
  const t0 = performance.now();
  for (const f of files) {
    for (const d of ruff.workspace.check(f.text)) {
      if (d.code === null || d.code === 'invalid-syntax') syntaxErrors++;
      else findings++;
    }
  }
  return { ms: performance.now() - t0, findings, syntaxErrors };
}

function runParseOnly(tw, files) {
  const t0 = performance.now();
  for (const f of files) {
    const tree = tw.parser.parse(f.text);
    tree.delete();
  }
  return { ms: performance.now() - t0 };
}

/** A config that enables no rule: analyzeTree then does only the tree copy, model and bookkeeping. */
const NO_RULES = { select: ['NONE'], ignore: [], severity: {} };

/**
 * Where Threadwise's time goes, measured per file back to back: parse, tree copy into JS objects,
 * semantic model, analyzeTree with no rule enabled, analyzeTree with every rule. The rules' share is
 * the difference of the last two, measured on the same file moments apart.
 */
function splitOnce(tw, files) {
  const t = { parse: 0, copy: 0, model: 0, none: 0, all: 0 };
  for (const f of files) {
    let a = performance.now();
    const tree = tw.parser.parse(f.text);
    let b = performance.now();
    t.parse += b - a;
    a = b;
    const root = tw.copyTree(tree, f.text);
    b = performance.now();
    t.copy += b - a;
    a = b;
    new tw.Resolver(tw.buildModel(f.text, root));
    b = performance.now();
    t.model += b - a;
    a = b;
    tw.analyzeTree(f.text, tree, NO_RULES);
    b = performance.now();
    t.none += b - a;
    a = b;
    tw.analyzeTree(f.text, tree);
    b = performance.now();
    t.all += b - a;
    tree.delete();
  }
  return {
    parse: t.parse,
    copy: t.copy,
    model: t.model,
    rules: t.all - t.none,
    other: t.none - t.copy - t.model, // line index, suppressions, syntax-error walk, sorting
    analyze: t.all,
  };
}

function split(tw, files, runs) {
  if (!tw.profiling) return undefined;
  splitOnce(tw, files); // warm-up
  const samples = Array.from({ length: runs }, () => splitOnce(tw, files));
  const m = (k) => median(samples.map((s) => s[k]));
  return { parse: m('parse'), copy: m('copy'), model: m('model'), rules: m('rules'), other: m('other'), analyze: m('analyze'), runs };
}

async function coldCheck(tw, ruff, corpus, runs) {
  const { files } = corpus;
  const warm = { tw: await runThreadwise(tw, files), ruff: runRuff(ruff, files), parse: runParseOnly(tw, files) };
  const samples = { tw: [], ruff: [], parse: [] };
  for (let run = 0; run < runs; run++) {
    // Alternate the order so a noisy neighbour does not always hit the same tool.
    const order = run % 2 ? ['ruff', 'parse', 'tw'] : ['tw', 'ruff', 'parse'];
    for (const tool of order) {
      if (tool === 'tw') samples.tw.push((await runThreadwise(tw, files)).ms);
      else if (tool === 'ruff') samples.ruff.push(runRuff(ruff, files).ms);
      else samples.parse.push(runParseOnly(tw, files).ms);
    }
  }
  return {
    warm,
    runs,
    tw: median(samples.tw),
    ruff: median(samples.ruff),
    parse: median(samples.parse),
    spread: {
      tw: [Math.min(...samples.tw), Math.max(...samples.tw)],
      ruff: [Math.min(...samples.ruff), Math.max(...samples.ruff)],
      parse: [Math.min(...samples.parse), Math.max(...samples.parse)],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Section 2: editing latency

/** A from-scratch parse + check of the file (what every edit cost before incremental reuse), and the parse alone. */
async function fullReparse(tw, text, runs) {
  await tw.analyzeSource(text);
  const samples = [];
  const parseOnly = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await tw.analyzeSource(text);
    samples.push(performance.now() - t0);
    t0 = performance.now();
    tw.parser.parse(text).delete();
    parseOnly.push(performance.now() - t0);
  }
  return { total: median(samples), parse: median(parseOnly) };
}

async function editingLatency(tw, text, { edits = P.edits, profileDir } = {}) {
  const uri = 'file:///bench/editing.py';
  const client = new PushClient(REPO, { profileDir });
  const kinds = new Map();
  const all = [];
  let open;
  let lastCount = 0;
  // When the edits began and the last one's diagnostics arrived, on the profiles' clock.
  let firstEditAt;
  let lastEditDoneAt;
  try {
    await client.initialize();
    open = await client.open(uri, text, 1);
    const doc = { text };
    let version = 1;
    for (const e of editSession(doc, 1)) {
      version++;
      firstEditAt ??= profileClock();
      const { latency, count } = await client.change(uri, version, [{ range: e.range, text: e.newText }]);
      all.push(latency);
      lastCount = count;
      if (!kinds.has(e.kind)) kinds.set(e.kind, []);
      kinds.get(e.kind).push(latency);
      if (all.length >= edits) break;
    }
    lastEditDoneAt = profileClock();
  } finally {
    await client.close();
  }
  return { open, all, kinds, lastCount, firstEditAt, lastEditDoneAt };
}

/**
 * Where an edit's time goes: the in-process replay under the profiler, and a separate, shorter LSP
 * session with the server under the profiler (apart from the timed session, which runs unprofiled).
 */
async function editProfiles(tw, text, replayEdits) {
  const inProcess = splitProfile((await profiled(() => inProcessReplay(tw, text, replayEdits, Infinity))).profile);
  const dir = makeTempDir('threadwise-bench-server-profile-');
  try {
    const session = await editingLatency(tw, text, { edits: P.profiledEdits, profileDir: dir });
    // Only the edits: the open and the initial analysis before them are left out.
    const server = addSplits(profilesIn(dir).map((p) => splitProfile(p, { from: session.firstEditAt, to: session.lastEditDoneAt })));
    return { inProcess, inProcessEdits: replayEdits.length, server, serverEdits: session.all.length };
  } finally {
    removeTempDir(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// Section 3: memory

async function memoryManyFiles(texts) {
  const client = new PushClient(REPO);
  try {
    await client.initialize();
    await sleep(200);
    const baseline = client.memory();
    const opens = [];
    const steps = [];
    const every = Math.max(1, Math.round(texts.length / 5));
    for (let i = 0; i < texts.length; i++) {
      opens.push((await client.open(`file:///bench/many/file_${String(i).padStart(2, '0')}.py`, texts[i], 1)).latency);
      if ((i + 1) % every === 0 || i + 1 === texts.length) steps.push([i + 1, client.memory().rss]);
    }
    const after = client.memory();
    await sleep(2000);
    const settled = client.memory();
    return { baseline, after, settled, opens, steps };
  } finally {
    await client.close();
  }
}

/**
 * RSS over a long session on one file. Edits go in bursts (a fast typist): the burst's changes are
 * sent back to back and only the last one's diagnostics are awaited, so the server re-parses after
 * every change but may coalesce analyses, as it would for real typing. Waiting for every edit's
 * diagnostics would take longer than the whole benchmark's time budget.
 */
async function memoryDrift(text) {
  const uri = 'file:///bench/drift.py';
  const client = new PushClient(REPO);
  const samples = [];
  const latencies = [];
  try {
    await client.initialize();
    await client.open(uri, text, 1);
    samples.push({ edits: 0, ...client.memory() });
    const doc = { text };
    let version = 1;
    let burst = [];
    const t0 = performance.now();
    for (const e of editSession(doc, 2)) {
      burst.push({ range: e.range, text: e.newText });
      if (burst.length < P.driftBurst) continue;
      const last = version + burst.length;
      const published = client.waitFor(uri, last);
      const b0 = performance.now();
      for (const change of burst) {
        version++;
        await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      }
      latencies.push((await published).at - b0);
      burst = [];
      const n = version - 1;
      if (n % P.driftEvery === 0) {
        // A pause in typing; the sample is the lowest of 10 readings over 1 s, so it does not land
        // on a garbage-collection peak by chance.
        let low = client.memory();
        for (let k = 0; k < 9; k++) {
          await sleep(100);
          const r = client.memory();
          if (r.rss < low.rss) low = r;
        }
        samples.push({ edits: n, ...low });
        log(`  drift: ${n} edits, RSS ${mb(samples.at(-1).rss)} MB`);
      }
      if (n >= P.driftEdits) break;
    }
    return { samples, latencies, wallMs: performance.now() - t0, startLines: countLines(text), endLines: countLines(doc.text) };
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Section 4: CLI workspace scale

function copyCorpus(stdlib, dest, copies) {
  let files = 0;
  const copyTree = (src, dst) => {
    const st = fs.statSync(src);
    if (st.isFile()) {
      if (!src.endsWith('.py')) return;
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst);
      files++;
      return;
    }
    for (const e of fs.readdirSync(src, { withFileTypes: true })) {
      if (e.name === '__pycache__') continue;
      copyTree(path.join(src, e.name), path.join(dst, e.name));
    }
  };
  for (let k = 0; k < copies; k++) {
    for (const entry of CONCURRENCY_ENTRIES) copyTree(path.join(stdlib, entry), path.join(dest, `copy_${String(k).padStart(3, '0')}`, entry));
  }
  fs.mkdirSync(dest, { recursive: true });
  return files;
}

/** "3 (2 at once)", "0", or "n/a" when the preload hook could not count. */
function workersCell(r) {
  if (!Number.isFinite(r.workers)) return 'n/a';
  return r.workers > 0 ? `${int(r.workers)} (${int(r.workersPeak)} at once)` : '0';
}

/** `threadwise check DIR` as a whole process; `noCache` keeps repeated runs cold (section 4 times the checking itself). */
function runCli(dir, rusageFile, { noCache = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = trackChild(spawn(process.execPath, ['--require', path.join(BENCH_DIR, 'lib', 'rusage-preload.cjs'), path.join(REPO, 'dist', 'cli.js'), 'check', dir, '--format', 'json', ...(noCache ? ['--no-cache'] : [])], {
      cwd: path.dirname(dir),
      env: { ...process.env, THREADWISE_BENCH_RUSAGE: rusageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    const out = [];
    let err = '';
    proc.stdout.on('data', (d) => out.push(d));
    proc.stderr.on('data', (d) => (err = (err + d.toString()).slice(-2000)));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0 && code !== 1) return reject(new Error(`threadwise check exited ${code}: ${err}`));
      let findings;
      try {
        findings = JSON.parse(Buffer.concat(out).toString('utf8')).length;
      } catch (e) {
        return reject(new Error(`threadwise check printed invalid JSON: ${e.message}`));
      }
      const ru = JSON.parse(fs.readFileSync(rusageFile, 'utf8'));
      resolve({ wall, user: ru.userMicros / 1000, sys: ru.systemMicros / 1000, peakKb: ru.peakKb, workers: ru.workersStarted ?? NaN, workersPeak: ru.workersPeak ?? NaN, findings });
    });
  });
}

/** One cold `threadwise check` under V8's profiler (every thread writes a profile): where its CPU time goes. */
function profileCli(dir) {
  const profiles = makeTempDir('threadwise-bench-cli-profile-');
  try {
    const t0 = performance.now();
    try {
      execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, path.join(REPO, 'dist', 'cli.js'), 'check', dir, '--format', 'json'], { cwd: path.dirname(dir), stdio: 'ignore', maxBuffer: 1 << 30 });
    } catch (err) {
      if (err.status !== 1) throw err; // 1: findings
    }
    const wall = performance.now() - t0;
    const threads = profilesIn(profiles);
    return { wall, threads: threads.length, split: addSplits(threads.map(splitProfile)) };
  } finally {
    removeTempDir(profiles);
  }
}

async function workspaceScale(stdlib, corpus) {
  const root = makeTempDir('threadwise-bench-scale-');
  try {
    const rows = [];
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const scales = [0, ...P.scale];
    for (const copies of scales) {
      const dir = copies === 0 ? empty : path.join(root, `x${copies}`);
      const files = copies === 0 ? 0 : copyCorpus(stdlib, dir, copies);
      log(`  CLI over ${copies}x (${files} files)`);
      const runs = [];
      for (let i = 0; i < P.cliRuns[copies]; i++) runs.push(await runCli(dir, path.join(root, 'rusage.json'), { noCache: true }));
      const byWall = [...runs].sort((a, b) => a.wall - b.wall);
      const med = byWall[(byWall.length - 1) >> 1];
      rows.push({ copies, files, lines: corpus.lines * copies, runs: runs.length, ...med });
      if (copies > 0) removeTempDir(dir);
    }
    return rows;
  } finally {
    removeTempDir(root);
  }
}

// ---------------------------------------------------------------------------------------------
// Section 5: whole process, Threadwise's CLI against Ruff's WASM build

function runRuffProcess(dir, target) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = trackChild(spawn(process.execPath, [path.join(BENCH_DIR, 'lib', 'ruff-check.mjs'), dir, target], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const out = [];
    let err = '';
    proc.stdout.on('data', (d) => out.push(d));
    proc.stderr.on('data', (d) => (err = (err + d.toString()).slice(-2000)));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`ruff-check exited ${code}: ${err}`));
      resolve({ wall, ...JSON.parse(Buffer.concat(out).toString('utf8')) });
    });
  });
}

/** Where `threadwise check` keeps its cache, if this build has one: beside the checked folder or in it. */
function cacheDirs(dir) {
  return [path.join(dir, '.threadwise_cache'), path.join(path.dirname(dir), '.threadwise_cache')];
}

const medianRun = (runs) => [...runs].sort((a, b) => a.wall - b.wall)[(runs.length - 1) >> 1];

/**
 * The corpus written to a temp dir (the texts as loaded, so both tools read the same files), then
 * checked by whole processes: Ruff, Threadwise cold (any cache removed first), and Threadwise warm
 * (run once to fill a cache, then timed as often as the cold runs).
 */
async function wholeProcess(corpus, name, runs, target) {
  const root = makeTempDir('threadwise-bench-process-');
  try {
    const dir = path.join(root, 'corpus');
    for (const f of corpus.files) {
      const file = path.join(dir, f.rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.text);
    }
    const rusage = path.join(root, 'rusage.json');
    const clearCache = () => { for (const c of cacheDirs(dir)) fs.rmSync(c, { recursive: true, force: true }); };
    const ruff = [];
    const cold = [];
    for (let i = 0; i < runs; i++) {
      log(`  ${name}: Ruff WASM process, run ${i + 1}`);
      ruff.push(await runRuffProcess(dir, target));
      clearCache();
      log(`  ${name}: threadwise check cold, run ${i + 1}`);
      cold.push(await runCli(dir, rusage));
    }
    clearCache();
    log(`  ${name}: threadwise check twice (warm cache)`);
    await runCli(dir, rusage);
    const cached = cacheDirs(dir).some((c) => fs.existsSync(c));
    const warmRuns = [];
    for (let i = 0; i < runs; i++) warmRuns.push(await runCli(dir, rusage));
    const warm = medianRun(warmRuns);
    clearCache();
    log(`  ${name}: threadwise check cold, under the profiler`);
    const profile = profileCli(dir);
    clearCache();
    return { name, files: corpus.files.length, lines: corpus.lines, runs, ruff: medianRun(ruff), cold: medianRun(cold), warm, cached, profile };
  } finally {
    removeTempDir(root);
  }
}

// ---------------------------------------------------------------------------------------------
// Section 6: the whole standard library indexed as one project by the language server

/**
 * The stdlib written to a temp dir and opened as the workspace folder of a fresh server: the time
 * from `initialize` to the end of its "indexing N files" progress, and the server's memory then.
 */
async function indexWholeProject(corpus) {
  const root = makeTempDir('threadwise-bench-index-');
  const client = new PushClient(REPO, { root });
  try {
    for (const f of corpus.files) {
      const file = path.join(root, f.rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.text);
    }
    const before = client.memory();
    const t0 = performance.now();
    await client.initialize();
    const progress = await client.progressEnded(30 * 60_000);
    const indexMs = progress.ended - t0;
    const after = client.memory();
    await sleep(2000);
    const settled = client.memory();
    return { files: corpus.files.length, lines: corpus.lines, indexMs, title: progress.title, before, after, settled };
  } finally {
    await client.close();
    removeTempDir(root);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function report(ctx) {
  const { m, results } = ctx;
  const md = [];
  const summary = [];
  md.push('# Threadwise benchmark results', '');
  md.push(`Written by \`bench/run.mjs\` (\`npm run bench\`) on ${m.date}. See \`bench/README.md\` for what each number means.`, '');
  md.push(table(['Machine', ''], [
    ['CPU', m.cpu],
    ['Cores', String(m.cores)],
    ['Memory', m.memory],
    ['OS', m.os],
    ['Node', m.node],
    ['Date', m.date],
    ['Threadwise commit', m.commit],
    ['Threadwise rules', m.rules],
    ['Python stdlib', `CPython ${ctx.pythonVersion}`],
    ['web-tree-sitter / tree-sitter-python', `${m.versions.webTreeSitter} / ${m.versions.treeSitterPython}`],
    ['Ruff (WASM)', `${ctx.ruff?.version ?? m.versions.ruff}, select ${RUFF_SELECT.join(' + ')}, preview on, target ${ctx.ruff?.options['target-version'] ?? '?'}`],
  ]), '');
  md.push(`Repetitions${QUICK ? ' (**quick mode**: reduced, not representative)' : ''}: cold checks ${P.coldRuns.concurrency} timed runs after 1 warm-up on the concurrency corpus and ` +
    `${P.coldRuns.stdlib} on the whole stdlib (reduced from 5 to keep the run under ~10 minutes), median; time split ${P.splitRuns.concurrency} / ${P.splitRuns.stdlib} runs; ` +
    `full re-parse ${P.fullReparseRuns} runs; ${P.edits} LSP edits; ${P.memFiles} files for memory; ${int(P.driftEdits)} edits for drift (bursts of ${P.driftBurst}); ` +
    `CLI runs ${Object.entries(P.cliRuns).filter(([k]) => k === '0' || P.scale.includes(Number(k))).map(([k, v]) => `${k === '0' ? 'empty dir' : `${k}x`} ${v}`).join(', ')} (median); ` +
    `whole processes against Ruff ${P.processRuns.concurrency} / ${P.processRuns.stdlib} runs each, cold and warm (median).`, '');
  // The load average counts the benchmark's own processes too. Up to section 3 it keeps about one
  // core busy (in process, or the LSP client and server taking turns); section 3's drift run and
  // section 4's CLI, which checks on worker threads, can fill every core by themselves, so the
  // readings taken after them (section 4's start and the end) say nothing about other work.
  const judged = ctx.load.filter(([name]) => name === '1' || name === '2' || name === '3');
  const cores = os.cpus().length;
  md.push(`Load: the machine may be shared (${cores} cores; other work such as editor tests may run at the same time), so absolute times are noisy; compare ratios measured side by side. ` +
    `1-minute load average at the start of each section: ${ctx.load.map(([name, l]) => `${name} ${l.toFixed(2)}`).join(', ')}. ` +
    'It includes the benchmark\'s own processes: about one busy core up to section 3, and after the drift run and the CLI (which checks on worker threads) all cores, so only the readings at the start of sections 1–3 tell about other work.' +
    (judged.some(([, l]) => l > cores)
      ? ` **This run shared the machine with other workers** (load above the ${cores} cores at the start of a section up to 3): absolute times, latencies above all, are inflated and vary between runs.`
      : judged.length > 0 ? ' Those stayed within the core count: the machine was otherwise quiet.' : ''), '');

  if (results.cold) {
    md.push('## 1. Cold check, in one process', '');
    md.push('Every file parsed and checked from scratch, sources already in memory, one process. Threadwise: `analyzeSource` (parse + all rules) from an esbuild bundle of the shipped analyzer. ' +
      `Ruff: \`Workspace.check\` with ${RUFF_SELECT.join(' + ')} only. Parse only: tree-sitter \`parser.parse\` + \`tree.delete\`, the floor under Threadwise.`, '');
    const rows = [];
    for (const c of results.cold) {
      const lps = (t) => int(c.lines / (t / 1000));
      rows.push([c.name, 'Threadwise', int(c.files), int(c.lines), String(c.r.runs), ms(c.r.tw), ms(c.r.spread.tw[0]), ms(c.r.warm.tw.ms), lps(c.r.tw), `**${ratio(c.r.tw / c.r.ruff)}**`, int(c.r.warm.tw.findings)]);
      rows.push([c.name, 'Ruff WASM', int(c.files), int(c.lines), String(c.r.runs), ms(c.r.ruff), ms(c.r.spread.ruff[0]), ms(c.r.warm.ruff.ms), lps(c.r.ruff), '1.00', int(c.r.warm.ruff.findings)]);
      rows.push([c.name, 'tree-sitter parse only', int(c.files), int(c.lines), String(c.r.runs), ms(c.r.parse), ms(c.r.spread.parse[0]), ms(c.r.warm.parse.ms), lps(c.r.parse), ratio(c.r.parse / c.r.ruff), '']);
      summary.push([`Cold check, ${c.name}`, `Threadwise ${ms(c.r.tw)} ms vs Ruff ${ms(c.r.ruff)} ms (ratio ${ratio(c.r.tw / c.r.ruff)}); parse alone ${ms(c.r.parse)} ms`, '']);
    }
    md.push(table(['Corpus', 'Tool', 'Files', 'Lines', 'Runs', 'Median ms', 'Best ms', 'Warm-up ms', 'Lines/s (median)', 'Time / Ruff', 'Findings'], rows), '');
    md.push('"Time / Ruff" (medians) below 1 means faster than Ruff. "Warm-up" is the first, untimed-for-the-median pass (JIT still cold). ' +
      `Ruff's Workspace took ${ms(ctx.ruff.initMs)} ms to create (not in the totals); Threadwise's parser load is not in the totals either. ` +
      `Files skipped as not valid UTF-8: ${results.cold.map((c) => `${c.name} ${c.skipped}`).join(', ')}. ` +
      `Ruff syntax errors (Python ${ctx.pythonVersion} target): ${results.cold.map((c) => `${c.name} ${c.r.warm.ruff.syntaxErrors}`).join(', ')}; ` +
      `files with a tree-sitter ERROR/MISSING node: ${results.cold.map((c) => `${c.name} ${c.r.warm.tw.syntaxErrorFiles}`).join(', ')}.`, '');
    const spreads = results.cold.map((c) => `${c.name}: Threadwise ${ms(c.r.spread.tw[0])}–${ms(c.r.spread.tw[1])}, Ruff ${ms(c.r.spread.ruff[0])}–${ms(c.r.spread.ruff[1])}, parse ${ms(c.r.spread.parse[0])}–${ms(c.r.spread.parse[1])} ms`);
    md.push(`Range over the timed runs: ${spreads.join('; ')}.`, '');
    const splits = results.cold.filter((c) => c.split);
    if (splits.length > 0) {
      md.push('### Where Threadwise spends the time', '');
      md.push('Measured apart from the totals above, file by file: `parser.parse`; `copyTree` (the plain-JS copy of the tree that `analyzeTree` makes first); `buildModel` + `Resolver`; ' +
        '`analyzeTree` with no rule selected; `analyzeTree` with every rule. Rules = the last minus the one before; other = no-rule `analyzeTree` minus copy and model ' +
        '(line index, suppressions, syntax-error walk, sorting; noise can make it slightly negative). Median of the runs after a warm-up; the total is parse + `analyzeTree`.', '');
      const srows = splits.map((c) => {
        const s = c.split;
        const all = s.parse + s.analyze;
        const part = (v) => `${ms(v)} (${((v / all) * 100).toFixed(0)}%)`;
        return [c.name, String(s.runs), part(s.parse), part(s.copy), part(s.model), part(s.rules), part(s.other), ms(all)];
      });
      for (const e of results.editing ?? []) {
        if (!e.split) continue;
        const s = e.split;
        const all = s.parse + s.analyze;
        const part = (v) => `${ms(v)} (${((v / all) * 100).toFixed(0)}%)`;
        srows.push([`${e.name} (${int(e.lines)} lines)`, String(s.runs), part(s.parse), part(s.copy), part(s.model), part(s.rules), part(s.other), ms(all)]);
      }
      md.push(table(['Corpus', 'Runs', 'tree-sitter parse ms', 'tree copy to JS ms', 'semantic model ms', 'rules ms', 'other ms', 'total ms'], srows), '');
    }
  }

  if (results.editing?.length) {
    md.push('## 2. Editing latency over stdio LSP', '');
    md.push('Two ~5,000-line files, each opened by a Neovim-like push client (incremental sync, publishDiagnostics with versions, no pull capability) and edited ' +
      `${P.edits} times, each edit sent alone; the time is from sending \`didChange\` to receiving \`publishDiagnostics\` for that version, so nothing is coalesced. The edits: ` +
      'Enter after a block opener and a statement typed a character at a time, a trailing comment typed then backspaced, a 20-line method pasted, a function deleted, ' +
      'each followed by an undo (one edit) so the file keeps its size. The *stdlib-cut file* is cut from the stdlib concurrency modules plus a block of known hazards ' +
      '(few findings); the *finding-dense file* (`bench/lib/dense.mjs`) is a few hundred short top-level blocks, each an `async def` with a blocking call, a `def` and a class ' +
      '(hundreds of findings, all re-sent on every edit). Real files sit between the two; the targets hold for both or are not met.', '');
    md.push(table(['File', 'Lines', 'Diagnostics on open', 'Edits', 'p50 ms', 'p95 ms', 'max ms', `p50 < ${TARGETS.p50} ms`, `p95 < ${TARGETS.p95} ms`], results.editing.map((e) => {
      const p50 = percentile(e.all, 50);
      const p95 = percentile(e.all, 95);
      return [e.name, int(e.lines), int(e.openCount), String(e.all.length), ms(p50), ms(p95), ms(Math.max(...e.all)), pass(p50 < TARGETS.p50), pass(p95 < TARGETS.p95)];
    })), '');
    for (const e of results.editing) {
      const p50 = percentile(e.all, 50);
      const p95 = percentile(e.all, 95);
      const max = Math.max(...e.all);
      md.push(`### ${e.name[0].toUpperCase()}${e.name.slice(1)} (${int(e.lines)} lines, ${int(e.openCount)} diagnostics on open)`, '');
      md.push(table(['Edit kind', 'Count', 'p50 ms', 'p95 ms', 'max ms'], [...e.kinds.entries()].map(([k, v]) => [k, String(v.length), ms(percentile(v, 50)), ms(percentile(v, 95)), ms(Math.max(...v))])), '');
      md.push('In process, same file, same bundle (no LSP, no JSON, no IPC):', '');
      md.push(table(['Work', 'ms'], [
        ['Full re-parse + check from scratch (`analyzeSource`), median', ms(e.fullReparse)],
        ['  of which the tree-sitter parse from scratch, median', ms(e.fullParse)],
        ['Per edit, the server\'s work (`DocumentStore.change` + `analyzeTree`, which reuses the unchanged parts of the previous version\'s copy and model and runs the rules over the edited function), p50 / p95', `${ms(percentile(e.replay.total, 50))} / ${ms(percentile(e.replay.total, 95))}`],
        ['  of which `DocumentStore.change` (text update, `tree.edit`, incremental re-parse), p50 / p95', `${ms(percentile(e.replay.parse, 50))} / ${ms(percentile(e.replay.parse, 95))}`],
        [`The whole file checked when typing pauses, after a quick answer (every 10th edit, ${int(e.replay.pause.length)} times), p50 / p95`, e.replay.pause.length ? `${ms(percentile(e.replay.pause, 50))} / ${ms(percentile(e.replay.pause, 95))}` : ''],
        ['LSP latency p50 minus in-process p50 (protocol, diagnostics conversion, scheduling; measured minutes apart, so load changes can even make it negative)', ms(p50 - percentile(e.replay.total, 50))],
        ['didOpen to first diagnostics (cold server)', ms(e.open.latency)],
      ]), '');
      if (e.profile) {
        const { inProcess, inProcessEdits, server, serverEdits } = e.profile;
        const inRows = new Map(splitRows(inProcess, inProcessEdits).map((r) => [r.category, r]));
        const srvRows = new Map(splitRows(server, serverEdits).map((r) => [r.category, r]));
        const cell = (r) => (r ? `${ms(r.ms)}${Number.isNaN(r.share) ? '' : ` (${shareOf(r.share)})`}` : '');
        md.push(`Where an edit's time goes, from V8's sampling profiler: the in-process replay above (${int(inProcessEdits)} edits) and a separate LSP session of ${int(serverEdits)} edits ` +
          'with the server under the profiler (`bench/lib/profile-split.mjs`: each sample counts for the innermost function on its stack that opens a category). ' +
          'Milliseconds per edit, share of the busy time; *idle* is the server waiting for the next edit or for the client.', '');
        md.push(table(['Category', 'In process, ms per edit', 'Server over LSP, ms per edit'],
          [...new Set([...inRows.keys(), ...srvRows.keys()])].map((c) => [c, cell(inRows.get(c)), cell(srvRows.get(c))])), '');
      }
      summary.push([`Edit latency p50 / p95 / max, ${e.name}`, `${ms(p50)} / ${ms(p95)} / ${ms(max)} ms (full re-parse + check of the same file in process: ${ms(e.fullReparse)} ms, its parse alone ${ms(e.fullParse)} ms)`, `${pass(p50 < TARGETS.p50)} / ${pass(p95 < TARGETS.p95)}`]);
    }
  }

  if (results.memory) {
    const { many, drift } = results.memory;
    md.push('## 3. Server memory', '');
    if (many) {
      md.push(`VmRSS of the \`node dist/server.js --stdio\` process (from /proc/<pid>/status), fresh server, ${many.count} distinct ~${int(FILE_LINES)}-line files ` +
        `(${int(many.lines)} lines in all, cut from the stdlib) opened one after another, each waiting for its diagnostics.`, '');
      md.push(table(['After', 'RSS MB', `Under ${TARGETS.rssMb} MB`], [
        ['initialize', mb(many.baseline.rss), ''],
        [`opening ${many.count} files`, mb(many.after.rss), pass(many.after.rss / 1024 ** 2 < TARGETS.rssMb)],
        ['2 s idle', mb(many.settled.rss), pass(many.settled.rss / 1024 ** 2 < TARGETS.rssMb)],
        ['peak (VmHWM)', mb(many.settled.hwm), pass(many.settled.hwm / 1024 ** 2 < TARGETS.rssMb)],
      ]), '');
      md.push(`RSS as files open (MB): ${many.steps.map(([n, r]) => `${n}: ${mb(r)}`).join(', ')}; about ${mb((many.after.rss - many.baseline.rss) / many.count)} MB per open file. ` +
        `didOpen to diagnostics per file: p50 ${ms(percentile(many.opens, 50))} ms, max ${ms(Math.max(...many.opens))} ms.`, '');
      summary.push([`Server RSS, ${many.count} files open`, `${mb(many.after.rss)} MB (peak ${mb(many.settled.hwm)} MB)`, pass(many.after.rss / 1024 ** 2 < TARGETS.rssMb)]);
    }
    if (drift) {
      const s = drift.samples.filter((x) => x.edits > 0);
      const first = s[0].rss;
      const last = s.at(-1).rss;
      const maxRss = Math.max(...s.map((x) => x.rss));
      const d = (last - first) / first;
      // The primary figure: one sample can sit on a peak of the GC's sawtooth, so a single last-vs-first
      // comparison can say NO (or yes) by chance; the medians of the first and last three show a trend.
      const head = median(s.slice(0, 3).map((x) => x.rss));
      const tail = median(s.slice(-3).map((x) => x.rss));
      const robust = (tail - head) / head;
      md.push(`RSS drift over ${int(drift.samples.at(-1).edits)} edits to the editing file: fresh server, the same kinds of edits as in section 2, each cycle undone so the file ` +
        `keeps its size (${int(drift.startLines)} lines at the start, ${int(drift.endLines)} at the end). To fit the time budget the edits go in bursts of ${P.driftBurst} ` +
        'sent back to back (a fast typist), waiting only for the last edit\'s diagnostics: the server applies and re-parses every change, and may analyse fewer times than it is sent edits. ' +
        `Sampled every ${int(P.driftEvery)} edits as the lowest of 10 readings over a 1 s pause, from ${int(P.driftEvery)} edits on (once the JIT and heap have warmed up). ` +
        '*Drift* is the median of the last three samples against the median of the first three: RSS follows the garbage collector\'s sawtooth, so a single sample can sit on a peak or a trough. ' +
        'The last sample against the first is given as well, and every sample below: a leak shows as a steady climb through the series.', '');
      md.push(table(['After open', 'Median of first 3', 'Median of last 3', 'Max', 'Drift (medians)', `Within ${TARGETS.drift * 100}%`, `First (${int(s[0].edits)} edits)`, `Last (${int(s.at(-1).edits)} edits)`, 'Last vs first'], [
        [mb(drift.samples[0].rss), mb(head), mb(tail), mb(maxRss), pct(robust), pass(Math.abs(robust) <= TARGETS.drift), mb(first), mb(last), pct(d)],
      ]), '');
      md.push(`Samples (MB): ${drift.samples.map((x) => `${int(x.edits)}: ${mb(x.rss)}`).join(', ')}. ` +
        `Burst latency (first change sent to the last one's diagnostics): p50 ${ms(percentile(drift.latencies, 50))} ms, p95 ${ms(percentile(drift.latencies, 95))} ms, max ${ms(Math.max(...drift.latencies))} ms; ` +
        `${(drift.wallMs / 1000).toFixed(1)} s in all.`, '');
      summary.push([`RSS drift over ${int(drift.samples.at(-1).edits)} edits (median of last 3 vs first 3 samples)`, `${mb(head)} → ${mb(tail)} MB (${pct(robust)}; max ${mb(maxRss)} MB; last vs first sample ${pct(d)})`,
        pass(Math.abs(robust) <= TARGETS.drift)]);
    }
  }

  if (results.scale) {
    const rows = results.scale;
    const byCopies = new Map(rows.map((r) => [r.copies, r]));
    const empty = byCopies.get(0);
    md.push('## 4. Workspace scale: the CLI', '');
    md.push('`node dist/cli.js check DIR --format json` over the concurrency corpus copied N times into a temp dir (the CLI does not follow symlinks inside a directory, so these are copies). ' +
      'Wall time includes Node start-up, the directory walk, reading files and writing JSON; exit status 1 (findings) counts as success. ' +
      'CPU = user + sys of the CLI process (getrusage, all its threads), utilisation = CPU / wall. Workers = worker threads the CLI started (most at once), counted by the same preload hook.', '');
    const trows = rows.map((r) => [
      r.copies === 0 ? 'empty dir (start-up)' : `${r.copies}x`, int(r.files), int(r.lines), String(r.runs), ms(r.wall), r.files ? int(r.files / (r.wall / 1000)) : '', r.lines ? int(r.lines / (r.wall / 1000)) : '',
      ms(r.user + r.sys), ratio((r.user + r.sys) / r.wall), workersCell(r), int(r.peakKb / 1024), r.copies ? int(r.findings) : '',
    ]);
    md.push(table(['Corpus', 'Files', 'Lines', 'Runs', 'Wall ms', 'Files/s', 'Lines/s', 'CPU ms', 'CPU / wall', 'Workers', 'Peak RSS MB', 'Findings'], trows), '');
    const lin = [];
    const timed = rows.filter((r) => r.copies > 0);
    for (let i = 1; i < timed.length; i++) {
      const prev = timed[i - 1];
      const r = timed[i];
      const k = r.copies / prev.copies;
      const predicted = empty.wall + (prev.wall - empty.wall) * k;
      lin.push([`${prev.copies}x → ${r.copies}x`, String(k), ratio(r.wall / prev.wall), ratio(r.wall / predicted),
        ms((prev.wall - empty.wall) / prev.files), ms((r.wall - empty.wall) / r.files)]);
    }
    if (lin.length > 0) {
      md.push(table(['Step', 'Size ×', 'Wall ×', 'Wall / linear prediction', 'ms per file before (minus start-up)', 'ms per file after'], lin), '');
      const big = lin.at(-1);
      const q = Number(big[3]);
      const verdict = q > 1.15 ? 'worse than linear (the time per file grows with the workspace)' : q < 0.85 ? 'better than linear (fixed costs such as JIT warm-up are spread over more files)' : 'linear (within 15%)';
      md.push(`Linear prediction = start-up + (previous wall − start-up) × size factor, start-up being the empty-dir run. For ${big[0]}: ${verdict}. ` +
        'The 1x run is short, so its per-file time carries the JIT warm-up and is the noisiest.', '');
      const top = rows.at(-1);
      const util = (top.user + top.sys) / top.wall;
      const cpu = top.user + top.sys;
      const floor = Math.max(cpu / m.cores, empty.wall);
      const threadsText = Number.isFinite(top.workers)
        ? (top.workers > 0 ? `started ${int(top.workers)} worker thread${top.workers === 1 ? '' : 's'} (${int(top.workersPeak)} at once) and ` : 'started no worker thread and ')
        : '';
      md.push(`At ${top.copies}x the CLI ${threadsText}used ${ms(cpu)} ms of CPU in ${ms(top.wall)} ms of wall time: CPU/wall ${ratio(util)}, so on average ${ratio(util)} of the ` +
        `machine's ${m.cores} cores were busy with it (V8's GC and compiler threads count too; time the process waited, for I/O or for a core another process held, lowers the ratio). ` +
        `Spread perfectly over all ${m.cores} cores, that CPU work could not take less than ${ms(floor)} ms; the measured wall time is ${ratio(top.wall / floor)}x that bound ` +
        '(1.00 would be every core busy from start to exit).', '');
      summary.push([`CLI ${top.copies}x corpus (${int(top.files)} files)`, `${ms(top.wall)} ms, ${int(top.files / (top.wall / 1000))} files/s, CPU/wall ${ratio(util)} on ${m.cores} cores, ${verdict.split(' (')[0]} (${big[3]} of the linear prediction for ${big[0]})`, '']);
    }
  }

  if (results.process) {
    md.push('## 5. Whole process: `threadwise check` against Ruff WASM', '');
    md.push('Each corpus written to a temp dir and checked by whole processes, start-up included: `node dist/cli.js check DIR --format json` (cold: any ' +
      '`.threadwise_cache` removed first) and `node bench/lib/ruff-check.mjs DIR` (Node start-up, loading Ruff\'s WASM build, walking the dir, reading and checking each file ' +
      `with ${RUFF_SELECT.join(' + ')}). *Warm*: \`threadwise check\` run once to fill its cache, then timed as often as the cold runs; with no cache in this build the warm run is simply a second cold run, ` +
      `and the table says so. Targets: cold at most ${TARGETS.coldVsRuff.toFixed(1)}x Ruff, warm at most ${TARGETS.warmVsRuff}x Ruff. Median wall time of the runs.`, '');
    md.push(table(['Corpus', 'Files', 'Lines', 'Runs', 'Ruff WASM ms', 'Threadwise cold ms', 'Cold / Ruff', `Cold <= ${TARGETS.coldVsRuff.toFixed(1)}x`, 'Threadwise warm ms', 'Warm / Ruff', `Warm <= ${TARGETS.warmVsRuff}x`, 'Cache found', 'Findings (Threadwise / Ruff)'],
      results.process.map((r) => {
        const coldRatio = r.cold.wall / r.ruff.wall;
        const warmRatio = r.warm.wall / r.ruff.wall;
        return [r.name, int(r.files), int(r.lines), String(r.runs), ms(r.ruff.wall), ms(r.cold.wall), `**${ratio(coldRatio)}**`, pass(coldRatio <= TARGETS.coldVsRuff),
          ms(r.warm.wall), ratio(warmRatio), r.cached ? pass(warmRatio <= TARGETS.warmVsRuff) : '**NO** (no cache in this build)', r.cached ? 'yes' : 'no', `${int(r.cold.findings)} / ${int(r.ruff.findings)}`];
      })), '');
    for (const r of results.process) {
      if (!r.profile) continue;
      const rows = splitRows(r.profile.split);
      const busy = rows.filter((x) => !Number.isNaN(x.share)).reduce((n, x) => n + x.ms, 0);
      md.push(`### Where the cold run's time goes: ${r.name}`, '');
      md.push(`One more cold \`threadwise check\` under V8's profiler (\`--cpu-prof\`, every thread): ${ms(r.profile.wall)} ms wall (the profiler slows it a little), ` +
        `${r.profile.threads} threads, ${ms(busy)} ms of CPU in all (busy samples, summed over threads; *idle* is a thread waiting).`, '');
      md.push(table(['Category', 'CPU ms, all threads', 'Share of busy time'], rows.map((x) => [x.category, ms(x.ms), Number.isNaN(x.share) ? '' : shareOf(x.share)])), '');
      const ph = r.ruff.phases;
      if (ph) {
        md.push(`Ruff's process in the median run above, by phase: Node start-up ${ms(ph.node)} ms, loading its WebAssembly ${ms(ph.load)} ms, creating the workspace ${ms(ph.workspace)} ms, ` +
          `walking, reading and checking the files ${ms(ph.check)} ms (one thread).`, '');
      }
    }
    for (const r of results.process) {
      const coldRatio = r.cold.wall / r.ruff.wall;
      const warmRatio = r.warm.wall / r.ruff.wall;
      summary.push([`Whole process vs Ruff WASM, ${r.name}`, `cold ${ms(r.cold.wall)} vs ${ms(r.ruff.wall)} ms (${ratio(coldRatio)}x); warm ${ms(r.warm.wall)} ms (${ratio(warmRatio)}x${r.cached ? '' : ', no cache in this build'})`,
        `${pass(coldRatio <= TARGETS.coldVsRuff)} / ${r.cached ? pass(warmRatio <= TARGETS.warmVsRuff) : '**NO**'}`]);
    }
  }

  if (results.index) {
    const r = results.index;
    md.push('## 6. The whole standard library as one project', '');
    md.push('The whole-stdlib corpus of section 1 written to a temp dir and opened as the workspace folder of a fresh `node dist/server.js --stdio` (the same push client as section 2, with ' +
      'work-done progress). Time from `initialize` to the end of the server\'s indexing progress (every file parsed and summarised, one per turn of the event loop); VmRSS then and 2 s later. ' +
      `Target: under ${TARGETS.rssMb} MB.`, '');
    md.push(table(['Files', 'Lines', 'Progress title', 'Index time s', 'Lines/s', 'RSS at end MB', 'RSS 2 s later MB', 'Peak RSS MB', `Under ${TARGETS.rssMb} MB`],
      [[int(r.files), int(r.lines), r.title, (r.indexMs / 1000).toFixed(1), int(r.lines / (r.indexMs / 1000)), mb(r.after.rss), mb(r.settled.rss), mb(r.settled.hwm), pass(r.settled.hwm / 2 ** 20 < TARGETS.rssMb)]]), '');
    summary.push([`Index of the whole stdlib (${int(r.files)} files) in the server`, `${(r.indexMs / 1000).toFixed(1)} s, RSS ${mb(r.settled.rss)} MB (peak ${mb(r.settled.hwm)} MB)`, pass(r.settled.hwm / 2 ** 20 < TARGETS.rssMb)]);
  }

  md.push('## Summary', '');
  md.push(table(['Measure', 'Result', 'Target met'], summary), '');
  return { markdown: md.join('\n'), summary };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  installCleanupHooks();
  const started = performance.now();
  for (const f of ['cli.js', 'server.js', 'web-tree-sitter.wasm', 'tree-sitter-python.wasm']) {
    if (!fs.existsSync(path.join(REPO, 'dist', f))) throw new Error(`dist/${f} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  }
  const m = machine();
  const { dir: stdlib, pythonVersion } = findStdlib();
  log(`${m.cpu}, ${m.cores} cores, node ${m.node}, CPython ${pythonVersion} stdlib${QUICK ? ' (quick mode)' : ''}`);

  const bundleDir = makeTempDir('threadwise-bench-bundle-');
  const tw = await loadAnalyzer(REPO, bundleDir);
  const ruff = makeRuff(pythonVersion);
  const ctx = { m, pythonVersion, ruff, results: {}, load: [] };
  const section = (name) => ctx.load.push([name, os.loadavg()[0]]);

  const concurrency = concurrencyCorpus(stdlib);
  const everything = wholeStdlib(stdlib);
  log(`concurrency corpus: ${concurrency.files.length} files, ${int(concurrency.lines)} lines; stdlib: ${everything.files.length} files, ${int(everything.lines)} lines (${everything.skipped} not UTF-8)`);

  // Synthetic 5,000-line files: the concurrency modules first, then the rest of the stdlib.
  const stream = stdlibStream(concurrency, everything);
  const pieces = syntheticFiles(stream, Math.max(P.memFiles, 1), FILE_LINES);
  const editText = editingFile(stream, FILE_LINES);

  if (SECTIONS.has(1)) {
    section('1');
    ctx.results.cold = [];
    for (const [key, name, corpus] of [['concurrency', 'concurrency corpus', concurrency], ['stdlib', 'whole stdlib', everything]]) {
      log(`1. cold check: ${name}`);
      const r = await coldCheck(tw, ruff, corpus, P.coldRuns[key]);
      log(`   Threadwise ${ms(r.tw)} ms, Ruff ${ms(r.ruff)} ms, parse ${ms(r.parse)} ms`);
      log(`   time split: ${name}`);
      const s = split(tw, corpus.files, P.splitRuns[key]);
      ctx.results.cold.push({ name, files: corpus.files.length, lines: corpus.lines, skipped: corpus.skipped, r, split: s });
    }
  }

  if (SECTIONS.has(2)) {
    section('2');
    ctx.results.editing = [];
    for (const [name, text] of [['stdlib-cut file', editText], ['finding-dense file', denseFile(FILE_LINES)]]) {
      log(`2. editing latency: ${name}, ${countLines(text)} lines, ${P.edits} edits`);
      const full = await fullReparse(tw, text, P.fullReparseRuns);
      const replayEdits = takeEdits(text, P.edits, 1);
      inProcessReplay(tw, text, replayEdits.slice(0, 50)); // warm-up
      const replay = inProcessReplay(tw, text, replayEdits);
      const editSplit = split(tw, [{ text }], P.fullReparseRuns);
      const lsp = await editingLatency(tw, text);
      log(`   profiling: ${name}`);
      const profile = await editProfiles(tw, text, replayEdits);
      ctx.results.editing.push({ name, lines: countLines(text), fullReparse: full.total, fullParse: full.parse, replay, split: editSplit, openCount: lsp.open.count, profile, ...lsp });
      log(`   p50 ${ms(percentile(lsp.all, 50))} ms, p95 ${ms(percentile(lsp.all, 95))} ms, max ${ms(Math.max(...lsp.all))} ms; full re-parse ${ms(full.total)} ms`);
    }
  }

  if (SECTIONS.has(3)) {
    section('3');
    log(`3. memory: ${P.memFiles} files`);
    const texts = [editText, ...pieces.slice(1, P.memFiles)];
    const many = await memoryManyFiles(texts);
    many.count = texts.length;
    many.lines = texts.reduce((n, t) => n + countLines(t), 0);
    log(`   RSS ${mb(many.after.rss)} MB after ${texts.length} files`);
    log(`3. memory drift: ${P.driftEdits} edits`);
    const drift = await memoryDrift(editText);
    ctx.results.memory = { many, drift };
  }

  if (SECTIONS.has(4)) {
    section('4');
    log('4. CLI workspace scale');
    ctx.results.scale = await workspaceScale(stdlib, concurrency);
  }

  if (SECTIONS.has(5)) {
    section('5');
    log('5. whole process: threadwise check vs Ruff WASM');
    const [maj, min] = pythonVersion.split('.');
    ctx.results.process = [];
    for (const [key, name, corpus] of [['concurrency', 'concurrency corpus', concurrency], ['stdlib', 'whole stdlib', everything]]) {
      ctx.results.process.push(await wholeProcess(corpus, name, P.processRuns[key], `py${maj}${min}`));
    }
  }

  if (SECTIONS.has(6)) {
    section('6');
    log('6. the whole stdlib indexed as one project by the server');
    ctx.results.index = await indexWholeProject(everything);
    log(`   ${(ctx.results.index.indexMs / 1000).toFixed(1)} s, RSS ${mb(ctx.results.index.settled.rss)} MB`);
  }

  section('end');
  const { markdown, summary } = report(ctx);
  const total = (performance.now() - started) / 1000;
  const withTime = `${markdown}\nWhole benchmark: ${total.toFixed(0)} s.\n`;
  if (WRITE) {
    fs.writeFileSync(OUT, withTime);
    log(`wrote ${path.relative(process.cwd(), OUT) || OUT}`);
  } else {
    log('partial or quick run: bench/RESULTS.md not written (pass --write to write it anyway)');
  }
  process.stdout.write(`\n${plainTable(['Measure', 'Result', 'Target met'], summary)}\n\nWhole benchmark: ${total.toFixed(0)} s\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
    process.exit(1);
  },
);
