import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigClient, HAZARDS } from './config-support';

const ALL = ['TW101', 'TW202', 'TW203', 'TW404'];

describe('editor settings through the LSP: each one changes the diagnostics', () => {
  const c = new ConfigClient();
  before(async () => {
    await c.start();
    await c.open('app.py');
    await c.open('gen_models.py');
  });
  after(async () => c.close());

  test('with no settings every rule runs', async () => {
    assert.deepEqual(await c.codes('app.py'), ALL);
  });

  test('threadwise.enable', async () => {
    await c.configure({ enable: false });
    assert.deepEqual(await c.codes('app.py'), []);
    await c.configure({ enable: true });
    assert.deepEqual(await c.codes('app.py'), ALL);
  });

  test('threadwise.select', async () => {
    await c.configure({ select: ['TW4'] });
    assert.deepEqual(await c.codes('app.py'), ['TW404']);
    await c.configure({ select: ['TW2', 'TW101'] });
    assert.deepEqual(await c.codes('app.py'), ['TW101', 'TW202', 'TW203']);
  });

  test('threadwise.ignore, with the most specific of select and ignore winning', async () => {
    await c.configure({ ignore: ['TW2'] });
    assert.deepEqual(await c.codes('app.py'), ['TW101', 'TW404']);
    await c.configure({ ignore: ['TW2'], select: ['TW202'] });
    assert.deepEqual(await c.codes('app.py'), ['TW202']);
  });

  test('threadwise.severity: code or prefix, the longest prefix wins', async () => {
    await c.configure({ severity: { TW404: 'error', TW1: 'hint', TW2: 'information', TW203: 'warning' } });
    assert.deepEqual(await c.severities('app.py'), { TW101: 4, TW202: 3, TW203: 2, TW404: 1 });
  });

  test('threadwise.exclude: globs relative to the workspace folder', async () => {
    await c.configure({ exclude: ['gen_*.py'] });
    assert.deepEqual(await c.codes('gen_models.py'), []);
    assert.deepEqual(await c.codes('app.py'), ALL);
    await c.configure({ exclude: [] });
    assert.deepEqual(await c.codes('gen_models.py'), ALL);
  });

  test('an invalid glob in threadwise.exclude is named once; the other patterns and settings apply', async () => {
    const before = c.messages.length;
    await c.configure({ exclude: ['[z-a]', 'gen_*.py'], select: ['TW4'] });
    assert.deepEqual(await c.codes('app.py'), ['TW404']);
    assert.deepEqual(await c.codes('gen_models.py'), []);
    const shown = c.messages.slice(before);
    assert.equal(shown.length, 1, shown.join('\n'));
    assert.match(shown[0]!, /threadwise\.exclude: entry 1 is not a valid glob \(the range "z-a" in a character class is out of order\); it is skipped\./);
    await c.configure({});
  });

  test('a mistyped setting is named once in a message; the other settings still apply', async () => {
    const before = c.messages.length;
    await c.configure({ select: ['TW1', 'TW999'], severity: { TW101: 'fatal' }, run: 'sometimes' });
    assert.deepEqual(await c.codes('app.py'), ['TW101']);
    assert.deepEqual(await c.codes('gen_models.py'), ['TW101']);
    const shown = c.messages.slice(before);
    assert.equal(shown.filter((m) => m.includes('threadwise.select') && m.includes('"TW999"')).length, 1, shown.join('\n'));
    assert.equal(shown.filter((m) => m.includes('threadwise.severity.TW101') && m.includes('"fatal"')).length, 1, shown.join('\n'));
    assert.equal(shown.filter((m) => m.includes('threadwise.run')).length, 1, shown.join('\n'));
    assert.equal(shown.length, 3, shown.join('\n'));
    assert.ok(c.logs.some((l) => l.includes('threadwise.select')), 'and a log line');
    assert.equal((await c.severities('app.py'))['TW101'], 2, 'the bad severity entry is skipped');
    await c.configure({});
  });
});

describe('threadwise.run: onSave', () => {
  const c = new ConfigClient();
  const clean = 'import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n';
  before(async () => {
    await c.start();
    c.settings = { run: 'onSave' };
    await c.open('app.py', clean);
  });
  after(async () => c.close());

  test('an edit does not change the diagnostics; the save does', async () => {
    const first = await c.pull('app.py');
    assert.deepEqual(first.items, []);
    assert.ok(first.resultId, 'onSave answers carry a result id');

    await c.edit('app.py', clean.replace('await asyncio.sleep(1)', 'time.sleep(1)').replace('import asyncio', 'import time'));
    const afterEdit = await c.pull('app.py', first.resultId);
    assert.equal(afterEdit.kind, 'unchanged');
    assert.equal(afterEdit.resultId, first.resultId);
    // A client that forgot the previous result gets the same (old) findings in full.
    assert.deepEqual((await c.pull('app.py')).items, []);

    await c.save('app.py');
    const afterSave = await c.pull('app.py', first.resultId);
    assert.equal(afterSave.kind, 'full');
    assert.deepEqual(afterSave.items.map((d) => d.code), ['TW101']);
    assert.notEqual(afterSave.resultId, first.resultId);
  });

  test('switching back to onType checks the unsaved text at once', async () => {
    await c.edit('app.py', HAZARDS);
    assert.deepEqual(await c.codes('app.py'), ['TW101']);
    await c.configure({ run: 'onType' });
    assert.deepEqual(await c.codes('app.py'), ALL);
  });
});
