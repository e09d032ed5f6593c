/** A run waiting for its turn, on a timer or for the next turn of the event loop. */
interface Pending {
  cancel(): void;
}

/** The clock and timers the scheduler uses; tests give their own. */
export interface SchedulerTiming {
  now(): number;
  /** Runs after the messages already read (setTimeout(0) would wait a millisecond or more). */
  immediately(run: () => void): Pending;
  later(run: () => void, ms: number): Pending;
}

const realTiming: SchedulerTiming = {
  now: () => performance.now(),
  immediately(run) {
    const handle = setImmediate(run);
    return { cancel: () => clearImmediate(handle) };
  },
  later(run, ms) {
    const handle = setTimeout(run, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

export interface SchedulerOptions {
  quietMs?: number;
  maxWaitMs?: number;
  burstGapMs?: number;
  timing?: SchedulerTiming;
}

/**
 * When to publish diagnostics to a push client. Edits can come faster than a document can be
 * checked, and checking each version makes the last one wait behind all the others. So:
 * - an edit that finds the document's last check finished and published is checked at once, however
 *   soon after the last edit: the server has kept up, and a delay would only add to the latency the
 *   user sees (a fast check followed at once by the next edit used to wait out `quietMs`);
 * - so is an edit after a pause (nothing for `burstGapMs`, as between keystrokes typed by a person);
 * - an edit that follows another closely (a paste, a replayed burst, a client flushing queued
 *   changes) waits until `quietMs` pass without one, and at most `maxWaitMs` after the first edit
 *   not yet checked, so a stream of edits without a pause cannot starve it;
 * - one check runs per document at a time; edits during it lead to exactly one more check, of
 *   whatever text is newest then.
 */
export class PushScheduler {
  private readonly states = new Map<string, { timer?: Pending; firstPending?: number; running: boolean; again: boolean }>();
  /** When each open document was last edited: tells a pause from a burst. */
  private readonly lastEdit = new Map<string, number>();

  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly burstGapMs: number;
  private readonly timing: SchedulerTiming;

  constructor(
    private readonly check: (uri: string) => Promise<void>,
    options: SchedulerOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 40;
    this.maxWaitMs = options.maxWaitMs ?? 400;
    this.burstGapMs = options.burstGapMs ?? 8;
    this.timing = options.timing ?? realTiming;
  }

  schedule(uri: string): void {
    const now = this.timing.now();
    const previous = this.lastEdit.get(uri);
    this.lastEdit.set(uri, now);
    let state = this.states.get(uri);
    // Nothing waiting or running for it: every earlier version's diagnostics have gone out.
    const caughtUp = !state;
    if (!state) this.states.set(uri, (state = { running: false, again: false }));
    if (state.running) {
      state.again = true;
      return;
    }
    const afterPause = previous === undefined || now - previous > this.burstGapMs;
    if ((caughtUp || afterPause) && state.timer === undefined) {
      state.timer = this.timing.immediately(() => this.run(uri));
      return;
    }
    state.firstPending ??= now;
    state.timer?.cancel();
    const delay = Math.max(0, Math.min(this.quietMs, state.firstPending + this.maxWaitMs - now));
    state.timer = this.timing.later(() => this.run(uri), delay);
  }

  /** No check is waiting or running: background work may take its turn. */
  get idle(): boolean {
    return this.states.size === 0;
  }

  /** The document closed: nothing pending for it is run. */
  cancel(uri: string): void {
    this.lastEdit.delete(uri);
    const state = this.states.get(uri);
    if (!state) return;
    state.timer?.cancel();
    this.states.delete(uri);
  }

  private run(uri: string): void {
    const state = this.states.get(uri);
    if (!state) return;
    state.timer = undefined;
    state.firstPending = undefined;
    state.running = true;
    state.again = false;
    const after = (): void => {
      if (this.states.get(uri) !== state) return; // cancelled meanwhile
      state.running = false;
      if (state.again) this.schedule(uri);
      else this.states.delete(uri);
    };
    // A failed check is the caller's to report; the next edit still schedules one.
    this.check(uri).then(after, after);
  }
}
