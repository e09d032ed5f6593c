import type { AnalyzerConfig } from './config';
import type { ProjectFacts } from './model/project-facts';
import type { Comment } from './model/semantic-model';
import { moveFindings, type OffsetEdit } from './moved-findings';
import type { Finding } from './rules/rule';

/** `[start, end)` in a text. */
export type Span = readonly [number, number];

/** What the rules found in one text, before suppressions. */
export interface RuleRun {
  readonly raw: Finding[];
  /**
   * For each of `raw`, the call or node site whose visit reported it; undefined for a report made
   * once the whole module was visited (`onFinish`). A partial run (partial-rules.ts) redoes the
   * sites of one function and keeps the other findings by where their sites are.
   */
  readonly sites: ReadonlyArray<Span | undefined>;
  readonly ruleErrors: string[];
  /** The rules that ran to the end (a rule that threw is not among them). */
  readonly ran: ReadonlySet<string>;
  /** Some findings are carried from an earlier text without the rules running again (partial-rules.ts). */
  readonly partial?: boolean;
}

/** The last analysis of a document, kept by its incremental state for the next one. */
export interface LastRun extends RuleRun {
  readonly source: string;
  readonly config: AnalyzerConfig;
  readonly facts: ProjectFacts | undefined;
  /** Where its comments were: `[start, end)` in `source`, in order. */
  readonly comments: ReadonlyArray<readonly [number, number]>;
}

export function commentSpans(comments: readonly Comment[]): Array<[number, number]> {
  return comments.map((c) => [c.node.start, c.node.end]);
}

export const isBreak = (c: number): boolean => c === 10 || c === 13;
export const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12;

/**
 * True when, from `at` to the end of its line, `text` holds nothing but blanks and comments: no
 * token a rule could read, and no backslash that joins the next line.
 */
function onlyCommentsFrom(text: string, at: number, comments: ReadonlyArray<readonly [number, number]>): boolean {
  let c = 0;
  for (let i = at; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isBreak(code)) return true;
    if (isBlank(code)) continue;
    while (c < comments.length && comments[c]![1] <= i) c++;
    const inside = c < comments.length && comments[c]![0] <= i && i < comments[c]![1];
    if (!inside) return false;
    // The rest of the comment is comment text; carry on after it.
    i = comments[c]![1] - 1;
  }
  return true;
}

/**
 * True when `change` (from `before` to `after`) lies within one line and only comments and blanks
 * stand from its start to that line's end, in both texts (typing or deleting a trailing comment,
 * or text inside one). Such a change adds, removes or edits comments and nothing else: the syntax
 * the rules read is the same.
 */
export function isCommentOnlyEdit(before: LastRun, change: OffsetEdit, after: string, comments: readonly Comment[]): boolean {
  const old = before.source;
  const { start, oldEnd, newEnd } = change;
  for (let i = start; i < oldEnd; i++) if (isBreak(old.charCodeAt(i))) return false;
  for (let i = start; i < newEnd; i++) if (isBreak(after.charCodeAt(i))) return false;
  return onlyCommentsFrom(old, start, before.comments) && onlyCommentsFrom(after, start, commentSpans(comments));
}

/** Where a site goes through an edit; a site the edit reached into stretches or shrinks with it. */
export function moveSite(site: Span, e: OffsetEdit): Span {
  const at = (o: number): number => (o <= e.start ? o : o >= e.oldEnd ? o + e.newEnd - e.oldEnd : e.newEnd);
  return [at(site[0]), at(site[1])];
}

/**
 * The last run's findings for a text that differs from its own only in comments (see
 * isCommentOnlyEdit), moved to where they now stand; undefined when the text changed otherwise,
 * the configuration or the project's facts did, or a finding reaches into the edited span (its
 * message or fix could quote the comment).
 */
export function afterCommentEdit(before: LastRun, change: OffsetEdit, source: string, comments: readonly Comment[], config: AnalyzerConfig, facts: ProjectFacts | undefined): RuleRun | undefined {
  if (before.config !== config || before.facts !== facts) return undefined;
  if (!isCommentOnlyEdit(before, change, source, comments)) return undefined;
  const raw = moveFindings(before.raw, [change]);
  // moveFindings drops a finding the edit touched; then the rules must run again.
  if (raw.length !== before.raw.length) return undefined;
  const sites = before.sites.map((s) => s && moveSite(s, change));
  return { raw, sites, ruleErrors: before.ruleErrors, ran: before.ran, ...(before.partial ? { partial: true } : {}) };
}
