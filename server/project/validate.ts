import * as path from 'node:path';
import type { Severity } from '../analyzer/rules/rule';
import { globProblem } from './glob';
import { invalidGlobMessage, isKnownCodeOrPrefix, partitionCodes, partitionDottedNames, partitionGlobs, PYPROJECT_KEYS, SEVERITIES } from './options';
import { boundedList, truncate } from '../text/bounded';
import type { ConfigProblem, ProjectConfig } from './types';

export const KNOWN_KEYS = PYPROJECT_KEYS;

/** `py38` .. `py314`: the versions Threadwise's advice distinguishes. */
export const MIN_TARGET = 8;
export const MAX_TARGET = 14;

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The known key a typo most likely meant: `per_file_ignores`, `ignor`, `Select`. */
function nearestKey(key: string): string | undefined {
  const k = key.toLowerCase().replace(/_/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of KNOWN_KEYS) {
    const d = editDistance(k, known);
    // Longer keys tolerate one more slip (`severities` for `severity`).
    if (d <= (known.length >= 6 ? 3 : 2) && d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (isTable(v)) return 'a table';
  return `${typeof v} ${truncate(JSON.stringify(v) ?? String(v), 100)}`;
}

function quoteList(values: readonly unknown[]): string {
  return boundedList(values, (v) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v)));
}

export function parseTargetVersion(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^py3(\d{1,2})$/.exec(value.trim());
  if (!m) return undefined;
  const minor = Number(m[1]);
  return minor >= MIN_TARGET && minor <= MAX_TARGET ? minor : undefined;
}

/**
 * The lowest Python 3 minor a `requires-python` specifier allows (`>=3.10`, `~=3.11`, `==3.12.*`),
 * so a project that states it once gets version-aware advice without repeating it.
 */
export function minorFromRequiresPython(spec: unknown): number | undefined {
  if (typeof spec !== 'string') return undefined;
  let lowest: number | undefined;
  for (const clause of spec.split(',')) {
    const m = /^\s*(>=|~=|==|>)\s*3\.(\d+)/.exec(clause);
    if (!m) continue;
    // `>3.10` still admits 3.10.1, so it bounds like `>=3.10`.
    const minor = Number(m[2]);
    lowest = lowest === undefined ? minor : Math.min(lowest, minor);
  }
  if (lowest === undefined) return undefined;
  return Math.min(Math.max(lowest, MIN_TARGET), MAX_TARGET);
}

/**
 * Validates a `[tool.threadwise]` table. Each bad key or value yields one problem naming the key;
 * every valid key and every valid item of a partly bad list is kept.
 */
