import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, analyzeTree, type AnalysisResult } from '../../server/analyzer/analyze';
import { createParser } from '../../server/analyzer/parser';
import { DocumentStore, type OpenDocument } from '../../server/lsp/documents';
import { EDITED_MODULE as MODULE } from '../support/edited-module';
import { stdlibDir } from '../support/stdlib';

// A keystroke inside a function is answered with the rules over that function and the file's
// other findings moved along (AnalysisContext.partialRules); the full analysis that follows when
// typing pauses must be exact again.

const codes = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.code}@${f.start}`);

/** A document in a store, edited by replacing text, analyzed the way the server does after an edit. */
async function editor(text: string) {
  const store = new DocumentStore(await createParser());
  const uri = 'file:///partial.py';
  let entry: OpenDocument = store.open(uri, 'python', 1, text);
  analyzeTree(text, entry.tree, undefined, { incremental: entry.incremental });
  let version = 1;
  return {
    get text() {
      return entry.doc.getText();
    },
    /** Replaces the first `find` after `after` by `replace`, then analyzes quickly. */
    edit(find: string, replace: string, after = 0): AnalysisResult {
      const now = entry.doc.getText();
      const at = now.indexOf(find, after);
      assert.ok(at >= 0, `${find} is in the text`);
      const doc = TextDocument.create(uri, 'python', 0, now);
      entry = store.change(uri, ++version, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + find.length) }, text: replace }])!;
      return analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental, partialRules: true });
    },
    full(): AnalysisResult {
      return analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental });
    },
    close: () => store.close(uri),
  };
}


test('typing in a function body checks that function at once and moves the other findings along', async () => {
  const e = await editor(MODULE);
  try {
    const before = e.full();
    assert.deepEqual(before.findings.map((f) => f.code), ['TW101']);
    const quick = e.edit('    await asyncio.sleep(1)', '    await asyncio.sleep(1)\n    time.sleep(3)');
    assert.equal(quick.partial, true);
    const fresh = await analyzeSource(e.text);
    assert.deepEqual(codes(quick), codes(fresh), 'the new finding in fetch, and handler\'s moved to its new place');
    assert.equal(quick.findings.find((f) => f.start === fresh.findings[1]!.start)?.message, fresh.findings[1]!.message);
  } finally {
    e.close();
  }
});

test('what an edit changes outside its function shows only with the full analysis that follows', async () => {
  const e = await editor(MODULE);
  try {
    e.full();
    // main() now runs worker on a thread: worker's update of a global becomes a finding.
    const quick = e.edit('    pass', '    threading.Thread(target=worker).start()');
    assert.equal(quick.partial, true);
    assert.ok(!quick.findings.some((f) => f.code === 'TW502'), 'the quick answer does not see it yet');
    const full = e.full();
    assert.equal(full.partial, undefined);
    assert.deepEqual(codes(full), codes(await analyzeSource(e.text)));
    assert.ok(full.findings.some((f) => f.code === 'TW502'));
  } finally {
    e.close();
  }
});

test('outside function bodies the quick answer re-checks the top-level statements the change reaches; most of the file, the whole file', async () => {
  const e = await editor(MODULE);
  try {
    e.full();
    // Module level, a def line, a decorator added, and from worker's body into fetch's def line.
    for (const [find, replace] of [
      ['counter = 0', 'counter = 1'],
      ['def main():', 'def main(x=1):'],
      ['async def handler', '@staticmethod\nasync def handler'],
      ['counter += 1\n\n\nasync def fetch', 'counter += 2\n\n\nasync def fetch_all'],
    ] as const) {
      const r = e.edit(find, replace);
      assert.equal(r.partial, true, replace);
      assert.deepEqual(codes(r), codes(await analyzeSource(e.text)), replace);
    }
    // From the first import to main's body: more than half the file.
    const now = e.text;
    const whole = now.slice(0, now.indexOf('    pass') + '    pass'.length);
    const across = e.edit(whole, whole.replace('import asyncio', 'import asyncio as aio').replace('    pass', '    return'));
    assert.equal(across.partial, undefined);
    assert.deepEqual(codes(across), codes(await analyzeSource(e.text)));
  } finally {
    e.close();
  }
});

test('an edit that changes how the code after it parses is answered for all the code it changed', async () => {
  // A string or a bracket left open in worker re-reads the functions after it: either they become
  // part of worker, whose sites the quick answer visits, or the syntax outside worker changed and
  // the whole file is checked. Either way no finding of the old parse survives.
  for (const opened of ['    s = """', '    s = (1,', '    s = f"{']) {
    const e = await editor(MODULE);
    try {
      e.full();
      const r = e.edit('    counter += 1', `    counter += 1\n${opened}`);
      assert.deepEqual(codes(r), codes(await analyzeSource(e.text)), opened);
    } finally {
      e.close();
    }
  }
});

test('a comment typed after a quick answer keeps it quick, and only a full analysis ends that', async () => {
  const e = await editor(MODULE);
  try {
    e.full();
    e.edit('    pass', '    threading.Thread(target=worker).start()');
    const comment = e.edit('threading.Thread(target=worker).start()', 'threading.Thread(target=worker).start()  # start it');
    assert.equal(comment.partial, true, 'the moved findings are still the quick answer\'s');
    assert.ok(e.full().findings.some((f) => f.code === 'TW502'));
  } finally {
    e.close();
  }
});

test('random keystrokes in stdlib functions: each full analysis after quick ones equals a fresh one', async () => {
  const text = fs.readFileSync(path.join(stdlibDir(), 'asyncio', 'base_events.py'), 'utf8');
  const e = await editor(text);
  let seed = 5;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  // Whole statements, typed at the start of a line at its indentation: the file keeps parsing.
  const typed = ['x = 1', 'time.sleep(1)', 'self._lock.acquire()', 'await asyncio.sleep(0)', 'threading.Thread(target=self.close).start()', 'asyncio.ensure_future(self._run())', 'pass'];
  let quick = 0;
  try {
    e.full();
    for (let i = 0; i < 60; i++) {
      const now = e.text;
      // A position inside some function body: after the indentation of a line that has some.
      const lines = [...now.matchAll(/\n( {8,})[a-z]/g)];
      const m = lines[Math.floor(next() * lines.length)]!;
      const at = m.index! + 1 + m[1]!.length;
      const r = e.edit(now.slice(at, at + 1), `${typed[Math.floor(next() * typed.length)]!}\n${m[1]!}${now.slice(at, at + 1)}`, at);
      if (r.partial) quick++;
      if (i % 5 === 4) assert.deepEqual(codes(e.full()), codes(await analyzeSource(e.text)), `after edit ${i}`);
    }
    assert.ok(quick >= 20, `most keystrokes were answered quickly (${quick} of 60)`);
  } finally {
    e.close();
  }
});
