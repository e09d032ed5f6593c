// Hard inputs through the real language server over stdio: each test asserts the finding the
// user should get, at its UTF-16 range, or the message the server gives instead.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { RobustSession, virtualUri, type Diagnostic } from './support/session';
import { bigFile, nestedDefs, TW101_FILE } from './support/hard-inputs';

/** The TW101 diagnostics, as [line, startChar, endChar] triples. */
function tw101(items: Diagnostic[]): Array<[number, number, number]> {
  return items.filter((d) => d.code === 'TW101').map((d) => {
    assert.equal(d.range.start.line, d.range.end.line, 'time.sleep(...) stays on one line');
    return [d.range.start.line, d.range.start.character, d.range.end.character];
  });
}

describe('language server: hard inputs', () => {
  let s: RobustSession;
  const shown: string[] = [];
  before(async () => {
    s = new RobustSession();
    s.connection.onNotification('window/showMessage', (p: { message: string }) => { shown.push(p.message); });
    await s.initialize();
  });
  after(async () => s.close());

  test('syntax errors before, around and after the finding', async () => {
    const uri = virtualUri('syntax.py');
    const text = 'import time\ndef broken(:\n    pass\n)))\nasync def f():\n    time.sleep(1)\nclass X(\n]]] def def\n';
    await s.open(uri, text);
    assert.deepEqual(tw101(await s.pull(uri)), [[5, 4, 17]]);
  });

  test('syntax errors on every line: no findings, and the server still answers', async () => {
    const uri = virtualUri('garbage.py');
    const lines = Array.from({ length: 2000 }, (_, i) => ['def (', ')))', 'with with:', 'await', 'class :', '"""', '\\', 'async async'][i % 8]);
    await s.open(uri, lines.join('\n'));
    const items = await s.pull(uri);
    for (const d of items) assert.ok(d.range.start.line < 2000, 'ranges inside the document');
  });

  test('a 10 MB file is declined with a message the user sees, and other files are still checked', async () => {
    const uri = virtualUri('big.py');
    const text = bigFile(10_000_000);
    await s.open(uri, text);
    assert.deepEqual(await s.pull(uri), []);
    const expected = `Threadwise skipped ${uri}: ${text.length} characters is over the 5000000 limit.`;
    assert.ok(s.logs.includes(expected), `log has the reason; got ${JSON.stringify(s.logs.slice(-3))}`);
    assert.ok(shown.includes(expected), `the user is told (window/showMessage); got ${JSON.stringify(shown)}`);
    // A second pull of the same file does not pop the message up again.
    await s.pull(uri);
    assert.equal(shown.filter((m) => m === expected).length, 1);
    const small = virtualUri('after-big.py');
    await s.open(small, TW101_FILE);
    assert.deepEqual(tw101(await s.pull(small)), [[3, 4, 17]]);
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('5,000 levels of nesting: parentheses, lists, lambdas; 1,000 nested defs and ifs', async () => {
    const cases: Record<string, string> = {
      parens: `x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`,
      lists: `x = ${'['.repeat(5000)}1${']'.repeat(5000)}\n`,
      lambdas: `g = ${'lambda: '.repeat(5000)}1\n`,
      defs: nestedDefs(1000),
    };
    for (const [name, body] of Object.entries(cases)) {
      const uri = virtualUri(`nest-${name}.py`);
      const text = body + TW101_FILE;
      await s.open(uri, text);
      const line = text.split('\n').length - 2;
      assert.deepEqual(tw101(await s.pull(uri)), [[line, 4, 17]], name);
    }
  });

  test('a 400,000-character line: the finding at its far end', async () => {
    const uri = virtualUri('long-line.py');
    const prefix = `    x = ${Array.from({ length: 100_000 }, () => '1').join('+')}; `;
    const text = `import time\nasync def f():\n${prefix}time.sleep(1)\n`;
    await s.open(uri, text);
    assert.deepEqual(tw101(await s.pull(uri)), [[2, prefix.length, prefix.length + 13]]);
  });

  test('CRLF, and CRLF mixed with LF: lines and characters as the client counts them', async () => {
    const crlf = virtualUri('crlf.py');
    await s.open(crlf, TW101_FILE.replace(/\n/g, '\r\n'));
    assert.deepEqual(tw101(await s.pull(crlf)), [[3, 4, 17]]);
    const mixed = virtualUri('mixed.py');
    await s.open(mixed, 'import time\r\n\nasync def f():\r\n    x = 1\n    time.sleep(1)\r\n');
    assert.deepEqual(tw101(await s.pull(mixed)), [[4, 4, 17]]);
    // An incremental edit that inserts a CRLF line above moves the finding down one line.
    await s.change(mixed, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'y = 2\r\n' }]);
    assert.deepEqual(tw101(await s.pull(mixed)), [[5, 4, 17]]);
  });

  test('tabs count as one character', async () => {
    const uri = virtualUri('tabs.py');
    await s.open(uri, 'import time\nasync def f():\n\tif x:\n\t\ttime.sleep(1)\n');
    assert.deepEqual(tw101(await s.pull(uri)), [[3, 2, 15]]);
  });

  test('non-ASCII identifiers and astral characters: UTF-16 columns, fix edits included', async () => {
    const uri = virtualUri('unicode.py');
    const line = '    𝔘𝔫𝔦 = "😀"; データ = 1; time.sleep(𝔘𝔫𝔦)';
    await s.open(uri, `import time\nasync def f():\n${line}\n`);
    const items = await s.pull(uri);
    const start = line.indexOf('time.sleep'); // UTF-16 index, as LSP counts
    assert.equal(start, 28, 'the line has 6 astral halves and 3 BMP CJK characters before time.sleep');
    assert.deepEqual(tw101(items), [[2, start, line.length]]);
    const fix = items.find((d) => d.code === 'TW101')!.data!.fix!;
    const edit = fix.edits.find((e) => e.range.start.line === 2)!;
    assert.equal(edit.range.start.character, start);
  });

  test('an empty file and a file of only whitespace', async () => {
    for (const [name, text] of [['empty.py', ''], ['blank.py', '\n\n   \n\t\n']] as const) {
      const uri = virtualUri(name);
      await s.open(uri, text);
      assert.deepEqual(await s.pull(uri), [], name);
    }
  });

  test('a file deleted on disk while open: the editor text is still checked, then closed cleanly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-deleted-'));
    const file = path.join(dir, 'gone.py');
    fs.writeFileSync(file, TW101_FILE);
    const uri = pathToFileURL(file).href;
    await s.open(uri, TW101_FILE);
    assert.deepEqual(tw101(await s.pull(uri)), [[3, 4, 17]]);
    fs.rmSync(dir, { recursive: true, force: true });
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited after deletion\n' }]);
    assert.deepEqual(tw101(await s.pull(uri)), [[4, 4, 17]]);
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual(await s.pull(uri), [], 'a closed document has no diagnostics');
    assert.equal(s.stderr.includes('Error'), false, `no errors on stderr: ${s.stderr}`);
  });
});
