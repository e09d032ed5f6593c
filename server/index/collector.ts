import type { Finding } from '../analyzer/rules/rule';
import type { ProjectView } from '../analyzer/analyze';
import type { Layout } from './layout';
import type { ModuleSummary } from './summary';

/**
 * A project view that only keeps the summaries it is given and knows no other module: what a
 * checker thread uses while the index is still being built, so each file is parsed once.
 */
export class SummaryCollector implements ProjectView {
  private readonly summaries = new Map<string, ModuleSummary>();

  constructor(private readonly layout: Layout) {}

  moduleNameOf(file: string): string | undefined {
    return this.layout.moduleNameOf(file);
  }

  set(summary: ModuleSummary): boolean {
    this.summaries.set(summary.file, summary);
    return false;
  }

  summaryOf(file: string): ModuleSummary | undefined {
    return this.summaries.get(file);
  }

  findingsFor(): Finding[] {
    return [];
  }
}
