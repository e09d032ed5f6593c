import * as path from 'node:path';
import type { Finding, RelatedLocation } from '../analyzer/rules/rule';
import type { ChainFinder, ChainStep } from './chains';
import type { LockFinder } from './locks';
import type { NameResolver } from './resolve';
import type { ModuleSummary, Span } from './summary';

/** What a cross-module rule reads: the summaries, resolved names and blocking chains. */
export interface IndexContext {
  readonly names: NameResolver;
  readonly chains: ChainFinder;
  readonly locks: LockFinder;
  /** How messages name a file: relative to the project root, with forward slashes. */
  shown(file: string): string;
  /** Every module's summary. */
  summaries(): Iterable<ModuleSummary>;
}

/** A rule that reads only summaries: its findings for one module. */
export interface IndexRule {
  readonly code: string;
  findings(summary: ModuleSummary, ctx: IndexContext): Finding[];
}

/** A related location in `file` (offsets and positions are that file's). */
export function relatedAt(file: string, span: Span, message: string): RelatedLocation {
  return {
    start: span.start,
    end: span.end,
    message,
    file,
    position: { line: span.line, character: span.character, endLine: span.endLine, endCharacter: span.endCharacter },
  };
}

export function shownRelative(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

/** `f() (a.py) → g() (b.py)`: the functions of a path, each with its file. */
export function describeSteps(steps: readonly ChainStep[], ctx: IndexContext): string {
  return steps.map((s) => `${s.ref.fn.name}() (${ctx.shown(s.ref.summary.file)})`).join(' → ');
}

/** True when some step of the paths is in another file than `file`. */
export function leaves(file: string, ...paths: ReadonlyArray<readonly ChainStep[]>): boolean {
  return paths.some((steps) => steps.some((s) => s.ref.summary.file !== file));
}
