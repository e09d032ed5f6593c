// Gives memory back once work has left much garbage. Each analysis copies a whole syntax tree into
// JavaScript; copies kept a while (the incremental state of recent documents, an open's first
// analysis) outlive the young generation, and when they are let go V8 grows the heap rather than
// collect it: opening 50 large files one after another left the server at about 360 MB resident
// (540 MB at its peak) with 95 MB of live objects. A full collection when the server goes quiet,
// or during bulk work once the heap has grown far past what was live, keeps it near the live size:
// about 250 MB after the same 50 files (peak 310 MB), and the whole stdlib's index at about 160 MB
// instead of 260 MB (bench sections 3 and 6).
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export interface MemoryKeeperOptions {
  /** Runs a full collection; undefined: this runtime gives none, and the keeper does nothing. */
  readonly collect: (() => void) | undefined;
  /** Bytes the heap holds from the system, with the memory its objects own outside it. */
  readonly read?: () => number;
  /** Quiet this long after the last work, and a collection is worth it: it runs. */
  readonly idleMs?: number;
  /** Growth over the heap's size after the last collection that makes one worth it when quiet. */
  readonly idleGrowth?: number;
  /** Growth that makes one worth it at once during bulk work (opening files, indexing): a pause there beats unbounded growth. */
  readonly busyGrowth?: number;
}

const MB = 1024 * 1024;

/** The heap and the memory outside it that its objects own (buffers, such as each message's text). */
function heapBytes(): number {
  const s = v8.getHeapStatistics();
  return s.total_heap_size + s.external_memory;
}

/**
 * V8's full collection, if this runtime will give it. Node exposes it only when started with
 * --expose-gc, which the server cannot ask of every editor that starts it; the flag set now
 * applies to contexts made afterwards, and a new context hands the function over.
 */
export function fullCollection(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
    return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
  } catch {
    return undefined;
  }
}

export class MemoryKeeper {
  private timer: NodeJS.Timeout | undefined;
  /** The heap's size just after the last collection this keeper ran (or at start). */
  private settled: number;
  private readonly read: () => number;
  private readonly idleMs: number;
  private readonly idleGrowth: number;
  private readonly busyGrowth: number;
  collections = 0;

  constructor(private readonly options: MemoryKeeperOptions) {
    this.read = options.read ?? heapBytes;
    this.idleMs = options.idleMs ?? 1_000;
    this.idleGrowth = options.idleGrowth ?? 32 * MB;
    this.busyGrowth = options.busyGrowth ?? 96 * MB;
    this.settled = this.read();
  }

  /**
   * Some work ran: an analysis, a step of indexing. The idle collection waits for quiet again. After
   * bulk work (an open, indexing; not an edit, where a pause would delay the next keystroke) a heap
   * grown far past its last settled size is collected now.
   */
  worked(bulk: boolean): void {
    if (!this.options.collect) return;
    if (bulk && this.read() - this.settled > this.busyGrowth) {
      this.collectNow();
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.quiet(), this.idleMs);
    this.timer.unref();
  }

  /** No work for a while: collect if the heap grew enough since the last collection to be worth it. */
  quiet(): void {
    this.timer = undefined;
    if (this.options.collect && this.read() - this.settled > this.idleGrowth) this.collectNow();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private collectNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // V8 hands the pages a collection freed back to the system at the next one: the second, over
    // the live objects alone, is short, and the heap is back near its live size at once.
    this.options.collect?.();
    this.options.collect?.();
    this.collections++;
    this.settled = this.read();
  }
}
