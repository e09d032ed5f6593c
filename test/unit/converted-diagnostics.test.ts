import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTree } from '../../server/analyzer/analyze';
import { createParser } from '../../server/analyzer/parser';
import { toDiagnostic } from '../../server/lsp/diagnostics';
import { DocumentStore } from '../../server/lsp/documents';

// Diagnostics carried over from the previous version of a document must be exactly what a fresh
// conversion of the new findings gives, whatever the edit did to the lines around them.

function block(i: number, eol: string): string {
  return [
    `async def fetch_${i}(url):`,
    '    time.sleep(0.1)',
    '    asyncio.create_task(flush())',
    '',
    `class Holder${i}:`,
    '    def __init__(self):',
    '        self._lock = threading.Lock()',
    '',
    '    def bump(self):',
    '        self._lock.acquire()',
    '        self.count = 1',
    '',
    '',
  ].join(eol);
}

/** mulberry32, so the edit sequence is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['x', '\n', '\r\n', '\r', '    time.sleep(2)\n', '# note\n', '', '(', 'async def g():\n    time.sleep(1)\n', 'é'];

for (const eol of ['\n', '\r\n']) {
  test(`carried-over diagnostics equal a fresh conversion after random edits (${JSON.stringify(eol)} line ends)`, async () => {
    const store = new DocumentStore(await createParser());
    const uri = 'file:///converted.py';
    let text = `import asyncio${eol}import threading${eol}import time${eol}${eol}` + Array.from({ length: 12 }, (_, i) => block(i, eol)).join('');
    let entry = store.open(uri, 'python', 1, text);
    const next = rng(eol.length);
    let reused = 0;
    let total = 0;
    let carried = 0;
    let previousObjects = new Set<unknown>();
    try {
      for (let v = 2; v < 80; v++) {
        const start = Math.floor(next() * (text.length + 1));
        const end = Math.min(text.length, start + (next() < 0.3 ? Math.floor(next() * 30) : 0));
        const insert = SNIPPETS[Math.floor(next() * SNIPPETS.length)]!;
        const doc = entry.doc;
        const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
        entry = store.change(uri, v, [{ range, text: insert }])!;
        text = entry.doc.getText();
        const previous = entry.converted;
        const before = new Set<unknown>();
        const findings = analyzeTree(text, entry.tree, undefined, { incremental: entry.incremental }).findings;
        const { diagnostics } = previous.convert(entry.doc, findings);
        assert.deepEqual(diagnostics, findings.map((f) => toDiagnostic(entry.doc, f)), `version ${v}`);
        for (const d of diagnostics) before.add(d);
        carried += diagnostics.filter((d) => previousObjects.has(d)).length;
        previousObjects = before;
        total += diagnostics.length;
        // The same version converted again hands back the very same objects and result id.
        const again = previous.convert(entry.doc, findings);
        assert.ok(again.diagnostics.every((d) => before.has(d)), 'same version, same objects');
        reused += again.diagnostics.length;
      }
      assert.ok(total > 0 && reused === total);
      assert.ok(carried > total / 4, `only ${carried} of ${total} diagnostics carried over from the previous version as they were`);
    } finally {
      store.close(uri);
    }
  });
}

test('an edit that moves no finding keeps the result id; one that moves findings keeps their objects where it can and changes the id', async () => {
  const store = new DocumentStore(await createParser());
  const uri = 'file:///ids.py';
  const text = 'import asyncio\nimport time\n\n' + Array.from({ length: 5 }, (_, i) => block(i, '\n')).join('') + '# end\n';
  let entry = store.open(uri, 'python', 1, text);
  try {
    const convert = () => entry.converted.convert(entry.doc, analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental }).findings);
    const first = convert();
    assert.ok(first.diagnostics.length >= 10, `${first.diagnostics.length} diagnostics`);
    // Typing in the last comment, after every finding.
    const last = entry.doc.positionAt(text.length - 1);
    entry = store.change(uri, 2, [{ range: { start: last, end: last }, text: ' more' }])!;
    const second = convert();
    assert.equal(second.resultId, first.resultId);
    assert.ok(second.diagnostics.every((d, i) => d === first.diagnostics[i]));
    // A line inserted in the middle: findings above keep their objects, those below move down a line.
    const mid = entry.doc.getText().indexOf('class Holder2');
    const at = entry.doc.positionAt(mid);
    entry = store.change(uri, 3, [{ range: { start: at, end: at }, text: 'x = 1\n' }])!;
    const third = convert();
    assert.notEqual(third.resultId, second.resultId);
    const above = third.diagnostics.filter((d) => d.range.start.line < at.line);
    const below = third.diagnostics.filter((d) => d.range.start.line > at.line);
    assert.ok(above.length > 0 && below.length > 0);
    for (const d of above) assert.ok(second.diagnostics.includes(d), 'a diagnostic above the edit is the same object');
    for (const d of below) {
      const old = second.diagnostics.find((o) => o.message === d.message && o.code === d.code && o.range.start.line === d.range.start.line - 1);
      assert.ok(old, `a diagnostic below the edit moved down one line: ${d.code} at ${d.range.start.line}`);
    }
  } finally {
    store.close(uri);
  }
});
