import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The baseline file: the findings a project has accepted for now, so only new ones are reported.
 *
 *     {
 *       "version": 1,
 *       "findings": [
 *         {"file": "app/worker.py", "code": "TW101", "scope": "Worker.run", "fingerprint": "3f9c0e51a2b4d6e8"}
 *       ]
 *     }
 *
 * `file` is relative to the folder holding the baseline, with `/`; `scope` is there for people
 * reading a review diff (the fingerprint already covers it). One entry per line, sorted, so a diff
 * shows exactly the findings that came and went.
 */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly file: string;
  readonly code: string;
  readonly scope: string;
  readonly fingerprint: string;
}

export interface Baseline {
  /** The baseline file's absolute path. */
  readonly path: string;
  /** The folder entries' `file` is relative to. */
  readonly dir: string;
  readonly byFile: ReadonlyMap<string, readonly BaselineEntry[]>;
}

export type LoadedBaseline = { readonly baseline: Baseline } | { readonly problem: string };

/** Far more than any project's findings; a bigger file is a mistake or an attack, not a baseline. */
export const MAX_BASELINE_BYTES = 32 * 1024 * 1024;
const CODE = /^TW\d{3}$/;
const FINGERPRINT = /^[0-9a-f]{16}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why one entry is unusable, or undefined when it is fine. */
function entryProblem(e: unknown): string | undefined {
  if (!isRecord(e)) return 'is not an object';
  const { file, code, scope, fingerprint } = e;
  if (typeof file !== 'string' || file === '' || file.length > 4096 || path.isAbsolute(file) || file.includes('\\')) return 'needs "file", a relative path with "/"';
  if (typeof code !== 'string' || !CODE.test(code)) return 'needs "code", a rule code such as "TW101"';
  if (scope !== undefined && (typeof scope !== 'string' || scope.length > 4096)) return 'has a "scope" that is not a string';
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) return 'needs "fingerprint", 16 lowercase hex digits';
  return undefined;
}

/** Parses a baseline's text; any fault makes the whole file unusable, with one message saying why. */
export function parseBaseline(text: string, file: string): LoadedBaseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { problem: `not valid JSON (${(e as Error).message.split('\n')[0]!.slice(0, 200)})` };
  }
  if (!isRecord(doc) || !Array.isArray(doc['findings'])) return { problem: 'expected an object {"version": 1, "findings": [...]}' };
  if (doc['version'] !== BASELINE_VERSION) return { problem: `unsupported version ${JSON.stringify(doc['version'])?.slice(0, 40)}; this Threadwise reads version ${BASELINE_VERSION}` };
  const byFile = new Map<string, BaselineEntry[]>();
  const findings = doc['findings'] as unknown[];
  for (let i = 0; i < findings.length; i++) {
    const e = findings[i];
    const why = entryProblem(e);
    if (why !== undefined) return { problem: `findings[${i}] ${why}` };
    const r = e as Record<string, string>;
    const entry: BaselineEntry = { file: r['file']!, code: r['code']!, scope: r['scope'] ?? '', fingerprint: r['fingerprint']! };
    const list = byFile.get(entry.file);
    if (list) list.push(entry);
    else byFile.set(entry.file, [entry]);
  }
  const abs = path.resolve(file);
  return { baseline: { path: abs, dir: path.dirname(abs), byFile } };
}

const cache = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly loaded: LoadedBaseline }>();

/**
 * Reads a baseline through a cache that re-reads it when its modification time or size changes
 * (the editor asks on every check). Never throws: a missing, unreadable, huge or malformed file is
 * a problem message.
 */
export function loadBaseline(file: string): LoadedBaseline {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    cache.delete(abs);
    return { problem: 'no such file (write it with `threadwise check --write-baseline FILE`)' };
  }
  if (!stat.isFile()) return { problem: 'not a regular file' };
  const cached = cache.get(abs);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.loaded;
  let loaded: LoadedBaseline;
  if (stat.size > MAX_BASELINE_BYTES) {
    loaded = { problem: `${stat.size} bytes is over the ${MAX_BASELINE_BYTES}-byte limit for a baseline` };
  } else {
    try {
      loaded = parseBaseline(fs.readFileSync(abs, 'utf8'), abs);
    } catch (e) {
      loaded = { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }
  cache.set(abs, { mtimeMs: stat.mtimeMs, size: stat.size, loaded });
  return loaded;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The file's text: entries sorted by file, code, scope and fingerprint, one per line. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => byCodeUnit(a.file, b.file) || byCodeUnit(a.code, b.code) || byCodeUnit(a.scope, b.scope) || byCodeUnit(a.fingerprint, b.fingerprint));
  // JSON.stringify's one-line form has no spaces; this is the same JSON, easier on the eye.
  const field = (k: string, v: string) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  const lines = sorted.map((e) => `    {${field('file', e.file)}, ${field('code', e.code)}, ${field('scope', e.scope)}, ${field('fingerprint', e.fingerprint)}}`);
  return `{\n  "version": ${BASELINE_VERSION},\n  "findings": [${lines.length > 0 ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

/** How entries name a file: relative to the baseline's folder, with `/`. */
export function baselineFileName(dir: string, file: string): string {
  return path.relative(dir, path.resolve(file)).split(path.sep).join('/');
}