export function validateThreadwiseTable(table: unknown, file: string, root: string): { config: ProjectConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ file, key, message });
  const config: { -readonly [K in keyof ProjectConfig]: ProjectConfig[K] } = { root };
  if (!isTable(table)) {
    problems.push({ file, message: `[tool.threadwise] must be a table, not ${describe(table)}; using the defaults.` });
    return { config, problems };
  }

  const codeList = (key: string, value: unknown): string[] | undefined => {
    if (!Array.isArray(value)) {
      problem(key, `expected an array of rule codes or prefixes such as ["TW1", "TW404"], got ${describe(value)}; ignored.`);
      return undefined;
    }
    const { good, bad } = partitionCodes(value);
    if (bad.length > 0) {
      problem(key, `unknown rule code${bad.length > 1 ? 's' : ''} or prefix${bad.length > 1 ? 'es' : ''} ${quoteList(bad)}; ${bad.length > 1 ? 'they are' : 'it is'} skipped (see \`threadwise rules\`).`);
    }
    return good;
  };

  /** A list of globs (`exclude`, `test-files`): the valid ones, one problem per bad entry. */
  const globList = (key: string, value: unknown, example: string): string[] | undefined => {
    if (!Array.isArray(value)) {
      problem(key, `expected an array of glob patterns such as ${example}, got ${describe(value)}; ignored.`);
      return undefined;
    }
    const { good, notStrings, invalid } = partitionGlobs(value);
    if (notStrings.length > 0) problem(key, `entries must be non-empty strings; skipped ${quoteList(notStrings)}.`);
    for (const { index, reason } of invalid) problem(key, invalidGlobMessage(index, reason));
    return good;
  };

  for (const [key, value] of Object.entries(table)) {
    switch (key) {
      case 'select':
      case 'ignore': {
        const codes = codeList(key, value);
        if (codes) config[key] = codes;
        break;
      }
      case 'severity': {
        if (!isTable(value)) {
          problem(key, `expected a table of code or prefix = "error" | "warning" | "information" | "hint", got ${describe(value)}; ignored.`);
          break;
        }
        const severity: Record<string, Severity> = {};
        for (const [code, level] of Object.entries(value)) {
          if (!isKnownCodeOrPrefix(code)) {
            problem(`severity.${code}`, `unknown rule code or prefix "${code}"; skipped.`);
          } else if (typeof level !== 'string' || !SEVERITIES.includes(level as Severity)) {
            problem(`severity.${code}`, `expected "error", "warning", "information" or "hint", got ${describe(level)}; skipped.`);
          } else {
            severity[code.toUpperCase()] = level as Severity;
          }
        }
        config.severity = severity;
        break;
      }
      case 'exclude': {
        const good = globList(key, value, '["build/**", "legacy_*.py"]');
        if (good) config.exclude = good;
        break;
      }
      case 'per-file-ignores': {
        if (!isTable(value)) {
          problem(key, `expected a table of glob = [codes], such as "tests/**" = ["TW3"], got ${describe(value)}; ignored.`);
          break;
        }
        const entries: Array<{ pattern: string; codes: string[] }> = [];
        for (const [pattern, codes] of Object.entries(value)) {
          const invalid = globProblem(pattern);
          if (invalid !== undefined) {
            problem(`per-file-ignores."${pattern}"`, `not a valid glob (${invalid}); its codes are skipped.`);
            continue;
          }
          const list = codeList(`per-file-ignores."${pattern}"`, codes);
          if (list && list.length > 0) entries.push({ pattern, codes: list });
        }
        config.perFileIgnores = entries;
        break;
      }
      case 'test-files': {
        const good = globList(key, value, '["tests", "test_*.py"]');
        if (good) config.testFiles = good;
        break;
      }
      case 'target-version': {
        const minor = parseTargetVersion(value);
        if (minor === undefined) problem(key, `expected "py3${MIN_TARGET}" .. "py3${MAX_TARGET}", got ${describe(value)}; ignored.`);
        else config.targetVersion = minor;
        break;
      }
      case 'baseline': {
        // Whether the file exists and is well-formed is checked when it is read: it may not be
        // written yet, and it changes far more often than pyproject.toml.
        if (typeof value !== 'string' || value.trim() === '' || value.includes('\0')) problem(key, `expected the path of a baseline file such as "threadwise-baseline.json", got ${describe(value)}; ignored.`);
        else config.baseline = path.resolve(root, value.trim());
        break;
      }
      case 'src': {
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '' || v.includes('\0'))) {
          problem(key, `expected an array of folders such as ["src", "lib"], got ${describe(value)}; ignored.`);
          break;
        }
        config.src = value.map((v: string) => path.resolve(root, v.trim()));
        break;
      }
      case 'cache-dir': {
        if (typeof value !== 'string' || value.trim() === '' || value.includes('\0')) problem(key, `expected a folder such as ".threadwise_cache", got ${describe(value)}; ignored.`);
        else config.cacheDir = path.resolve(root, value.trim());
        break;
      }
      case 'blocking-calls':
      case 'non-blocking-calls': {
        if (!Array.isArray(value)) {
          problem(key, `expected an array of dotted names such as ["mypkg.client.Client.fetch"], got ${describe(value)}; ignored.`);
          break;
        }
        const { good, bad } = partitionDottedNames(value);
        if (bad.length > 0) problem(key, `not a dotted name (module.function or module.Class.method): ${quoteList(bad)}; skipped.`);
        config[key === 'blocking-calls' ? 'blockingCalls' : 'nonBlockingCalls'] = good;
        break;
      }
      default: {
        const near = nearestKey(key);
        problem(key, `unknown key${near ? ` (did you mean "${near}"?)` : ''}; known keys are ${KNOWN_KEYS.join(', ')}.`);
      }
    }
  }
  return { config, problems };
}
