import * as fs from 'node:fs';
import { analyzeSource, withTree } from '../analyzer/analyze';
import type { AnalyzerConfig } from '../analyzer/config';
import { applyEdits, mergeFixEdits } from '../analyzer/fixes/apply';
import { LineIndex } from '../analyzer/line-index';
import type { Finding } from '../analyzer/rules/rule';
import { findingKeys, type FindingKey } from '../baseline/fingerprint';
import { matchBaseline, type EntryKey } from '../baseline/match';
import { addSuppressions } from './add-noqa';
import { decodeSource } from './files';
import { hasUtf8Bom } from './source-encoding';
import { toCliFinding, type CliFinding } from './report';
import type { ProjectContext } from '../analyzer/analyze';
import { SummaryCollector } from '../index/collector';
import { Layout } from '../index/layout';
import type { ModuleSummary } from '../index/summary';
import { sharedIndex } from './shared-index';

/** The project a file belongs to, for the index: where its imports resolve from. */
export interface TaskProject {
  readonly root: string;
  readonly src: readonly string[];
  /** The file's absolute path, the index's key. */
  readonly file: string;
  /** Check against the run's whole index (second step); else only summarize (first step). */
  readonly indexed?: boolean;
}

/** Which fixes to apply: none, `safe` ones, or also the behaviour-changing `quick` ones. */
export type FixMode = 'none' | 'safe' | 'unsafe';

export interface FileTask {
  /** Where to read the file; absent when the text comes with the task (stdin). */
  readonly path?: string;
  readonly text?: string;
  /** The encoding `text` was read in when the source declares one other than UTF-8 (PEP 263). */
  readonly encoding?: string;
  /** The name reports use (relative, with forward slashes). */
  readonly shown: string;
  readonly config: AnalyzerConfig;
  readonly fixMode: FixMode;
  /** The baseline's entries for this file: the findings they account for are not reported. */
  readonly baseline?: readonly EntryKey[];
  /** Return each finding's baseline key (for --write-baseline). */
  readonly wantKeys?: boolean;
  /** Add a suppression for every reported finding, with this reason (`''`: none) after it. */
  readonly addNoqa?: string;
  readonly project?: TaskProject;
}

export interface FileResult {
  readonly shown: string;
  /** Set when the file could not be read or decoded; nothing else is then. */
  readonly problem?: string;
  /** What is left after fixing (all findings when not fixing). */
  readonly findings: CliFinding[];
  readonly ruleErrors: string[];
  /** Present when fixes changed the text. */
  readonly original?: string;
  readonly fixed?: string;
  /** Fixes applied, or with addNoqa the findings given a suppression. */
  readonly fixedCount: number;
  /** With `fixed`: the encoding other than UTF-8 the source declares, to write it back in. */
  readonly encoding?: string;
  /** With wantKeys: one key per finding, in the same order. */
  readonly keys?: FindingKey[];
  /** With a baseline: the indexes of its entries that matched a finding (the rest are stale). */
  readonly baselineMatched?: number[];
  /** With a baseline: how many findings it accounted for and so are not reported. */
  readonly hidden?: number;
  /** With addNoqa: why each finding that is left could not get a suppression, in findings' order. */
  readonly unsuppressed?: string[];
  /**
   * With a project: the module's summary (of the text as written back, after fixes); checked
   * against the whole index, the summary made knowing the rest of the project.
   */
  readonly summary?: ModuleSummary;
}

/** A round can make a new fix possible (or an overlapping one wait); ten is far more than seen. */
const MAX_FIX_ROUNDS = 10;

function applies(f: Finding, mode: FixMode): boolean {
  if (!f.fix || mode === 'none') return false;
  return f.fix.safety === 'safe' || mode === 'unsafe';
}

