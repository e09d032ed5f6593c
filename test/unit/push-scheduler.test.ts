import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushScheduler, type SchedulerTiming } from '../../server/lsp/push-scheduler';

/** A clock the test moves by hand, with the runs it was asked to make, in order. */
function fakeTiming() {
  let now = 0;
  const pending: { at: number; run: () => void; immediate: boolean; cancelled: boolean }[] = [];
  const timing: SchedulerTiming = {
    now: () => now,
    immediately(run) {
      const p = { at: now, run, immediate: true, cancelled: false };
      pending.push(p);
      return { cancel: () => void (p.cancelled = true) };
    },
    later(run, ms) {
      const p = { at: now + ms, run, immediate: false, cancelled: false };
      pending.push(p);
      return { cancel: () => void (p.cancelled = true) };
    },
  };
  return {
    timing,
    /** Moves the clock to `t`, running what falls due on the way, earliest first. */
    advance(t: number) {
      for (;;) {
        const due = pending.filter((p) => !p.cancelled && p.at <= t).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        pending.splice(pending.indexOf(due), 1);
        now = Math.max(now, due.at);
        due.run();
      }
      now = t;
    },
    /** What is waiting: 'now' for a run on the next turn, else the time it is due. */
    waiting: () => pending.filter((p) => !p.cancelled).map((p) => (p.immediate ? 'now' : p.at)),
  };
}

/** A check the test finishes by hand, recording which document each one was for. */
function manualChecks() {
  const started: string[] = [];
  const finish: (() => void)[] = [];
  return {
    started,
    check: (uri: string) =>
      new Promise<void>((resolve) => {
        started.push(uri);
        finish.push(resolve);
      }),
    /** Finishes the oldest running check and lets its continuation run. */
    async finishOne() {
      finish.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

test('an edit right after the last check was published is checked at once, however soon after the last edit', async () => {
  const t = fakeTiming();
  const c = manualChecks();
  const s = new PushScheduler(c.check, { timing: t.timing });
  s.schedule('a');
  assert.deepEqual(t.waiting(), ['now']);
  t.advance(0);
  assert.deepEqual(c.started, ['a']);
  t.advance(3);
  await c.finishOne();
  assert.ok(s.idle, 'published: nothing waits for the document');
  // 4 ms after the first edit: well inside the burst gap, but the server has kept up.
  t.advance(4);
  s.schedule('a');
  assert.deepEqual(t.waiting(), ['now'], 'no quiet period is waited out');
  t.advance(4);
  assert.deepEqual(c.started, ['a', 'a']);
});

test('edits that arrive while a check runs lead to one more check, after a quiet period', async () => {
  const t = fakeTiming();
  const c = manualChecks();
  const s = new PushScheduler(c.check, { timing: t.timing, quietMs: 40, burstGapMs: 8 });
  s.schedule('a');
  t.advance(0);
  for (const at of [1, 2, 3]) {
    t.advance(at);
    s.schedule('a');
  }
  assert.equal(c.started.length, 1, 'the running check is not joined by others');
  t.advance(5);
  await c.finishOne();
  // The last edit came 2 ms ago: a burst, so it waits for 40 ms without edits.
  assert.deepEqual(t.waiting(), [45]);
  t.advance(44);
  assert.equal(c.started.length, 1);
  t.advance(45);
  assert.equal(c.started.length, 2, 'exactly one more check, of the newest text');
  await c.finishOne();
  assert.ok(s.idle);
});

test('two edits read in one go are checked once; a stream without pauses still gets checked within the longest wait', async () => {
  const t = fakeTiming();
  const c = manualChecks();
  const s = new PushScheduler(c.check, { timing: t.timing, quietMs: 40, maxWaitMs: 100, burstGapMs: 8 });
  s.schedule('a');
  s.schedule('a');
  assert.deepEqual(t.waiting(), [40], 'the second edit turns the immediate run into a wait for quiet');
  // An edit every 5 ms: the quiet period never comes, the longest wait does.
  for (let at = 5; at <= 95; at += 5) {
    t.advance(at);
    s.schedule('a');
  }
  assert.equal(c.started.length, 0);
  t.advance(100);
  assert.equal(c.started.length, 1);
  await c.finishOne();
});

test('a document closed while its check waits is never checked', () => {
  const t = fakeTiming();
  const c = manualChecks();
  const s = new PushScheduler(c.check, { timing: t.timing });
  s.schedule('a');
  s.cancel('a');
  t.advance(1000);
  assert.deepEqual(c.started, []);
  assert.ok(s.idle);
});
