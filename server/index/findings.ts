import * as path from 'node:path';
import type { Finding, RelatedLocation } from '../analyzer/rules/rule';
import type { ChainFinder } from './chains';
import type { NameResolver } from './resolve';
import type { ModuleSummary, Span } from './summary';

/** What a cross-module rule reads: the summaries, resolved names and blocking chains. */
export interface IndexContext {
  readonly names: NameResolver;
  readonly chains: ChainFinder;
  /** How messages name a file: relative to the project root, with forward slashes. */
  shown(file: string): string;
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