export async function checkFile(task: FileTask): Promise<FileResult> {
  let text = task.text;
  let bom = false;
  // A source that declares another encoding than UTF-8 is written back in it.
  let encoding = task.encoding;
  if (text === undefined) {
    let bytes: Uint8Array;
    try {
      // A FIFO or device named on the command line would block the read forever.
      if (!fs.statSync(task.path!).isFile()) throw new Error('not a regular file');
      bytes = fs.readFileSync(task.path!);
    } catch (err) {
      return { shown: task.shown, problem: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, findings: [], ruleErrors: [], fixedCount: 0 };
    }
    const decoded = decodeSource(bytes);
    if ('problem' in decoded) return { shown: task.shown, problem: decoded.problem, findings: [], ruleErrors: [], fixedCount: 0 };
    text = decoded.text;
    bom = hasUtf8Bom(bytes);
    if (decoded.encoding !== undefined) encoding = decoded.encoding;
  }
  const original = text;
  const ruleErrors: string[] = [];
  const project = projectOf(task);
  const analyze = (source: string) => analyzeSource(source, task.config, project);
  let result = await analyze(text);
  ruleErrors.push(...result.ruleErrors);
  let fixedCount = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixable = result.findings.filter((f) => applies(f, task.fixMode));
    if (fixable.length === 0) break;
    const edits = mergeFixEdits(fixable.map((f) => f.fix!.edits));
    const next = applyEdits(text, edits);
    if (next === text) break;
    const after = await analyze(next);
    // A fix must never turn parseable code into a syntax error; stop with what was good.
    if (after.syntaxErrors && !result.syntaxErrors) {
      ruleErrors.push('a fix would have introduced a syntax error; remaining fixes were not applied');
      break;
    }
    fixedCount += fixable.filter((f) => f.fix!.edits.every((e) => edits.some((c) => c.start === e.start && c.end === e.end && c.newText === e.newText))).length;
    text = next;
    result = after;
    ruleErrors.push(...after.ruleErrors.filter((e) => !ruleErrors.includes(e)));
  }
  let reported = result.findings;
  // The text the reported offsets point into: added suppressions only append to lines, so lines
  // and columns are the same in the written text.
  let reportedIn = text;
  let extra: Pick<FileResult, 'keys' | 'baselineMatched' | 'hidden' | 'unsuppressed' | 'summary' | 'encoding'> = {};
  if ((task.baseline && task.baseline.length > 0) || task.wantKeys || task.addNoqa !== undefined) {
    // Fingerprints and comment placement need the tree of the final text, which analyzeSource does not keep.
    const current = text;
    const found = result.findings;
    const done = await withTree(current, (tree) => {
      const keys = findingKeys(current, tree, found);
      let kept = found;
      let matched: number[] | undefined;
      if (task.baseline && task.baseline.length > 0) {
        const m = matchBaseline(keys, task.baseline);
        kept = m.fresh.map((i) => found[i]!);
        matched = m.matched;
      }
      const noqa = task.addNoqa !== undefined ? addSuppressions(current, tree, kept, task.addNoqa) : undefined;
      return { keys, kept, matched, noqa };
    });
    reported = done.kept;
    if (task.wantKeys) extra = { ...extra, keys: done.keys };
    if (done.matched) extra = { ...extra, baselineMatched: done.matched, hidden: found.length - done.kept.length };
    if (done.noqa) {
      const noqa = done.noqa;
      let ok = noqa.text !== text;
      if (ok) {
        const after = await analyze(noqa.text);
        // Comments cannot break code, but the rule for --fix holds here too: never write a syntax error.
        if (after.syntaxErrors && !result.syntaxErrors) {
          ruleErrors.push('adding suppressions would have introduced a syntax error; the file was not changed');
          ok = false;
        }
      }
      if (ok) {
        text = noqa.text;
        fixedCount = noqa.added;
        reported = noqa.skipped.map((s) => s.finding);
        extra = { ...extra, unsuppressed: noqa.skipped.map((s) => s.why) };
      } else if (noqa.text === text) {
        reported = noqa.skipped.map((s) => s.finding);
        extra = { ...extra, unsuppressed: noqa.skipped.map((s) => s.why) };
      }
    }
  }
  const lines = new LineIndex(reportedIn);
  const findings = reported.map((f) => toCliFinding(task.shown, lines, f));
  // Checked against the whole index, the analysis made the file's summary again knowing the rest.
  const summary = result.summary ?? project?.index.summaryOf(project.file);
  if (summary) extra = { ...extra, summary };
  if (text === original) return { shown: task.shown, findings, ruleErrors, fixedCount: 0, ...extra };
  if (encoding !== undefined) extra = { ...extra, encoding };
  return { shown: task.shown, findings, ruleErrors, original: bom ? `\ufeff${original}` : original, fixed: bom ? `\ufeff${text}` : text, fixedCount, ...extra };
}

/**
 * The index view a task is checked with: the run's whole index, whose summaries (made in the first
 * pass) stand for the run, or a collector of its own summary.
 */
function projectOf(task: FileTask): ProjectContext | undefined {
  const p = task.project;
  if (!p) return undefined;
  const shared = p.indexed ? sharedIndex(p.root) : undefined;
  return shared ? { index: shared, file: p.file, summaryFixed: true } : { index: new SummaryCollector(new Layout({ root: p.root, src: p.src })), file: p.file };
}
