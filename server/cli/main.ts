import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_META } from '../analyzer/rules/registry';
import { rootForFolder } from '../index/layout';
import { effectiveOptions, formatProblem, loadProjectConfig, type EffectiveOptions } from '../project';
import { parseCheckArgs, UsageError, USAGE, type CheckOptions } from './args';
import type { BaselineEntry } from '../baseline/file';
import { BaselineRun, writeBaseline, type RecordedFile } from './baseline-run';
import type { FileResult, FileTask } from './check-file';
import { unifiedDiff } from './diff';
import { decodeSource, FileCollector } from './files';
import { encodeDeclared } from './source-encoding';
import { formatGithub } from './formats/github';
import { formatJunit } from './formats/junit';
import { toSarif } from './formats/sarif';
import { countByRule, formatStatistics } from './formats/statistics';
import { formatText } from './formats/text';
import { isPoolWorker, serveAsPoolWorker, threadCount } from './pool';
import { analyzerKey, runProject } from './project-run';
import { Progress } from './progress';
import type { CliFinding } from './report';
import { ruleDoc } from './rule-docs';

const VERSION = '0.1.0';

const err = (line: string) => process.stderr.write(`threadwise: ${line}\n`);

/** How reports name a file: relative to the working directory, with forward slashes. */
function shownName(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel === '' ? file : rel).split(path.sep).join('/');
}

/**
 * Per-file options: the nearest pyproject.toml with a [tool.threadwise] table, with --select and
 * --ignore taking precedence over its keys. Each configuration problem is printed once.
 */
class ConfigResolver {
  private readonly reported = new Set<string>();
  /** By folder: a run reads each folder's configuration once, not once per file and question. */
  private readonly loaded = new Map<string, ReturnType<typeof loadProjectConfig>>();

  /**
   * The folders given on the command line, as import roots for files no pyproject.toml governs:
   * `threadwise check path/to/app` resolves `import app_module` from there, as running Python in
   * that folder would. A folder inside a package stands for the folder above its outermost
   * package, and a namespace package's folder for its parent (see rootForFolder).
   */
  private readonly givenRoots: readonly string[];

  constructor(private readonly options: CheckOptions) {
    const roots = new Set<string>();
    for (const p of options.paths) {
      const dir = path.resolve(p);
      try {
        if (fs.statSync(dir).isDirectory()) roots.add(rootForFolder(dir));
      } catch {
        // A path that does not exist is reported by the file collector.
      }
    }
    this.givenRoots = [...roots];
  }

  private load(file: string): ReturnType<typeof loadProjectConfig> {
    const dir = path.dirname(path.resolve(file));
    let found = this.loaded.get(dir);
    if (!found) this.loaded.set(dir, (found = loadProjectConfig(file)));
    return found;
  }

  resolve(file: string): EffectiveOptions {
    const project = this.load(file);
    for (const p of project.problems) {
      const line = formatProblem({ ...p, file: shownName(p.file) });
      if (this.reported.has(line)) continue;
      this.reported.add(line);
      err(`configuration: ${line}`);
    }
    const cli = { select: this.options.select, ignore: this.options.ignore, root: process.cwd() };
    return effectiveOptions(path.resolve(file), cli, project.config, 'editorFirst');
  }

  /**
   * The project a file's imports resolve in: the folder of its pyproject.toml with `src`, or the
   * working directory; and where that project's cache lives.
   */
  project(file: string): { root: string; src: readonly string[]; cacheDir: string } {
    const config = this.load(file).config;
    const root = config?.root ?? process.cwd();
    return { root, src: config?.src ?? this.givenRoots, cacheDir: config?.cacheDir ?? path.join(root, '.threadwise_cache') };
  }
}

/** Where a task's file stands in its baseline, to tell the BaselineRun what matched. */
interface BaselinePlace {
  readonly baseline: string;
  readonly name: string;
  readonly entries: readonly BaselineEntry[];
}

/**
 * The task for one file: its options, and the baseline entries recorded for it (`--baseline`, else
 * its pyproject.toml's `baseline`; none while writing a baseline, which records everything).
 */
function taskFor(options: CheckOptions, baselines: BaselineRun, file: string, effective: EffectiveOptions, base: Omit<FileTask, 'config' | 'fixMode'>): { task: FileTask; place?: BaselinePlace } {
  const task: FileTask = {
    ...base,
    config: effective.config,
    fixMode: options.fixMode,
    ...(options.writeBaseline !== undefined ? { wantKeys: true } : {}),
    ...(options.addNoqa !== undefined ? { addNoqa: options.addNoqa } : {}),
  };
  const baselinePath = options.writeBaseline !== undefined ? undefined : (options.baseline ?? effective.baseline);
  const place = baselinePath !== undefined ? baselines.entriesFor(baselinePath, file) : undefined;
  if (!place) return { task };
  return { task: { ...task, baseline: place.entries.map((e) => ({ code: e.code, fingerprint: e.fingerprint })) }, place };
}

