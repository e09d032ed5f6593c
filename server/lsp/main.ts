import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
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
import { loadPython, parserFor } from '../analyzer/parser';
import { clearProjectConfigCache, effectiveOptions, formatProblem, loadProjectConfig, PYPROJECT, type EffectiveOptions } from '../project';
import type { Finding } from '../analyzer/rules/rule';
import { filterByBaseline } from './baseline';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { clampToDocument } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { MAX_LISTED, MAX_MESSAGE, truncate } from '../text/bounded';
import { withTestFaults } from './parser-faults';
import { PushScheduler } from './push-scheduler';
import { DEFAULT_SETTINGS, parseSettings, type ThreadwiseSettings } from './settings';
import { createServerConnection } from './transport';

/** Files this large are declined with a log line instead of stalling the editor. */
const MAX_CHARS = 5_000_000;
/** Configuration problems are keyed by their text; this key cannot be one of them. */
const tooLargeKey = (uri: string): string => `too-large ${uri}`;

interface Cached {
  /** The document's revision, not the client's version: a client may repeat a version or send null. */
  revision: number;
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
  /** The revision the diagnostics were computed for: later edits may have moved or cut their ranges. */
  readonly revision: number;
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
export function startServer(connection: Connection, lifecycle: { shutdownRequested: boolean } = { shutdownRequested: false }): void {
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
  const pushes = new PushScheduler(publish);
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
    // cannot answer it would leave a rejected promise behind. The pop-up quotes settings or
    // paths the workspace chose, so its length is bounded whatever they hold.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: truncate(shown) });
  }

  /** Each distinct configuration problem pops up once and goes to the log; checking goes on. */
  function reportProblems(problems: readonly string[]): void {
    const fresh = problems.filter((p) => !shownWarnings.has(p));
    // A file or setting with thousands of mistakes pops up a few of them, and counts the rest.
    for (const p of fresh.slice(0, MAX_LISTED)) warnOnce(p, `Configuration problem: ${truncate(p, 4 * MAX_MESSAGE)}`, `Threadwise: ${p}`);
    const rest = fresh.slice(MAX_LISTED);
    for (const p of rest) {
      shownWarnings.add(p);
      connection.console.warn(`Configuration problem: ${truncate(p, 4 * MAX_MESSAGE)}`);
    }
    if (rest.length > 0) {
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `Threadwise: ${rest.length} more configuration problems; the Threadwise output lists them.`,
      });
    }
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
    // The store never parsed it (see DocumentStore's maxChars); only the text's length is read.
    if (entry.tooLarge) {
      const message = `Threadwise skipped ${entry.uri}: ${text.length} characters is over the ${MAX_CHARS} limit.`;
      // The log alone is invisible: say it once per open document, or the file looks clean.
      warnOnce(tooLargeKey(entry.uri), message, message);
      return undefined;
    }
    const cached = analysisCache.get(entry.uri);
    if (cached && cached.revision === entry.revision && cached.key === key) return cached.result;
    const result = analyzeTree(text, entry.tree, options.config, entry.incremental);
    for (const e of result.ruleErrors) log(`Rule error in ${entry.uri}: ${e}`);
    analysisCache.set(entry.uri, { revision: entry.revision, key, result });
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
  async function currentDiagnostics(entry: OpenDocument): Promise<{ version: number; revision: number; diagnostics: Diagnostic[]; resultId?: string }> {
    const findings = await visibleFindings(entry);
    // visibleFindings reads the document after its last await, so text, tree and version agree.
    const doc = entry.doc;
    if (!findings) return { version: doc.version, revision: entry.revision, diagnostics: [] };
    // Unchanged findings keep their converted diagnostics; the id changes only when the list does.
    const { diagnostics, resultId } = entry.converted.convert(doc, findings);
    return { version: doc.version, revision: entry.revision, diagnostics, resultId };
  }

  async function diagnosticsFor(uri: string): Promise<{ version: number | undefined; diagnostics: Diagnostic[]; resultId?: string }> {
    const entry = store?.get(uri);
    if (!entry) return { version: undefined, diagnostics: [] };
    const { settings, key } = await resolvedFor(uri);
    if (settings.run !== 'onSave') return currentDiagnostics(entry);
    // onSave: the findings stay those of the last check until the next save (or a config change).
    let snap = snapshots.get(uri);
    if (!snap || snap.key !== key) {
      const { version, revision, diagnostics } = await currentDiagnostics(entry);
      snap = { key, resultId: `${++resultCounter}`, version, revision, diagnostics };
      snapshots.set(uri, snap);
    }
    if (snap.revision === entry.revision) return snap;
    // Edited since the save: the saved text's findings stay, but only where the current text still
    // has room for them; a range past its end would be invalid for the client.
    const diagnostics = clampToDocument(entry.doc, snap.diagnostics);
    const same = diagnostics.length === snap.diagnostics.length && diagnostics.every((d, i) => d === snap.diagnostics[i]);
    // Unchanged, the client may keep what it has; cut, it needs the new list under a new id.
    return same ? snap : { version: entry.doc.version, diagnostics, resultId: `${snap.resultId}.${entry.revision}` };
  }

  async function publish(uri: string): Promise<void> {
    if (!store?.get(uri)) return;
    try {
      const { version, diagnostics } = await diagnosticsFor(uri);
      if (store?.get(uri)) await connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      log(`Diagnostics failed for ${uri}: ${String(err)}`);
    }
  }

  function schedulePush(uri: string): void {
    if (!pull) pushes.schedule(uri);
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

  /** LSP: after `shutdown`, every request but `exit` (a notification) is answered with InvalidRequest. */
  function refuseAfterShutdown(): void {
    if (lifecycle.shutdownRequested) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
  }

  connection.onShutdown(() => {
    refuseAfterShutdown();
    lifecycle.shutdownRequested = true;
  });

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    refuseAfterShutdown();
    // A second initialize would start over with an empty store, dropping every open document.
    if (store) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is already initialized');
    const language = await loadPython();
    if (store) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is already initialized');
    store = new DocumentStore(withTestFaults(parserFor(language)), {
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
    pushes.cancel(textDocument.uri);
    if (!pull) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    refuseAfterShutdown();
    const { diagnostics, resultId } = await diagnosticsFor(params.textDocument.uri);
    // A pull the client cancelled (a change came in) gets the answer LSP asks for; the analysis
    // is cached by version, so the client's next pull reuses it.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    if (resultId !== undefined && params.previousResultId === resultId) return { kind: 'unchanged', resultId };
    return resultId !== undefined ? { kind: 'full', resultId, items: diagnostics } : { kind: 'full', items: diagnostics };
  });

  connection.onCodeAction(async (params) => {
    refuseAfterShutdown();
    const entry = store?.get(params.textDocument.uri);
    if (!entry) return [];
    const findings = await visibleFindings(entry);
    return findings ? codeActions(entry.doc, entry.tree, findings, params) : [];
  });

  connection.listen();
}

const lifecycle = { shutdownRequested: false };
startServer(createServerConnection(process.argv.slice(2), () => lifecycle.shutdownRequested), lifecycle);
