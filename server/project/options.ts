import { SEVERITIES } from '../analyzer/config';
import { ALL_META } from '../analyzer/rules/registry';
import { CONFIGURATION_PREFERENCES, DEFAULT_TEST_FILES } from './effective';
import { globProblem } from './glob';

/**
 * Every option Threadwise reads, under the name each reader knows it by: the `[tool.threadwise]`
 * key, the `threadwise.*` editor setting and the CLI flag. The pyproject.toml validator, the
 * settings parser and the CLI's argument parser take their names, allowed values and the checks
 * below from here, and a test holds package.json's `contributes.configuration` to it, so the
 * three cannot drift apart.
 */
export type OptionType =
  /** Rule codes or prefixes that name at least one rule. */
  | 'codes'
  /** Code or prefix -> one of SEVERITIES. */
  | 'severities'
  /** Globs as glob.ts matches them. */
  | 'globs'
  /** gitignore-style patterns (the CLI's `--exclude`). */
  | 'gitignore'
  /** Glob -> codes. */
  | 'per-file-ignores'
  /** `py38` .. `py314`. */
  | 'target-version'
  /** A file path; in pyproject.toml relative to its folder, on the command line to the working directory. */
  | 'path'
  | 'boolean'
  /** One of `values`. */
  | 'enum'
  /** Dotted Python names (`mypkg.client.Client.fetch`): the blocking-call lists. */
  | 'dotted-names'
  /** Folders, relative to the pyproject.toml's folder: source roots. */
  | 'paths';

export interface OptionSpec {
  readonly type: OptionType;
  /** The key in `[tool.threadwise]`, when pyproject.toml has it. */
  readonly pyproject?: string;
  /** The setting's name after `threadwise.`, when the editor has it. */
  readonly setting?: string;
  /** The `check` flag, when the CLI has it. */
  readonly cliFlag?: string;
  /** The setting's default, as package.json declares it. */
  readonly default?: unknown;
  readonly values?: readonly string[];
  /** Read by the VS Code client rather than the server (vscode-languageclient's trace). */
  readonly clientOnly?: boolean;
}

export const OPTIONS: readonly OptionSpec[] = [
  { type: 'boolean', setting: 'enable', default: true },
  { type: 'codes', pyproject: 'select', setting: 'select', cliFlag: '--select', default: [] },
  { type: 'codes', pyproject: 'ignore', setting: 'ignore', cliFlag: '--ignore', default: [] },
  { type: 'severities', pyproject: 'severity', setting: 'severity', default: {} },
  { type: 'globs', pyproject: 'exclude', setting: 'exclude', default: [] },
  { type: 'gitignore', cliFlag: '--exclude' },
  { type: 'per-file-ignores', pyproject: 'per-file-ignores' },
  { type: 'target-version', pyproject: 'target-version' },
  { type: 'path', pyproject: 'baseline', cliFlag: '--baseline' },
  { type: 'globs', pyproject: 'test-files', default: DEFAULT_TEST_FILES },
  { type: 'dotted-names', pyproject: 'blocking-calls', setting: 'blockingCalls', default: [] },
  { type: 'dotted-names', pyproject: 'non-blocking-calls', setting: 'nonBlockingCalls', default: [] },
  { type: 'paths', pyproject: 'src', default: [] },
  { type: 'path', pyproject: 'cache-dir' },
  { type: 'boolean', cliFlag: '--no-cache' },
  { type: 'enum', setting: 'run', values: ['onType', 'onSave'], default: 'onType' },
  { type: 'enum', setting: 'configurationPreference', values: CONFIGURATION_PREFERENCES, default: 'editorFirst' },
  { type: 'enum', setting: 'diagnosticMode', values: ['openFilesOnly', 'workspace'], default: 'openFilesOnly' },
  { type: 'enum', setting: 'editCheck', values: ['quick', 'full'], default: 'quick' },
  { type: 'enum', setting: 'trace.server', values: ['off', 'messages', 'verbose'], default: 'off', clientOnly: true },
];

/** The option a setting name stands for; throws for a name that is not in OPTIONS (a programming error). */
export function settingSpec(name: string): OptionSpec {
  const spec = OPTIONS.find((o) => o.setting === name);
  if (!spec) throw new Error(`no setting threadwise.${name} in OPTIONS`);
  return spec;
}

/** The `[tool.threadwise]` keys, in the order the docs list them. */
export const PYPROJECT_KEYS: readonly string[] = OPTIONS.flatMap((o) => (o.pyproject ? [o.pyproject] : []));

/** The shape of a code or prefix; package.json's `items.pattern` for code lists says the same. */
export const CODE_PATTERN = '^TW[0-9]{0,3}$';
const CODE_SHAPE = new RegExp(CODE_PATTERN);

/** A code or prefix that names at least one rule (`TW`, `TW4`, `TW404`), in any case. */
export function isKnownCodeOrPrefix(value: string): boolean {
  const v = value.toUpperCase();
  return CODE_SHAPE.test(v) && ALL_META.some((m) => m.code.startsWith(v));
}

export { SEVERITIES };

/** Splits a list into known codes (trimmed, upper-cased) and the items that are not. */
export function partitionCodes(values: readonly unknown[]): { good: string[]; bad: unknown[] } {
  const good: string[] = [];
  const bad: unknown[] = [];
  for (const v of values) {
    if (typeof v === 'string' && isKnownCodeOrPrefix(v.trim())) good.push(v.trim().toUpperCase());
    else bad.push(v);
  }
  return { good, bad };
}

/**
 * Splits glob patterns into usable ones and the rest: not a string, blank, or not a valid glob
 * (with the reason, which names the bad part and never repeats the whole pattern).
 */
export function partitionGlobs(values: readonly unknown[]): {
  good: string[];
  notStrings: unknown[];
  invalid: Array<{ readonly index: number; readonly reason: string }>;
} {
  const good: string[] = [];
  const notStrings: unknown[] = [];
  const invalid: Array<{ index: number; reason: string }> = [];
  values.forEach((v, index) => {
    if (typeof v !== 'string' || v.trim() === '') {
      notStrings.push(v);
      return;
    }
    const reason = globProblem(v);
    if (reason === undefined) good.push(v);
    else invalid.push({ index, reason });
  });
  return { good, notStrings, invalid };
}

/** `entry 2 is not a valid glob (the range "z-a" ...)`: 1-based, as people count list items. */
export function invalidGlobMessage(index: number, reason: string): string {
  return `entry ${index + 1} is not a valid glob (${reason}); it is skipped.`;
}

/** The shape of a `blocking-calls` entry; package.json's `items.pattern` says the same. */
export const DOTTED_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$';
const DOTTED_NAME = new RegExp(DOTTED_NAME_PATTERN);

/** Splits a list into dotted names (trimmed) and the items that are not one (`requests.get()`, `a..b`, 3). */
export function partitionDottedNames(values: readonly unknown[]): { good: string[]; bad: unknown[] } {
  const good: string[] = [];
  const bad: unknown[] = [];
  for (const v of values) {
    if (typeof v === 'string' && DOTTED_NAME.test(v.trim())) good.push(v.trim());
    else bad.push(v);
  }
  return { good, bad };
}
