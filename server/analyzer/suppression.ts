import type { SpeakingLines } from './comment-lines';
import type { Comment } from './model/semantic-model';
import type { Finding, RuleMeta, TextEdit } from './rules/rule';
import { lineEndAt, lineStartAt, nextLineStart, startsLine } from './fixes/source-text';

/** One code named in a suppression comment, with where it sits so a fix can remove it. */
interface NamedCode {
  readonly code: string;
  readonly start: number;
  readonly end: number;
  /** The Threadwise rules this code silences (itself, or the rules a peer code maps to). */
  readonly silences: readonly string[];
}

interface Suppression {
  readonly comment: Comment;
  readonly kind: 'line' | 'file' | 'noqa';
  /** The zero-based line the comment is on. */
  readonly row: number;
  /** Undefined for a bare `# noqa`, which silences everything on its line. */
  readonly codes: readonly NamedCode[] | undefined;
  /** Offsets of the directive itself (`threadwise: ignore[...]` or `noqa: ...`) within the file. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the list of codes, for rewriting it. */
  readonly listStart: number;
  readonly listEnd: number;
}

const THREADWISE = /threadwise:\s*ignore(-file)?\[([^\]]*)\]/g;
const NOQA = /\bnoqa\b(?::\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?/gi;
const CODE = /[A-Za-z]+[0-9]+/g;
/** Neither directive can match a comment without one of these words (most comments). */
const MAY_HOLD_DIRECTIVE = /threadwise|noqa/i;

function parseCodes(list: string, offset: number, peers: ReadonlyMap<string, string[]>): NamedCode[] {
  const codes: NamedCode[] = [];
  for (const m of list.matchAll(CODE)) {
    const code = m[0].toUpperCase();
    const silences = code.startsWith('TW') ? [code] : (peers.get(code) ?? []);
    codes.push({ code, start: offset + m.index!, end: offset + m.index! + m[0].length, silences });
  }
  return codes;
}

function parseComment(comment: Comment, peers: ReadonlyMap<string, string[]>, lineOf: (offset: number) => number): Suppression[] {
  // One plain test instead of two matchAll iterators (each clones its regex) for every comment.
  if (!MAY_HOLD_DIRECTIVE.test(comment.text)) return [];
  const found: Suppression[] = [];
  const base = comment.node.start;
  // Lines as findings count them (a lone CR ends one), not tree-sitter's rows.
  const row = lineOf(base);
  for (const m of comment.text.matchAll(THREADWISE)) {
    const listStart = base + m.index! + m[0].indexOf('[') + 1;
    found.push({
      comment, kind: m[1] ? 'file' : 'line', row,
      codes: parseCodes(m[2]!, listStart, peers),
      start: base + m.index!, end: base + m.index! + m[0].length, listStart, listEnd: listStart + m[2]!.length,
    });
  }
  for (const m of comment.text.matchAll(NOQA)) {
    const list = m[1];
    const listStart = list === undefined ? base + m.index! + m[0].length : base + m.index! + m[0].lastIndexOf(list);
    found.push({
      comment, kind: 'noqa', row,
      codes: list === undefined ? undefined : parseCodes(list, listStart, peers),
      start: base + m.index!, end: base + m.index! + m[0].length, listStart, listEnd: listStart + (list?.length ?? 0),
    });
  }
  return found;
}

export interface SuppressionResult {
  readonly kept: Finding[];
  /** TW001 findings for codes that silenced nothing. */
  readonly unused: Finding[];
}

/**
 * Drops findings silenced by comments and reports the Threadwise codes in those comments that
 * silenced nothing. `reportable` says which codes may be reported unused: only rules that ran.
 * A line suppression speaks for findings that start on its line, or on any line joined to it by
 * backslash continuations or a multi-line string (`commentLines`, built only when some comment
 * holds a directive).
 */
export function applySuppressions(
  findings: readonly Finding[],
  comments: readonly Comment[],
  source: string,
  rules: readonly RuleMeta[],
  reportable: (code: string) => boolean,
  lineOf: (offset: number) => number,
  commentLines: () => SpeakingLines,
): SuppressionResult {
  const peers = new Map<string, string[]>();
  for (const r of rules) for (const p of r.peerCodes) peers.set(p, [...(peers.get(p) ?? []), r.code]);
  const suppressions = comments.flatMap((c) => parseComment(c, peers, lineOf));
  if (suppressions.length === 0) return { kept: [...findings], unused: [] };
  const lines = commentLines();

  // By row, so a file with hundreds of findings and comments is not checked pair by pair.
  const fileWide = suppressions.filter((s) => s.kind === 'file');
  const byRow = new Map<number, Suppression[]>();
  for (const s of suppressions) {
    if (s.kind === 'file') continue;
    const list = byRow.get(s.row);
    if (list) list.push(s);
    else byRow.set(s.row, [s]);
  }
  const used = new Set<NamedCode | Suppression>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const row = lines.lineFor(lineOf(f.start));
    let silenced = false;
    // Every match is marked used, so the order the suppressions are tried in does not matter.
    const onRow = byRow.get(row);
    const candidates = onRow ? (fileWide.length > 0 ? [...fileWide, ...onRow] : onRow) : fileWide;
    for (const s of candidates) {
      if (s.codes === undefined) {
        silenced = true;
        used.add(s);
        continue;
      }
      for (const c of s.codes) {
        if (c.silences.includes(f.code)) {
          silenced = true;
          used.add(c);
        }
      }
    }
    if (!silenced) kept.push(f);
  }

  const unused: Finding[] = [];
  for (const s of suppressions) {
    if (!s.codes) continue;
    const stale = s.codes.filter((c) => c.code.startsWith('TW') && !used.has(c) && reportable(c.code));
    if (stale.length === 0) continue;
    const edits = removalEdits(s, stale, source);
    for (const c of stale) {
      unused.push({
        code: 'TW001',
        severity: 'information',
        start: c.start,
        end: c.end,
        message: `Unused suppression: no ${c.code} finding ${s.kind === 'file' ? 'in this file' : 'on this line'} to silence.`,
        fix: { title: `Remove unused suppression of ${stale.map((x) => x.code).join(', ')}`, safety: 'safe', edits },
      });
    }
  }
  return { kept, unused };
}

/** Removes the stale codes from the list, or the whole directive when nothing else is left in it. */
function removalEdits(s: Suppression, stale: readonly NamedCode[], source: string): TextEdit[] {
  const rest = s.codes!.filter((c) => !stale.includes(c));
  if (rest.length > 0) return [{ start: s.listStart, end: s.listEnd, newText: rest.map((c) => c.code).join(', ') }];
  // The directive is the whole comment (possibly with a reason after a second `#`): drop the comment.
  const comment = s.comment.node;
  const before = source.slice(comment.start, s.start).replace(/^#\s*/, '').trim();
  if (before !== '') {
    // Something else shares the comment (`# type: ignore  # noqa: TW101`): drop only the directive.
    let start = s.start;
    while (start > comment.start && /[\s#]/.test(source[start - 1]!)) start--;
    return [{ start, end: comment.end, newText: '' }];
  }
  if (startsLine(source, comment.start)) {
    return [{ start: lineStartAt(source, comment.start), end: nextLineStart(source, comment.end), newText: '' }];
  }
  let start = comment.start;
  while (start > 0 && (source[start - 1] === ' ' || source[start - 1] === '\t')) start--;
  return [{ start, end: Math.min(comment.end, lineEndAt(source, comment.start)), newText: '' }];
}
