import type { Tree } from 'web-tree-sitter';
import type { Finding } from '../analyzer/rules/rule';
import { baselineFileName, loadBaseline } from '../baseline/file';
import { findingKeys } from '../baseline/fingerprint';
import { matchBaseline } from '../baseline/match';

export interface BaselineFiltered {
  /** The findings the baseline does not account for: the ones to show. */
  readonly findings: readonly Finding[];
  /** Why the baseline could not be used (every finding is then shown). */
  readonly problem?: string;
  /** How many of this file's entries matched nothing, and the name they are recorded under. */
  readonly stale?: { readonly name: string; readonly count: number };
}

/**
 * Hides the findings of one open document that the project's baseline records, matched the way
 * the CLI matches them (code and fingerprint, see fingerprint.ts), so the editor and
 * `threadwise check` agree on what is new. The baseline is re-read whenever it changes on disk.
 */
export function filterByBaseline(baselinePath: string, file: string, source: string, tree: Tree, findings: readonly Finding[]): BaselineFiltered {
  const loaded = loadBaseline(baselinePath);
  if ('problem' in loaded) return { findings, problem: `${loaded.problem}; the baseline is not used, so every finding is shown.` };
  const name = baselineFileName(loaded.baseline.dir, file);
  const entries = loaded.baseline.byFile.get(name);
  if (!entries || entries.length === 0) return { findings };
  const m = matchBaseline(findingKeys(source, tree, findings), entries);
  const stale = entries.length - m.matched.length;
  return { findings: m.fresh.map((i) => findings[i]!), ...(stale > 0 ? { stale: { name, count: stale } } : {}) };
}
