import type { DidOpenTextDocumentParams } from 'vscode-languageserver/node';
import { filePathOf, type Session } from '../session';

/** `textDocument/didOpen`: parsed at once; a push client gets its findings as soon as they are known. */
export function didOpen(session: Session, { textDocument: d }: DidOpenTextDocumentParams): void {
  session.store?.open(d.uri, d.languageId, d.version, d.text);
  session.snapshots.delete(d.uri);
  const file = filePathOf(d.uri);
  if (file) session.project.opened(file);
  session.schedulePush(d.uri);
}
