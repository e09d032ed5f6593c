import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { PYPROJECT } from '../../project';
import type { Session } from '../session';
import { indexWorkspace } from '../workspace/indexer';
import { didChangeWorkspaceFolders } from './did-change-workspace-folders';

/** `initialized`: the registrations that need a client ready to answer requests. */
export function initialized(session: Session): void {
  const { connection, caps } = session;
  // A client that answers a registration with an error must not take the server down.
  if (caps.configurationSupport) connection.client.register(DidChangeConfigurationNotification.type, { section: 'threadwise' }).catch((err) => session.log(`Registering for configuration changes failed: ${String(err)}`));
  // Any pyproject.toml may be the nearest one for some open file, so all of them are watched.
  if (caps.watchSupport) session.watch(`**/${PYPROJECT}`, `${PYPROJECT} files`);
  // Python files changed on disk (a `git checkout`) update the index of the files that are not open.
  if (caps.watchSupport) session.watch('**/*.py', 'Python files');
  // Only once initialized may the server listen for folder changes (the library registers for them).
  if (caps.folderSupport) connection.workspace.onDidChangeWorkspaceFolders((e) => didChangeWorkspaceFolders(session, e));
  indexWorkspace(session).catch((err) => session.log(`Indexing the workspace failed: ${String(err)}`));
}
