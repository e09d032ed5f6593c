import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { mergeFixEdits } from '../analyzer/fixes/apply';
import type { Finding } from '../analyzer/rules/rule';
import { commentAnchor, suppressionEdit, type CommentAnchor } from '../analyzer/suppression-edit';
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

/** Adds the code to the line's `# threadwise: ignore[...]`, or appends one (see suppression-edit.ts). */
function ignoreAction(doc: TextDocument, tree: Tree, anchor: CommentAnchor, f: Finding, diagnostic: Diagnostic): CodeAction | undefined {
  const placement = suppressionEdit(doc.getText(), tree, f.start, [f.code], undefined, anchor);
  if (placement.kind !== 'edit') return undefined;
  return {
    title: `Ignore ${f.code} on this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: toLspEdits(doc, [placement.edit]) } },
  };
}

export function codeActions(doc: TextDocument, tree: Tree, findings: readonly Finding[], params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  let anchor: CommentAnchor | undefined;
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
      anchor ??= commentAnchor(doc.getText(), tree);
      const ignore = ignoreAction(doc, tree, anchor, f, diagnostic);
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
