import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileTask } from '../../server/cli/check-file';
import { collectPythonFiles, readSource } from '../../server/cli/files';
import { runProject } from '../../server/cli/project-run';
import { effectiveOptions } from '../../server/project';
import { withTree } from '../../server/analyzer/analyze';
import { findingKeys } from '../../server/baseline/fingerprint';
import { LineIndex } from '../../server/analyzer/line-index';

/** Where Debian puts the Python packages of python3-* packages. */
export const SITE = '/usr/lib/python3/dist-packages';
export const PACKAGES_FILE = path.join(__dirname, 'packages.txt');
export const BASELINE_FILE = path.join(__dirname, '..', 'baseline', 'corpus-findings.txt');
export const VERDICTS = ['true', 'false', 'debatable'] as const;
export const UNREVIEWED = 'UNREVIEWED';

export interface CorpusPackage {
  readonly name: string;
  readonly version: string;
  /** Top-level module directories or files, relative to SITE. */
  readonly modules: readonly string[];
}

export function corpusPackages(): CorpusPackage[] {
  return fs.readFileSync(PACKAGES_FILE, 'utf8').split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .map((l) => {
      const [name, version, modules] = l.split('|').map((s) => s.trim());
      if (!name || !version || !modules) throw new Error(`packages.txt line needs package | version | modules: ${l}`);
      return { name, version, modules: modules.split(/\s+/) };
    });
}

/** The module paths that are missing, i.e. the corpus is not (fully) installed. */
export function missingModules(): string[] {
  return corpusPackages().flatMap((p) => p.modules.map((m) => path.join(SITE, m))).filter((m) => !fs.existsSync(m));
}

export const NOT_INSTALLED = 'the corpus is not installed: run test/corpus/install.sh (as root; it apt-get installs the pinned packages of test/corpus/packages.txt)';

/**
 * One finding as the baseline keys it: the file relative to SITE, the code, the qualified name of
 * the functions and classes around it (`MODULE_LEVEL` outside them) and the flagged line stripped.
 * The scope tells apart identical lines in different functions (imaplib2 has eight
 * `self.commands_lock.acquire()`), so a verdict stays with its own line when another goes.
 */
export interface CorpusFinding {
  readonly file: string;
  readonly code: string;
  readonly scope: string;
  readonly text: string;
  readonly line: number;
  readonly severity: string;
}

export const MODULE_LEVEL = '<module>';

export const keyOf = (f: { file: string; code: string; scope: string; text: string }) => `${f.file} | ${f.code} | ${f.scope} | ${f.text}`;

export interface CorpusRun {
  readonly findings: CorpusFinding[];
  readonly ruleErrors: string[];
  readonly files: number;
  readonly lines: number;
}

/**
 * Checks every .py file of the corpus in-process exactly as `threadwise check` does (the CLI's
 * project run, on one thread and without a cache): one project rooted at dist-packages, which is
 * what sys.path gives these packages; every file summarised and checked, then the files the index
 * has cross-module findings or facts for checked again against the whole index.
 */
export async function analyzeCorpus(): Promise<CorpusRun> {
  const roots = corpusPackages().flatMap((p) => p.modules.map((m) => path.join(SITE, m)));
  const missing: string[] = [];
  const files = collectPythonFiles(roots, (p) => missing.push(p)).sort();
  if (missing.length > 0) throw new Error(`${NOT_INSTALLED}; missing: ${missing.join(', ')}`);
  const shownOf = (file: string) => path.relative(SITE, file).split(path.sep).join('/');
  // As the CLI checks a file outside any project: the default options, `test-files` included.
  const tasks: FileTask[] = files.map((file) => ({
    path: file,
    shown: shownOf(file),
    config: effectiveOptions(file, { root: SITE }, undefined, 'editorFirst').config,
    fixMode: 'none',
    project: { root: SITE, src: [], file },
  }));
  const { results } = await runProject(tasks, { threads: () => 1, onDone: () => {}, cacheDir: () => undefined, analyzer: 'corpus' });
  const findings: CorpusFinding[] = [];
  const ruleErrors: string[] = [];
  let lines = 0;
  for (const [i, result] of results.entries()) {
    const file = files[i]!;
    if (result.problem !== undefined) ruleErrors.push(`${file}: ${result.problem}`);
    for (const e of result.ruleErrors) ruleErrors.push(`${file}: ${e}`);
    const source = readSource(file);
    const text = source.split(/\r?\n/);
    lines += text.length - (source.endsWith('\n') ? 1 : 0);
    if (result.findings.length === 0) continue;
    // The scope is looked up at the first character of the flagged line, as `--write-baseline` keys it.
    const index = new LineIndex(source);
    const at = result.findings.map((f) => {
      const line = text[f.line - 1]!;
      return { code: f.code, start: index.lineStart(f.line - 1) + (line.length - line.trimStart().length) };
    });
    const keys = await withTree(source, (tree) => findingKeys(source, tree, at));
    result.findings.forEach((f, j) => {
      findings.push({ file: result.shown, code: f.code, scope: keys[j]!.scope || MODULE_LEVEL, text: text[f.line - 1]!.trim(), line: f.line, severity: f.severity });
    });
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)));
  return { findings, ruleErrors, files: files.length, lines };
}

