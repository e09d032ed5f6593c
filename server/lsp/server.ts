import type { Connection } from 'vscode-languageserver/node';
import { codeAction } from './methods/code-action';
import { didChange } from './methods/did-change';
import { didChangeConfiguration } from './methods/did-change-configuration';
import { didChangeWatchedFiles } from './methods/did-change-watched-files';
import { didClose } from './methods/did-close';
import { didOpen } from './methods/did-open';
import { didSave } from './methods/did-save';
import { documentDiagnostic } from './methods/document-diagnostic';
import { hover } from './methods/hover';
import { initialize } from './methods/initialize';
import { initialized } from './methods/initialized';
import { shutdown } from './methods/shutdown';
import { workspaceDiagnostic } from './methods/workspace-diagnostic';
import { Session } from './session';

/** Wires the analyzer to an LSP connection: IPC from VS Code, or `--stdio` for other editors. */
export function startServer(connection: Connection, lifecycle: { shutdownRequested: boolean } = { shutdownRequested: false }): Session {
  const session = new Session(connection, lifecycle);
  connection.onShutdown(() => shutdown(session));
  connection.onInitialize((params) => initialize(session, params));
  connection.onInitialized(() => initialized(session));
  connection.onDidChangeConfiguration((params) => didChangeConfiguration(session, params));
  connection.onDidChangeWatchedFiles((params) => didChangeWatchedFiles(session, params));
  connection.onDidOpenTextDocument((params) => didOpen(session, params));
  connection.onDidChangeTextDocument((params) => didChange(session, params));
  connection.onDidSaveTextDocument((params) => didSave(session, params));
  connection.onDidCloseTextDocument((params) => didClose(session, params));
  connection.languages.diagnostics.on((params, token) => documentDiagnostic(session, params, token));
  connection.languages.diagnostics.onWorkspace((params) => workspaceDiagnostic(session, params));
  connection.onCodeAction((params) => codeAction(session, params));
  connection.onHover((params) => hover(session, params));
  connection.listen();
  return session;
}
