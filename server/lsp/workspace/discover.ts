import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileCollector, SKIPPED_DIRS } from '../../cli/files';

/** More Python files than this in the workspace folders: the first ones (in walk order) are indexed. */
export const MAX_INDEXED_FILES = 10_000;
/** Larger files are left out of the index: generated code, vendored bundles. */
export const MAX_INDEXED_BYTES = 1_000_000;

export interface Discovered {
  readonly files: string[];
  /** Files over MAX_INDEXED_BYTES, left out. */
  readonly tooLarge: number;
  /** Files past MAX_INDEXED_FILES, left out. */
  readonly overCount: number;
}

/**
 * The Python files of one workspace folder, found as `threadwise check` finds them (`.gitignore`,
 * tool and virtualenv folders skipped, `exclude` patterns relative to the folder), within the caps.
 */
export function discoverPythonFiles(folder: string, exclude: readonly string[], room = MAX_INDEXED_FILES): Discovered {
  const found = new FileCollector({ exclude, respectGitignore: true, base: folder }).collect([folder], () => undefined);
  const files: string[] = [];
  let tooLarge = 0;
  let overCount = 0;
  for (const file of found) {
    // Stubs describe other packages' interfaces; the editor watches `*.py`, so only those are indexed.
    if (!file.endsWith('.py')) continue;
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      continue;
    }
    if (size > MAX_INDEXED_BYTES) tooLarge++;
    else if (files.length >= room) overCount++;
    else files.push(file);
  }
  return { files, tooLarge, overCount };
}

/**
 * Whether a file that appeared on disk belongs in the index of `folder`, by the folders the walk
 * skips (virtualenvs, caches, hidden folders). `.gitignore` is not read again for each event: a
 * file it covers is indexed once created, until the next start.
 */
export function mayIndex(folder: string, file: string): boolean {
  if (!file.endsWith('.py')) return false;
  const parts = path.relative(folder, file).split(path.sep).slice(0, -1);
  return !parts.some((p) => p === '..' || SKIPPED_DIRS.has(p) || p.startsWith('.'));
}
