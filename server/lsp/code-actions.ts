import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node, Tree } from 'web-tree-sitter';
import { mergeFixEdits } from '../analyzer/fixes/apply';
import { CommentLines } from '../analyzer/comment-lines';
import type { Finding } from '../analyzer/rules/rule';
import { toDiagnostic, toLspEdits } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.threadwise`;

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function overlaps(doc: TextDocument, f: Finding, params: CodeActionParams): boolean {
  const start = doc.offsetAt(params.range.start);
  const end = doc.offsetAt(params.range.end);
  return f.start <= end && start <= f.end;
}

const IGNORE = /threadwise:\s*ignore\[([^\]]*)\]/;

/** True when `offset` is inside a string literal: a comment cannot go there. */
function insideString(tree: Tree, offset: number): boolean {
  for (let n = tree.rootNode.descendantForIndex(offset); n; n = n.parent) {
    if ((n.type === 'string' || n.type === 'string_content') && n.startIndex < offset && n.endIndex > offset) return true;
  }
  return false;
}

/**
 * The comment that ends the line `[lineStart, lineEnd)`, found in the tree: a comment runs to the
 * end of its line, so if the line has one, its last character belongs to it. Text that merely looks
 * like a directive inside a string literal is never taken for one.
 */
function trailingComment(tree: Tree, lineStart: number, lineEnd: number): Node | undefined {
  if (lineEnd <= lineStart) return undefined;
  const last = tree.rootNode.descendantForIndex(lineEnd - 1, lineEnd);
  return last?.type === 'comment' && last.startIndex >= lineStart ? last : undefined;
}

/**
 * Adds the code to the `# threadwise: ignore[...]` of the line that suppresses the finding, or
 * appends one there. That line is the finding's own, or, when backslashes or a multi-line string
 * join it to the lines below, the last line of that run (see CommentLines): the suppression reader
 * looks in the same place, so the comment silences this finding and code that parsed still does.
 */
function ignoreAction(doc: TextDocument, tree: Tree, lines: CommentLines, f: Finding, diagnostic: Diagnostic): CodeAction | undefined {
  const line = lines.lineFor(doc.positionAt(f.start).line);
  const lineStart = doc.offsetAt({ line, character: 0 });
  // offsetAt stops before the line break (LF, CRLF or a lone CR).
  const end = doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
  if (insideString(tree, end)) return undefined;
  const comment = trailingComment(tree, lineStart, end);
  const existing = comment ? IGNORE.exec(doc.getText().slice(comment.startIndex, comment.endIndex)) : null;
  let edit;
  if (comment && existing) {
    const listStart = comment.startIndex + existing.index + existing[0].indexOf('[') + 1;
    const listEnd = listStart + existing[1]!.length;
    const codes = existing[1]!.split(/[\s,]+/).filter(Boolean);
    if (codes.includes(f.code)) return undefined;
    edit = { start: listStart, end: listEnd, newText: [...codes, f.code].join(', ') };
  } else {
    edit = { start: end, end, newText: `  # threadwise: ignore[${f.code}]` };
  }
  return {
    title: `Ignore ${f.code} on this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: toLspEdits(doc, [edit]) } },
  };
}

export function codeActions(doc: TextDocument, tree: Tree, findings: readonly Finding[], params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  let lines: CommentLines | undefined;
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const f of findings) {
      if (!overlaps(doc, f, params)) continue;
      const diagnostic = toDiagnostic(doc, f);
      if (f.fix) {
        actions.push({
          title: f.fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: f.fix.safety === 'safe',
          edit: { changes: { [doc.uri]: toLspEdits(doc, f.fix.edits) } },
        });
      }
      // TW001 is about a suppression comment itself: another comment cannot silence it.
      if (f.code === 'TW001') continue;
      lines ??= new CommentLines(tree.rootNode, doc.getText(), (o) => doc.positionAt(o).line);
      const ignore = ignoreAction(doc, tree, lines, f, diagnostic);
      if (ignore) actions.push(ignore);
    }
  }
  // Fix-all is offered only when asked for by kind (on save, or "Fix all" from the source menu).
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => o !== CodeActionKind.QuickFix)) {
    const edits = mergeFixEdits(findings.filter((f) => f.fix?.safety === 'safe').map((f) => f.fix!.edits));
    if (edits.length > 0) {
      actions.push({ title: 'Threadwise: fix all safe findings', kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: toLspEdits(doc, edits) } } });
    }
  }
  return actions;
}
