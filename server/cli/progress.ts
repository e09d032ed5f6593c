/** Shown only on a terminal, and only once a run has taken longer than this. */
const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

/** A single self-overwriting "checked n/m files" line on stderr for long runs on a terminal. */
export class Progress {
  private done = 0;
  private drawn = false;
  private lastDraw = 0;
  private readonly started: number;

  constructor(
    private readonly total: number,
    private readonly stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  private get enabled(): boolean {
    return this.stream.isTTY === true && this.total > 1;
  }

  tick(): void {
    this.done++;
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < SHOW_AFTER_MS || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\rthreadwise: checked ${this.done}/${this.total} files`);
  }

  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
