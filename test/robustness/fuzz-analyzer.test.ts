// Property-based fuzzing of the analyzer and of the server's incremental document store.
// Seeds and run counts are fixed, so a run is reproducible; on a failure fast-check prints the
// seed, the path and the shrunk counterexample, and `FUZZ_SEED=<seed>` replays it.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Parser } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, analyzeTree } from '../../server/analyzer/analyze';
import { createParser } from '../../server/analyzer/parser';
import { DocumentStore } from '../../server/lsp/documents';
import { applyFractionalEdits, fractionalEdit, insertion, loadCorpus, resolveEdit, snapOffset, tokenSoup, type CorpusFile } from './support/corpus';
import { checkResult } from './support/invariants';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261122;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns, endOnFailure: true });

/** The analysis of a text, the invariants on it, and the invariants on every text its fixes produce. */
async function analyzeAndCheck(source: string): Promise<void> {
  const result = await analyzeSource(source);
  const fixedTexts = checkResult(source, result);
  for (const fixed of fixedTexts) checkResult(fixed, await analyzeSource(fixed));
}

describe('analyzer under random and mutated Python', () => {
  let corpus: CorpusFile[];
  before(() => {
    corpus = loadCorpus();
    assert.ok(corpus.length > 50, `the corpus has only ${corpus.length} files`);
  });

  test('every corpus file as it is', async () => {
    for (const file of corpus) {
      await assert.doesNotReject(analyzeAndCheck(file.text), `${file.name}`);
    }
  });

  test('token soup', async () => {
    await fc.assert(fc.asyncProperty(tokenSoup, analyzeAndCheck), params(400));
  });

  test('every prefix length class of real files (truncations)', async () => {
    const pick = fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }));
    await fc.assert(fc.asyncProperty(pick, async ([i, frac]) => {
      const file = corpus[i % corpus.length]!;
      await analyzeAndCheck(file.text.slice(0, snapOffset(file.text, Math.floor(frac * file.text.length))));
    }), params(150));
  });

  test('real files with random edits (inserted tokens, deletions, pasted snippets)', async () => {
    const mutation = fc.tuple(fc.nat(), fc.array(fractionalEdit, { minLength: 1, maxLength: 12 }));
    await fc.assert(fc.asyncProperty(mutation, async ([i, edits]) => {
      const file = corpus[i % corpus.length]!;
      await analyzeAndCheck(applyFractionalEdits(file.text, edits));
    }), params(200));
  });

  test('real files with their line endings turned to CRLF or CR and random edits', async () => {
    const mutation = fc.tuple(fc.nat(), fc.constantFrom('\r\n', '\r'), fc.array(fractionalEdit, { maxLength: 4 }));
    await fc.assert(fc.asyncProperty(mutation, async ([i, eol, edits]) => {
      const file = corpus[i % corpus.length]!;
      await analyzeAndCheck(applyFractionalEdits(file.text.replace(/\n/g, eol), edits));
    }), params(60));
  });

  test('a lone CR ends a line as LF does (Python reads both as newlines): the same findings', async () => {
    const pick = fc.tuple(fc.nat(), fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }));
    await fc.assert(fc.asyncProperty(pick, async ([i, mask]) => {
      const file = corpus[i % corpus.length]!;
      let k = 0;
      const mixed = file.text.replace(/\n/g, () => (mask[k++ % mask.length] ? '\r' : '\n'));
      const summary = (r: { findings: Array<{ code: string; start: number; end: number }> }) => r.findings.map((f) => `${f.code}@${f.start}-${f.end}`);
      assert.deepEqual(summary(await analyzeSource(mixed)), summary(await analyzeSource(file.text)), file.name);
    }), params(40));
  });
});

describe('incremental edits through the DocumentStore equal a fresh parse', () => {
  let parser: Parser;
  let corpus: CorpusFile[];
  before(async () => {
    parser = await createParser();
    corpus = loadCorpus();
  });

  /** One didChange: several content changes, each resolved against the text as it is by then. */
  const change = fc.array(fractionalEdit, { minLength: 1, maxLength: 3 });
  const start = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('\n', '\n', '\r\n')).map(([i, eol]) => ({ kind: 'corpus' as const, i, eol })) },
    { weight: 1, arbitrary: tokenSoup.map((text) => ({ kind: 'soup' as const, text })) },
  );
  /** Sometimes the client sends the whole text instead of a range (full sync in the middle). */
  const step = fc.oneof(
    { weight: 9, arbitrary: change.map((edits) => ({ kind: 'ranges' as const, edits })) },
    { weight: 1, arbitrary: insertion.map((text) => ({ kind: 'full' as const, text })) },
  );

  test('random changes on real files and token soup', async () => {
    await fc.assert(fc.asyncProperty(start, fc.array(step, { minLength: 1, maxLength: 15 }), async (s, steps) => {
      const initial = s.kind === 'corpus' ? corpus[s.i % corpus.length]!.text.replace(/\n/g, s.eol) : s.text;
      const store = new DocumentStore(parser);
      const uri = 'file:///fuzz.py';
      store.open(uri, 'python', 1, initial);
      let mirror = initial;
      let version = 1;
      try {
        for (const st of steps) {
          const changes = [];
          if (st.kind === 'full') {
            mirror = mirror + st.text;
            changes.push({ text: mirror });
          } else {
            for (const e of st.edits) {
              // Positions come from the text as it is after the changes before this one, as LSP says.
              const r = resolveEdit(mirror, e);
              const before = TextDocument.create(uri, 'python', 0, mirror);
              changes.push({ range: { start: before.positionAt(r.start), end: before.positionAt(r.end) }, text: r.text });
              mirror = mirror.slice(0, r.start) + r.text + mirror.slice(r.end);
            }
          }
          const entry = store.change(uri, ++version, changes)!;
          assert.equal(entry.doc.getText(), mirror, 'the store holds the text the client holds');
          assert.equal(entry.doc.version, version);
        }
        const entry = store.get(uri)!;
        const incremental = analyzeTree(mirror, entry.tree, undefined, { incremental: entry.incremental });
        checkResult(mirror, incremental);
        // The fresh parse goes through the same store, as the server would parse a just-opened file.
        const freshEntry = store.open('file:///fresh.py', 'python', 1, mirror);
        const fresh = analyzeTree(mirror, freshEntry.tree);
        assert.deepEqual(incremental.findings, fresh.findings, 'findings after incremental re-parses equal a fresh parse');
        assert.equal(incremental.syntaxErrors, fresh.syntaxErrors, 'syntax-error flag');
      } finally {
        store.close(uri);
        store.close('file:///fresh.py');
      }
    }), params(250));
  });
});
