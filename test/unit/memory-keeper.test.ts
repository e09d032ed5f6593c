import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullCollection, MemoryKeeper } from '../../server/lsp/memory-keeper';

const MB = 1024 * 1024;

/** A heap whose size the test sets; a collection brings it back to `live`. */
function fakeHeap(startMb: number) {
  const heap = { total: startMb * MB, live: startMb * MB, collections: 0 };
  return {
    heap,
    read: () => heap.total,
    collect: () => {
      heap.collections++;
      heap.total = heap.live;
    },
  };
}

test('bulk work that grew the heap far past its settled size is collected at once; an edit never is', () => {
  const f = fakeHeap(100);
  const keeper = new MemoryKeeper({ collect: f.collect, read: f.read, idleMs: 60_000, idleGrowth: 32 * MB, busyGrowth: 96 * MB });
  try {
    f.heap.total = 150 * MB;
    keeper.worked(true);
    assert.equal(f.heap.collections, 0, 'grown 50 MB: waits for quiet');
    f.heap.total = 250 * MB;
    keeper.worked(false);
    assert.equal(f.heap.collections, 0, 'an edit does not pause for a collection, however grown');
    keeper.worked(true);
    // Twice: the second hands back what the first freed.
    assert.equal(f.heap.collections, 2);
    assert.equal(keeper.collections, 1);
  } finally {
    keeper.dispose();
  }
});

test('when the server goes quiet, a heap grown past the idle threshold is collected, a smaller one is not', () => {
  const f = fakeHeap(100);
  const keeper = new MemoryKeeper({ collect: f.collect, read: f.read, idleMs: 60_000, idleGrowth: 32 * MB, busyGrowth: 96 * MB });
  try {
    f.heap.total = 120 * MB;
    keeper.quiet();
    assert.equal(keeper.collections, 0);
    f.heap.total = 140 * MB;
    keeper.quiet();
    assert.equal(keeper.collections, 1);
    // Settled at the live size again: the same growth is needed before the next one.
    f.heap.total = 120 * MB;
    keeper.quiet();
    assert.equal(keeper.collections, 1);
  } finally {
    keeper.dispose();
  }
});

test('the idle collection runs once work stops for idleMs', async () => {
  const f = fakeHeap(100);
  const keeper = new MemoryKeeper({ collect: f.collect, read: f.read, idleMs: 20, idleGrowth: 32 * MB, busyGrowth: 96 * MB });
  try {
    f.heap.total = 150 * MB;
    keeper.worked(false);
    assert.equal(keeper.collections, 0);
    // The timer is unref'd (it must not keep a server alive), so the test waits with one of its own.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(keeper.collections, 1);
  } finally {
    keeper.dispose();
  }
});

test('without a collection function the keeper does nothing', () => {
  const f = fakeHeap(100);
  const keeper = new MemoryKeeper({ collect: undefined, read: f.read, idleMs: 10 });
  f.heap.total = 10_000 * MB;
  keeper.worked(true);
  keeper.quiet();
  assert.equal(keeper.collections, 0);
  keeper.dispose();
});

test('this runtime hands over a full collection without --expose-gc on the command line', () => {
  const collect = fullCollection();
  assert.equal(typeof collect, 'function');
  collect!();
});