/** The fixed text as bytes to write: UTF-8, or the encoding the source declares if it can hold it. */
function writtenBytes(r: FileResult): Uint8Array | undefined {
  return r.encoding !== undefined ? encodeDeclared(r.fixed!, r.encoding) : Buffer.from(r.fixed!, 'utf8');
}

function buildTasks(options: CheckOptions, baselines: BaselineRun, cacheDirs: Map<string, string>): { tasks: FileTask[]; places: Array<BaselinePlace | undefined>; inputError: boolean; stdin?: Uint8Array } {
  const configs = new ConfigResolver(options);
  if (options.stdinFilename !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(0);
    } catch (e) {
      err(`cannot read stdin: ${(e as Error).message}`);
      return { tasks: [], places: [], inputError: true };
    }
    const shown = shownName(options.stdinFilename);
    const decoded = decodeSource(bytes);
    if ('problem' in decoded) {
      err(`${shown} (stdin) ${decoded.problem}`);
      return { tasks: [], places: [], inputError: true };
    }
    const effective = configs.resolve(options.stdinFilename);
    // An excluded name still gets its text back under --fix, unchanged and without findings.
    const config = effective.excluded ? { ...effective.config, fileIgnore: ['TW'] } : effective.config;
    const { task, place } = taskFor(options, baselines, path.resolve(options.stdinFilename), { ...effective, config }, { text: decoded.text, shown, ...(decoded.encoding !== undefined ? { encoding: decoded.encoding } : {}) });
    return { tasks: [task], places: [place], inputError: false, stdin: bytes };
  }
  let inputError = false;
  const collector = new FileCollector({ exclude: options.exclude, respectGitignore: options.respectGitignore, base: process.cwd() });
  const files = collector.collect(options.paths, (p) => {
    err(`${p}: no such file or directory`);
    inputError = true;
  });
  const byName = new Map<string, string>();
  for (const f of files) byName.set(shownName(f), f);
  // Sorted by code unit, not locale, so every machine prints the same order.
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tasks: FileTask[] = [];
  const places: Array<BaselinePlace | undefined> = [];
  for (const shown of names) {
    const file = byName.get(shown)!;
    const effective = configs.resolve(file);
    if (effective.excluded) continue;
    const project = configs.project(file);
    cacheDirs.set(project.root, project.cacheDir);
    const { task, place } = taskFor(options, baselines, path.resolve(file), effective, {
      path: file, shown, project: { root: project.root, src: project.src, file: path.resolve(file) },
    });
    tasks.push(task);
    places.push(place);
  }
  return { tasks, places, inputError };
}

