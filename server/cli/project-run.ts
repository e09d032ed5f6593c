import { noFacts } from '../analyzer/model/project-facts';
import * as fs from 'node:fs';
import { RULES } from '../analyzer/rules/registry';
import { SUMMARY_VERSION, type ModuleSummary } from '../index/summary';
import { entryKey, ResultCache, sha256, type CacheEntry } from './cache';
import type { FileResult, FileTask } from './check-file';
import { runTasks } from './pool';
import type { ProjectIndex } from '../index/project-index';
import { buildIndex, type IndexData } from './shared-index';

export interface ProjectRunOptions {
  readonly threads: (files: number) => number;
  readonly onDone: () => void;
  /** Cache folder per project root; absent or undefined: no cache for that root. */
  readonly cacheDir: (root: string) => string | undefined;
  /** Part of every cache key: a different analyzer never reads another's entries. */
  readonly analyzer: string;
}

export interface ProjectRunOutcome {
  readonly results: FileResult[];
  /** The tasks' shown names that were parsed in this run (the rest came from the cache), in order. */
  readonly parsed: string[];
}

/**
 * The analyzer part of cache keys: the CLI's version, the summary format, the rules, and a hash of
 * the running script itself, so that a build from changed sources never reads an older build's
 * entries under the same version number.
 */
export function analyzerKey(version: string): string {
  let build = '';
  try {
    build = sha256(fs.readFileSync(__filename));
  } catch {
    // Without its own text the version alone must do.
  }
  return `${version}:${SUMMARY_VERSION}:${RULES.map((r) => r.meta.code).join(',')}:${build}`;
}

/** Whether a task's result depends only on its file, configuration and the index: no fixes, baseline or edits. */
function cacheable(task: FileTask): boolean {
  return task.project !== undefined && task.path !== undefined && task.fixMode === 'none' && !(task.baseline && task.baseline.length > 0)
    && !task.wantKeys && task.addNoqa === undefined;
}

/** The result as stored: without the summary, which is kept beside it. */
function stored(result: FileResult): FileResult {
  const { summary: _summary, ...rest } = result;
  return rest;
}

/** Below this many files to check again, the second pass runs on this thread (see where it is used). */
const SECOND_PASS_FILES_FOR_THREADS = 96;

/**
 * Indexes, then checks: every file is summarized and checked on its own (on worker threads, or
 * taken from the cache when its bytes, the analyzer and its configuration are unchanged); then the
 * index of each project gives every file its cross-module findings, and only the files that have
 * any, and whose cached result was made with different ones, are checked again with the whole index.
 */
