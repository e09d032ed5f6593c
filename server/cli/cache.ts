import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileResult } from './check-file';
import { SUMMARY_VERSION, type ModuleSummary } from '../index/summary';

/**
 * What the cache keeps per file: its findings, for one content (hash of the bytes), analyzer
 * version and configuration. `cross` is the result with the index's findings, valid while the
 * index gives the file the same cross-module findings (their hash is `key`). The file's summary is
 * kept beside it under the same key (SummaryEntry): a run in which nothing changed needs no index
 * and so never reads the summaries, which are most of the cache's bytes.
 */
export interface CacheEntry {
  readonly format: 'threadwise-cache';
  readonly key: string;
  readonly file: string;
  readonly local: FileResult;
  /** `summary`: the file's summary as made in that check, knowing the rest of the project. */
  readonly cross?: { readonly key: string; readonly result: FileResult; readonly summary?: ModuleSummary };
}

/** A file's summary (null: it has none), under the key of its CacheEntry. */
export interface SummaryEntry {
  readonly format: 'threadwise-summary';
  readonly key: string;
  readonly file: string;
  readonly summary: ModuleSummary | null;
}

/**
 * What a run leaves for the next one about the project as a whole. When the next run finds every
 * file's entry with the same keys (`key` hashes them all), no summary changed, so the index and
 * every file's cross-module findings are as they were: it takes each result as `cross` says.
 */
export interface RunManifest {
  readonly format: 'threadwise-manifest';
  readonly key: string;
  /** Per file: the key of the cross-module result its entry holds, or null for its own result. */
  readonly cross: Readonly<Record<string, string | null>>;
}

const MANIFEST = 'manifest.json';
const SUMMARY_SUFFIX = '.summary.json';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The key an entry must carry to be used: everything its content depends on. */
export function entryKey(analyzer: string, configKey: string, bytesHash: string): string {
  return sha256(`${analyzer}\u0000${configKey}\u0000${bytesHash}`);
}

/**
 * One folder of cache files, one per checked file. Nothing read from it is trusted: an entry
 * of another version, configuration or content, or one that does not have the expected shape
 * (corrupt, truncated, written by something else), is ignored as if absent.
 */
export class ResultCache {
  /** The folder, its tag and its .gitignore were made (or found) by this object's first write. */
  private ready = false;

  constructor(readonly dir: string) {}

  private entryPath(file: string, suffix = '.json'): string {
    return path.join(this.dir, `${sha256(path.resolve(file)).slice(0, 32)}${suffix}`);
  }

  private readJson(file: string): unknown {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  }

  read(file: string, key: string): CacheEntry | undefined {
    const data = this.readJson(this.entryPath(file));
    if (!isEntry(data) || data.key !== key || data.file !== path.resolve(file)) return undefined;
    return data;
  }

  /** The summary kept with the entry of `key`; undefined when absent or not valid (null: the file has none). */
  readSummary(file: string, key: string): ModuleSummary | null | undefined {
    const data = this.readJson(this.entryPath(file, SUMMARY_SUFFIX));
    if (!isObject(data) || data['format'] !== 'threadwise-summary' || data['key'] !== key || data['file'] !== path.resolve(file)) return undefined;
    const summary = data['summary'];
    return summary === null || isSummary(summary) ? summary : undefined;
  }

  /**
   * The project as the last run saw it: every file's entry key, and the key of the cross-module
   * findings each file's result was made with (null: none). Undefined when absent or not valid.
   */
  readManifest(): RunManifest | undefined {
    const data = this.readJson(path.join(this.dir, MANIFEST));
    if (!isObject(data) || data['format'] !== 'threadwise-manifest' || !isString(data['key']) || !isObject(data['cross'])) return undefined;
    if (!Object.values(data['cross']).every((v) => v === null || isString(v))) return undefined;
    return data as unknown as RunManifest;
  }

  writeManifest(manifest: RunManifest): void {
    this.writeFile(MANIFEST, JSON.stringify(manifest));
  }

  /** Writes through a temporary file and a rename, so a reader never sees half an entry. */
  write(entry: CacheEntry): void {
    this.writeFile(path.basename(this.entryPath(entry.file)), JSON.stringify(entry));
  }

  writeSummary(entry: SummaryEntry): void {
    this.writeFile(path.basename(this.entryPath(entry.file, SUMMARY_SUFFIX)), JSON.stringify(entry));
  }

