import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { analyzeTree, type AnalysisResult } from '../analyzer/analyze';
import { createParser } from '../analyzer/parser';
import { clearProjectConfigCache, effectiveOptions, formatProblem, loadProjectConfig, PYPROJECT, type EffectiveOptions } from '../project';
import type { Finding } from '../analyzer/rules/rule';
import { filterByBaseline } from './baseline';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { toDiagnostic } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { DEFAULT_SETTINGS, parseSettings, type ThreadwiseSettings } from './settings';

/** Files this large are declined with a log line instead of stalling the editor. */
const MAX_CHARS = 5_000_000;
/** Configuration problems are keyed by their text; this key cannot be one of them. */
const tooLargeKey = (uri: string): string => `too-large ${uri}`;

interface Cached {
  version: number;
  key: string;
  result: AnalysisResult;
}

/** Everything that decides how one document is checked: its settings merged with its pyproject.toml. */
interface Resolved {
  readonly settings: ThreadwiseSettings;
  readonly options: EffectiveOptions;
  /** Changes whenever anything above does: analysis results are cached under it. */
  readonly key: string;
}

/** What `run: onSave` shows until the next save: the findings of the text as last saved. */
interface Snapshot {
  readonly key: string;
  readonly resultId: string;
  readonly version: number;
  readonly diagnostics: Diagnostic[];
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Wires the analyzer to an LSP connection: IPC from VS Code, or `--stdio` for other editors. */
export function startServer(connection: Connection): void {
  let store: DocumentStore | undefined;
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let watchSupport = false;
  let folderSupport = false;
  let globalSettings: ThreadwiseSettings = DEFAULT_SETTINGS;
  let folders: string[] = [];
  let resultCounter = 0;
  const settingsCache = new Map<string, Promise<ThreadwiseSettings>>();
  const resolvedCache = new Map<string, Promise<Resolved>>();
  const analysisCache = new Map<string, Cached>();
  const snapshots = new Map<string, Snapshot>();
  const pushTimers = new Map<string, NodeJS.Timeout>();
  /** Warnings already shown, by key: each pops up once until its cause changes. */
  const shownWarnings = new Set<string>();
  /** Baseline file names already watched (`**\/name`), so each is registered once. */
  const watchedBaselines = new Set<string>();

  const log = (message: string) => connection.console.log(message);

  function warnOnce(key: string, logged: string, shown: string): void {
    if (shownWarnings.has(key)) return;
    shownWarnings.add(key);
    connection.console.warn(logged);
    // A notification, not window.showWarningMessage(): that is a request, and a client that
    // cannot answer it would leave a rejected promise behind.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: shown });
  }

  /** Each distinct configuration problem pops up once and goes to the log; checking goes on. */
  function reportProblems(problems: readonly string[]): void {
    for (const p of problems) warnOnce(p, `Configuration problem: ${p}`, `Threadwise: ${p}`);
  }

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

  /** The workspace folder holding the file: what `threadwise.exclude` patterns are relative to. */
  function folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const f of folders) {
      const rel = path.relative(f, file);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  function resolvedFor(uri: string): Promise<Resolved> {
    let pending = resolvedCache.get(uri);
    if (!pending) {
      pending = settingsFor(uri).then((settings) => {
        reportProblems(settings.problems);
        const file = filePathOf(uri);
        // Switched off, or told to ignore pyproject.toml: nothing to read and nothing to complain about.
        const loaded = file && settings.enable && settings.configurationPreference !== 'editorOnly' ? loadProjectConfig(file) : undefined;
        if (loaded) reportProblems(loaded.problems.map(formatProblem));
        const root = file ? folderOf(file) : undefined;
        // Untitled and other non-file documents have no path: only the editor's options apply.
        const options = effectiveOptions(file ?? '', { ...settings.editor, root }, loaded?.config, settings.configurationPreference);
        if (options.baseline !== undefined) watchBaseline(options.baseline);
        return { settings, options, key: JSON.stringify([settings.enable, options.excluded, options.config, options.baseline]) };
      });
      resolvedCache.set(uri, pending);
    }
    return pending;
  }

  async function analysisFor(entry: OpenDocument): Promise<AnalysisResult | undefined> {
    const { settings, options, key } = await resolvedFor(entry.uri);
    if (!settings.enable || options.excluded) return undefined;
    const text = entry.doc.getText();
    if (text.length > MAX_CHARS) {
      const message = `Threadwise skipped ${entry.uri}: ${text.length} characters is over the ${MAX_CHARS} limit.`;
      // The log alone is invisible: say it once per open document, or the file looks clean.
      warnOnce(tooLargeKey(entry.uri), message, message);
      return undefined;
    }
    const cached = analysisCache.get(entry.uri);
    if (cached && cached.version === entry.doc.version && cached.key === key) return cached.result;
    const result = analyzeTree(text, entry.tree, options.config);
    for (const e of result.ruleErrors) log(`Rule error in ${entry.uri}: ${e}`);
    analysisCache.set(entry.uri, { version: entry.doc.version, key, result });
    return result;
  }

  /**
   * A changed baseline re-checks open documents as a changed pyproject.toml does. Watched by name
   * anywhere in the workspace, a glob every client understands; the cache re-reads only the one
   * that changed.
   */
  function watchBaseline(file: string): void {
    const name = path.basename(file);
    if (!watchSupport || watchedBaselines.has(name)) return;
    watchedBaselines.add(name);
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${name}` }] }).catch((err) => log(`Watching ${name} failed: ${String(err)}`));
  }

  /** The findings to show: the analysis minus what the project's baseline records. */
  async function visibleFindings(entry: OpenDocument): Promise<readonly Finding[] | undefined> {
    const { options } = await resolvedFor(entry.uri);
    const result = await analysisFor(entry);
    if (!result) return undefined;
    const file = filePathOf(entry.uri);
    if (options.baseline === undefined || !file) return result.findings;
    // No await since analysisFor: its result, the text and the tree belong to the same version.
    const filtered = filterByBaseline(options.baseline, file, entry.doc.getText(), entry.tree, result.findings);
    if (filtered.problem) reportProblems([formatProblem({ file: options.baseline, message: filtered.problem })]);
    if (filtered.stale) {
      const { name, count } = filtered.stale;
      const key = `${options.baseline}: stale ${name} ${count}`;
      if (!shownWarnings.has(key)) {
        shownWarnings.add(key);
        // Only logged: a pop-up each time a recorded hazard gets fixed would punish fixing it.
        connection.console.warn(`Baseline ${options.baseline}: ${count} ${count === 1 ? 'entry' : 'entries'} for ${name} ${count === 1 ? 'matches' : 'match'} no finding any more; run \`threadwise check --write-baseline\` to drop ${count === 1 ? 'it' : 'them'}.`);
      }
    }
    return filtered.findings;
  }

  /** Diagnostics for the document as it is once settings are known, with the version they match. */
  async function currentDiagnostics(entry: OpenDocument): Promise<{ version: number; diagnostics: Diagnostic[] }> {
    const findings = await visibleFindings(entry);
    // visibleFindings reads the document after its last await, so text, tree and version agree.
    const doc = entry.doc;
    return { version: doc.version, diagnostics: findings ? findings.map((f) => toDiagnostic(doc, f)) : [] };
  }

  async function diagnosticsFor(uri: string): Promise<{ version: number | undefined; diagnostics: Diagnostic[]; resultId?: string }> {
    const entry = store?.get(uri);
    if (!entry) return { version: undefined, diagnostics: [] };
    const { settings, key } = await resolvedFor(uri);
    if (settings.run !== 'onSave') return currentDiagnostics(entry);
    // onSave: the findings stay those of the last check until the next save (or a config change).
    let snap = snapshots.get(uri);
    if (!snap || snap.key !== key) {
      const { version, diagnostics } = await currentDiagnostics(entry);
      snap = { key, resultId: `${++resultCounter}`, version, diagnostics };
      snapshots.set(uri, snap);
    }
    return snap;
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
    resolvedCache.clear();
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
    watchSupport = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    folderSupport = !!caps.workspace?.workspaceFolders;
    const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = folderUris.map(filePathOf).filter((f): f is string => !!f);
    globalSettings = parseSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
        ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        ...(folderSupport ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'threadwise', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    // A client that answers a registration with an error must not take the server down.
    if (configurationSupport) connection.client.register(DidChangeConfigurationNotification.type, { section: 'threadwise' }).catch((err) => log(`Registering for configuration changes failed: ${String(err)}`));
    // Any pyproject.toml may be the nearest one for some open file, so all of them are watched.
    if (watchSupport) connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${PYPROJECT}` }] }).catch((err) => log(`Watching ${PYPROJECT} files failed: ${String(err)}`));
    if (folderSupport) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => filePathOf(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => filePathOf(f.uri)).filter((f): f is string => !!f)];
        recheckAll();
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { threadwise?: unknown } | undefined)?.threadwise;
    if (settings !== undefined) globalSettings = parseSettings(settings);
    // A setting fixed and broken again deserves a second message.
    for (const p of [...shownWarnings]) if (p.startsWith('threadwise.')) shownWarnings.delete(p);
    recheckAll();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const { uri } of changes) {
      const file = filePathOf(uri);
      if (!file) continue;
      log(`${file} changed; re-checking open documents.`);
      for (const p of [...shownWarnings]) if (p.startsWith(`${file}:`)) shownWarnings.delete(p);
    }
    clearProjectConfigCache();
    recheckAll();
  });

  connection.onDidOpenTextDocument(({ textDocument: d }) => {
    store?.open(d.uri, d.languageId, d.version, d.text);
    snapshots.delete(d.uri);
    schedulePush(d.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    store?.change(textDocument.uri, textDocument.version, contentChanges);
    // Under onSave nothing is published until the save; a pull answers from the snapshot.
    resolvedFor(textDocument.uri).then((r) => {
      if (r.settings.run === 'onType') schedulePush(textDocument.uri);
    }, (err) => log(`Settings failed for ${textDocument.uri}: ${String(err)}`));
  });

  connection.onDidSaveTextDocument(({ textDocument: { uri } }) => {
    // Re-read pyproject.toml too, for clients that cannot watch files.
    resolvedCache.delete(uri);
    // Synchronously, so a pull that arrives right after the save already sees the saved text.
    snapshots.delete(uri);
    resolvedFor(uri).then((r) => {
      if (r.settings.run !== 'onSave') return;
      if (!pull) schedulePush(uri);
      else if (refreshSupport) connection.languages.diagnostics.refresh().catch((err) => log(`Diagnostic refresh failed: ${String(err)}`));
    }, (err) => log(`Settings failed for ${uri}: ${String(err)}`));
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    store?.close(textDocument.uri);
    shownWarnings.delete(tooLargeKey(textDocument.uri));
    analysisCache.delete(textDocument.uri);
    settingsCache.delete(textDocument.uri);
    resolvedCache.delete(textDocument.uri);
    snapshots.delete(textDocument.uri);
    clearTimeout(pushTimers.get(textDocument.uri));
    if (!pull) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const { diagnostics, resultId } = await diagnosticsFor(params.textDocument.uri);
    // A pull the client cancelled (a change came in) gets the answer LSP asks for; the analysis
    // is cached by version, so the client's next pull reuses it.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    if (resultId !== undefined && params.previousResultId === resultId) return { kind: 'unchanged', resultId };
    return resultId !== undefined ? { kind: 'full', resultId, items: diagnostics } : { kind: 'full', items: diagnostics };
  });

  connection.onCodeAction(async (params) => {
    const entry = store?.get(params.textDocument.uri);
    if (!entry) return [];
    const findings = await visibleFindings(entry);
    return findings ? codeActions(entry.doc, entry.tree, findings, params) : [];
  });

  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
