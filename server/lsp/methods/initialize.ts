import { ErrorCodes, ResponseError, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { loadPython, parserFor } from '../../analyzer/parser';
import { FIX_ALL_KIND } from '../code-actions';
import { DocumentStore } from '../documents';
import { withTestFaults } from '../parser-faults';
import { filePathOf, MAX_CHARS, type Session } from '../session';
import { parseSettings } from '../settings';

/** `initialize`: loads the parser, reads what the client can do and says what the server offers. */
export async function initialize(session: Session, params: InitializeParams): Promise<InitializeResult> {
  session.refuseAfterShutdown();
  // A second initialize would start over with an empty store, dropping every open document.
  if (session.store) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is already initialized');
  const language = await loadPython();
  if (session.store) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is already initialized');
  const { connection } = session;
  session.store = new DocumentStore(withTestFaults(parserFor(language)), {
    maxChars: MAX_CHARS,
    parsers: {
      renew(failure) {
        connection.console.error(`The parser failed (${String(failure)}); retrying with a new one.`);
        return withTestFaults(parserFor(language));
      },
      giveUp(failure) {
        // web-tree-sitter keeps its WebAssembly instance for the life of the process; once it has
        // aborted nothing can be parsed again, so a restart by the client is the only way back.
        process.stderr.write(`Threadwise: the parser failed again (${String(failure)}); exiting so the client restarts the server.\n`);
        process.exit(1);
      },
    },
  });
  const caps = params.capabilities;
  session.caps = {
    pull: !!caps.textDocument?.diagnostic,
    refreshSupport: !!caps.workspace?.diagnostics?.refreshSupport,
    configurationSupport: !!caps.workspace?.configuration,
    watchSupport: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    folderSupport: !!caps.workspace?.workspaceFolders,
    workspacePull: !!caps.textDocument?.diagnostic && !!caps.workspace?.diagnostics,
  };
  const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.folders = folderUris.map(filePathOf).filter((f): f is string => !!f);
  session.globalSettings = parseSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
      // A file's findings depend on the modules it imports: an edit there can change them.
      ...(session.caps.pull ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: session.caps.workspacePull } } : {}),
      hoverProvider: true,
      ...(session.caps.folderSupport ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
    },
    serverInfo: { name: 'threadwise', version: '0.1.0' },
  };
}
