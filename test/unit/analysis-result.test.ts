import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';

/** `line:code` of every finding, in the order the analysis returns them. */
async function lineCodes(source: string): Promise<string[]> {
  const result = await analyzeSource(source);
  assert.deepEqual(result.ruleErrors, []);
  const lines = new LineIndex(source);
  return result.findings.map((f) => `${lines.lineOf(f.start) + 1}:${f.code}`);
}

test('a call nested in a call of the same kind is reported once per line', async () => {
  const source = [
    'import time',
    '',
    '',
    'async def nested():',
    '    time.sleep(time.sleep(1))',
    '    open(open("names").read())',
    '',
  ].join('\n');
  assert.deepEqual(await lineCodes(source), ['5:TW101', '6:TW104']);
  const result = await analyzeSource(source);
  // The first of the two, in source order, is the one kept: the outer call, with its fix.
  const sleep = result.findings.find((f) => f.code === 'TW101')!;
  assert.equal(source.slice(sleep.start, sleep.end), 'time.sleep(time.sleep(1))');
});

test('two changes of one attribute in one statement give one TW501 finding', async () => {
  const source = [
    'import threading',
    '',
    '',
    'class Box:',
    '    def __init__(self):',
    '        self._lock = threading.Lock()',
    '        self._x = [0, 0]',
    '',
    '    def add(self, v):',
    '        with self._lock:',
    '            self._x.append(v)',
    '',
    '    def rotate(self):',
    '        self._x.append(self._x.pop())',
    '',
    '    def scan(self):',
    '        with self._lock:',
    '            return [v for v in self._x]',
    '',
  ].join('\n');
  const codes = await lineCodes(source);
  const result = await analyzeSource(source);
  const messages = result.findings.map((f) => f.message);
  assert.equal(new Set(messages).size, messages.length, `no message twice: ${messages.join('\n')}`);
  // Two unlocked changes of one list on one line are one race: one finding.
  assert.deepEqual(codes, ['14:TW501']);
});

test('one line keeps findings that differ in code or message, and drops an exact repeat', async () => {
  const source = [
    'import shutil',
    'import time',
    '',
    '',
    'async def two():',
    '    time.sleep(1); open("x")',
    '    open("x"); shutil.copy("a", "b")',
    '    input(); input()',
    '',
  ].join('\n');
  assert.deepEqual((await lineCodes(source)).sort(), ['6:TW101', '6:TW104', '7:TW104', '7:TW104', '8:TW105']);
});
