import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { analyzeTree, type AnalysisResult } from '../analyzer/analyze';
import type { Finding } from '../analyzer/rules/rule';
import { effectiveOptions, formatProblem, loadProjectConfig, type EffectiveOptions } from '../project';
import { MAX_LISTED, MAX_MESSAGE, truncate } from '../text/bounded';
import { fullCollection, MemoryKeeper } from './memory-keeper';
import { filterByBaseline } from './baseline';
import { clampToDocument } from './diagnostics';
import type { DocumentStore, OpenDocument } from './documents';
import { PushScheduler } from './push-scheduler';
import { DeferredAnalysis, type PendingAnalysis } from './deferred-analysis';
import { moveFindings } from '../analyzer/moved-findings';
import { WorkspaceProject } from './workspace/project';
import { DEFAULT_SETTINGS, parseSettings, type ThreadwiseSettings } from './settings';

/** Files this large are declined with a log line instead of stalling the editor. */
export const MAX_CHARS = 5_000_000;
/** Configuration problems are keyed by their text; this key cannot be one of them. */
export const tooLargeKey = (uri: string): string => `too-large ${uri}`;

interface Cached {
  /** The document's revision, not the client's version: a client may repeat a version or send null. */
  revision: number;
  key: string;
  result: AnalysisResult;
}

/** Everything that decides how one document is checked: its settings merged with its pyproject.toml. */
export interface Resolved {
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

/** What the client said it can do, read once from `initialize`. */
export interface ClientCapabilities {
  /** Diagnostics are pulled (`textDocument/diagnostic`) rather than pushed. */
  readonly pull: boolean;
  readonly refreshSupport: boolean;
  readonly configurationSupport: boolean;
  readonly watchSupport: boolean;
  readonly folderSupport: boolean;
  /**
   * The client can pull workspace diagnostics (`workspace/diagnostic`). LSP has no capability of
   * its own for that; a client that declares the workspace diagnostics capabilities (VS Code does,
   * for the refresh) is taken to pull them once the server offers them.
   */
  readonly workspacePull: boolean;
}

const NO_CAPABILITIES: ClientCapabilities = { pull: false, refreshSupport: false, configurationSupport: false, watchSupport: false, folderSupport: false, workspacePull: false };

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * One language-server session: the open documents, what the client can do, the settings and the
 * caches built from them. Each LSP method is a small module under `methods/` that works on it.
 */
export class Session {
  store: DocumentStore | undefined;
  caps: ClientCapabilities = NO_CAPABILITIES;
  globalSettings: ThreadwiseSettings = DEFAULT_SETTINGS;
  folders: string[] = [];
  private resultCounter = 0;
  readonly settingsCache = new Map<string, Promise<ThreadwiseSettings>>();
  readonly resolvedCache = new Map<string, Promise<Resolved>>();
  readonly analysisCache = new Map<string, Cached>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly pushes = new PushScheduler((uri) => this.publish(uri));
  /** Warnings already shown, by key: each pops up once until its cause changes. */
  readonly shownWarnings = new Set<string>();
  /** Baseline file names already watched (`**\/name`), so each is registered once. */
  private readonly watchedBaselines = new Set<string>();
  /** The project index of each workspace folder and what follows from it. */
  readonly project = new WorkspaceProject(this);
  /**
   * Each open document's cross-module findings as of its last analysis, before suppressions. An
   * edit's analysis carries them (moved along with the edit) while its project part waits in
   * `deferred`; a document without an entry gets a full analysis.
   */
  private readonly crossModule = new Map<string, readonly Finding[]>();
  readonly deferred = new DeferredAnalysis((part) => this.finishAnalysis(part));
  /** Collects garbage when work has left much of it and the server goes quiet. */
  readonly memory = new MemoryKeeper({ collect: fullCollection() });

  constructor(
    readonly connection: Connection,
    readonly lifecycle: { shutdownRequested: boolean },
  ) {}

  log(message: string): void {
    this.connection.console.log(message);
  }

  /** LSP: after `shutdown`, every request but `exit` (a notification) is answered with InvalidRequest. */
  refuseAfterShutdown(): void {
    if (this.lifecycle.shutdownRequested) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
  }

