// The editing session replayed in process, shared by run.mjs (section 2) and profile-edits.mjs.
import { performance } from 'node:perf_hooks';
import { countLines, HAZARD_BLOCK, syntheticFiles } from './corpus.mjs';

/** The stdlib as one stream of files, the concurrency modules first: what synthetic files are cut from. */
export function stdlibStream(concurrency, everything) {
  const inConcurrency = new Set(concurrency.files.map((f) => f.rel));
  return [...concurrency.files, ...everything.files.filter((f) => !inConcurrency.has(f.rel))];
}

/** The file the editing session works on: `lines` lines cut from the stream, ending in the known hazards. */
export function editingFile(stream, lines) {
  return syntheticFiles(stream, 1, lines - countLines(HAZARD_BLOCK))[0] + HAZARD_BLOCK;
}

/**
 * The server's per-change work without the LSP, through its own DocumentStore: tree.edit,
 * incremental re-parse (timed alone as well), then analyzeTree, which reuses the previous
 * version's plain-JS copy of the statements the change did not touch and, as the server's default
 * `threadwise.editCheck: quick` does, runs the rules over the edited function only. After every
 * `pauseEvery`-th edit the whole-file check the server makes when typing pauses is run and timed
 * apart (`pause`).
 */
export function inProcessReplay(tw, text, edits, pauseEvery = 10) {
  const store = new tw.DocumentStore(tw.parser);
  const uri = 'file:///bench/replay.py';
  let entry = store.open(uri, 'python', 1, text);
  tw.analyzeTree(text, entry.tree, undefined, { incremental: entry.incremental });
  const parse = [];
  const total = [];
  const pause = [];
  let version = 1;
  try {
    for (const [i, e] of edits.entries()) {
      const t0 = performance.now();
      entry = store.change(uri, ++version, [{ range: e.range, text: e.newText }]);
      const t1 = performance.now();
      const quick = tw.analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental, partialRules: true });
      const t2 = performance.now();
      parse.push(t1 - t0);
      total.push(t2 - t0);
      if (quick.partial && i % pauseEvery === pauseEvery - 1) {
        const p0 = performance.now();
        tw.analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental });
        pause.push(performance.now() - p0);
      }
    }
  } finally {
    store.close(uri);
  }
  return { parse, total, pause };
}
