import { Layout } from '../index/layout';
import { ProjectIndex } from '../index/project-index';
import type { ModuleSummary } from '../index/summary';

/** One project's summaries, as sent to checker threads (plain data). */
export interface IndexData {
  readonly root: string;
  readonly src: readonly string[];
  readonly summaries: readonly ModuleSummary[];
}

/** The indexes of this run, by project root: each thread builds its own from the same data. */
const indexes = new Map<string, ProjectIndex>();

export function buildIndex(data: IndexData): ProjectIndex {
  const index = new ProjectIndex(new Layout({ root: data.root, src: data.src }));
  for (const s of data.summaries) index.set(s);
  return index;
}

export function useIndexes(data: readonly IndexData[]): void {
  indexes.clear();
  for (const d of data) indexes.set(d.root, buildIndex(d));
}

export function sharedIndex(root: string): ProjectIndex | undefined {
  return indexes.get(root);
}
