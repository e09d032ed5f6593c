import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import type { Finding } from '../../server/analyzer/rules/rule';

async function findings(source: string): Promise<Array<Finding & { line: number }>> {
  const result = await analyzeSource(source);
  assert.deepEqual(result.ruleErrors, []);
  const lines = new LineIndex(source);
  return result.findings.map((f) => ({ ...f, line: lines.lineOf(f.start) + 1 }));
}

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
