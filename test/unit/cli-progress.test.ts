import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Progress } from '../../server/cli/progress';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream };
}

test('the progress line appears on a terminal once a run is long, and is erased at the end', () => {
  let clock = 0;
  const { written, stream } = fakeStream(true);
  const p = new Progress(10, stream, () => clock);
  p.tick();
  clock = 500;
  p.tick();
  assert.deepEqual(written, [], 'nothing during the first second');
  clock = 1500;
  p.tick();
  clock = 1550;
  p.tick();
  clock = 1700;
  p.tick();
  assert.deepEqual(written, ['\rthreadwise: checked 3/10 files', '\rthreadwise: checked 5/10 files'], 'redrawn at most every 100 ms');
  p.finish();
  assert.equal(written.at(-1), '\r\x1b[K');
});

test('no progress line when stderr is not a terminal, and nothing to erase', () => {
  let clock = 0;
  const { written, stream } = fakeStream(false);
  const p = new Progress(100, stream, () => clock);
  for (let i = 0; i < 100; i++) {
    clock += 1000;
    p.tick();
  }
  p.finish();
  assert.deepEqual(written, []);
});
