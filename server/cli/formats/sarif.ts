import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleMeta } from '../../analyzer/rules/rule';
import type { CliFinding } from '../report';

/** Where the rule pages are published; the same pages ship in docs/rules of the package. */
export const PROJECT_URL = 'https://github.com/threadwise/threadwise';
export const ruleHelpUri = (code: string) => `${PROJECT_URL}/blob/main/docs/rules/${code}.md`;

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const SRCROOT = '%SRCROOT%';

export interface SarifInput {
  readonly version: string;
  readonly rules: readonly RuleMeta[];
  readonly findings: readonly CliFinding[];
  /** Files that could not be checked, reported as tool notifications. */
  readonly problems: ReadonlyArray<{ file: string; message: string }>;
}

/**
 * An artifact location: relative to %SRCROOT% (the working directory, which CI sets to the checkout)
 * when the file is below it, else an absolute file URI. Each segment is percent-encoded.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file) || file === '..' || file.startsWith('../')) return { uri: pathToFileURL(path.resolve(file)).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(r: { line: number; column: number; endLine: number; endColumn: number }) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** Builds a SARIF 2.1.0 log with one run. Columns count Unicode code points, as the CLI's do. */
export function toSarif(input: SarifInput): object {
  const index = new Map(input.rules.map((r, i) => [r.code, i]));
  const results = input.findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: index.get(f.code),
      level: LEVEL[f.severity] ?? 'warning',
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file), region: region(f) } }],
    };
    if (f.related && f.related.length > 0) {
      result['relatedLocations'] = f.related.map((r, id) => ({
        id,
        message: { text: r.message },
        physicalLocation: { artifactLocation: artifactLocation(r.file), region: region(r) },
      }));
    }
    if (f.fix) {
      result['fixes'] = [{
        description: { text: `${f.fix.title} (${f.fix.safety === 'safe' ? 'safe fix' : 'changes behaviour; review it'})` },
        artifactChanges: [{
          artifactLocation: artifactLocation(f.file),
          replacements: f.fix.edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
        }],
      }];
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Threadwise',
          semanticVersion: input.version,
          informationUri: PROJECT_URL,
          rules: input.rules.map((r) => ({
            id: r.code,
            name: pascalCase(r.name),
            shortDescription: { text: sentence(r.summary) },
            fullDescription: { text: sentence(r.summary) },
            helpUri: ruleHelpUri(r.code),
            help: { text: `${sentence(r.summary)} See ${ruleHelpUri(r.code)}` },
            defaultConfiguration: { level: LEVEL[r.severity] ?? 'warning' },
            properties: { fix: r.fix },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      invocations: [{
        executionSuccessful: input.problems.length === 0,
        toolExecutionNotifications: input.problems.map((p) => ({
          level: 'error',
          message: { text: `${p.file} ${p.message}` },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(p.file) } }],
        })),
      }],
      results,
    }],
  };
}

/** SARIF rule names are identifiers in PascalCase (the validator's SARIF2012 asks for it). */
function pascalCase(kebab: string): string {
  return kebab.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** Descriptions are full sentences ending in a period (SARIF2001/SARIF1008 guidance). */
function sentence(s: string): string {
  // Not capitalised: summaries may start with code such as 'time.sleep()'.
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
