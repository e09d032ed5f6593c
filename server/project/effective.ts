import * as path from 'node:path';
import type { AnalyzerConfig } from '../analyzer/config';
import { DEFAULT_CONFIG } from '../analyzer/config';
import type { Severity } from '../analyzer/rules/rule';
import { isExcluded, matchesGlob, relativeTo } from './glob';
import type { ProjectConfig } from './types';

/**
 * Which files are tests unless `test-files` says otherwise: pytest's and unittest's usual layout.
 * The event-loop blocking rules (TW101-TW107) and TW203 do not report in them (see
 * docs/configuration.md#test-files).
 */
export const DEFAULT_TEST_FILES: readonly string[] = ['tests', 'test', 'test_*.py', '*_test.py', 'conftest.py'];

export type ConfigurationPreference = 'editorFirst' | 'filesystemFirst' | 'editorOnly';
export const CONFIGURATION_PREFERENCES: readonly ConfigurationPreference[] = ['editorFirst', 'filesystemFirst', 'editorOnly'];

/**
 * Options from the editor (or the CLI's flags). A key left undefined, or an empty list or map,
 * counts as "not set", so the project's value can apply.
 */
export interface EditorOptions {
  readonly select?: readonly string[] | undefined;
  readonly ignore?: readonly string[] | undefined;
  readonly severity?: Readonly<Record<string, Severity>> | undefined;
  readonly exclude?: readonly string[] | undefined;
  readonly blockingCalls?: readonly string[] | undefined;
  readonly nonBlockingCalls?: readonly string[] | undefined;
  /** What the editor's `exclude` is relative to: the workspace folder (the CLI: its working directory). */
  readonly root?: string | undefined;
}

export interface EffectiveOptions {
  readonly config: AnalyzerConfig;
  /** The file matches the `exclude` that applies: it gets no findings. */
  readonly excluded: boolean;
  /** The baseline file whose findings are not reported (pyproject.toml's `baseline`), absolute. */
  readonly baseline?: string;
  /** Where each key came from, for logs and docs. */
  readonly sources: Readonly<Record<'select' | 'ignore' | 'severity' | 'exclude', 'editor' | 'project' | 'default'>>;
}

function setList<T>(v: readonly T[] | undefined): readonly T[] | undefined {
  return v && v.length > 0 ? v : undefined;
}

function setMap<T>(v: Readonly<Record<string, T>> | undefined): Readonly<Record<string, T>> | undefined {
  return v && Object.keys(v).length > 0 ? v : undefined;
}

/**
 * The options for one file. Each key is taken whole from one source: under `editorFirst` the
 * editor's value when it sets one, else the project's; under `filesystemFirst` the other way
 * round; under `editorOnly` pyproject.toml is not consulted at all. `per-file-ignores`,
 * `target-version` and `baseline` exist only in pyproject.toml and apply unless `editorOnly`; so
 * does `test-files`, whose default applies when pyproject.toml does not set it.
 */
export function effectiveOptions(
  filePath: string,
  editor: EditorOptions,
  project: ProjectConfig | undefined,
  preference: ConfigurationPreference,
): EffectiveOptions {
  const proj = preference === 'editorOnly' ? undefined : project;
  const pick = <T>(e: T | undefined, p: T | undefined): { value: T | undefined; from: 'editor' | 'project' | 'default' } => {
    const [first, second, firstName, secondName] = preference === 'filesystemFirst'
      ? [p, e, 'project', 'editor'] as const
      : [e, p, 'editor', 'project'] as const;
    if (first !== undefined) return { value: first, from: firstName };
    if (second !== undefined) return { value: second, from: secondName };
    return { value: undefined, from: 'default' };
  };

  const select = pick(setList(editor.select), setList(proj?.select));
  const ignore = pick(setList(editor.ignore), setList(proj?.ignore));
  const severity = pick(setMap(editor.severity), setMap(proj?.severity));
  const exclude = pick(setList(editor.exclude), setList(proj?.exclude));
  const blockingCalls = pick(setList(editor.blockingCalls), setList(proj?.blockingCalls));
  const nonBlockingCalls = pick(setList(editor.nonBlockingCalls), setList(proj?.nonBlockingCalls));

  let excluded = false;
  if (exclude.value) {
    const root = exclude.from === 'project' ? proj!.root : (editor.root ?? path.parse(path.resolve(filePath)).root);
    excluded = isExcluded(filePath, root, exclude.value);
  }

  const fileIgnore: string[] = [];
  if (proj?.perFileIgnores) {
    const rel = relativeTo(proj.root, filePath);
    for (const { pattern, codes } of proj.perFileIgnores) if (matchesGlob(rel, pattern)) fileIgnore.push(...codes);
  }

  // `test-files` globs, relative to the pyproject.toml; without one, to the workspace folder (the
  // CLI: its working directory), so that the directories above the project do not count.
  const testGlobs = proj?.testFiles ?? DEFAULT_TEST_FILES;
  const testRoot = proj?.root ?? editor.root ?? path.parse(path.resolve(filePath)).root;
  const testFile = filePath !== '' && isExcluded(filePath, testRoot, testGlobs);

  const config: AnalyzerConfig = {
    select: select.value ?? DEFAULT_CONFIG.select,
    ignore: ignore.value ?? DEFAULT_CONFIG.ignore,
    severity: severity.value ?? DEFAULT_CONFIG.severity,
    ...(fileIgnore.length > 0 ? { fileIgnore } : {}),
    ...(proj?.targetVersion !== undefined ? { targetVersion: proj.targetVersion } : {}),
    ...(testFile ? { testFile } : {}),
    ...(blockingCalls.value ? { blockingCalls: blockingCalls.value } : {}),
    ...(nonBlockingCalls.value ? { nonBlockingCalls: nonBlockingCalls.value } : {}),
  };
  return {
    config,
    excluded,
    ...(proj?.baseline !== undefined ? { baseline: proj.baseline } : {}),
    sources: { select: select.from, ignore: ignore.from, severity: severity.from, exclude: exclude.from },
  };
}
