// Messages that quote settings or pyproject.toml stay short however much the user wrote.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigClient } from './config-support';

const LIMIT = 600;

describe('language server: messages quoting configuration are bounded', () => {
  let c: ConfigClient;
  before(async () => {
    c = new ConfigClient();
    await c.start();
  });
  after(async () => c.close());

  test('select with 100,000 unknown codes: one short pop-up naming a few of them', async () => {
    const codes = Array.from({ length: 100_000 }, (_, i) => `TW9${String(i).padStart(5, '0')}`);
    c.settings = { select: codes, severity: Object.fromEntries(codes.map((k) => [k, 'error'])), enable: 'y'.repeat(100_000) };
    await c.open('app.py');
    await c.codes('app.py');
    const mine = c.messages.filter((m) => m.includes('threadwise.'));
    assert.ok(mine.some((m) => m.includes('threadwise.select') && m.includes('"TW900000"') && m.includes('and 99995 more')), mine.join('\n'));
    for (const m of c.messages) assert.ok(m.length <= LIMIT, `a ${m.length}-character message: ${m.slice(0, 200)}...`);
    assert.ok(c.messages.length <= 10, `${c.messages.length} pop-ups`);
  });

  test('pyproject.toml with 100,000 unknown codes and a huge key: short pop-ups, few of them', async () => {
    c.messages.length = 0;
    c.settings = {};
    await c.configure({});
    const codes = Array.from({ length: 100_000 }, (_, i) => `"TW8${String(i).padStart(5, '0')}"`).join(', ');
    await c.write('pyproject.toml', `[tool.threadwise]\nignore = [${codes}]\n"${'k'.repeat(50_000)}" = 1\n`);
    await c.open('lib.py');
    await c.codes('lib.py');
    assert.ok(c.messages.some((m) => m.includes('ignore') && m.includes('more')), c.messages.map((m) => m.slice(0, 300)).join('\n'));
    for (const m of c.messages) assert.ok(m.length <= LIMIT, `a ${m.length}-character message: ${m.slice(0, 200)}...`);
    assert.ok(c.messages.length <= 10, `${c.messages.length} pop-ups`);
  });
});
