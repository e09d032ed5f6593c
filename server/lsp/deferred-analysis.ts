import type { AnalysisResult } from '../analyzer/analyze';

/**
 * An edited document's quick analysis, whose rest is still to do: the project part (summary,
 * cross-module findings) and, after a partial rule run, the rules over the whole module.
 */
export interface PendingAnalysis {
  readonly uri: string;
  readonly revision: number;
  readonly result: AnalysisResult;
}

/**
 * The rest of edited documents' analyses, done once edits pause. A keystroke is answered with the
 * rules over the edited function and the file's other findings and its last cross-module findings
 * moved along with the edit; the rules over the whole module, summarising it and following its
 * chains through the project (several times the cost of the quick answer in a large file) wait
 * until nothing has been typed for `quietMs`. Each edit replaces its document's pending work, so
 * only the newest version is ever completed.
 */
export class DeferredAnalysis {
  private readonly pending = new Map<string, PendingAnalysis>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly finish: (part: PendingAnalysis) => void | Promise<void>,
    private readonly quietMs = 100,
  ) {}

  add(part: PendingAnalysis): void {
    this.pending.set(part.uri, part);
    this.arm();
  }

  /** An edit arrived somewhere: the pending parts wait for the next pause. */
  postpone(): void {
    if (this.pending.size > 0) this.arm();
  }

  cancel(uri: string): void {
    this.pending.delete(uri);
  }

  /** Does every pending part now (a hover needs the summaries of the texts as they are). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const parts = [...this.pending.values()];
    this.pending.clear();
    for (const part of parts) await this.finish(part);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.quietMs);
  }
}
