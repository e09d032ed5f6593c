import type { Tree } from 'web-tree-sitter';
import { setUserCalls } from './catalogue/user';
import { CommentLines } from './comment-lines';
import { DEFAULT_CONFIG, isEnabled, severityFor, type AnalyzerConfig } from './config';
import { LineIndex } from './line-index';
import { buildModel } from './model/build';
import type { SemanticModel } from './model/semantic-model';
import { setProjectFacts, type ProjectFacts } from './model/project-facts';
import { afterCommentEdit, commentSpans, type LastRun, type RuleRun, type Span } from './comment-edit';
import type { OffsetEdit } from './moved-findings';
import { carriedOutside, editedUnit, type Unit } from './partial-rules';
import { changedSpan } from '../text/common-affix';
import { Resolver } from './model/resolve';
import { createParser, parserText } from './parser';
import { ALL_META, RULES } from './rules/registry';
import type { Finding, Report, Rule, RuleContext } from './rules/rule';
import { applySuppressions } from './suppression';
import type { IncrementalState } from './incremental-state';
import { copyTree, type SNode } from './syntax';
import { summarizeModule } from '../index/summarize';
import type { ModuleSummary } from '../index/summary';

/**
 * What analyzeTree needs of a project index (ProjectIndex has it). The CLI's checker threads pass
 * a stand-in that keeps nothing and returns findings the main thread already computed.
 */
export interface ProjectView {
  moduleNameOf(file: string): string | undefined;
  /** True when facts other modules can see changed. */
  set(summary: ModuleSummary): boolean;
  summaryOf(file: string): ModuleSummary | undefined;
  /**
   * Cross-module findings for a file; `own`, when given, stands for the file's summary in place of
   * the one the view holds (a summary made against the whole index, which the view keeps fixed).
   */
  findingsFor(file: string, own?: ModuleSummary): Finding[];
  /** What the rest of the project tells the file's own rules; a view without other modules has nothing. */
  /**
   * What the rest of the project tells the file's own rules. `withThreadEntries: false` leaves out
   * the thread entries, which follow calls through every module (dear to compute after each
   * change of a summary) and which a summary does not need.
   */
  factsFor?(file: string, withThreadEntries?: boolean): ProjectFacts;
}

/** The module name of a file no import can name (a script with a dash): unique, and never an import's target. */
export function scriptModuleName(file: string): string {
  let h = 0;
  for (let i = 0; i < file.length; i++) h = (Math.imul(h, 31) + file.charCodeAt(i)) | 0;
  return `__script_${(h >>> 0).toString(16)}__`;
}

export interface AnalysisResult {
  readonly findings: Finding[];
  /** Rules that threw: logged, while the other rules' findings still arrive. */
  readonly ruleErrors: string[];
  readonly syntaxErrors: boolean;
  /** With a project: this module's summary, computed from the same model. */
  readonly summary?: ModuleSummary;
  /** With a project: whether the summary changed what other modules see (their findings may change). */
  readonly summaryChanged?: boolean;
  /** With a project: the cross-module findings among `findings`, before suppressions (carried or fresh). */
  readonly crossModule?: readonly Finding[];
  /**
   * With a deferred project: does the project's part (summary, fresh cross-module findings) and
   * gives the whole result. Only valid while no later analysis has reused this one's copy.
   */
  readonly completeProject?: () => AnalysisResult;
  /**
   * With a project: the facts the rest of the project gives this file's own rules (project-facts.ts)
   * changed with its new summary; its own findings need a fresh analysis.
   */
  readonly factsChanged?: boolean;
  /**
   * The rules ran over the edited function or statement only (AnalysisContext.partialRules): the findings
   * elsewhere are the last analysis's, moved. Analyze the same text again, without partialRules,
   * once edits pause.
   */
  readonly partial?: boolean;
}

