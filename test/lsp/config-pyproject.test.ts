import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigClient } from './config-support';

const ALL = ['TW101', 'TW202', 'TW203', 'TW404'];

describe('pyproject.toml [tool.threadwise] through the LSP: each key changes the diagnostics', () => {
  const c = new ConfigClient();
  before(async () => {
    await c.start();
    await c.open('app.py');
    await c.open('tests/test_app.py');
    await c.open('build/gen.py');
  });
  after(async () => c.close());

  test('the server watches every pyproject.toml', async () => {
    // The registration goes out while the server handles `initialized`, before this answer.
    await c.pull('app.py');
    const watch = c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watch, JSON.stringify(c.registrations));
    assert.deepEqual(watch.registerOptions.watchers.map((w: any) => w.globPattern), ['**/pyproject.toml']);
  });

  test('select', async () => {
    await c.write('pyproject.toml', '[tool.threadwise]\nselect = ["TW2"]\n');
    assert.deepEqual(await c.codes('app.py'), ['TW202', 'TW203']);
  });

  test('ignore', async () => {
    await c.write('pyproject.toml', '[tool.threadwise]\nignore = ["TW1", "TW203"]\n');
    assert.deepEqual(await c.codes('app.py'), ['TW202', 'TW404']);
  });

  test('severity', async () => {
    await c.write('pyproject.toml', '[tool.threadwise]\nseverity = { TW4 = "error", TW101 = "hint" }\n');
    const sev = await c.severities('app.py');
    assert.equal(sev['TW404'], 1);
    assert.equal(sev['TW101'], 4);
    assert.equal(sev['TW202'], 2);
  });

  test('exclude, relative to the pyproject.toml', async () => {
    await c.write('pyproject.toml', '[tool.threadwise]\nexclude = ["build/**"]\n');
    assert.deepEqual(await c.codes('build/gen.py'), []);
    assert.deepEqual(await c.codes('app.py'), ALL);
  });

  test('per-file-ignores', async () => {
    // test-files = []: the event-loop rules would otherwise stay quiet under tests/ on their own.
    await c.write('pyproject.toml', '[tool.threadwise]\ntest-files = []\n[tool.threadwise.per-file-ignores]\n"tests/**" = ["TW1", "TW4"]\n');
    assert.deepEqual(await c.codes('tests/test_app.py'), ['TW202', 'TW203']);
    assert.deepEqual(await c.codes('app.py'), ALL);
  });

  test('target-version changes version-dependent advice', async () => {
    const message = async (code: string) => (await c.pull('app.py')).items.find((d) => d.code === code)?.message as string;
    await c.write('pyproject.toml', '[tool.threadwise]\ntarget-version = "py310"\n');
    assert.doesNotMatch(await message('TW202'), /TaskGroup/);
    assert.match(await message('TW203'), /asyncio\.wait_for\(\) timeouts break/);
    await c.write('pyproject.toml', '[tool.threadwise]\ntarget-version = "py311"\n');
    assert.match(await message('TW202'), /asyncio\.TaskGroup/);
    assert.match(await message('TW203'), /asyncio\.timeout\(\) breaks/);
  });

  test('the nearest pyproject.toml wins, and deleting it falls back to the outer one', async () => {
    await c.write('pyproject.toml', '[tool.threadwise]\nselect = ["TW2"]\n');
    await c.write('tests/pyproject.toml', '[tool.threadwise]\nselect = ["TW101"]\ntest-files = []\n');
    assert.deepEqual(await c.codes('tests/test_app.py'), ['TW101']);
    assert.deepEqual(await c.codes('app.py'), ['TW202', 'TW203']);
    await c.remove('tests/pyproject.toml');
    // The outer file's select, and its default test-files: TW203 is not reported in a test file.
    assert.deepEqual(await c.codes('tests/test_app.py'), ['TW202']);
    await c.remove('pyproject.toml');
    // With no pyproject.toml at all, the default test-files applies: tests/ is a test folder.
    assert.deepEqual(await c.codes('tests/test_app.py'), ALL.filter((code) => !/^TW1|^TW203$|^TW404$/.test(code)));
    assert.deepEqual(await c.codes('app.py'), ALL);
  });
});

