import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { CATALOGUE } from '../../server/analyzer/catalogue/table';
import { DEFAULT_CONFIG, type AnalyzerConfig } from '../../server/analyzer/config';
import { LineIndex } from '../../server/analyzer/line-index';
import { RULES } from '../../server/analyzer/rules/registry';
import { parseSettings } from '../../server/lsp/settings';
import { validateThreadwiseTable } from '../../server/project/validate';
import { runCli, scratch } from '../cli/run-cli';

async function found(source: string, extra: Partial<AnalyzerConfig> = {}): Promise<string[]> {
  const result = await analyzeSource(source, { ...DEFAULT_CONFIG, ...extra });
  assert.deepEqual(result.ruleErrors, []);
  const lines = new LineIndex(source);
  return result.findings.map((f) => `${lines.lineOf(f.start) + 1}:${f.code}:${f.severity}`);
}

test('the catalogue: every row names a registered TW1xx rule, a family and an async twin; no row twice', () => {
  const codes = new Set(RULES.map((r) => r.meta.code));
  const seen = new Set<string>();
  for (const e of CATALOGUE) {
    assert.ok(codes.has(e.code) && e.code.startsWith('TW1'), `${e.name}: ${e.code}`);
    assert.ok(e.twin.length > 0 && e.family.length > 0, e.name);
    assert.equal(e.receiver === undefined, e.method === undefined, e.name);
    const key = `${e.receiver ?? ''} ${e.name}`;
    assert.ok(!seen.has(key), `duplicate row ${key}`);
    seen.add(key);
  }
  // Each rule page describes what its rows flag: the families it owns are on it.
  for (const code of ['TW108', 'TW109', 'TW110']) {
    assert.ok(CATALOGUE.some((e) => e.code === code), `${code} has rows`);
    assert.ok(fs.existsSync(path.join(__dirname, '..', '..', 'docs', 'rules', `${code}.md`)));
  }
});

const USER = [
  'from typing import Optional',
  'import mypkg.client',
  'from mypkg.client import Client',
  'from mypkg import legacy',
  '',
  'SHARED = Client()',
  '',
  'def make() -> Client:',
  '    return Client()',
  '',
  'class Service:',
  '    def __init__(self):',
  '        self.client = Client()',
  '        self.maybe: Optional[Client] = None',
  '',
  '    async def run(self, other: "Client | None", c: Client):',
  '        self.client.fetch()',
  '        self.maybe.fetch()',
  '        SHARED.fetch()',
  '        make().fetch()',
  '        c.fetch()',
  '        with Client() as inner:',
  '            inner.fetch()',
  '        mypkg.client.download("x")',
  '        legacy.anything()',
  '        self.client.close()',
  '        unknown.fetch()',
  '',
  'def sync_ok():',
  '    SHARED.fetch()',
  '',
].join('\n');

test('blocking-calls: functions, methods on instances however they are known, whole modules; TW110 warnings', async () => {
  const config = { blockingCalls: ['mypkg.client.Client.fetch', 'mypkg.client.download', 'mypkg.legacy'] };
  assert.deepEqual(await found(USER, config), [
    '17:TW110:warning', '18:TW110:warning', '19:TW110:warning', '20:TW110:warning', '21:TW110:warning',
    '23:TW110:warning', '24:TW110:warning', '25:TW110:warning',
  ]);
  assert.deepEqual(await found(USER), []);
});

test('non-blocking-calls silences catalogue rows by function, method or module; async twins are never reported', async () => {
  const source = [
    'import redis, socket, requests',
    'import redis.asyncio as aioredis',
    'R = redis.Redis()',
    'A = aioredis.Redis()',
    'async def f(url):',
    '    R.ping()',
    '    R.get("k")',
    '    socket.gethostbyname("h")',
    '    requests.get(url)',
    '    await A.get("k")',
    '',
  ].join('\n');
  assert.deepEqual(await found(source), ['6:TW109:warning', '7:TW109:warning', '8:TW108:warning', '9:TW102:warning']);
  assert.deepEqual(await found(source, { nonBlockingCalls: ['redis.Redis.ping', 'socket', 'requests.get'] }), ['7:TW109:warning']);
  // A user entry that the catalogue already covers is reported once, by the catalogue's rule.
  assert.deepEqual(await found(source, { blockingCalls: ['redis.Redis.get'] }), ['6:TW109:warning', '7:TW109:warning', '8:TW108:warning', '9:TW102:warning']);
});

test('pyproject.toml: the keys are read, and bad entries make one problem naming the key', () => {
  const { config, problems } = validateThreadwiseTable(
    { 'blocking-calls': ['mypkg.Client.fetch', 'not a name', 3], 'non-blocking-calls': 'redis' },
    'pyproject.toml', '/',
  );
  assert.deepEqual(config.blockingCalls, ['mypkg.Client.fetch']);
  assert.equal(config.nonBlockingCalls, undefined);
  assert.deepEqual(problems.map((p) => p.key), ['blocking-calls', 'non-blocking-calls']);
  assert.match(problems[0]!.message, /not a dotted name .*"not a name", 3/);
});

test('editor settings: the keys are read, and bad entries make one message naming the setting', () => {
  const s = parseSettings({ blockingCalls: ['a.b', 'a..b'], nonBlockingCalls: 'x' });
  assert.deepEqual(s.editor.blockingCalls, ['a.b']);
  assert.equal(s.editor.nonBlockingCalls, undefined);
  assert.equal(s.problems.length, 2, s.problems.join('\n'));
  assert.match(s.problems[0]!, /^threadwise\.blockingCalls: /);
  assert.match(s.problems[1]!, /^threadwise\.nonBlockingCalls: /);
});

test('the CLI reads blocking-calls and non-blocking-calls from pyproject.toml', () => {
  const tmp = scratch();
  try {
    fs.writeFileSync(path.join(tmp.dir, 'pyproject.toml'), '[tool.threadwise]\nblocking-calls = ["mypkg.fetch"]\nnon-blocking-calls = ["socket.getfqdn"]\n');
    fs.writeFileSync(path.join(tmp.dir, 'app.py'), 'import socket\nimport mypkg\n\nasync def f():\n    mypkg.fetch()\n    socket.getfqdn()\n');
    const run = runCli(['check', '.', '--format', 'json'], { cwd: tmp.dir });
    const rows = (JSON.parse(run.stdout) as Array<{ code: string; message: string }>);
    assert.deepEqual(rows.map((r) => r.code), ['TW110']);
    assert.match(rows[0]!.message, /blocking-calls lists "mypkg\.fetch"/);
  } finally {
    tmp.dispose();
  }
});