/** What an analysis may carry over or feed: an open document's incremental state, a project index. */
export interface AnalysisContext {
  /** The parts of the copy and of the model the last edit did not touch are carried over from it. */
  readonly incremental?: IncrementalState;
  /**
   * With `incremental`: when the change since the last analysis lies inside one function's body
   * (else one top-level statement), the rules visit only its sites and the last analysis's other
   * findings are moved along (partial-rules.ts); the result says `partial`, and a full analysis
   * must follow.
   */
  readonly partialRules?: boolean;
  /**
   * The file's summary goes into the index first and the index's cross-module findings for it join
   * the file's own, before suppressions, so `# noqa` works on both.
   */
  readonly project?: ProjectContext;
}

export interface ProjectContext {
  readonly index: ProjectView;
  readonly file: string;
  /**
   * The project's part waits (`completeProject` does it): a keystroke must not pay for summarising
   * the module and following chains through the project. Meanwhile the findings carry these, the
   * last cross-module findings moved along with the edits since.
   */
  readonly deferred?: { readonly carried: readonly Finding[] };
  /** Only the summary is wanted (indexing a file nobody looks at yet): no rule runs. */
  readonly summaryOnly?: boolean;
  /**
   * The index already holds this file's summary and keeps it for the whole run (the CLI's second
   * pass): a summary made now, knowing the rest of the project, stands for the file in its own
   * findings and is returned, but the index is not changed, so every file of the run is checked
   * against the same summaries, whichever thread checks it and in whatever order.
   */
  readonly summaryFixed?: boolean;
}

