import type { DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { clearProjectConfigCache } from '../../project';
import { filePathOf, type Session } from '../session';

/** `workspace/didChangeWatchedFiles`: a pyproject.toml or baseline changed on disk. */
export function didChangeWatchedFiles(session: Session, { changes }: DidChangeWatchedFilesParams): void {
  for (const { uri } of changes) {
    const file = filePathOf(uri);
    if (!file) continue;
    session.log(`${file} changed; re-checking open documents.`);
    session.forgetWarnings(`${file}:`);
  }
  clearProjectConfigCache();
  session.recheckAll();
}
