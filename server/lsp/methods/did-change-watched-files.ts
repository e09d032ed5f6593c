import { FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { clearProjectConfigCache } from '../../project';
import { filePathOf, type Session } from '../session';
import { mayIndex } from '../workspace/discover';
import { nextTurn } from '../workspace/indexer';

/**
 * `workspace/didChangeWatchedFiles`: a Python file changed on disk (a `git checkout`, a formatter)
 * updates the index, then what depends on it; a pyproject.toml or baseline re-checks everything.
 */
export function didChangeWatchedFiles(session: Session, { changes }: DidChangeWatchedFilesParams): void {
  const python: string[] = [];
  let configuration = false;
  for (const { uri, type } of changes) {
    const file = filePathOf(uri);
    if (!file) continue;
    if (file.endsWith('.py')) {
      // An open file's text is the editor's, whatever the disk holds.
      if (session.openEntryOf(file)) continue;
      const known = session.project.indexFor(file)?.summaryOf(file) !== undefined;
      const folder = session.folderOf(file);
      // A file the index has is followed whatever happens to it; a new one only where the start-up walk would have looked.
      if (known || (type !== FileChangeType.Deleted && folder !== undefined && mayIndex(folder, file))) python.push(file);
      continue;
    }
    configuration = true;
    session.log(`${file} changed; re-checking open documents.`);
    session.forgetWarnings(`${file}:`);
  }
  if (configuration) {
    clearProjectConfigCache();
    session.recheckAll();
  }
  if (python.length > 0) void updateFromDisk(session, python);
}

async function updateFromDisk(session: Session, files: readonly string[]): Promise<void> {
  for (const file of files) {
    try {
      if (await session.project.checkDisk(file)) session.project.summaryChanged(file);
    } catch (err) {
      session.log(`Re-reading ${file} failed: ${String(err)}`);
    }
    // A checkout may change hundreds of files: edits are served between them.
    await nextTurn(session);
  }
}
