import type { WorkspaceFoldersChangeEvent } from 'vscode-languageserver/node';
import { filePathOf, type Session } from '../session';
import { indexWorkspace } from '../workspace/indexer';

/** `workspace/didChangeWorkspaceFolders`: `exclude` patterns are relative to the folders, so everything is resolved again. */
export function didChangeWorkspaceFolders(session: Session, e: WorkspaceFoldersChangeEvent): void {
  const removed = new Set(e.removed.map((f) => filePathOf(f.uri)));
  session.folders = [...session.folders.filter((f) => !removed.has(f)), ...e.added.map((f) => filePathOf(f.uri)).filter((f): f is string => !!f)];
  session.project.dropIndexesOutside(session.folders);
  session.recheckAll();
  // Files already indexed are read again; the index keeps one entry per file.
  if (e.added.length > 0) indexWorkspace(session).catch((err) => session.log(`Indexing the workspace failed: ${String(err)}`));
}
