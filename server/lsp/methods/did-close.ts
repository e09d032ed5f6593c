import type { DidCloseTextDocumentParams } from 'vscode-languageserver/node';
import { filePathOf, type Session } from '../session';

/** `textDocument/didClose`: the document and all that was computed for it go; a push client's list is emptied. */
export function didClose(session: Session, { textDocument: { uri } }: DidCloseTextDocumentParams): void {
  session.store?.close(uri);
  session.forget(uri);
  if (!session.caps.pull) void session.connection.sendDiagnostics({ uri, diagnostics: [] });
  // The index goes back to the text on disk (in workspace mode its findings are reported again).
  const file = filePathOf(uri);
  if (file) session.project.closed(file).catch((err) => session.log(`Re-reading ${file} failed: ${String(err)}`));
}
