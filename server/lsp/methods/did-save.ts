import type { DidSaveTextDocumentParams } from 'vscode-languageserver/node';
import type { Session } from '../session';

/** `textDocument/didSave`: what `run: onSave` waits for. */
export function didSave(session: Session, { textDocument: { uri } }: DidSaveTextDocumentParams): void {
  // Re-read pyproject.toml too, for clients that cannot watch files.
  session.resolvedCache.delete(uri);
  // Synchronously, so a pull that arrives right after the save already sees the saved text.
  session.snapshots.delete(uri);
  session.resolvedFor(uri).then((r) => {
    if (r.settings.run !== 'onSave') return;
    if (!session.caps.pull) session.schedulePush(uri);
    else session.refreshDiagnostics();
  }, (err) => session.log(`Settings failed for ${uri}: ${String(err)}`));
}
