import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detachStrings } from '../../server/index/detached-strings';

test('detachStrings keeps every value as it was, in place, short and long strings, nested arrays and objects', () => {
  const source = `def handler():\n    ${'x'.repeat(40)} = LOCK_FOR_THE_ITEMS\n`;
  const cut = (from: string) => source.slice(source.indexOf(from), source.indexOf(from) + from.length);
  const value = {
    name: cut('handler'),
    long: cut('LOCK_FOR_THE_ITEMS'),
    list: [cut('LOCK_FOR_THE_ITEMS'), 'short', 3, null, { deep: [cut('x'.repeat(40))] }],
    flag: true,
    none: null,
  };
  const before = structuredClone(value);
  const out = detachStrings(value);
  assert.equal(out, value, 'the same object, changed in place');
  assert.deepEqual(value, before);
});