function report(options: CheckOptions, results: readonly FileResult[], findings: readonly CliFinding[], fixedCount: number): string {
  if (options.statistics) {
    const counts = countByRule(findings, ALL_META);
    return options.format === 'json' ? `${JSON.stringify(counts, null, 2)}\n` : formatStatistics(counts);
  }
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(findings, null, 2)}\n`;
    case 'sarif': {
      const problems = results.filter((r) => r.problem !== undefined).map((r) => ({ file: r.shown, message: r.problem! }));
      return `${JSON.stringify(toSarif({ version: VERSION, rules: ALL_META, findings, problems }), null, 2)}\n`;
    }
    case 'github':
      return formatGithub(findings);
    case 'junit':
      return formatJunit(results.map((r) => ({ file: r.shown, findings: r.findings, problem: r.problem })));
    case 'text':
      return formatText(findings, results.filter((r) => r.problem === undefined).length, fixedCount);
  }
}

async function check(options: CheckOptions): Promise<number> {
  const problems = new Set<string>();
  const baselines = new BaselineRun((file, message) => {
    const line = `configuration: ${shownName(file)}: ${message}`;
    if (!problems.has(line)) err(line);
    problems.add(line);
  });
  const cacheDirs = new Map<string, string>();
  const built = buildTasks(options, baselines, cacheDirs);
  let inputError = built.inputError;
  const { tasks, places } = built;
  const progress = new Progress(tasks.length);
  const { results } = await runProject(tasks, {
    threads: (n) => threadCount(n, options.jobs),
    onDone: () => progress.tick(),
    cacheDir: (root) => (options.noCache ? undefined : cacheDirs.get(root)),
    analyzer: analyzerKey(VERSION),
  });
  progress.finish();

  const findings: CliFinding[] = [];
  let fixedCount = 0;
  let changedFiles = 0;
  let diffs = '';
  const recorded: RecordedFile[] = [];
  for (const [i, r] of results.entries()) {
    if (r.problem !== undefined) {
      err(`${r.shown} ${r.problem}`);
      inputError = true;
      continue;
    }
    for (const e of r.ruleErrors) err(`${r.shown}: ${e}`);
    findings.push(...r.findings);
    const place = places[i];
    if (place) baselines.checkedFile(place.baseline, place.name, place.entries, r.baselineMatched ?? [], r.hidden ?? 0);
    if (r.keys) recorded.push({ file: tasks[i]!.path!, keys: r.keys });
    r.unsuppressed?.forEach((why, k) => {
      const f = r.findings[k]!;
      err(`${f.file}:${f.line}:${f.column}: ${f.code} cannot be suppressed on its line: ${why}.`);
    });
    if (r.fixed === undefined) continue;
    changedFiles++;
    fixedCount += r.fixedCount;
    if (options.diff) {
      diffs += unifiedDiff(r.shown, r.original!, r.fixed);
    } else if ((options.fix || options.addNoqa !== undefined) && tasks[i]!.path !== undefined) {
      const bytes = writtenBytes(r);
      if (!bytes) {
        err(`${r.shown}: the fixed file was not written: it declares the encoding '${r.encoding}', in which Threadwise can only write characters of one byte each`);
        inputError = true;
        continue;
      }
      try {
        fs.writeFileSync(tasks[i]!.path!, bytes);
      } catch (e) {
        err(`${r.shown}: cannot write the fixed file: ${(e as Error).message}`);
        inputError = true;
      }
    }
  }

  const noun = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (options.writeBaseline !== undefined) {
    try {
      const written = writeBaseline(options.writeBaseline, recorded);
      process.stdout.write(`Recorded ${noun(written.findings, 'finding')} in ${noun(written.files, 'file')} in ${shownName(options.writeBaseline)}.\n`);
    } catch (e) {
      err(`${shownName(options.writeBaseline)}: cannot write the baseline: ${(e as Error).message}`);
      return 2;
    }
    return inputError ? 2 : 0;
  }
  for (const note of baselines.staleNotes(shownName)) err(note);
  if (baselines.hidden > 0) err(`baseline: ${noun(baselines.hidden, 'recorded finding')} not reported.`);
  if (options.addNoqa !== undefined) {
    process.stdout.write(changedFiles === 0 ? 'No suppressions to add.\n' : `Added ${noun(fixedCount, 'suppression')} in ${noun(changedFiles, 'file')}.\n`);
    if (inputError) return 2;
    return findings.length > 0 ? 1 : 0;
  }
  if (options.diff) {
    process.stdout.write(diffs);
    process.stderr.write(changedFiles === 0 ? 'No fixes to apply.\n' : `Would fix ${noun(fixedCount, 'finding')} in ${noun(changedFiles, 'file')}.\n`);
    if (inputError) return 2;
    return changedFiles > 0 ? 1 : 0;
  }
  const text = report(options, results, findings, fixedCount);
  if (options.fix && options.stdinFilename !== undefined) {
    // stdout carries the (fixed) source, as editors and formatters piping through expect.
    const only = results[0];
    if (only && only.problem === undefined) {
      const bytes = only.fixed !== undefined ? writtenBytes(only) : undefined;
      if (only.fixed !== undefined && !bytes) {
        err(`${only.shown}: the fixes were not applied: it declares the encoding '${only.encoding}', in which Threadwise can only write characters of one byte each`);
        inputError = true;
      }
      // Unchanged (or not writable in its encoding): the input goes back as it came.
      process.stdout.write(bytes ?? built.stdin!);
    }
    process.stderr.write(text);
  } else {
    process.stdout.write(text);
  }
  if (inputError) return 2;
  return findings.length > 0 ? 1 : 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--version':
      case '-V':
        process.stdout.write(`threadwise ${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        (command === undefined ? process.stderr : process.stdout).write(USAGE);
        return command === undefined ? 2 : 0;
      case 'rules':
        for (const m of ALL_META) process.stdout.write(`${m.code}  ${m.name.padEnd(24)} ${m.severity.padEnd(12)} ${m.summary}\n`);
        return 0;
      case 'rule': {
        if (rest.length !== 1) throw new UsageError('rule takes one code: threadwise rule TW101');
        const doc = ruleDoc(rest[0]!);
        if ('problem' in doc) {
          err(doc.problem);
          return 2;
        }
        process.stdout.write(doc.text.endsWith('\n') ? doc.text : `${doc.text}\n`);
        return 0;
      }
      case 'check':
        return await check(parseCheckArgs(rest));
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`threadwise: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (isPoolWorker()) {
  serveAsPoolWorker();
} else {
  // `threadwise check | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`threadwise: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
