import type { DidChangeTextDocumentParams } from 'vscode-languageserver/node';
import type { Session } from '../session';

/** `textDocument/didChange`: the tree follows the edit at once; the check comes when the scheduler says. */
export function didChange(session: Session, { textDocument, contentChanges }: DidChangeTextDocumentParams): void {
  session.store?.change(textDocument.uri, textDocument.version, contentChanges);
  // Files that depend on this one wait: the edited file is checked first.
  session.project.dependents.postpone();
  session.deferred.postpone();
  // Under onSave nothing is published until the save; a pull answers from the snapshot.
  session.resolvedFor(textDocument.uri).then((r) => {
    if (r.settings.run === 'onType') session.schedulePush(textDocument.uri);
  }, (err) => session.log(`Settings failed for ${textDocument.uri}: ${String(err)}`));
}
