/**
 * Files to check again because a module they import changed what it shows to others. They wait
 * until edits pause: each edit postpones them, so the edited file is always checked first, and a
 * run in progress stops between two files when an edit arrives (the rest stay pending).
 */
export class DependentChecks {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private running = false;

  constructor(
    private readonly check: (file: string) => Promise<void>,
    /** Called once after a run that checked at least one file. */
    private readonly afterRun: () => void,
    private readonly delayMs = 50,
  ) {}

  add(files: Iterable<string>): void {
    for (const f of files) this.pending.add(f);
    this.arm();
  }

  /** An edit arrived: whatever is pending waits for it. */
  postpone(): void {
    this.generation++;
    if (this.pending.size > 0 || this.timer !== undefined) this.arm();
  }

  /** The file's own check has just run (it was edited or opened): it needs no second one. */
  drop(file: string): void {
    this.pending.delete(file);
  }

  get size(): number {
    return this.pending.size;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.running) return this.arm();
    this.running = true;
    const generation = this.generation;
    let checked = 0;
    try {
      for (const file of [...this.pending]) {
        if (this.generation !== generation) break;
        this.pending.delete(file);
        await this.check(file);
        checked++;
        // Messages that came in meanwhile (an edit, a pull) are served before the next file.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
    if (checked > 0) this.afterRun();
    if (this.pending.size > 0) this.arm();
  }
}
