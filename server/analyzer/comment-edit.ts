import type { AnalyzerConfig } from './config';
import type { ProjectFacts } from './model/project-facts';
import type { Comment } from './model/semantic-model';
import { moveFindings, type OffsetEdit } from './moved-findings';
import type { Finding } from './rules/rule';
import { commonPrefix, commonSuffix } from '../text/common-affix';

/** What the rules found in one text, before suppressions. */
export interface RuleRun {
  readonly raw: Finding[];
  readonly ruleErrors: string[];
  /** The rules that ran to the end (a rule that threw is not among them). */
  readonly ran: ReadonlySet<string>;
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

const isBreak = (c: number) => c === 10 || c === 13;
const isBlank = (c: number) => c === 32 || c === 9 || c === 12;

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
 * The single change from `before` to `after`, in offsets, when it lies within one line and only
 * comments and blanks stand from its start to that line's end, in both texts (typing or deleting
 * a trailing comment, or text inside one). Such a change adds, removes or edits comments and
 * nothing else: the syntax the rules read is the same. Undefined for any other change.
 */
export function commentOnlyEdit(before: LastRun, after: string, comments: readonly Comment[]): OffsetEdit | undefined {
  const old = before.source;
  const start = commonPrefix(old, after);
  const tail = commonSuffix(old, after, Math.min(old.length, after.length) - start);
  const oldEnd = old.length - tail;
  const newEnd = after.length - tail;
  for (let i = start; i < oldEnd; i++) if (isBreak(old.charCodeAt(i))) return undefined;
  for (let i = start; i < newEnd; i++) if (isBreak(after.charCodeAt(i))) return undefined;
  if (!onlyCommentsFrom(old, start, before.comments)) return undefined;
  if (!onlyCommentsFrom(after, start, commentSpans(comments))) return undefined;
  return { start, oldEnd, newEnd };
}

/**
 * The last run's findings for a text that differs from its own only in comments (see
 * commentOnlyEdit), moved to where they now stand; undefined when the text changed otherwise, the
 * configuration or the project's facts did, or a finding reaches into the edited span (its
 * message or fix could quote the comment).
 */
export function afterCommentEdit(before: LastRun, source: string, comments: readonly Comment[], config: AnalyzerConfig, facts: ProjectFacts | undefined): RuleRun | undefined {
  if (before.config !== config || before.facts !== facts) return undefined;
  const edit = commentOnlyEdit(before, source, comments);
  if (!edit) return undefined;
  const raw = moveFindings(before.raw, [edit]);
  // moveFindings drops a finding the edit touched; then the rules must run again.
  if (raw.length !== before.raw.length) return undefined;
  return { raw, ruleErrors: before.ruleErrors, ran: before.ran };
}
