// threadwise.editCheck over a real LSP connection: a keystroke inside a function is answered with
// that function's findings at once, and the whole file's follow once typing pauses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RobustSession } from '../robustness/support/session';
import { EDITED_MODULE as TEXT } from '../support/edited-module';


/** One change replacing the first `find` after `from` by `replace`, in LSP positions of `text`. */
function replaceAfter(text: string, from: string, find: string, replace: string) {
  const at = text.indexOf(find, text.indexOf(from));
  const doc = TextDocument.create('file:///x.py', 'python', 0, text);
  return { change: { range: { start: doc.positionAt(at), end: doc.positionAt(at + find.length) }, text: replace }, text: text.slice(0, at) + replace + text.slice(at + find.length) };
}

const codesOf = (diagnostics: Array<{ code?: unknown }>): string[] => diagnostics.map((d) => String(d.code)).sort();

describe('threadwise.editCheck with a push client', () => {
  for (const editCheck of ['quick', 'full'] as const) {
    test(`${editCheck}: an edit in main() that puts worker() on a thread; its finding in worker() shows ${editCheck === 'quick' ? 'once typing pauses' : 'at once'}`, async () => {
      const s = new RobustSession();
      try {
        await s.initialize({}, { editCheck });
        const uri = 'file:///project/quick.py';
        await s.open(uri, TEXT);
        const opened = await s.nextPublish(uri, (p) => p.version === 1);
        assert.deepEqual(codesOf(opened.diagnostics), ['TW101']);
        // A finding of fetch's own, typed in fetch: every answer has it at once, handler's moved along.
        const first = replaceAfter(TEXT, 'async def fetch', 'await asyncio.sleep(1)', 'time.sleep(1)');
        const v2 = await s.change(uri, [first.change]);
        const answer2 = await s.nextPublish(uri, (p) => p.version === v2);
        assert.deepEqual(codesOf(answer2.diagnostics), ['TW101', 'TW101']);
        const second = replaceAfter(first.text, 'def main', 'pass', 'threading.Thread(target=worker).start()');
        const v3 = await s.change(uri, [second.change]);
        const answer3 = await s.nextPublish(uri, (p) => p.version === v3);
        if (editCheck === 'full') {
          assert.deepEqual(codesOf(answer3.diagnostics), ['TW101', 'TW101', 'TW502']);
        } else {
          assert.deepEqual(codesOf(answer3.diagnostics), ['TW101', 'TW101'], 'the keystroke is answered for main() alone');
          // Published again for the same version once the whole file was checked.
          const settled = await s.nextPublish(uri, (p) => p.version === v3 && p.diagnostics.length === 3);
          assert.deepEqual(codesOf(settled.diagnostics), ['TW101', 'TW101', 'TW502']);
        }
      } finally {
        await s.close();
      }
    });
  }
});

describe('threadwise.editCheck with a pull client', () => {
  let s: RobustSession;
  let refreshes = 0;
  before(async () => {
    s = new RobustSession();
    s.connection.onRequest('workspace/diagnostic/refresh', () => {
      refreshes++;
      return null;
    });
    await s.initialize({ textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } });
  });
  after(async () => s.close());

  test('the quick answer first; once typing pauses the server asks for a refresh and the pull has the whole file\'s findings', async () => {
    const uri = 'file:///project/quick-pull.py';
    await s.open(uri, TEXT);
    assert.deepEqual(codesOf(await s.pull(uri)), ['TW101']);
    const before = refreshes;
    const edit = replaceAfter(TEXT, 'def main', 'pass', 'threading.Thread(target=worker).start()');
    await s.change(uri, [edit.change]);
    assert.deepEqual(codesOf(await s.pull(uri)), ['TW101']);
    const deadline = Date.now() + 10_000;
    while (refreshes === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(refreshes > before, 'a refresh once the whole file was checked');
    assert.deepEqual(codesOf(await s.pull(uri)), ['TW101', 'TW502']);
  });
});