describe('precedence between editor settings and pyproject.toml', () => {
  const c = new ConfigClient();
  before(async () => {
    await c.start();
    await c.write('pyproject.toml', '[tool.threadwise]\nselect = ["TW4"]\nseverity = { TW404 = "error" }\nexclude = ["app.py"]\n');
    await c.open('app.py');
    await c.open('other.py');
  });
  after(async () => c.close());

  test('editorFirst (the default): a key set in the editor wins; unset keys come from pyproject.toml', async () => {
    await c.configure({ select: ['TW1', 'TW4'] });
    assert.deepEqual(await c.severities('other.py'), { TW101: 2, TW404: 1 });
    assert.deepEqual(await c.codes('app.py'), [], 'exclude comes from pyproject.toml');
    await c.configure({ select: ['TW1', 'TW4'], exclude: ['nothing_*.py'] });
    assert.deepEqual(await c.codes('app.py'), ['TW101', 'TW404'], 'the editor exclude replaces the project one');
  });

  test('filesystemFirst: a key set in pyproject.toml wins; unset keys come from the editor', async () => {
    await c.configure({ configurationPreference: 'filesystemFirst', select: ['TW1', 'TW4'], ignore: ['TW404'], severity: { TW404: 'hint' } });
    // select and severity from pyproject.toml; ignore (unset there) from the editor.
    assert.deepEqual(await c.codes('other.py'), []);
    await c.configure({ configurationPreference: 'filesystemFirst', select: ['TW1'], severity: { TW404: 'hint' } });
    assert.deepEqual(await c.severities('other.py'), { TW404: 1 });
    assert.deepEqual(await c.codes('app.py'), []);
  });

  test('editorOnly: pyproject.toml is not read', async () => {
    await c.configure({ configurationPreference: 'editorOnly', select: ['TW1', 'TW4'] });
    assert.deepEqual(await c.severities('other.py'), { TW101: 2, TW404: 2 });
    assert.deepEqual(await c.codes('app.py'), ['TW101', 'TW404']);
  });
});

describe('a broken pyproject.toml', () => {
  const c = new ConfigClient();
  before(async () => {
    await c.start();
    await c.open('app.py');
    await c.open('second.py');
  });
  after(async () => c.close());

  test('bad TOML: one message naming the file and line:column; the defaults apply and the server goes on', async () => {
    await c.write('pyproject.toml', '[tool.threadwise]\nselect = ["TW4"\nignore = []\n');
    assert.deepEqual(await c.codes('app.py'), ALL);
    assert.deepEqual(await c.codes('second.py'), ALL);
    const file = path.join(c.dir, 'pyproject.toml');
    const shown = c.messages.filter((m) => m.includes(file));
    assert.equal(shown.length, 1, shown.join('\n'));
    assert.match(shown[0]!, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid TOML`));
    assert.ok(c.logs.some((l) => l.includes(file) && l.includes('invalid TOML')), 'and a log line');
  });

  test('fixing it applies it; an unknown key and an unknown code are each named once, the valid rest applies', async () => {
    const before = c.messages.length;
    await c.write('pyproject.toml', '[tool.threadwise]\nselect = ["TW4", "TW42"]\nignor = ["TW404"]\nseverity = { TW404 = "error" }\n');
    assert.deepEqual(await c.severities('app.py'), { TW404: 1 });
    assert.deepEqual(await c.codes('second.py'), ['TW404']);
    const shown = c.messages.slice(before);
    assert.equal(shown.length, 2, shown.join('\n'));
    assert.ok(shown.some((m) => m.includes('[tool.threadwise] select') && m.includes('"TW42"')), shown.join('\n'));
    assert.ok(shown.some((m) => m.includes('[tool.threadwise] ignor') && m.includes('did you mean "ignore"')), shown.join('\n'));
    // Re-checking does not repeat the messages.
    await c.configure({});
    assert.deepEqual(await c.codes('app.py'), ['TW404']);
    assert.equal(c.messages.length, before + 2);
  });

  test('an invalid glob in exclude or per-file-ignores is named once; the rest of the table applies', async () => {
    const before = c.messages.length;
    await c.write('pyproject.toml', '[tool.threadwise]\nexclude = ["[z-a]", "second.py"]\nselect = ["TW1", "TW2"]\n[tool.threadwise.per-file-ignores]\n"[z-a]" = ["TW1"]\n');
    assert.deepEqual(await c.codes('app.py'), ['TW101', 'TW202', 'TW203']);
    assert.deepEqual(await c.codes('second.py'), [], 'the valid exclude applies');
    const shown = c.messages.slice(before);
    const file = path.join(c.dir, 'pyproject.toml');
    assert.equal(shown.length, 2, shown.join('\n'));
    assert.ok(shown.some((m) => m.includes(`${file}: [tool.threadwise] exclude: entry 1 is not a valid glob`)), shown.join('\n'));
    assert.ok(shown.some((m) => m.includes(`${file}: [tool.threadwise] per-file-ignores."[z-a]": not a valid glob`)), shown.join('\n'));
  });

  test('after the problems, the server still serves code actions and diagnostics', async () => {
    await c.write('pyproject.toml', '[tool.threadwise\n');
    const actions = (await c.s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: c.uri('app.py') },
      range: { start: { line: 8, character: 4 }, end: { line: 8, character: 4 } },
      context: { diagnostics: [] },
    })) as unknown[];
    assert.ok(actions.length > 0);
    assert.deepEqual(await c.codes('app.py'), ALL);
  });
});
