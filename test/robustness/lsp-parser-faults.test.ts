// The parser under strain: documents over the size limit are never parsed (tree-sitter's
// WebAssembly aborts on a few of them and stays dead), and a parser that fails is replaced,
// or, when no parser works any more, the server exits so the client starts a fresh one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RobustSession, virtualUri } from './support/session';
import { TW101_FILE } from './support/hard-inputs';

describe('language server: parser faults', () => {
  test('three 20 MB documents are declined unparsed, each with one message, and later files are still checked', async () => {
    const s = new RobustSession();
    const shown: string[] = [];
    s.connection.onNotification('window/showMessage', (p: { message: string }) => { shown.push(p.message); });
    try {
      await s.initialize();
      const big = `${'x = 1\n'.repeat(3_400_000)}${TW101_FILE}`;
      for (let i = 0; i < 3; i++) {
        const uri = virtualUri(`huge-${i}.py`);
        await s.open(uri, big);
        // An edit to a declined document must not parse it either.
        await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
        assert.deepEqual(await s.pull(uri), []);
        assert.equal(shown.filter((m) => m.startsWith(`Threadwise skipped ${uri}:`)).length, 1, JSON.stringify(shown));
      }
      const small = virtualUri('after-huge.py');
      await s.open(small, TW101_FILE);
      assert.deepEqual((await s.pull(small)).map((d) => [d.code, d.range.start.line]), [['TW101', 3]]);
    } finally {
      await s.close();
    }
  });

  test('a parser that fails (THREADWISE_TEST_BREAK_PARSER=3) is replaced and the edit is still checked', async () => {
    const s = new RobustSession({ THREADWISE_TEST_BREAK_PARSER: '3' });
    try {
      await s.initialize();
      const uri = virtualUri('parser-breaks.py');
      await s.open(uri, TW101_FILE); // parse 1
      await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]); // parse 2
      await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]); // parse 3 fails
      assert.deepEqual((await s.pull(uri)).map((d) => [d.code, d.range.start.line]), [['TW101', 5]]);
      await s.waitForLog((l) => l.startsWith('The parser failed (RuntimeError: Aborted()'));
      await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
      assert.deepEqual((await s.pull(uri)).map((d) => [d.code, d.range.start.line]), [['TW101', 6]]);
    } finally {
      await s.close();
    }
  });

  test('when no parser works any more (THREADWISE_TEST_BREAK_PARSER=2,module) the server exits with 1', async () => {
    const s = new RobustSession({ THREADWISE_TEST_BREAK_PARSER: '2,module' });
    try {
      await s.initialize();
      const uri = virtualUri('module-dies.py');
      await s.open(uri, TW101_FILE);
      await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
      assert.equal(await s.exitCode(), 1);
      assert.match(s.stderr, /the parser failed again/);
    } finally {
      await s.close();
    }
  });
});
