// Not part of the run: tree-sitter alone, without Threadwise, on the benchmark's inputs. It answers
// two questions the report raises: would the native binding parse faster than the WebAssembly
// build the analyzer ships, and how much of an edit's latency is tree-sitter's incremental
// re-parse by itself.
//   node bench/parsers.mjs                  # WebAssembly only
//   npm install --no-save tree-sitter@0.25.1 && node bench/parsers.mjs
// The native binding is not a dependency: its prebuilt Linux binary needs a newer libstdc++ than
// Debian 12 has (GLIBCXX_3.4.31), so npm builds it from source there (g++, make, python3).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { concurrencyCorpus, findStdlib, wholeStdlib } from './lib/corpus.mjs';
import { positionAt, takeEdits } from './lib/edits.mjs';
import { editingFile, stdlibStream } from './lib/replay.mjs';
import { median, ms, percentile, plainTable } from './lib/util.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO, 'package.json'));
const ROUNDS = 3;

await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
const wasmParser = new Parser();
wasmParser.setLanguage(await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));

/** Each parser as the same three operations: parse (from scratch or from an edited old tree), edit, free. */
const parsers = [{
  name: 'WebAssembly (web-tree-sitter)',
  parse: (text, old) => wasmParser.parse(text, old),
  free: (tree) => tree.delete(),
}];
try {
  const Native = require('tree-sitter');
  const native = new Native();
  native.setLanguage(require('tree-sitter-python'));
  // The binding reads a JS string in chunks of bufferSize; one chunk for the whole text.
  parsers.push({ name: 'native (tree-sitter)', parse: (text, old) => native.parse(text, old, { bufferSize: text.length * 2 + 16 }), free: () => {} });
} catch (err) {
  process.stderr.write(`native tree-sitter not available (${err.message.split('\n')[0]}); measuring WebAssembly only\n`);
}

const { dir } = findStdlib();
const concurrency = concurrencyCorpus(dir);
const everything = wholeStdlib(dir);

const rows = [];
for (const p of parsers) {
  const runs = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const t0 = performance.now();
    for (const f of everything.files) p.free(p.parse(f.text));
    runs.push(performance.now() - t0);
  }
  // The first round warms up the JIT and the allocator.
  rows.push([p.name, `${everything.files.length} files`, ms(median(runs.slice(1)))]);
}
process.stdout.write(`Full parse of the whole stdlib (${everything.lines} lines), median of ${ROUNDS} rounds:\n${plainTable(['Parser', 'Corpus', 'ms'], rows)}\n\n`);

// The editing session of section 2, replayed in the bare parser: tree.edit, then a re-parse from
// the edited old tree, each edit timed.
const text = editingFile(stdlibStream(concurrency, everything), 5_000);
const edits = takeEdits(text, 500, 1);
const editRows = [];
for (const p of parsers) {
  let doc = text;
  let tree = p.parse(doc);
  const times = [];
  const slowest = [];
  for (const [i, e] of edits.entries()) {
    const start = positionAt(doc, e.start);
    const oldEnd = positionAt(doc, e.end);
    const next = doc.slice(0, e.start) + e.newText + doc.slice(e.end);
    const newEnd = positionAt(next, e.start + e.newText.length);
    tree.edit({
      startIndex: e.start, oldEndIndex: e.end, newEndIndex: e.start + e.newText.length,
      startPosition: { row: start.line, column: start.character },
      oldEndPosition: { row: oldEnd.line, column: oldEnd.character },
      newEndPosition: { row: newEnd.line, column: newEnd.character },
    });
    const t0 = performance.now();
    const fresh = p.parse(next, tree);
    const dt = performance.now() - t0;
    p.free(tree);
    tree = fresh;
    doc = next;
    times.push(dt);
    slowest.push([dt, i, e.kind, start.line + 1]);
  }
  p.free(tree);
  slowest.sort((a, b) => b[0] - a[0]);
  editRows.push([p.name, ms(percentile(times, 50)), ms(percentile(times, 95)), ms(Math.max(...times)),
    slowest.slice(0, 3).map(([dt, i, kind, line]) => `#${i} ${kind} on line ${line}: ${ms(dt)}`).join('; ')]);
}
process.stdout.write(`Incremental re-parse per edit of section 2's session (stdlib-cut file, ${edits.length} edits), tree-sitter alone:\n` +
  `${plainTable(['Parser', 'p50 ms', 'p95 ms', 'max ms', 'slowest edits'], editRows)}\n`);