  private writeFile(name: string, text: string): void {
    try {
      if (!this.ready) {
        fs.mkdirSync(this.dir, { recursive: true });
        const tag = path.join(this.dir, 'CACHEDIR.TAG');
        if (!fs.existsSync(tag)) {
          fs.writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# Written by threadwise check: its cache of summaries and findings.\n');
          fs.writeFileSync(path.join(this.dir, '.gitignore'), '*\n');
        }
        this.ready = true;
      }
      const target = path.join(this.dir, name);
      const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(temp, text);
      fs.renameSync(temp, target);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const every = (v: unknown, test: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(test);

function isEntry(v: unknown): v is CacheEntry {
  if (!isObject(v) || v['format'] !== 'threadwise-cache' || !isString(v['key']) || !isString(v['file'])) return false;
  if (!isResult(v['local'])) return false;
  const cross = v['cross'];
  return cross === undefined || (isObject(cross) && isString(cross['key']) && isResult(cross['result']) && (cross['summary'] === undefined || isSummary(cross['summary'])));
}

function isSpan(v: unknown): boolean {
  return isObject(v) && ['start', 'end', 'line', 'character', 'endLine', 'endCharacter'].every((k) => isNumber(v[k]));
}

function isLock(v: unknown): boolean {
  return isObject(v) && isString(v['id']) && isString(v['text']) && typeof v['reentrant'] === 'boolean' && isSpan(v['span']);
}

/** `at` is a position or a keyword name. */
function isLockArgs(v: unknown): boolean {
  return v === undefined || every(v, (a) => isObject(a) && (isNumber(a['at']) || isString(a['at'])) && isLock(a['lock']));
}

function isCall(v: unknown): boolean {
  if (!isObject(v) || !isString(v['target']) || !isString(v['text']) || !isSpan(v['span'])) return false;
  if (typeof v['awaited'] !== 'boolean' || typeof v['dropped'] !== 'boolean') return false;
  if (v['held'] !== undefined && !every(v['held'], isLock)) return false;
  if (!isLockArgs(v['lockArgs'])) return false;
  if (['truth', 'viaLambda', 'canAwait'].some((k) => v[k] !== undefined && v[k] !== true)) return false;
  const loop = v['loop'];
  return loop === undefined || (isObject(loop) && isString(loop['description']) && ['to_thread', 'yield', 'executor'].includes(loop['advice'] as string));
}

function isFunction(v: unknown): boolean {
  if (!isObject(v) || !isString(v['qname']) || !isString(v['name']) || !isSpan(v['span'])) return false;
  if (!['isAsync', 'coroutineFunction', 'generatorCoroutine', 'offloaded'].every((k) => typeof v[k] === 'boolean')) return false;
  const blocking = v['blocking'];
  if (blocking !== undefined && !(isObject(blocking) && isString(blocking['name']) && isSpan(blocking['span']))) return false;
  if (v['threadEntry'] !== undefined && !isString(v['threadEntry'])) return false;
  const isAccess = (w: unknown) => isObject(w) && isString(w['target']) && every(w['locks'], isString) && isNumber(w['line']);
  if ((v['writes'] !== undefined && !every(v['writes'], isAccess)) || (v['reads'] !== undefined && !every(v['reads'], isAccess))) return false;
  if (v['paramLocks'] !== undefined && !every(v['paramLocks'], (p) => isObject(p) && isNumber(p['index']) && isString(p['name']) && isString(p['text']) && isSpan(p['span']))) return false;
  // A parameter's lock is named by its position in `paramLocks`, another lock by its fact.
  const slot = (x: unknown) => isNumber(x) || isLock(x);
  if (v['paramOrders'] !== undefined && !every(v['paramOrders'], (o) => isObject(o) && slot(o['first']) && slot(o['second']) && isSpan(o['span']) && (o['guarded'] === undefined || o['guarded'] === true))) return false;
  return every(v['calls'], isCall) && every(v['locks'], (l) => isLock(l) && every((l as Record<string, unknown>)['held'], isLock));
}

function isClass(v: unknown): boolean {
  return isObject(v) && isString(v['qname']) && isString(v['name']) && isSpan(v['span']) && every(v['bases'], isString) && every(v['methods'], isString);
}

export function isSummary(v: unknown): v is ModuleSummary {
  return isObject(v) && v['version'] === SUMMARY_VERSION && (v['testFile'] === undefined || v['testFile'] === true) && isString(v['module']) && isString(v['file']) && isString(v['contentHash'])
    && every(v['imports'], (i) => isObject(i) && isString(i['local']) && isString(i['target']))
    && every(v['dependsOn'], isString) && every(v['functions'], isFunction) && every(v['classes'], isClass) && every(v['calls'], isCall)
    && every(v['locks'], (l) => isObject(l) && isString(l['name']) && typeof l['reentrant'] === 'boolean')
    && every(v['handoffs'], (h) => isObject(h) && isString(h['target']) && isString(h['via']) && isSpan(h['span']) && (h['caller'] === undefined || isString(h['caller'])) && isLockArgs(h['lockArgs']))
    && isObject(v['kinds']) && ['objects', 'classes', 'returns'].every((k) => every((v['kinds'] as Record<string, unknown>)[k], isKindPair))
    && ((v['kinds'] as Record<string, unknown>)['makes'] === undefined || every((v['kinds'] as Record<string, unknown>)['makes'], isKindPair));
}

/** A name and its kind. A kind the analyzer does not know matches nothing, so a string is enough. */
function isKindPair(v: unknown): boolean {
  return Array.isArray(v) && v.length === 2 && isString(v[0]) && isString(v[1]);
}

function isFinding(v: unknown): boolean {
  if (!isObject(v) || !isString(v['file']) || !isString(v['code']) || !isString(v['severity']) || !isString(v['message'])) return false;
  if (!['line', 'column', 'endLine', 'endColumn'].every((k) => isNumber(v[k]))) return false;
  const related = v['related'];
  if (related !== undefined && !every(related, (r) => isObject(r) && isString(r['file']) && isString(r['message']) && ['line', 'column', 'endLine', 'endColumn'].every((k) => isNumber(r[k])))) return false;
  const fix = v['fix'];
  return fix === undefined || (isObject(fix) && isString(fix['title']) && isString(fix['safety'])
    && every(fix['edits'], (e) => isObject(e) && isString(e['newText']) && ['line', 'column', 'endLine', 'endColumn'].every((k) => isNumber(e[k]))));
}

function isResult(v: unknown): v is FileResult {
  if (!isObject(v) || !isString(v['shown']) || !every(v['findings'], isFinding) || !every(v['ruleErrors'], isString) || !isNumber(v['fixedCount'])) return false;
  // Only plain checks are cached: no problem, no fixes, no baseline bookkeeping.
  return ['problem', 'original', 'fixed', 'keys', 'baselineMatched', 'hidden', 'unsuppressed', 'summary'].every((k) => v[k] === undefined);
}
