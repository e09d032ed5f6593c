import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import type { AnalyzerConfig } from '../../server/analyzer/config';
import { LineIndex } from '../../server/analyzer/line-index';
import type { Finding } from '../../server/analyzer/rules/rule';

async function findings(source: string, config?: AnalyzerConfig): Promise<Array<Finding & { line: number }>> {
  const result = await analyzeSource(source, config);
  assert.deepEqual(result.ruleErrors, []);
  const lines = new LineIndex(source);
  return result.findings.map((f) => ({ ...f, line: lines.lineOf(f.start) + 1 }));
}

const GET_EVENT_LOOP = [
  'import asyncio',
  'from tornado import gen',
  '',
  '',
  'async def inside():',
  '    return asyncio.get_event_loop()',
  '',
  '',
  '@gen.coroutine',
  'def tornado_style():',
  '    loop = asyncio.get_event_loop()',
  '    yield gen.moment',
  '    return loop',
  '',
  '',
  'def outside():',
  '    return asyncio.get_event_loop()',
  '',
].join('\n');

test('TW205 in a coroutine is information; outside one it stays a warning', async () => {
  const found = (await findings(GET_EVENT_LOOP)).filter((f) => f.code === 'TW205');
  assert.deepEqual(found.map((f) => `${f.line}:${f.severity}`), ['6:information', '11:information', '17:warning']);
  // The safe fix stays on the async def; a generator-based coroutine gets none.
  assert.ok(found[0]!.fix, 'fix in async def');
  assert.equal(found[1]!.fix, undefined);
  assert.match(found[1]!.message, /coroutine 'tornado_style'/);
});

test('TW205 outside a coroutine stays a warning whatever the target version', async () => {
  for (const targetVersion of [9, 12, 13, 14]) {
    const found = (await findings(GET_EVENT_LOOP, { select: ['TW205'], ignore: [], severity: {}, targetVersion }))
      .filter((f) => f.line === 17);
    assert.deepEqual(found.map((f) => f.severity), ['warning'], `target 3.${targetVersion}`);
  }
});

test('a configured severity for TW205 overrides the per-finding one', async () => {
  const config: AnalyzerConfig = { select: ['TW'], ignore: [], severity: { TW205: 'error' } };
  const found = (await findings(GET_EVENT_LOOP, config)).filter((f) => f.code === 'TW205');
  assert.deepEqual(found.map((f) => f.severity), ['error', 'error', 'error']);
  const byPrefix = (await findings(GET_EVENT_LOOP, { ...config, severity: { TW2: 'hint' } })).filter((f) => f.code === 'TW205');
  assert.deepEqual(byPrefix.map((f) => f.severity), ['hint', 'hint', 'hint']);
});

test('blocking calls in generator-based coroutines are reported without fixes that insert await', async () => {
  const source = [
    'import asyncio',
    'import time',
    'import types',
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    'import requests',
    'from tornado import gen',
    '',
    'POOL = ThreadPoolExecutor()',
    '',
    '',
    '@gen.coroutine',
    'def fetch(url):',
    '    time.sleep(1)',
    '    requests.get(url)',
    '    POOL.submit(print).result()',
    '    yield gen.moment',
    '',
    '',
    '@asyncio.coroutine',
    'def legacy():',
    '    time.sleep(1)',
    '    yield from asyncio.sleep(0)',
    '',
    '',
    '@types.coroutine',
    'def low_level():',
    '    time.sleep(1)',
    '    yield',
    '',
  ].join('\n');
  const found = (await findings(source)).filter((f) => f.code.startsWith('TW1'));
  assert.deepEqual(found.map((f) => `${f.line}:${f.code}`), ['14:TW101', '15:TW102', '16:TW106', '22:TW101', '28:TW101']);
  for (const f of found) {
    assert.equal(f.fix, undefined, `${f.code} on line ${f.line} offers no fix`);
    assert.match(f.message, /in coroutine '/);
    assert.doesNotMatch(f.message, /async def/);
  }
});

test('await in a generator-based coroutine is still TW208, and its yield is not', async () => {
  // Kept out of the fixtures: they must compile, and this does not.
  const source = [
    'import asyncio',
    'from tornado import gen',
    '',
    '',
    '@gen.coroutine',
    'def wrong_keyword():',
    '    yield gen.moment',
    '    await asyncio.sleep(1)',
    '',
  ].join('\n');
  assert.deepEqual((await findings(source)).map((f) => `${f.line}:${f.code}`), ['8:TW208']);
});
