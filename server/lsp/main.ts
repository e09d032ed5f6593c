import {
  createConnection,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { analyzeTree, type AnalysisResult } from '../analyzer/analyze';
import { createParser } from '../analyzer/parser';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { toDiagnostic } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { DEFAULT_SETTINGS, parseSettings, settingsKey, type ThreadwiseSettings } from './settings';

/** Files this large are declined with a log line instead of stalling the editor. */
const MAX_CHARS = 5_000_000;

interface Cached {
  version: number;
  key: string;
  result: AnalysisResult;
}

/** Wires the analyzer to an LSP connection: IPC from VS Code, or `--stdio` for other editors. */
export function startServer(connection: Connection): void {
  let store: DocumentStore | undefined;
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let globalSettings: ThreadwiseSettings = DEFAULT_SETTINGS;
  const settingsCache = new Map<string, Promise<ThreadwiseSettings>>();
  const analysisCache = new Map<string, Cached>();
  const pushTimers = new Map<string, NodeJS.Timeout>();
  const warnedTooLarge = new Set<string>();

  const log = (message: string) => connection.console.log(message);

  function settingsFor(uri: string): Promise<ThreadwiseSettings> {
    if (!configurationSupport) return Promise.resolve(globalSettings);
    let pending = settingsCache.get(uri);
    if (!pending) {
      pending = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'threadwise' })
        .then(parseSettings, () => DEFAULT_SETTINGS);
      settingsCache.set(uri, pending);
    }
    return pending;
  }

  async function analysisFor(entry: OpenDocument): Promise<AnalysisResult | undefined> {
    const settings = await settingsFor(entry.uri);
    if (!settings.enable) return undefined;
    const text = entry.doc.getText();
    if (text.length > MAX_CHARS) {
      const message = `Threadwise skipped ${entry.uri}: ${text.length} characters is over the ${MAX_CHARS} limit.`;
      log(message);
      // The log alone is invisible: say it once per open document, or the file looks clean.
      if (!warnedTooLarge.has(entry.uri)) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
      warnedTooLarge.add(entry.uri);
      return undefined;
    }
    const key = settingsKey(settings);
    const cached = analysisCache.get(entry.uri);
    if (cached && cached.version === entry.doc.version && cached.key === key) return cached.result;
    const result = analyzeTree(text, entry.tree, settings.config);
    for (const e of result.ruleErrors) log(`Rule error in ${entry.uri}: ${e}`);
    analysisCache.set(entry.uri, { version: entry.doc.version, key, result });
    return result;
  }

  /** Diagnostics for the document as it is once settings are known, with the version they match. */
  async function diagnosticsFor(uri: string) {
    const entry = store?.get(uri);
    if (!entry) return { version: undefined, diagnostics: [] };
    const result = await analysisFor(entry);
    // analysisFor reads the document after its last await, so text, tree and version agree.
    const doc = entry.doc;
    return { version: doc.version, diagnostics: result ? result.findings.map((f) => toDiagnostic(doc, f)) : [] };
  }

  function schedulePush(uri: string): void {
    if (pull) return;
    clearTimeout(pushTimers.get(uri));
    pushTimers.set(uri, setTimeout(() => {
      pushTimers.delete(uri);
      if (!store?.get(uri)) return;
      diagnosticsFor(uri).then(({ version, diagnostics }) => {
        if (store?.get(uri)) void connection.sendDiagnostics({ uri, version, diagnostics });
      }, (err) => log(`Diagnostics failed for ${uri}: ${String(err)}`));
    }, 0));
  }

  function recheckAll(): void {
    settingsCache.clear();
    if (pull) {
      // A client that answers with an error must not take the server down (unhandled rejection).
      if (refreshSupport) connection.languages.diagnostics.refresh().catch((err) => log(`Diagnostic refresh failed: ${String(err)}`));
    } else if (store) {
      for (const d of store.all()) schedulePush(d.uri);
    }
  }

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    store = new DocumentStore(await createParser());
    const caps = params.capabilities;
    pull = !!caps.textDocument?.diagnostic;
    refreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
    configurationSupport = !!caps.workspace?.configuration;
    globalSettings = parseSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
        ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'threadwise', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (configurationSupport) connection.client.register(DidChangeConfigurationNotification.type, { section: 'threadwise' }).catch((err) => log(`Registering for configuration changes failed: ${String(err)}`));
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { threadwise?: unknown } | undefined)?.threadwise;
    if (settings !== undefined) globalSettings = parseSettings(settings);
    recheckAll();
  });

  connection.onDidOpenTextDocument(({ textDocument: d }) => {
    store?.open(d.uri, d.languageId, d.version, d.text);
    schedulePush(d.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    store?.change(textDocument.uri, textDocument.version, contentChanges);
    schedulePush(textDocument.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    store?.close(textDocument.uri);
    warnedTooLarge.delete(textDocument.uri);
    analysisCache.delete(textDocument.uri);
    settingsCache.delete(textDocument.uri);
    clearTimeout(pushTimers.get(textDocument.uri));
    if (!pull) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const { diagnostics } = await diagnosticsFor(params.textDocument.uri);
    // A pull the client cancelled (a change came in) gets the answer LSP asks for; the analysis
    // is cached by version, so the client's next pull reuses it.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    return { kind: 'full', items: diagnostics };
  });

  connection.onCodeAction(async (params) => {
    const entry = store?.get(params.textDocument.uri);
    if (!entry) return [];
    const result = await analysisFor(entry);
    return result ? codeActions(entry.doc, entry.tree, result.findings, params) : [];
  });

  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
