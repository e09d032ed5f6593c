/**
 * Project configuration: `[tool.threadwise]` in the nearest pyproject.toml, validated, cached, and
 * merged with editor settings or CLI flags. Plain Node: no VS Code or LSP imports, so the CLI and
 * the language server share it.
 */
export { effectiveOptions, CONFIGURATION_PREFERENCES, type ConfigurationPreference, type EditorOptions, type EffectiveOptions } from './effective';
export { compileGlob, globProblem, InvalidGlobError, isExcluded, matchesGlob, relativeTo } from './glob';
export { clearProjectConfigCache, loadProjectConfig, PYPROJECT, type LoadedProjectConfig } from './pyproject';
export { formatProblem, type ConfigProblem, type ProjectConfig } from './types';
export { KNOWN_KEYS, minorFromRequiresPython, parseTargetVersion, validateThreadwiseTable } from './validate';
export { CODE_PATTERN, isKnownCodeOrPrefix, OPTIONS, partitionCodes, PYPROJECT_KEYS, type OptionSpec, type OptionType } from './options';
