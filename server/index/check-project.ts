import { analyzeTree, withTree, type AnalysisResult } from '../analyzer/analyze';
import { DEFAULT_CONFIG, type AnalyzerConfig } from '../analyzer/config';
import type { ProjectIndex } from './project-index';

export interface ProjectFile {
  readonly file: string;
  readonly source: string;
}

/**
 * Indexes then checks a set of files in this thread: every summary first, then each file with
 * the whole index. For tests and small runs; the CLI spreads the same two steps over threads.
 */
export async function checkProject(index: ProjectIndex, files: readonly ProjectFile[], config: (file: string) => AnalyzerConfig = () => DEFAULT_CONFIG): Promise<Map<string, AnalysisResult>> {
  for (const f of files) await withTree(f.source, (tree) => analyzeTree(f.source, tree, config(f.file), { project: { index, file: f.file } }));
  const out = new Map<string, AnalysisResult>();
  for (const f of files) out.set(f.file, await withTree(f.source, (tree) => analyzeTree(f.source, tree, config(f.file), { project: { index, file: f.file } })));
  return out;
}

