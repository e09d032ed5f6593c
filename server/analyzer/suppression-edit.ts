import type { Node, Tree } from 'web-tree-sitter';
import { CommentLines } from './comment-lines';
import { lineEndAt, lineStartAt } from './fixes/source-text';
import { LineIndex } from './line-index';
import type { TextEdit } from './rules/rule';

/**
 * Where a `# threadwise: ignore[...]` for a finding goes, shared by the editor's "Ignore TWnnn on
 * this line" action and `threadwise check --add-noqa`. The comment goes on the line the
 * suppression reader (suppression.ts) reads for the finding: the line where it starts, or, when
 * backslashes or a multi-line string join that line to the next ones, the last line of the run
 * (see CommentLines). Inside brackets every line can take its own comment, so it is the first.
 */
export type SuppressionPlacement =
  /** Add or extend the line's directive with `added`. */
  | { readonly kind: 'edit'; readonly edit: TextEdit; readonly added: readonly string[] }
  /** The line's directive already names every code. */
  | { readonly kind: 'present' }
  /** No comment can end this line; `why` says what is in the way. */
  | { readonly kind: 'impossible'; readonly why: string };

const LINE_DIRECTIVE = /threadwise:\s*ignore\[([^\]]*)\]/;

/** True when `offset` lies inside a string literal, where a `#` is text, not a comment. */
function insideString(tree: Tree, offset: number): boolean {
  for (let n: Node | null = tree.rootNode.descendantForIndex(offset); n; n = n.parent) {
    if ((n.type === 'string' || n.type === 'string_content') && n.startIndex < offset && n.endIndex > offset) return true;
  }
  return false;
}

/** The comment that ends the line `[lineStart, lineEnd)`, if there is one. */
function trailingComment(tree: Tree, lineStart: number, lastChar: number): Node | undefined {
  if (lastChar < lineStart) return undefined;
  for (let n: Node | null = tree.rootNode.descendantForIndex(lastChar); n; n = n.parent) {
    if (n.type === 'comment') return n.startIndex >= lineStart ? n : undefined;
    if (n.startIndex < lineStart) return undefined;
  }
  return undefined;
}

/** Maps a finding's offset to an offset on the line whose comment speaks for it. */
export type CommentAnchor = (offset: number) => number;

/** The anchor for one version of a file: build it once for all the findings of that version. */
export function commentAnchor(source: string, tree: Tree): CommentAnchor {
  const index = new LineIndex(source);
  const lines = CommentLines.fromTree(tree.rootNode, source, (o) => index.lineOf(o));
  return (offset) => {
    const line = index.lineOf(offset);
    const speaking = lines.lineFor(line);
    return speaking === line ? offset : index.lineStart(speaking);
  };
}

/**
 * The edit that makes the finding at `findingStart` suppressed for `codes`, on its comment line: the codes merged into the line's
 * existing `# threadwise: ignore[...]`, or a new directive appended after whatever is on the line
 * (code, a `# noqa: E501`, any other comment), with ` # reason` after it when given. Other
 * comments are never changed.
 */
export function suppressionEdit(
  source: string,
  tree: Tree,
  findingStart: number,
  codes: readonly string[],
  reason?: string,
  anchor: CommentAnchor = commentAnchor(source, tree),
): SuppressionPlacement {
  const offset = anchor(findingStart);
  const lineStart = lineStartAt(source, offset);
  const lineEnd = lineEndAt(source, offset);
  if (insideString(tree, lineEnd)) return { kind: 'impossible', why: 'the line ends inside a string' };
  let last = lineEnd - 1;
  while (last >= lineStart && (source[last] === ' ' || source[last] === '\t')) last--;
  const comment = trailingComment(tree, lineStart, last);
  if (comment) {
    const existing = LINE_DIRECTIVE.exec(comment.text);
    if (existing) {
      const listStart = comment.startIndex + existing.index + existing[0].indexOf('[') + 1;
      const listEnd = listStart + existing[1]!.length;
      const present = existing[1]!.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
      const added = [...new Set(codes)].filter((c) => !present.includes(c));
      if (added.length === 0) return { kind: 'present' };
      return { kind: 'edit', edit: { start: listStart, end: listEnd, newText: [...present, ...added].join(', ') }, added };
    }
  } else if (source[last] === '\\') {
    // A comment after a line-continuation backslash is a syntax error.
    return { kind: 'impossible', why: 'the line ends with a line-continuation backslash' };
  }
  const added = [...new Set(codes)];
  const newText = `  # threadwise: ignore[${added.join(', ')}]${reason ? `  # ${reason}` : ''}`;
  // Trailing blanks are replaced, so the directive sits two spaces after the code as PEP 8 asks.
  return { kind: 'edit', edit: { start: last + 1, end: lineEnd, newText }, added };
}
