// Fault isolation in the real language server: a rule that throws, a request overtaken by an edit,
// a client that answers the server's requests with errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { RobustSession, virtualUri } from './support/session';

// Three rules fire here: TW101 (line 4), TW202 (line 5) and TW301 (line 8); line 6 suppresses
// TW101, so with TW101 working that suppression is used and with TW101 failing it must not be
// reported as unused either (TW001 trusts only rules that ran).
const TEXT = [
  'import asyncio, threading, time',
  '',
  'async def handler():',
  '    time.sleep(1)',
  '    asyncio.create_task(work())',
  '    time.sleep(2)  # noqa: TW101',
  '',
  'threading.Thread(target=print).run()',
  '',
].join('\n');

describe('language server: a rule that throws (THREADWISE_TEST_FAIL_RULE=TW101)', () => {
  let s: RobustSession;
  before(async () => {
    s = new RobustSession({ THREADWISE_TEST_FAIL_RULE: 'TW101' });
    await s.initialize();
  });
  after(async () => s.close());

  test('the failure is logged and the other rules still report', async () => {
    const uri = virtualUri('faulty.py');
    await s.open(uri, TEXT);
    const items = await s.pull(uri);
    assert.deepEqual(items.map((d) => [d.code, d.range.start.line]), [['TW202', 4], ['TW301', 7]]);
    const line = s.logs.find((l) => l.startsWith(`Rule error in ${uri}: TW101 failed: Error: TW101 made to fail by THREADWISE_TEST_FAIL_RULE`));
    assert.ok(line, `the log names the rule and the file; got ${JSON.stringify(s.logs)}`);
    // The next edit is analysed again, and the rule fails again without taking anything down: a
    // blank line between statements is answered at once with the findings moved along, and the
    // whole-file check once typing pauses runs the rule again.
    await s.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }]);
    assert.deepEqual((await s.pull(uri)).map((d) => [d.code, d.range.start.line]), [['TW202', 5], ['TW301', 8]]);
    const failures = () => s.logs.filter((l) => l.startsWith(`Rule error in ${uri}: TW101 failed`)).length;
    const deadline = Date.now() + 10_000;
    while (failures() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(failures(), 2);
    assert.deepEqual((await s.pull(uri)).map((d) => [d.code, d.range.start.line]), [['TW202', 5], ['TW301', 8]]);
  });
});

describe('language server: the same file without the hook', () => {
  let s: RobustSession;
  before(async () => {
    s = new RobustSession();
    await s.initialize();
  });
  after(async () => s.close());

  test('TW101 reports too, and nothing is logged as a rule error', async () => {
    const uri = virtualUri('healthy.py');
    await s.open(uri, TEXT);
    assert.deepEqual((await s.pull(uri)).map((d) => [d.code, d.range.start.line]), [['TW101', 3], ['TW202', 4], ['TW301', 7]]);
    assert.deepEqual(s.logs.filter((l) => l.includes('Rule error')), []);
  });
});

describe('language server: a diagnostic pull overtaken by an edit', () => {
  let s: RobustSession;
  let releaseConfiguration: () => void = () => undefined;
  let configurationAsked: () => void = () => undefined;
  before(async () => {
    s = new RobustSession();
    // The server asks for settings before it analyses; holding the answer keeps a pull in flight.
    s.connection.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
      configurationAsked();
      await new Promise<void>((resolve) => (releaseConfiguration = resolve));
      return p.items.map(() => ({}));
    });
    await s.initialize({ textDocument: { diagnostic: {} }, workspace: { configuration: true } });
  });
  after(async () => s.close());

  test('a pull answered after didChange describes the new text, not the old one', async () => {
    const uri = virtualUri('stale.py');
    await s.open(uri, TEXT);
    const asked = new Promise<void>((r) => (configurationAsked = r));
    const pending = s.pull(uri);
    await asked;
    // Three lines inserted at the top while the pull waits: every finding moves down by three.
    await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a\n# b\n# c\n' }]);
    releaseConfiguration();
    const items = await pending;
    assert.deepEqual(items.map((d) => [d.code, d.range.start.line]), [['TW101', 6], ['TW202', 7], ['TW301', 10]]);
  });

  test('a cancelled pull is answered with RequestCancelled, and the next pull has the findings', async () => {
    const uri = virtualUri('cancelled.py');
    await s.open(uri, TEXT);
    const asked = new Promise<void>((r) => (configurationAsked = r));
    const cts = new CancellationTokenSource();
    const pending = s.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, cts.token);
    await asked;
    await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    cts.cancel(); // sends $/cancelRequest, which reaches the server before the configuration answer
    releaseConfiguration();
    await assert.rejects(pending, (err: { code?: number }) => err.code === -32800);
    const items = await s.pull(uri);
    assert.deepEqual(items.map((d) => [d.code, d.range.start.line]), [['TW101', 4], ['TW202', 5], ['TW301', 8]]);
  });
});

describe('language server: a client that answers the server with errors', () => {
  test('a failed workspace/diagnostic/refresh is logged, and the server keeps serving', async () => {
    const s = new RobustSession();
    try {
      // refreshSupport is claimed but no handler is registered: the client answers MethodNotFound.
      await s.initialize({ textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true } } });
      const uri = virtualUri('refresh.py');
      await s.open(uri, TEXT);
      await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { threadwise: { ignore: ['TW3'] } } });
      const items = await s.pull(uri);
      assert.deepEqual(items.map((d) => d.code), ['TW101', 'TW202']);
      await s.waitForLog((l) => l.startsWith('Diagnostic refresh failed: ') && l.includes('workspace/diagnostic/refresh'));
      assert.deepEqual((await s.pull(uri)).map((d) => d.code), ['TW101', 'TW202'], 'still serving after the failed refresh');
    } finally {
      await s.close();
    }
  });
});