export async function runProject(tasks: readonly FileTask[], options: ProjectRunOptions): Promise<ProjectRunOutcome> {
  const results: Array<FileResult | undefined> = new Array(tasks.length);
  const entries: Array<CacheEntry | undefined> = new Array(tasks.length);
  const keys: Array<string | undefined> = new Array(tasks.length);
  const caches = new Map<string, ResultCache | undefined>();
  const cacheOf = (root: string) => {
    if (!caches.has(root)) {
      const dir = options.cacheDir(root);
      caches.set(root, dir === undefined ? undefined : new ResultCache(dir));
    }
    return caches.get(root);
  };
  for (const [i, task] of tasks.entries()) {
    if (!cacheable(task)) continue;
    const cache = cacheOf(task.project!.root);
    if (!cache) continue;
    let bytes: Buffer;
    try {
      // A FIFO or device named like a Python file would block this read forever; the checker
      // refuses it with a message, so it simply has no cache entry.
      if (!fs.statSync(task.path!).isFile()) continue;
      bytes = fs.readFileSync(task.path!);
    } catch {
      continue;
    }
    const { project, ...rest } = task;
    const configKey = sha256(JSON.stringify({ config: rest.config, shown: rest.shown, root: project!.root, src: project!.src }));
    keys[i] = entryKey(options.analyzer, configKey, sha256(bytes));
    entries[i] = cache.read(task.project!.file, keys[i]!);
    if (entries[i]) results[i] = entries[i]!.local;
  }
  // Projects whose every file came from the cache with the keys the last run left: nothing changed,
  // so no index is built and each file takes the result the manifest says it had.
  const byRoot = new Map<string, number[]>();
  tasks.forEach((task, i) => {
    if (task.project) byRoot.set(task.project.root, [...(byRoot.get(task.project.root) ?? []), i]);
  });
  const manifestKeys = new Map<string, string>();
  const unchanged = new Set<string>();
  const crossKeys: Array<string | undefined> = new Array(tasks.length);
  for (const [root, members] of byRoot) {
    const cache = cacheOf(root);
    if (!cache || !members.every((i) => keys[i] !== undefined)) continue;
    const manifestKey = sha256(JSON.stringify(members.map((i) => [tasks[i]!.project!.file, keys[i]!]).sort()));
    manifestKeys.set(root, manifestKey);
    if (!members.every((i) => entries[i] !== undefined)) continue;
    const manifest = cache.readManifest();
    if (manifest?.key !== manifestKey) continue;
    const crossOf = (i: number) => (Object.hasOwn(manifest.cross, tasks[i]!.project!.file) ? manifest.cross[tasks[i]!.project!.file] : undefined);
    if (!members.every((i) => crossOf(i) === null || (crossOf(i) !== undefined && entries[i]!.cross?.key === crossOf(i)))) continue;
    unchanged.add(root);
    for (const i of members) {
      const cross = crossOf(i);
      if (cross) {
        crossKeys[i] = cross;
        results[i] = entries[i]!.cross!.result;
      }
    }
  }

  // A project that changed needs its index: the summaries of the files taken from the cache are
  // read now. A file whose summary cannot be read (gone, corrupt) is checked again instead.
  const cachedSummaries: Array<ModuleSummary | null | undefined> = new Array(tasks.length);
  tasks.forEach((task, i) => {
    if (!entries[i] || !task.project || unchanged.has(task.project.root)) return;
    cachedSummaries[i] = cacheOf(task.project.root)!.readSummary(task.project.file, keys[i]!);
    if (cachedSummaries[i] === undefined) {
      entries[i] = undefined;
      results[i] = undefined;
    }
  });

  // Counted as done only now that it is certain they will not be checked.
  for (const r of results) if (r !== undefined) options.onDone();

  const parsed = new Set<number>();
  const first = tasks.map((_task, i) => i).filter((i) => results[i] === undefined);
  const firstResults = await runTasks(first.map((i) => tasks[i]!), options.threads(first.length), options.onDone);
  const firstOf = new Map<number, FileResult>();
  first.forEach((i, k) => {
    results[i] = firstResults[k]!;
    firstOf.set(i, firstResults[k]!);
    parsed.add(i);
  });

  const summaries = new Map<string, { src: readonly string[]; list: ModuleSummary[] }>();
  const firstSummaries: Array<ModuleSummary | undefined> = new Array(tasks.length);
  tasks.forEach((task, i) => {
    if (!task.project || unchanged.has(task.project.root)) return;
    const summary = entries[i] ? cachedSummaries[i] : results[i]!.summary;
    if (!summary) return;
    firstSummaries[i] = summary;
    const group = summaries.get(task.project.root) ?? { src: task.project.src, list: [] };
    group.list.push(summary);
    summaries.set(task.project.root, group);
  });
  const data: IndexData[] = [...summaries].map(([root, g]) => ({ root, src: g.src, summaries: g.list }));
  const indexes = new Map(data.map((d) => [d.root, buildIndex(d)]));

  // The summaries a check against the whole index made again, knowing the rest of the project.
  const learnt: Array<ModuleSummary | undefined> = new Array(tasks.length);
  /** Checks again, against `indexes`, the files whose cross-module findings or facts differ from those their result was made with. */
  const checkAgain = async (indexes: ReadonlyMap<string, ProjectIndex>, data: readonly IndexData[]) => {
    const again: number[] = [];
    tasks.forEach((task, i) => {
      const index = task.project ? indexes.get(task.project.root) : undefined;
      if (!index || results[i]!.problem !== undefined) return;
      const cross = index.findingsFor(task.project!.file);
      // What the rest of the project tells the file's own rules (inherited threads, thread targets,
      // imported kinds) changes its own findings too.
      const facts = index.factsFor(task.project!.file);
      if (cross.length === 0 && noFacts(facts) && crossKeys[i] === undefined) return;
      const key = sha256(JSON.stringify([cross, facts]));
      if (key === crossKeys[i]) return;
      crossKeys[i] = key;
      const cached = entries[i]?.cross;
      if (cached && cached.key === key) {
        results[i] = cached.result;
        learnt[i] = cached.summary;
      } else again.push(i);
    });
    if (again.length === 0) return;
    const againTasks = again.map((i) => ({ ...tasks[i]!, project: { ...tasks[i]!.project!, indexed: true } }));
    // A thread of this pass must first load the parser and rebuild the whole index from the
    // summaries it is sent; this thread has the index built already. So a few files are checked
    // here, and threads are worth it only for many.
    const threads = again.length < SECOND_PASS_FILES_FOR_THREADS ? 1 : options.threads(again.length);
    const againResults = await runTasks(againTasks, threads, () => {}, data);
    again.forEach((i, k) => {
      results[i] = againResults[k]!;
      learnt[i] = againResults[k]!.summary;
      parsed.add(i);
    });
  };
  await checkAgain(indexes, data);

  // A summary made alone does not know another module's classes: a handoff to a pool imported
  // from elsewhere, a lock only a thread subclass's own thread takes. The summaries of the second
  // pass do; where one shows other modules something new, the index is built again from them and
  // the files whose cross-module findings or facts then differ are checked once more. Once, not
  // until nothing changes: each round costs a parse of those files, and one more rarely adds.
  const seen = (s: ModuleSummary) => JSON.stringify({ ...s, contentHash: '' });
  const better: IndexData[] = [];
  for (const d of data) {
    const members = byRoot.get(d.root)!;
    if (!members.some((i) => learnt[i] && firstSummaries[i] && seen(learnt[i]!) !== seen(firstSummaries[i]!))) continue;
    const list = members.map((i) => learnt[i] ?? firstSummaries[i]).filter((x): x is ModuleSummary => x !== undefined);
    better.push({ root: d.root, src: d.src, summaries: list });
  }
  if (better.length > 0) await checkAgain(new Map(better.map((d) => [d.root, buildIndex(d)])), better);

  tasks.forEach((task, i) => {
    const key = keys[i];
    const cache = key && task.project ? cacheOf(task.project.root) : undefined;
    if (!cache || !key || results[i]!.problem !== undefined) return;
    if (!parsed.has(i)) return;
    const prior = entries[i];
    const fresh = firstOf.get(i);
    const local = prior?.local ?? (fresh ? stored(fresh) : undefined);
    if (!local) return;
    const cross = crossKeys[i] !== undefined ? { key: crossKeys[i]!, result: stored(results[i]!), ...(learnt[i] ? { summary: learnt[i]! } : {}) } : undefined;
    cache.write({ format: 'threadwise-cache', key, file: task.project!.file, local, ...(cross ? { cross } : {}) });
    // A summary read from the cache is there already under this key.
    if (fresh) cache.writeSummary({ format: 'threadwise-summary', key, file: task.project!.file, summary: fresh.summary ?? null });
  });

  for (const [root, key] of manifestKeys) {
    if (unchanged.has(root)) continue;
    const members = byRoot.get(root)!;
    // Only a project whose every file's entry now holds what its result was made with.
    if (!members.every((i) => results[i]!.problem === undefined)) continue;
    const cross: Record<string, string | null> = {};
    for (const i of members) cross[tasks[i]!.project!.file] = crossKeys[i] ?? null;
    cacheOf(root)?.writeManifest({ format: 'threadwise-manifest', key, cross });
  }

  return { results: results.map((r) => r!), parsed: [...parsed].sort((a, b) => a - b).map((i) => tasks[i]!.shown) };
}
