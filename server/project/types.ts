import type { Severity } from '../analyzer/rules/rule';

/** `[tool.threadwise]` after validation: only the keys that were present and valid. */
export interface ProjectConfig {
  /** The directory holding the pyproject.toml; `exclude` and `per-file-ignores` are relative to it. */
  readonly root: string;
  readonly select?: readonly string[];
  readonly ignore?: readonly string[];
  readonly severity?: Readonly<Record<string, Severity>>;
  readonly exclude?: readonly string[];
  readonly perFileIgnores?: ReadonlyArray<{ readonly pattern: string; readonly codes: readonly string[] }>;
  /** Python 3 minor version: `target-version`, or the lower bound of `[project] requires-python`. */
  readonly targetVersion?: number;
  /** The baseline file's absolute path (`baseline`, written relative to the pyproject.toml). */
  readonly baseline?: string;
  /** `test-files`: globs naming the project's test files (absent: DEFAULT_TEST_FILES). */
  readonly testFiles?: readonly string[];
  readonly blockingCalls?: readonly string[];
  readonly nonBlockingCalls?: readonly string[];
  /** `src`: more source roots for imports (absolute), besides the root and its `src/`. */
  readonly src?: readonly string[];
  /** `cache-dir`: where the CLI keeps its cache (absolute); default `.threadwise_cache` in `root`. */
  readonly cacheDir?: string;
}

/** One thing wrong with a configuration file, reported once and otherwise skipped. */
export interface ConfigProblem {
  readonly file: string;
  /** The `[tool.threadwise]` key at fault (`select`, `severity.TW999`); absent for TOML syntax errors. */
  readonly key?: string;
  /** 1-based, for TOML syntax errors. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** `file:line:column: message` or `file: [tool.threadwise] key: message`, for logs and pop-ups. */
export function formatProblem(p: ConfigProblem): string {
  if (p.line !== undefined) return `${p.file}:${p.line}:${p.column ?? 1}: ${p.message}`;
  if (p.key !== undefined) return `${p.file}: [tool.threadwise] ${p.key}: ${p.message}`;
  return `${p.file}: ${p.message}`;
}
