// Replays the benchmark's editing session in process (the server's DocumentStore + analyzeTree,
// as section 2 of run.mjs does) and prints per-edit timings. Run it under `node --cpu-prof` to see
// where the per-edit time goes:
//   node --cpu-prof --cpu-prof-dir=<dir> bench/profile-edits.mjs [--edits=500] [--rounds=3] [--dense]
// --dense edits the finding-dense file (bench/lib/dense.mjs) instead of the stdlib-cut one.
// With --cold it instead times analyzeSource over the concurrency corpus (the cold path).
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAnalyzer } from './lib/analyzer-bundle.mjs';
import { denseFile } from './lib/dense.mjs';
import { concurrencyCorpus, findStdlib, wholeStdlib } from './lib/corpus.mjs';
import { takeEdits } from './lib/edits.mjs';
import { editingFile, inProcessReplay, stdlibStream } from './lib/replay.mjs';
import { makeTempDir, median, percentile, removeTempDir } from './lib/util.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const EDITS = arg('edits', 500);
const ROUNDS = arg('rounds', 3);
const COLD = process.argv.includes('--cold');
const DENSE = process.argv.includes('--dense');

const dir = makeTempDir('threadwise-profile-');
try {
  const tw = await loadAnalyzer(REPO, dir);
  const { dir: stdlib } = findStdlib();
  const concurrency = concurrencyCorpus(stdlib);
  if (COLD) {
    const times = [];
    for (let r = 0; r < ROUNDS + 1; r++) {
      const t0 = performance.now();
      for (const f of concurrency.files) await tw.analyzeSource(f.text);
      times.push(performance.now() - t0);
    }
    console.log(`cold, concurrency corpus: runs ${times.map((t) => t.toFixed(0)).join(', ')} ms; median after warm-up ${median(times.slice(1)).toFixed(1)} ms`);
  } else {
    const text = DENSE ? denseFile(5_000) : editingFile(stdlibStream(concurrency, wholeStdlib(stdlib)), 5_000);
    const edits = takeEdits(text, EDITS, 1);
    for (let r = 0; r < ROUNDS; r++) {
      const { parse, total } = inProcessReplay(tw, text, edits);
      const f = (v) => v.toFixed(2);
      console.log(`round ${r + 1}: per edit p50 ${f(percentile(total, 50))} / p95 ${f(percentile(total, 95))} ms; DocumentStore.change p50 ${f(percentile(parse, 50))} / p95 ${f(percentile(parse, 95))} ms; sum ${total.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
    }
  }
} finally {
  removeTempDir(dir);
}
