import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../cli/run-cli';
import { ConfigClient, HAZARDS } from './config-support';

const ALL = ['TW101', 'TW202', 'TW203', 'TW404'];
const BASELINE = 'threadwise-baseline.json';

describe('the baseline key of pyproject.toml in the editor', () => {
  const c = new ConfigClient();
  before(async () => {
    await c.start();
    await c.write('pyproject.toml', `[tool.threadwise]\nbaseline = "${BASELINE}"\n`);
    await c.open('app.py');
  });
  after(async () => c.close());

  /** Tells the server the baseline changed, as a file watcher would. */
  async function baselineChanged(): Promise<void> {
    await c.s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri(BASELINE), type: 2 }] });
  }

  test('a baseline that does not exist yet is one message, and every finding shows', async () => {
    assert.deepEqual(await c.codes('app.py'), ALL);
    assert.deepEqual(await c.codes('app.py'), ALL);
    const about = c.messages.filter((m) => m.includes(BASELINE));
    assert.equal(about.length, 1, c.messages.join('\n'));
    assert.match(about[0]!, /no such file .*the baseline is not used, so every finding is shown/);
  });

  test('the server watches the baseline file', async () => {
    const globs = c.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => r.registerOptions.watchers.map((w: any) => w.globPattern));
    assert.ok(globs.includes(`**/${BASELINE}`), JSON.stringify(globs));
  });

  test('findings recorded by `threadwise check --write-baseline` are hidden, a new one shows', async () => {
    const w = runCli(['check', '.', '--write-baseline', BASELINE], { cwd: c.dir });
    assert.equal(w.status, 0, w.stderr);
    await baselineChanged();
    assert.deepEqual(await c.codes('app.py'), []);

    // Lines above shift every finding, and a new hazard appears in a new function.
    const edited = HAZARDS.replace('LOCK = threading.Lock()\n', 'LOCK = threading.Lock()\nLIMIT = 3\n\n\ndef helper():\n    return LIMIT\n')
      + '\n\nasync def poll():\n    time.sleep(5)\n';
    await c.edit('app.py', edited);
    const report = await c.pull('app.py');
    assert.deepEqual(report.items.map((d) => d.code), ['TW101']);
    assert.equal(report.items[0]!.range.start.line, edited.split('\n').indexOf('    time.sleep(5)'));
  });

  test('a recorded hazard that is gone is logged once as a stale entry, without a pop-up', async () => {
    const before = c.messages.length;
    const fixed = HAZARDS.replace('    asyncio.create_task(work())\n', '');
    await c.edit('app.py', fixed);
    assert.deepEqual(await c.codes('app.py'), []);
    assert.deepEqual(await c.codes('app.py'), []);
    const stale = c.logs.filter((l) => l.includes('no finding any more'));
    assert.equal(stale.length, 1, c.logs.join('\n'));
    assert.match(stale[0]!, /1 entry for app\.py matches no finding any more/);
    assert.equal(c.messages.length, before);
    await c.edit('app.py', HAZARDS);
  });

  test('a broken baseline is one message and every finding shows again; fixing it hides them again', async () => {
    fs.writeFileSync(path.join(c.dir, BASELINE), '{"version": 1, "findings": "all"}');
    await baselineChanged();
    assert.deepEqual(await c.codes('app.py'), ALL);
    assert.deepEqual(await c.codes('app.py'), ALL);
    const broken = c.messages.filter((m) => m.includes('expected an object'));
    assert.equal(broken.length, 1, c.messages.join('\n'));
    runCli(['check', '.', '--write-baseline', BASELINE], { cwd: c.dir });
    await baselineChanged();
    assert.deepEqual(await c.codes('app.py'), []);
  });

  test('code actions are offered only for the findings that show', async () => {
    const actions: any[] = await c.s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: c.uri('app.py') },
      range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
  });
});
