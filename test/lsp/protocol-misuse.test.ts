// Clients that break the protocol's rules: repeated or null versions, a second didOpen or
// initialize, requests after shutdown, broken framing, and pulls of saved findings after edits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LspSession } from '../support/lsp-client';
import { ConfigClient } from './config-support';

const URI = 'file:///project/misuse.py';
const HAZARD = 'import time\n\n\nasync def f():\n    time.sleep(1)\n';
const CLEAN = 'import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n';

async function pullCodes(s: LspSession, uri = URI): Promise<string[]> {
  const report = (await s.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: Array<{ code: string }> };
  return report.items.map((d) => d.code);
}

async function initialized(s: LspSession): Promise<void> {
  await s.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } });
  await s.connection.sendNotification('initialized', {});
}

describe('language server: versions the client gets wrong', () => {
  let s: LspSession;
  before(async () => {
    s = new LspSession();
    await initialized(s);
  });
  after(async () => s.close());

  test('a change that repeats the version is checked: the text decides, not the version number', async () => {
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'python', version: 1, text: HAZARD } });
    assert.deepEqual(await pullCodes(s), ['TW101']);
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 1 }, contentChanges: [{ text: CLEAN }] });
    assert.deepEqual(await pullCodes(s), []);
  });

  test('a change with a null version is checked', async () => {
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: null }, contentChanges: [{ text: HAZARD }] });
    assert.deepEqual(await pullCodes(s), ['TW101']);
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: null }, contentChanges: [{ text: CLEAN }] });
    assert.deepEqual(await pullCodes(s), []);
  });

  test('a second didOpen without didClose replaces the text, even with the same version', async () => {
    const uri = 'file:///project/reopened.py';
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 7, text: HAZARD } });
    assert.deepEqual(await pullCodes(s, uri), ['TW101']);
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 7, text: CLEAN } });
    assert.deepEqual(await pullCodes(s, uri), []);
  });
});

describe('language server: initialize and shutdown out of order', () => {
  test('a second initialize is refused with InvalidRequest and the open documents stay', async () => {
    const s = new LspSession();
    try {
      await initialized(s);
      await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'python', version: 1, text: HAZARD } });
      await assert.rejects(
        s.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } }),
        (err: { code?: number }) => err.code === -32600,
      );
      assert.deepEqual(await pullCodes(s), ['TW101']);
    } finally {
      await s.close();
    }
  });

  test('after shutdown, requests get InvalidRequest; exit then ends the process with 0', async () => {
    const s = new LspSession();
    try {
      await initialized(s);
      await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'python', version: 1, text: HAZARD } });
      await s.connection.sendRequest('shutdown');
      const invalid = (err: { code?: number }) => err.code === -32600;
      await assert.rejects(s.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } }), invalid);
      await assert.rejects(s.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      }), invalid);
      await assert.rejects(s.connection.sendRequest('shutdown'), invalid);
      await s.connection.sendNotification('exit');
      assert.equal(await s.exitCode(), 0);
    } finally {
      await s.close();
    }
  });

  test('exit without shutdown ends the process with 1', async () => {
    const s = new LspSession();
    try {
      await initialized(s);
      await s.connection.sendNotification('exit');
      assert.equal(await s.exitCode(), 1);
    } finally {
      await s.close();
    }
  });
});

describe('language server: broken message framing', () => {
  const cases: Record<string, string> = {
    'a header line without a colon': 'garbage without a colon\r\n\r\n',
    'a Content-Length that is not a number': 'Content-Length: many\r\n\r\n{}',
    'a body that is not JSON': 'Content-Length: 9\r\n\r\n{not json',
  };
  for (const [name, bytes] of Object.entries(cases)) {
    test(`${name}: the server exits with a non-zero code, so the client restarts it`, async () => {
      const s = new LspSession();
      try {
        await initialized(s);
        s.writeRaw(bytes);
        const code = await s.exitCode();
        assert.notEqual(code, 0);
        assert.notEqual(code, null);
      } finally {
        await s.close();
      }
    });
  }
});

describe('language server: run onSave, pulled after an edit', () => {
  let c: ConfigClient;
  before(async () => {
    c = new ConfigClient();
    c.settings = { run: 'onSave' };
    await c.start();
  });
  after(async () => c.close());

  test('the saved findings keep only ranges that exist in the text as it is now', async () => {
    const saved = `${'# padding line\n'.repeat(10)}import time\n\n\nasync def f():\n    time.sleep(1)\n`;
    await c.open('saved.py', saved);
    const before = (await c.pull('saved.py')).items;
    assert.deepEqual(before.map((d) => [d.code, d.range.start.line]), [['TW101', 14]]);
    // Cut everything but two short lines: the saved finding's line no longer exists.
    const now = 'import time\nx = 1\n';
    await c.edit('saved.py', now);
    const lines = now.split('\n');
    for (const d of (await c.pull('saved.py')).items) {
      for (const p of [d.range.start, d.range.end]) {
        assert.ok(p.line < lines.length && p.character <= lines[p.line]!.length, `${JSON.stringify(d.range)} is outside the document`);
      }
    }
    // Shortened rather than removed: the saved finding's start still exists, its end does not.
    await c.edit('saved.py', `${'# padding line\n'.repeat(10)}import time\n\n\nasync def f():\n    time.sl`);
    const cut = (await c.pull('saved.py')).items;
    assert.deepEqual(cut.map((d) => [d.code, d.range.start, d.range.end]), [['TW101', { line: 14, character: 4 }, { line: 14, character: 11 }]]);
  });
});
