import { loadAnalyzer } from './lib/analyzer-bundle.mjs';
import { denseFile } from './lib/dense.mjs';
import { takeEdits } from './lib/edits.mjs';
import { concurrencyCorpus, findStdlib, wholeStdlib } from './lib/corpus.mjs';
import { editingFile, stdlibStream } from './lib/replay.mjs';
import { makeTempDir, percentile, removeTempDir } from './lib/util.mjs';
import { performance } from 'node:perf_hooks';
const dir = makeTempDir('tw-k-');
const tw = await loadAnalyzer(process.cwd(), dir);
const dense = process.argv.includes('--dense');
let text;
if (dense) text = denseFile(5000); else { const { dir: d } = findStdlib(); const c = concurrencyCorpus(d); text = editingFile(stdlibStream(c, wholeStdlib(d)), 5000); }
const edits = takeEdits(text, 300, 1);
for (let round = 0; round < 2; round++) {
  const store = new tw.DocumentStore(tw.parser);
  let entry = store.open('file:///x.py', 'python', 1, text);
  tw.analyzeTree(text, entry.tree, undefined, entry.incremental);
  const by = new Map(); let v = 1;
  for (const e of edits) {
    const c0 = process.cpuUsage(); 
    entry = store.change('file:///x.py', ++v, [{ range: e.range, text: e.newText }]);
    const c1 = process.cpuUsage(c0);
    const c2 = process.cpuUsage();
    const r = tw.analyzeTree(entry.doc.getText(), entry.tree, undefined, entry.incremental);
    const c3 = process.cpuUsage(c2);
    const k = e.kind + (entry.tree.rootNode.hasError ? ' (broken)' : '');
    if (!by.has(k)) by.set(k, { parse: [], analyze: [] });
    by.get(k).parse.push((c1.user + c1.system) / 1000); by.get(k).analyze.push((c3.user + c3.system) / 1000);
  }
  store.close('file:///x.py');
  if (round === 1) for (const [k, { parse, analyze }] of by) console.log(k.padEnd(28), String(parse.length).padStart(4), 'parse p50/p95', percentile(parse, 50).toFixed(1), percentile(parse, 95).toFixed(1), ' analyze p50/p95', percentile(analyze, 50).toFixed(1), percentile(analyze, 95).toFixed(1));
}
removeTempDir(dir);
