import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { ConfigProblem, ProjectConfig } from './types';
import { minorFromRequiresPython, validateThreadwiseTable } from './validate';

// smol-toml's types describe its ES module; its package also ships a CommonJS build, which this
// CommonJS code (and the esbuild bundle) loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse, TomlError } = require('smol-toml') as typeof SmolToml;

export const PYPROJECT = 'pyproject.toml';

/** One pyproject.toml as read: whether it configures Threadwise, and what it says. */
interface ParsedFile {
  readonly mtimeMs: number;
  readonly size: number;
  /** Has a `[tool.threadwise]` table, or is broken TOML that mentions threadwise. */
  readonly relevant: boolean;
  readonly config: ProjectConfig | undefined;
  readonly problems: readonly ConfigProblem[];
}

export interface LoadedProjectConfig {
  /** The validated `[tool.threadwise]` of the nearest relevant pyproject.toml; undefined when none. */
  readonly config: ProjectConfig | undefined;
  /** That pyproject.toml's path. */
  readonly file: string | undefined;
  readonly problems: readonly ConfigProblem[];
}

const cache = new Map<string, ParsedFile>();

/** Forgets every parsed file; a file is also re-read on its own whenever its mtime or size changes. */
export function clearProjectConfigCache(): void {
  cache.clear();
}

function parseFile(file: string, text: string, stat: fs.Stats): ParsedFile {
  const base = { mtimeMs: stat.mtimeMs, size: stat.size };
  const root = path.dirname(file);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    // Someone else's broken pyproject.toml is not ours to complain about.
    const relevant = /threadwise/.test(text);
    if (!relevant) return { ...base, relevant, config: undefined, problems: [] };
    const problem: ConfigProblem = err instanceof TomlError
      ? { file, line: err.line, column: err.column, message: `invalid TOML: ${firstLine(err.message)}; using the default configuration.` }
      : { file, message: `invalid TOML: ${err instanceof Error ? err.message : String(err)}; using the default configuration.` };
    return { ...base, relevant, config: { root }, problems: [problem] };
  }
  const tool = doc['tool'];
  const table = tool && typeof tool === 'object' ? (tool as Record<string, unknown>)['threadwise'] : undefined;
  if (table === undefined) return { ...base, relevant: false, config: undefined, problems: [] };
  const { config, problems } = validateThreadwiseTable(table, file, root);
  if (config.targetVersion === undefined) {
    const project = doc['project'];
    const inferred = project && typeof project === 'object' ? minorFromRequiresPython((project as Record<string, unknown>)['requires-python']) : undefined;
    if (inferred !== undefined) return { ...base, relevant: true, config: { ...config, targetVersion: inferred }, problems };
  }
  return { ...base, relevant: true, config, problems };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** Reads one pyproject.toml through the cache; undefined when it does not exist or cannot be read. */
export function readPyproject(file: string): ParsedFile | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    cache.delete(file);
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // unreadable (permissions, a race with deletion): as if absent
  }
  const parsed = parseFile(file, text, stat);
  cache.set(file, parsed);
  return parsed;
}

/**
 * The configuration for `filePath`: the nearest pyproject.toml above it that has a
 * `[tool.threadwise]` table (as Ruff does with `[tool.ruff]`, a pyproject.toml without one is
 * passed over), searched up to the filesystem root. Never throws.
 */
export function loadProjectConfig(filePath: string): LoadedProjectConfig {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    const candidate = path.join(dir, PYPROJECT);
    const parsed = readPyproject(candidate);
    if (parsed?.relevant) return { config: parsed.config, file: candidate, problems: parsed.problems };
    const parent = path.dirname(dir);
    if (parent === dir) return { config: undefined, file: undefined, problems: [] };
    dir = parent;
  }
}