  warnOnce(key: string, logged: string, shown: string): void {
    if (this.shownWarnings.has(key)) return;
    this.shownWarnings.add(key);
    this.connection.console.warn(logged);
    // A notification, not window.showWarningMessage(): that is a request, and a client that
    // cannot answer it would leave a rejected promise behind. The pop-up quotes settings or
    // paths the workspace chose, so its length is bounded whatever they hold.
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: truncate(shown) });
  }

  /** Forgets shown warnings whose key starts with `prefix`, so a cause fixed and broken again is shown again. */
  forgetWarnings(prefix: string): void {
    for (const p of [...this.shownWarnings]) if (p.startsWith(prefix)) this.shownWarnings.delete(p);
  }

  /** Each distinct configuration problem pops up once and goes to the log; checking goes on. */
  reportProblems(problems: readonly string[]): void {
    const fresh = problems.filter((p) => !this.shownWarnings.has(p));
    // A file or setting with thousands of mistakes pops up a few of them, and counts the rest.
    for (const p of fresh.slice(0, MAX_LISTED)) this.warnOnce(p, `Configuration problem: ${truncate(p, 4 * MAX_MESSAGE)}`, `Threadwise: ${p}`);
    const rest = fresh.slice(MAX_LISTED);
    for (const p of rest) {
      this.shownWarnings.add(p);
      this.connection.console.warn(`Configuration problem: ${truncate(p, 4 * MAX_MESSAGE)}`);
    }
    if (rest.length > 0) {
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `Threadwise: ${rest.length} more configuration problems; the Threadwise output lists them.`,
      });
    }
  }

  settingsFor(uri: string): Promise<ThreadwiseSettings> {
    if (!this.caps.configurationSupport) return Promise.resolve(this.globalSettings);
    let pending = this.settingsCache.get(uri);
    if (!pending) {
      pending = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'threadwise' })
        .then(parseSettings, () => DEFAULT_SETTINGS);
      this.settingsCache.set(uri, pending);
    }
    return pending;
  }

  /** The workspace folder holding the file: what `threadwise.exclude` patterns are relative to. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      const rel = path.relative(f, file);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  resolvedFor(uri: string): Promise<Resolved> {
    let pending = this.resolvedCache.get(uri);
    if (!pending) {
      pending = this.settingsFor(uri).then((settings) => {
        this.reportProblems(settings.problems);
        const file = filePathOf(uri);
        // Switched off, or told to ignore pyproject.toml: nothing to read and nothing to complain about.
        const loaded = file && settings.enable && settings.configurationPreference !== 'editorOnly' ? loadProjectConfig(file) : undefined;
        if (loaded) this.reportProblems(loaded.problems.map(formatProblem));
        const root = file ? this.folderOf(file) : undefined;
        // Untitled and other non-file documents have no path: only the editor's options apply.
        const options = effectiveOptions(file ?? '', { ...settings.editor, root }, loaded?.config, settings.configurationPreference);
        if (options.baseline !== undefined) this.watchBaseline(options.baseline);
        return { settings, options, key: JSON.stringify([settings.enable, options.excluded, options.config, options.baseline]) };
      });
      this.resolvedCache.set(uri, pending);
    }
    return pending;
  }

  /**
   * The document's analysis, cached per revision. After an edit of the document it is the quick
   * one unless `full`: rules over the edited function, the project part deferred (see
   * DeferredAnalysis); `full` does everything now.
   */
  async analysisFor(entry: OpenDocument, full = false): Promise<AnalysisResult | undefined> {
    const { settings, options, key } = await this.resolvedFor(entry.uri);
    if (!settings.enable || options.excluded) return undefined;
    const text = entry.doc.getText();
    // The store never parsed it (see DocumentStore's maxChars); only the text's length is read.
    if (entry.tooLarge) {
      const message = `Threadwise skipped ${entry.uri}: ${text.length} characters is over the ${MAX_CHARS} limit.`;
      // The log alone is invisible: say it once per open document, or the file looks clean.
      this.warnOnce(tooLargeKey(entry.uri), message, message);
      return undefined;
    }
    const cached = this.analysisCache.get(entry.uri);
    if (cached && cached.revision === entry.revision && cached.key === key) return cached.result;
    const file = filePathOf(entry.uri);
    const project = this.project.projectFor(file);
    const edits = entry.takeEdits();
    const last = this.crossModule.get(entry.uri);
    // Only an edit of this document defers: after an open, a change elsewhere or a text replaced
    // whole, the cross-module findings are computed now.
    const quick = !full && settings.editCheck === 'quick' && edits !== undefined && edits.length > 0;
    const context = project && last && edits && !full ? { ...project, deferred: { carried: moveFindings(last, edits) } } : project;
    const result = analyzeTree(text, entry.tree, options.config, { incremental: entry.incremental, project: context, partialRules: quick });
    // Typing may go on after the pause that let a full analysis run: that is not bulk work either.
    this.memory.worked(!full && (edits === undefined || edits.length === 0));
    for (const e of result.ruleErrors) this.log(`Rule error in ${entry.uri}: ${e}`);
    this.analysisCache.set(entry.uri, { revision: entry.revision, key, result });
    if (project) this.crossModule.set(entry.uri, result.crossModule ?? []);
    if (result.completeProject || result.partial) this.deferred.add({ uri: entry.uri, revision: entry.revision, result });
    // The files importing it are checked again, after this file's diagnostics have gone out:
    // finding them walks the whole index, which the edited file's latency must not include.
    if (result.summaryChanged && file) setImmediate(() => this.project.summaryChanged(file));
    if (result.factsChanged) setImmediate(() => this.checkAgain(entry.uri));
    return result;
  }

  /** The facts other modules give this document's own rules changed: its findings are computed afresh. */
  private checkAgain(uri: string): void {
    if (!this.store?.get(uri)) return;
    this.invalidate(uri);
    if (this.caps.pull) this.refreshDiagnostics();
    else this.schedulePush(uri);
  }

  /** The rest of an edited document's analysis, once edits paused; re-shows its findings if they changed. */
  private finishAnalysis(pending: PendingAnalysis): void | Promise<void> {
    const { uri, revision, result } = pending;
    const entry = this.store?.get(uri);
    const cached = this.analysisCache.get(uri);
    // A later analysis has reused this one's copy and model: its own rest is pending instead.
    if (!entry || entry.revision !== revision || cached?.result !== result) return;
    if (result.partial) return this.analyzeFully(entry, result);
    if (!result.completeProject) return;
    const full = result.completeProject();
    for (const e of full.ruleErrors.slice(result.ruleErrors.length)) this.log(`Rule error in ${uri}: ${e}`);
    this.analysisCache.set(uri, { ...cached, result: full });
    this.crossModule.set(uri, full.crossModule ?? []);
    const file = filePathOf(uri);
    if (full.summaryChanged && file) this.project.summaryChanged(file);
    if (full.factsChanged) return this.checkAgain(uri);
    if (JSON.stringify(result.crossModule ?? []) === JSON.stringify(full.crossModule ?? [])) return;
    this.showAgain(uri, revision);
  }

  /** After a quick analysis that ran the rules over one function: the whole module, now. */
  private async analyzeFully(entry: OpenDocument, quick: AnalysisResult): Promise<void> {
    const { uri, revision } = entry;
    this.analysisCache.delete(uri);
    try {
      const full = await this.analysisFor(entry, true);
      if (!full || this.store?.get(uri) !== entry || entry.revision !== revision) return;
      if (JSON.stringify(full.findings) !== JSON.stringify(quick.findings)) this.showAgain(uri, revision);
    } catch (err) {
      this.log(`Analysis failed for ${uri}: ${String(err)}`);
    }
  }

  /** The findings of this revision changed after they were shown: the client gets them again. */
  private showAgain(uri: string, revision: number): void {
    const snap = this.snapshots.get(uri);
    if (snap?.revision === revision) this.snapshots.delete(uri);
    if (this.caps.pull) this.refreshDiagnostics();
    else void this.publish(uri);
  }

  /** Another module changed what this document's cross-module findings depend on: checked afresh. */
  invalidate(uri: string): void {
    this.analysisCache.delete(uri);
    this.crossModule.delete(uri);
  }

  /**
   * A changed baseline re-checks open documents as a changed pyproject.toml does. Watched by name
   * anywhere in the workspace, a glob every client understands; the cache re-reads only the one
   * that changed.
   */
  private watchBaseline(file: string): void {
    const name = path.basename(file);
    if (!this.caps.watchSupport || this.watchedBaselines.has(name)) return;
    this.watchedBaselines.add(name);
    this.watch(`**/${name}`, name);
  }

  /** Registers a file watcher with the client; a client that answers with an error must not take the server down. */
  watch(globPattern: string, what: string): void {
    this.connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern }] })
      .catch((err) => this.log(`Watching ${what} failed: ${String(err)}`));
  }

  /** The findings to show: the analysis minus what the project's baseline records. */
  async visibleFindings(entry: OpenDocument): Promise<readonly Finding[] | undefined> {
    const { options } = await this.resolvedFor(entry.uri);
    const result = await this.analysisFor(entry);
    if (!result) return undefined;
    const file = filePathOf(entry.uri);
    if (options.baseline === undefined || !file) return result.findings;
    // No await since analysisFor: its result, the text and the tree belong to the same version.
    const filtered = filterByBaseline(options.baseline, file, entry.doc.getText(), entry.tree, result.findings);
    if (filtered.problem) this.reportProblems([formatProblem({ file: options.baseline, message: filtered.problem })]);
    if (filtered.stale) {
      const { name, count } = filtered.stale;
      const key = `${options.baseline}: stale ${name} ${count}`;
      if (!this.shownWarnings.has(key)) {
        this.shownWarnings.add(key);
        // Only logged: a pop-up each time a recorded hazard gets fixed would punish fixing it.
        this.connection.console.warn(`Baseline ${options.baseline}: ${count} ${count === 1 ? 'entry' : 'entries'} for ${name} ${count === 1 ? 'matches' : 'match'} no finding any more; run \`threadwise check --write-baseline\` to drop ${count === 1 ? 'it' : 'them'}.`);
      }
    }
    return filtered.findings;
  }

  /** Diagnostics for the document as it is once settings are known, with the version they match. */
  private async currentDiagnostics(entry: OpenDocument): Promise<{ version: number; revision: number; diagnostics: Diagnostic[]; resultId?: string }> {
    const findings = await this.visibleFindings(entry);
    // visibleFindings reads the document after its last await, so text, tree and version agree.
    const doc = entry.doc;
    if (!findings) return { version: doc.version, revision: entry.revision, diagnostics: [] };
    // Unchanged findings keep their converted diagnostics; the id changes only when the list does.
    const { diagnostics, resultId } = entry.converted.convert(doc, findings);
    return { version: doc.version, revision: entry.revision, diagnostics, resultId };
  }

  async diagnosticsFor(uri: string): Promise<{ version: number | undefined; diagnostics: Diagnostic[]; resultId?: string }> {
    const entry = this.store?.get(uri);
    if (!entry) return { version: undefined, diagnostics: [] };
    const { settings, key } = await this.resolvedFor(uri);
    if (settings.run !== 'onSave') return this.currentDiagnostics(entry);
    // onSave: the findings stay those of the last check until the next save (or a config change).
    let snap = this.snapshots.get(uri);
    if (!snap || snap.key !== key) {
      const { version, revision, diagnostics } = await this.currentDiagnostics(entry);
      snap = { key, resultId: `${++this.resultCounter}`, version, revision, diagnostics };
      this.snapshots.set(uri, snap);
    }
    if (snap.revision === entry.revision) return snap;
    // Edited since the save: the saved text's findings stay, but only where the current text still
    // has room for them; a range past its end would be invalid for the client.
    const diagnostics = clampToDocument(entry.doc, snap.diagnostics);
    const same = diagnostics.length === snap.diagnostics.length && diagnostics.every((d, i) => d === snap.diagnostics[i]);
    // Unchanged, the client may keep what it has; cut, it needs the new list under a new id.
    return same ? snap : { version: entry.doc.version, diagnostics, resultId: `${snap.resultId}.${entry.revision}` };
  }

  async publish(uri: string): Promise<void> {
    if (!this.store?.get(uri)) return;
    try {
      const { version, diagnostics } = await this.diagnosticsFor(uri);
      if (this.store?.get(uri)) await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      this.log(`Diagnostics failed for ${uri}: ${String(err)}`);
    }
  }

  schedulePush(uri: string): void {
    if (!this.caps.pull) this.pushes.schedule(uri);
  }

  /** Asks a pull client to pull again; a client that answers with an error must not take the server down. */
  refreshDiagnostics(): void {
    if (this.caps.refreshSupport) this.connection.languages.diagnostics.refresh().catch((err) => this.log(`Diagnostic refresh failed: ${String(err)}`));
  }

  /** Settings or configuration files changed: everything is resolved again and every open document re-checked. */
  recheckAll(): void {
    this.settingsCache.clear();
    this.resolvedCache.clear();
    if (this.caps.pull) this.refreshDiagnostics();
    else if (this.store) for (const d of this.store.all()) this.schedulePush(d.uri);
  }

  /** The open document of a file on disk, if it is open. */
  openEntryOf(file: string): OpenDocument | undefined {
    if (!this.store) return undefined;
    for (const entry of this.store.all()) if (filePathOf(entry.uri) === file) return entry;
    return undefined;
  }

  /** What other files say changed (the index was built or rebuilt): every open document is checked again. */
  recheckOpen(): void {
    this.analysisCache.clear();
    this.crossModule.clear();
    if (this.caps.pull) this.refreshDiagnostics();
    else if (this.store) for (const d of this.store.all()) this.schedulePush(d.uri);
  }

  /** Everything the session holds for a document that closed. */
  forget(uri: string): void {
    this.shownWarnings.delete(tooLargeKey(uri));
    this.analysisCache.delete(uri);
    this.crossModule.delete(uri);
    this.deferred.cancel(uri);
    this.settingsCache.delete(uri);
    this.resolvedCache.delete(uri);
    this.snapshots.delete(uri);
    this.pushes.cancel(uri);
  }
}
