import type { Severity } from '../analyzer/rules/rule';
import type { ConfigurationPreference, EditorOptions } from '../project/effective';
import { invalidGlobMessage, isKnownCodeOrPrefix, partitionCodes, partitionDottedNames, partitionGlobs, settingSpec, SEVERITIES } from '../project/options';
import { boundedList, truncate } from '../text/bounded';

export type RunMode = 'onType' | 'onSave';
/** Whose findings the editor shows: the open files', or every indexed file's (as Pylance's setting of that name). */
export type DiagnosticMode = 'openFilesOnly' | 'workspace';
/** What a keystroke is answered with: the edited function's rules at once (the file's when typing pauses), or the file's. */
export type EditCheck = 'quick' | 'full';

/** The `threadwise.*` settings as the client sends them, after validation. */
export interface ThreadwiseSettings {
  readonly enable: boolean;
  readonly run: RunMode;
  readonly configurationPreference: ConfigurationPreference;
  readonly diagnosticMode: DiagnosticMode;
  readonly editCheck: EditCheck;
  /** select / ignore / severity / exclude; a key the user left at its default is undefined. */
  readonly editor: EditorOptions;
  /** One line per mistyped setting, naming it (`threadwise.select: ...`); the rest still applies. */
  readonly problems: readonly string[];
}

export const DEFAULT_SETTINGS: ThreadwiseSettings = {
  enable: true,
  run: 'onType',
  configurationPreference: 'editorFirst',
  diagnosticMode: 'openFilesOnly',
  editCheck: 'quick',
  editor: {},
  problems: [],
};

/** A few of the values, not all: the list may hold thousands of entries. */
function quote(values: readonly unknown[]): string {
  return boundedList(values);
}

/** One value as the user wrote it, shortened: it may be a megabyte of text. */
function shown(value: unknown): string {
  return truncate(JSON.stringify(value) ?? String(value), 100);
}

/**
 * Reads settings defensively: a wrong type or an unknown code is reported by setting name and
 * falls back to the default for that key (or drops that item) only.
 */
export function parseSettings(raw: unknown): ThreadwiseSettings {
  if (!raw || typeof raw !== 'object') return DEFAULT_SETTINGS;
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];

  const codeList = (key: string): string[] | undefined => {
    const value = r[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      problems.push(`threadwise.${key}: expected a list of rule codes or prefixes such as ["TW1", "TW404"], got ${shown(value)}; using the default.`);
      return undefined;
    }
    const { good, bad } = partitionCodes(value);
    if (bad.length > 0) problems.push(`threadwise.${key}: unknown rule code or prefix ${quote(bad)}; skipped.`);
    return good.length > 0 ? good : undefined;
  };

  const severity = (): Record<string, Severity> | undefined => {
    const value = r['severity'];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`threadwise.severity: expected an object such as {"TW404": "error"}, got ${shown(value)}; using the default.`);
      return undefined;
    }
    const out: Record<string, Severity> = {};
    // One problem for all unknown codes: an object may have any number of keys.
    const unknown: string[] = [];
    for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
      if (!isKnownCodeOrPrefix(code.trim())) unknown.push(code);
      else if (typeof level !== 'string' || !SEVERITIES.includes(level as Severity)) {
        problems.push(`threadwise.severity.${truncate(code, 60)}: expected "error", "warning", "information" or "hint", got ${shown(level)}; skipped.`);
      } else out[code.trim().toUpperCase()] = level as Severity;
    }
    if (unknown.length > 0) problems.push(`threadwise.severity: unknown rule code or prefix ${quote(unknown)}; skipped.`);
    return Object.keys(out).length > 0 ? out : undefined;
  };

  const exclude = (): string[] | undefined => {
    const value = r['exclude'];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      problems.push(`threadwise.exclude: expected a list of glob patterns, got ${shown(value)}; using the default.`);
      return undefined;
    }
    const { good, notStrings, invalid } = partitionGlobs(value);
    if (notStrings.length > 0) problems.push(`threadwise.exclude: entries must be non-empty strings; skipped ${quote(notStrings)}.`);
    for (const { index, reason } of invalid) problems.push(`threadwise.exclude: ${invalidGlobMessage(index, reason)}`);
    return good.length > 0 ? good : undefined;
  };

  const dottedNames = (key: string): string[] | undefined => {
    const value = r[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      problems.push(`threadwise.${key}: expected a list of dotted names such as ["mypkg.client.Client.fetch"], got ${shown(value)}; using the default.`);
      return undefined;
    }
    const { good, bad } = partitionDottedNames(value);
    if (bad.length > 0) problems.push(`threadwise.${key}: not a dotted name (module.function or module.Class.method): ${quote(bad)}; skipped.`);
    return good.length > 0 ? good : undefined;
  };

  // The allowed values and the fallback are the ones package.json declares (see options.ts).
  const oneOf = <T extends string>(key: string): T => {
    const spec = settingSpec(key);
    const allowed = spec.values as readonly T[];
    const fallback = spec.default as T;
    const value = r[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`threadwise.${key}: expected ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${shown(value)}; using "${fallback}".`);
    return fallback;
  };

  let enable = true;
  if (typeof r['enable'] === 'boolean') enable = r['enable'];
  else if (r['enable'] !== undefined && r['enable'] !== null) problems.push(`threadwise.enable: expected true or false, got ${shown(r['enable'])}; using true.`);

  const select = codeList('select');
  const ignore = codeList('ignore');
  const sev = severity();
  const exc = exclude();
  const blockingCalls = dottedNames('blockingCalls');
  const nonBlockingCalls = dottedNames('nonBlockingCalls');
  return {
    enable,
    run: oneOf<RunMode>('run'),
    configurationPreference: oneOf<ConfigurationPreference>('configurationPreference'),
    diagnosticMode: oneOf<DiagnosticMode>('diagnosticMode'),
    editCheck: oneOf<EditCheck>('editCheck'),
    editor: {
      ...(select ? { select } : {}),
      ...(ignore ? { ignore } : {}),
      ...(sev ? { severity: sev } : {}),
      ...(exc ? { exclude: exc } : {}),
      ...(blockingCalls ? { blockingCalls } : {}),
      ...(nonBlockingCalls ? { nonBlockingCalls } : {}),
    },
    problems,
  };
}
