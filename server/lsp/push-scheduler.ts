/**
 * When to publish diagnostics to a push client. Edits come faster than a document can be checked,
 * so checking each version makes the last one wait behind all the others. Instead a document is
 * checked `quietMs` after its latest edit, and at the latest `maxWaitMs` after the first edit not
 * yet checked, so a stream of edits without a pause cannot starve it; one check runs per document
 * at a time, and edits during it lead to exactly one more check, of whatever text is newest then.
 */
export class PushScheduler {
  private readonly states = new Map<string, { timer?: NodeJS.Timeout; firstPending?: number; running: boolean; again: boolean }>();

  constructor(
    private readonly check: (uri: string) => Promise<void>,
    private readonly quietMs = 40,
    private readonly maxWaitMs = 400,
  ) {}

  schedule(uri: string): void {
    let state = this.states.get(uri);
    if (!state) this.states.set(uri, (state = { running: false, again: false }));
    if (state.running) {
      state.again = true;
      return;
    }
    const now = Date.now();
    state.firstPending ??= now;
    clearTimeout(state.timer);
    const delay = Math.max(0, Math.min(this.quietMs, state.firstPending + this.maxWaitMs - now));
    state.timer = setTimeout(() => this.run(uri), delay);
  }

  /** The document closed: nothing pending for it is run. */
  cancel(uri: string): void {
    const state = this.states.get(uri);
    if (!state) return;
    clearTimeout(state.timer);
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