/** Runs every enabled rule over one parsed file in a single pass over the model's call sites. */
export function analyzeTree(source: string, tree: Tree, config: AnalyzerConfig = DEFAULT_CONFIG, context: AnalysisContext = {}): AnalysisResult {
  const { incremental, project } = context;
  const root = incremental ? incremental.copy(tree, source) : copyTree(tree, source);
  const model = buildModel(source, root, incremental?.pieces);
  const resolver = new Resolver(model);
  setUserCalls(model, { blocking: config.blockingCalls ?? [], nonBlocking: config.nonBlockingCalls ?? [] });
  // What the index knows of the rest of the project, as of this file's last summary: set before
  // anything asks the resolver what something is (its answers are cached with the model).
  // A summary alone (indexing a file nobody looks at) needs no thread entries: no rule runs.
  const facts = project?.index.factsFor?.(project.file, !project.summaryOnly);
  setProjectFacts(model, facts);
  const syntaxErrors = tree.rootNode.hasError;
  if (project?.summaryOnly) return { findings: [], ruleErrors: [], syntaxErrors, ...summarizeInto(project, source, model, resolver, syntaxErrors, config.testFile) };
  // A full analysis summarises first, so that other modules' findings see this text.
  const eager = project && !project.deferred ? summarizeInto(project, source, model, resolver, syntaxErrors, config.testFile) : undefined;
  // An edit that touched only a comment changes no rule's findings, only where they sit and what
  // the suppressions silence: the last run's findings are moved instead of computed again.
  // A partial run's findings are good enough only for another quick answer.
  const last = incremental?.lastRun && (!incremental.lastRun.partial || context.partialRules) ? incremental.lastRun : undefined;
  // The copy has compared the two texts already, unless it started from another one.
  const change = last ? (incremental?.changeFrom(last.source) ?? changedSpan(last.source, source)) : undefined;
  const reused = last && change ? afterCommentEdit(last, change, source, model.comments, config, facts) : undefined;
  const quick = !reused && context.partialRules && incremental && last && change && last.config === config && last.facts === facts
    ? partialRun(last, change, editedUnit(root, source, change, incremental.copiedSpan), model, resolver, source, config)
    : undefined;
  const run = reused ?? quick ?? runRules(model, resolver, source, config);
  const { raw, ruleErrors, ran } = run;
  if (incremental) incremental.lastRun = { ...run, source, config, facts, comments: commentSpans(model.comments) };

  const lines = new LineIndex(source);
  const assemble = (cross: readonly Finding[]): Finding[] => {
    const all = raw.slice();
    for (const f of cross) if (ran.has(f.code)) all.push({ ...f, severity: severityFor(f.code, f.severity, config) });
    const { kept, unused } = applySuppressions(withoutRepeats(all, lines), model.comments, source, ALL_META, (code) => ran.has(code), (o) => lines.lineOf(o),
      () => CommentLines.fromSyntax(root, source, lines));
    const findings = isEnabled('TW001', config)
      ? [...kept, ...unused.map((f) => ({ ...f, severity: severityFor('TW001', f.severity, config) }))]
      : kept;
    findings.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
    return findings;
  };
  const partly = run.partial ? { partial: true } : {};
  // tree-sitter already knows whether the tree holds ERROR or MISSING nodes: no second walk.
  if (!project) return { findings: assemble([]), ruleErrors, syntaxErrors, ...partly };
  const complete = (): AnalysisResult => {
    const errors = ruleErrors.slice();
    const { summary, summaryChanged, own } = eager ?? summarizeInto(project, source, model, resolver, syntaxErrors, config.testFile);
    const now = project.index.factsFor?.(project.file);
    const factsChanged = summaryChanged && JSON.stringify(now ?? {}) !== JSON.stringify(facts ?? {});
    let cross: Finding[] = [];
    try {
      cross = project.index.findingsFor(project.file, own);
    } catch (err) {
      errors.push(`cross-module rules failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return { findings: assemble(cross), ruleErrors: errors, syntaxErrors, summary: own ?? summary, summaryChanged, crossModule: cross, ...(factsChanged ? { factsChanged } : {}), ...partly };
  };
  if (!project.deferred) return complete();
  const carried = project.deferred.carried;
  let completed: AnalysisResult | undefined;
  return {
    findings: assemble(carried),
    ruleErrors,
    syntaxErrors,
    crossModule: carried,
    completeProject: () => (completed ??= complete()),
    ...partly,
  };
}

/** Runs every enabled rule over the model in one pass over its call sites and inspected nodes. */
function runRules(model: SemanticModel, resolver: Resolver, source: string, config: AnalyzerConfig, within?: Unit): RuleRun {
  const active = RULES.filter((r) => isEnabled(r.meta.code, config) && !(config.testFile && r.meta.skipsTestFiles));
  const raw: Finding[] = [];
  const sites: Array<Span | undefined> = [];
  /** The node of the site being visited; undefined once the module's visit is over (onFinish). */
  let site: SNode | undefined;
  const ruleErrors: string[] = [];

  const contexts = new Map<Rule, RuleContext>();
  for (const rule of active) {
    contexts.set(rule, {
      model,
      resolver,
      source,
      targetVersion: config.targetVersion,
      report: (r: Report) => {
        raw.push({ ...r, code: rule.meta.code, severity: severityFor(rule.meta.code, r.severity ?? rule.meta.severity, config) });
        sites.push(site && [site.start, site.end]);
      },
    });
  }
  const failed = new Set<Rule>();
  const fail = (rule: Rule, err: unknown): void => {
    failed.add(rule);
    ruleErrors.push(`${rule.meta.code} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  };
  // Plain loops with try/catch, not a closure per site and rule: this is the hot path of every check.
  const callRules = active.filter((r) => r.onCall);
  const callContexts = callRules.map((r) => contexts.get(r)!);
  const from = within ? within.start : -1;
  const to = within ? within.end : Infinity;
  for (const call of model.calls) {
    if (call.node.start < from || call.node.end > to) continue;
    site = call.node;
    for (let i = 0; i < callRules.length; i++) {
      const rule = callRules[i]!;
      if (failed.size > 0 && failed.has(rule)) continue;
      try {
        rule.onCall!(call, callContexts[i]!);
      } catch (err) {
        fail(rule, err);
      }
    }
  }
  const byType = new Map<string, Rule[]>();
  for (const rule of active) {
    if (!rule.onNode) continue;
    for (const t of rule.nodeTypes ?? []) byType.set(t, [...(byType.get(t) ?? []), rule]);
  }
  for (const inspected of model.nodes) {
    const rules = byType.get(inspected.node.type);
    if (!rules || inspected.node.start < from || inspected.node.end > to) continue;
    site = inspected.node;
    for (const rule of rules) {
      if (failed.size > 0 && failed.has(rule)) continue;
      try {
        rule.onNode!(inspected, contexts.get(rule)!);
      } catch (err) {
        fail(rule, err);
      }
    }
  }
  site = undefined;
  for (const rule of active) {
    // Module-wide conclusions are the full run's: a partial run carries the last ones.
    if (within || !rule.onFinish || failed.has(rule)) continue;
    try {
      rule.onFinish(contexts.get(rule)!);
    } catch (err) {
      fail(rule, err);
    }
  }

  const ran = new Set(active.filter((r) => !failed.has(r)).map((r) => r.meta.code));
  return { raw, sites, ruleErrors, ran };
}

/**
 * The rules over the edited unit only (a function, else the top-level statements the change
 * reaches), with the last run's other findings moved along; undefined when there is no such unit.
 */
function partialRun(last: LastRun, change: OffsetEdit, unit: Unit | undefined, model: SemanticModel, resolver: Resolver, source: string, config: AnalyzerConfig): RuleRun | undefined {
  if (!unit) return undefined;
  const fresh = runRules(model, resolver, source, config, unit);
  const kept = carriedOutside(last, change, unit);
  // A rule that failed now or last time is not counted as run: its findings are incomplete.
  const ran = new Set([...fresh.ran].filter((code) => last.ran.has(code)));
  return { raw: [...kept.raw, ...fresh.raw], sites: [...kept.sites, ...fresh.sites], ruleErrors: fresh.ruleErrors, ran, partial: true };
}

/** Puts the module's summary into the index; a file that does not parse keeps its last good one. */
function summarizeInto(project: ProjectContext, source: string, model: SemanticModel, resolver: Resolver, syntaxErrors: boolean, testFile: boolean | undefined): { summary: ModuleSummary; summaryChanged: boolean; own?: ModuleSummary } {
  const last = project.index.summaryOf(project.file);
  // Half-typed code says little of the module.
  if (last && syntaxErrors) return { summary: last, summaryChanged: false };
  const module = project.index.moduleNameOf(project.file) ?? scriptModuleName(project.file);
  const summary = summarizeModule({ file: project.file, module, source, model, resolver, testFile });
  // The index keeps the summaries of the run's first pass, made before any module knew the others.
  // This file's own part is made again now that its facts are known (a lock that only the class's
  // own thread takes, a base class from another module), and stands for it in its own findings.
  if (last && project.summaryFixed) return { summary: last, summaryChanged: false, own: summary };
  return { summary, summaryChanged: project.index.set(summary) };
}

/**
 * Drops a finding that repeats an earlier one: same code, same start line, same message. Nested
 * calls (`time.sleep(time.sleep(1))`) and two reads of one attribute in one statement make a rule
 * report the same thing twice on a line, which the reader sees as one problem printed twice. The
 * first in source order stays (for a nested call, the outer one, whose fix covers the inner). It
 * runs before suppressions, so an ignore comment is counted as used once, not per copy.
 */
function withoutRepeats(raw: readonly Finding[], lines: LineIndex): Finding[] {
  const ordered = [...raw].sort((a, b) => a.start - b.start);
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of ordered) {
    const key = `${f.code}\u0000${lines.lineOf(f.start)}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** Parses and analyzes a whole text; for the CLI and tests (the server keeps trees per document). */
export async function analyzeSource(source: string, config: AnalyzerConfig = DEFAULT_CONFIG, project?: ProjectContext): Promise<AnalysisResult> {
  return withTree(source, (tree) => analyzeTree(source, tree, config, { project }));
}

/**
 * Parses a whole text and hands the tree to `use`, deleting it afterwards (WebAssembly memory is
 * not garbage-collected), for callers that need more of the tree than the findings.
 */
export async function withTree<T>(source: string, use: (tree: Tree) => T): Promise<T> {
  const parser = await sharedParser();
  const tree = parser.parse(parserText(source));
  if (!tree) throw new Error('the parser returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

let parserPromise: ReturnType<typeof createParser> | undefined;
function sharedParser(): ReturnType<typeof createParser> {
  parserPromise ??= createParser();
  return parserPromise;
}
