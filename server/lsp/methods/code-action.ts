import type { CodeAction, CodeActionParams } from 'vscode-languageserver/node';
import { codeActions } from '../code-actions';
import type { Session } from '../session';

/** `textDocument/codeAction`: quick fixes, ignore comments and fix-all for the visible findings. */
export async function codeAction(session: Session, params: CodeActionParams): Promise<CodeAction[]> {
  session.refuseAfterShutdown();
  const entry = session.store?.get(params.textDocument.uri);
  if (!entry) return [];
  const findings = await session.visibleFindings(entry);
  return findings ? codeActions(entry.doc, entry.tree, findings, params) : [];
}
