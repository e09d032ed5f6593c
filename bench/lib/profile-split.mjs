// Where the time goes, from V8 CPU profiles: each sample is put in the category of the innermost
// function on its stack that names one (a tree copy's calls into WebAssembly count as the copy,
// a summary made inside analyzeTree counts as summaries, not rules). This is what the benchmark
// shows for the targets it reports unmet, so the profile behind the explanation is in the results.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session } from 'node:inspector/promises';

/** Category, then the function names that open it. Names are those of the bundled sources. */
const CATEGORIES = [
  ['tree-sitter parse', ['parse', 'parseWith']],
  ['tree copy to JS', ['copySyntax', 'copyTree']],
  ['semantic model', ['buildModel']],
  ['rules', ['runRules', 'afterCommentEdit']],
  ['module summaries', ['summarizeModule']],
  ['project index (cross-module findings, facts)', ['findingsFor', 'factsFor', 'buildIndex', 'useIndexes', 'summaryChanged', 'completeProject']],
  ['diagnostics to LSP', ['convert', 'toDiagnostic']],
  ['JSON (messages, cache, output)', ['stringify', 'encode']],
  ['messages between threads', ['postMessage', 'emitMessage']],
  ['files (read, write, cache)', ['readFileSync', 'writeFileSync', 'statSync', 'renameSync', 'mkdirSync', 'existsSync', 'readSync']],
  ['start-up (loading code, the parser)', ['loadPython', 'Module._compile', 'compileFunction', 'wrapSafe']],
];
const ENGINE = new Map([
  ['(garbage collector)', 'garbage collector'],
  ['(idle)', 'idle (waiting)'],
  ['(program)', 'engine (program)'],
]);
export const CATEGORY_ORDER = [...CATEGORIES.map(([c]) => c), 'garbage collector', 'engine (program)', 'other', 'idle (waiting)'];

const categoryOf = new Map(CATEGORIES.flatMap(([c, names]) => names.map((n) => [n, c])));

/**
 * Milliseconds per category in one profile. A `parse` without a script is JSON's; tree-sitter's is
 * bundled JavaScript calling into WebAssembly. `from` and `to` (microseconds of the monotonic clock
 * V8 stamps samples with, which is `process.hrtime` of any process on the machine) keep only the
 * samples between them: another process can say when the part it measures began and ended.
 */
export function splitProfile(profile, { from = -Infinity, to = Infinity } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  const classify = (id) => {
    if (memo.has(id)) return memo.get(id);
    const frame = byId.get(id).callFrame;
    const name = frame.functionName;
    let c = ENGINE.get(name);
    if (!c) {
      c = name === 'parse' && frame.url === '' ? 'JSON (messages, cache, output)' : categoryOf.get(name);
    }
    if (!c) c = parent.has(id) ? classify(parent.get(id)) : 'other';
    memo.set(id, c);
    return c;
  };
  const out = new Map();
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i] ?? 0;
    if (at < from || at > to) continue;
    const dt = (deltas[i + 1] ?? 0) / 1000;
    const c = classify(profile.samples[i]);
    out.set(c, (out.get(c) ?? 0) + dt);
  }
  return out;
}

/** Sums category maps (one per thread of a process). */
export function addSplits(splits) {
  const out = new Map();
  for (const s of splits) for (const [c, v] of s) out.set(c, (out.get(c) ?? 0) + v);
  return out;
}

/** Now, on the clock profiles are stamped with (see splitProfile). */
export const profileClock = () => Number(process.hrtime.bigint() / 1000n);

/** The profiles `node --cpu-prof --cpu-prof-dir=DIR` wrote, one per thread. */
export function profilesIn(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** Runs `fn` in this process under V8's sampling profiler; returns its result and the profile. */
export async function profiled(fn) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
    let result;
    let failure;
    try {
      result = await fn();
    } catch (err) {
      failure = { err };
    }
    const { profile } = await session.post('Profiler.stop');
    if (failure) throw failure.err;
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/** Categories in report order with their share of the total; busy = everything but idle. */
export function splitRows(split, perUnit = 1) {
  const busy = [...split].filter(([c]) => c !== 'idle (waiting)').reduce((n, [, v]) => n + v, 0);
  return CATEGORY_ORDER.filter((c) => (split.get(c) ?? 0) > 0).map((c) => ({ category: c, ms: split.get(c) / perUnit, share: c === 'idle (waiting)' ? NaN : split.get(c) / busy }));
}