export interface BaselineEntry {
  readonly file: string;
  readonly code: string;
  readonly scope: string;
  readonly text: string;
  readonly verdict: string;
  readonly reason: string;
}

/**
 * Baseline lines are `file | code | scope | flagged line | verdict | reason`. The flagged line may
 * itself contain ` | ` (Python's or), so the verdict and reason are taken from the end; reasons
 * must not.
 */
export function parseBaselineLine(l: string): BaselineEntry {
  const parts = l.split(' | ');
  if (parts.length < 6) throw new Error(`baseline line needs file | code | scope | line | verdict | reason: ${l}`);
  const reason = parts.pop()!.trim();
  const verdict = parts.pop()!.trim();
  const [file, code, scope, ...text] = parts;
  return { file: file!.trim(), code: code!.trim(), scope: scope!.trim(), text: text.join(' | ').trim(), verdict, reason };
}

export function readBaseline(): { header: string[]; entries: BaselineEntry[] } {
  if (!fs.existsSync(BASELINE_FILE)) return { header: [], entries: [] };
  const header: string[] = [];
  const entries: BaselineEntry[] = [];
  for (const l of fs.readFileSync(BASELINE_FILE, 'utf8').split('\n')) {
    if (l.startsWith('#')) header.push(l);
    else if (l.trim() !== '') entries.push(parseBaselineLine(l));
  }
  return { header, entries };
}

export const formatEntry = (e: BaselineEntry) => `${keyOf(e)} | ${e.verdict} | ${e.reason}`;

/**
 * The baseline entries of the findings reported as warnings or errors: information-severity advice
 * (TW205 in a coroutine, TW110, TW504) left out. Entries and findings are paired by key, in order.
 */
export function hazardEntries(entries: readonly BaselineEntry[], findings: readonly CorpusFinding[]): BaselineEntry[] {
  const severities = new Map<string, string[]>();
  for (const f of findings) (severities.get(keyOf(f)) ?? severities.set(keyOf(f), []).get(keyOf(f))!).push(f.severity);
  return entries.filter((e) => severities.get(keyOf(e))?.shift() !== 'information');
}

/** Per rule: findings and how many of each verdict. */
export function verdictTable(entries: readonly BaselineEntry[]): string {
  const rows = new Map<string, Record<string, number>>();
  for (const e of entries) {
    const row = rows.get(e.code) ?? { total: 0, true: 0, false: 0, debatable: 0, [UNREVIEWED]: 0 };
    row.total!++;
    row[e.verdict] = (row[e.verdict] ?? 0) + 1;
    rows.set(e.code, row);
  }
  const all = { total: 0, true: 0, false: 0, debatable: 0, [UNREVIEWED]: 0 } as Record<string, number>;
  const out = ['rule     total  true  false  debatable  unreviewed  true-rate'];
  const line = (code: string, r: Record<string, number>) =>
    `${code.padEnd(8)} ${String(r.total).padStart(5)} ${String(r.true).padStart(5)} ${String(r.false).padStart(6)} ${String(r.debatable).padStart(10)} ${String(r[UNREVIEWED]).padStart(11)}  ${((100 * r.true!) / r.total!).toFixed(0).padStart(8)}%`;
  for (const code of [...rows.keys()].sort()) {
    const r = rows.get(code)!;
    for (const k of Object.keys(all)) all[k]! += r[k] ?? 0;
    out.push(line(code, r));
  }
  out.push(line('all', all));
  return out.join('\n');
}
