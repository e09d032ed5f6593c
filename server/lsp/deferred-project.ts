import type { AnalysisResult } from '../analyzer/analyze';

/** An edited document's analysis whose project part (summary, cross-module findings) is still to do. */
export interface PendingProjectPart {
  readonly uri: string;
  readonly revision: number;
  readonly result: AnalysisResult;
}

/**
 * The project part of edited documents' analyses, done once edits pause. A keystroke is answered
 * with the file's own findings plus its last cross-module findings moved along with the edit;
 * summarising the module and following its chains through the project (several times the cost of
 * the check itself in a large file) waits until nothing has been typed for `quietMs`. Each edit
 * replaces its document's pending part, so only the newest version is ever summarised.
 */
export class DeferredProjectWork {
  private readonly pending = new Map<string, PendingProjectPart>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly finish: (part: PendingProjectPart) => void,
    private readonly quietMs = 100,
  ) {}

  add(part: PendingProjectPart): void {
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
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const parts = [...this.pending.values()];
    this.pending.clear();
    for (const part of parts) this.finish(part);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.quietMs);
  }
}
