import type { Severity } from './rules/rule';

/**
 * What to check in one file: the same shape whether it comes from VS Code settings, pyproject.toml
 * or the CLI (server/project/ merges those sources into this).
 */
export interface AnalyzerConfig {
  readonly select: readonly string[];
  readonly ignore: readonly string[];
  /** Code or prefix -> severity; the longest matching prefix wins. */
  readonly severity: Readonly<Record<string, Severity>>;
  /**
   * Codes or prefixes switched off for this file by `per-file-ignores`. Unlike `ignore` they are
   * not weighed against `select`: a per-file ignore always silences.
   */
  readonly fileIgnore?: readonly string[];
  /** The oldest Python 3 minor version the code must run on (11 for 3.11); undefined: not known. */
  readonly targetVersion?: number;
  /**
   * The file is one of the project's tests (`test-files`): rules whose meta says
   * `skipsTestFiles` do not run on it.
   */
  readonly testFile?: boolean;
  /** `blocking-calls`: dotted names of functions, methods, classes or modules the project says block. */
  readonly blockingCalls?: readonly string[];
  /** `non-blocking-calls`: dotted names no blocking rule reports, even when the catalogue lists them. */
  readonly nonBlockingCalls?: readonly string[];
}

export const DEFAULT_CONFIG: AnalyzerConfig = { select: ['TW'], ignore: [], severity: {} };

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

function longestMatch(code: string, prefixes: readonly string[]): number {
  let best = -1;
  for (const p of prefixes) if (code.startsWith(p.toUpperCase()) && p.length > best) best = p.length;
  return best;
}

/** The most specific of `select` and `ignore` wins, as in Ruff: `select TW1, ignore TW101`. */
export function isEnabled(code: string, config: AnalyzerConfig): boolean {
  if (config.fileIgnore && longestMatch(code, config.fileIgnore) >= 0) return false;
  const selected = longestMatch(code, config.select.length > 0 ? config.select : ['TW']);
  if (selected < 0) return false;
  return longestMatch(code, config.ignore) < selected;
}

export function severityFor(code: string, fallback: Severity, config: AnalyzerConfig): Severity {
  let best = -1;
  let chosen = fallback;
  for (const [prefix, severity] of Object.entries(config.severity)) {
    if (code.startsWith(prefix.toUpperCase()) && prefix.length > best) {
      best = prefix.length;
      chosen = severity;
    }
  }
  return chosen;
}

/**
 * Whether the configured target is at least Python 3.`minor`: true or false when a target is
 * configured, undefined when it is not (rules then give advice that holds for every version).
 */
export function targetAtLeast(targetVersion: number | undefined, minor: number): boolean | undefined {
  return targetVersion === undefined ? undefined : targetVersion >= minor;
}
