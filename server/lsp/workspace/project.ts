import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver/node';
import { analyzeTree, withTree } from '../../analyzer/analyze';
import { decodeSource } from '../../cli/files';
import { Layout } from '../../index/layout';
import { ProjectIndex } from '../../index/project-index';
import { effectiveOptions, loadProjectConfig, type EffectiveOptions } from '../../project';
import { filterByBaseline } from '../baseline';
import { toDiagnostic } from '../diagnostics';
import type { OpenDocument } from '../documents';
import type { Session } from '../session';
import type { ThreadwiseSettings } from '../settings';
import { DependentChecks } from './dependents';
import { MAX_INDEXED_BYTES } from './discover';

/** The findings of a file that is not open, as last checked from disk (workspace mode). */
export interface DiskReport {
  readonly uri: string;
  readonly resultId: string;
  readonly diagnostics: Diagnostic[];
}

/** How a file on disk is checked: the settings of its workspace folder and its pyproject.toml. */
interface DiskOptions {
  readonly settings: ThreadwiseSettings;
  readonly options: EffectiveOptions;
}

export const uriOf = (file: string): string => pathToFileURL(file).toString();

/**
 * The session's view of the whole project: one index per workspace folder, the findings of files
 * that are not open (for `diagnosticMode: workspace`), and the dependents to check again when a
 * module changes what other modules see of it.
 */
export class WorkspaceProject {
  private readonly indexes = new Map<string, ProjectIndex>();
  private readonly reports = new Map<string, DiskReport>();
  /** Files whose findings were published to the client although they are not open. */
  private readonly published = new Set<string>();
  /**
   * Files whose report went away (deleted, excluded, the mode switched) and that a client pulling
   * workspace diagnostics must be told about once with an empty list: it keeps what a report it
   * no longer gets said.
   */
  private readonly cleared = new Set<string>();
  private resultCounter = 0;
  /** True while the start-up indexing runs: open files are checked again once at its end instead. */
  indexing = false;
  readonly dependents: DependentChecks;

  constructor(private readonly session: Session) {
    this.dependents = new DependentChecks(
      (file) => this.checkDependent(file),
      () => {
        if (session.caps.pull) session.refreshDiagnostics();
      },
    );
  }

  /**
   * The index of the project holding `file`: as for `threadwise check`, the folder of the nearest
   * pyproject.toml with a `[tool.threadwise]` table (with its `src`), else the workspace folder.
   * Files outside every workspace folder have none and are checked alone.
   */
  indexFor(file: string): ProjectIndex | undefined {
    const folder = this.session.folderOf(file);
    if (!folder) return undefined;
    const config = loadProjectConfig(file).config;
    const inside = config !== undefined && !path.relative(folder, config.root).startsWith('..');
    const root = inside ? config.root : folder;
    let index = this.indexes.get(root);
    if (!index) {
      index = new ProjectIndex(new Layout({ root, src: inside ? config.src : undefined }));
      this.indexes.set(root, index);
    }
    return index;
  }

  projectFor(file: string | undefined): { index: ProjectIndex; file: string } | undefined {
    const index = file ? this.indexFor(file) : undefined;
    return index && file ? { index, file } : undefined;
  }

  /** The folders were changed: indexes of projects outside every open folder go. */
  dropIndexesOutside(folders: readonly string[]): void {
    for (const root of [...this.indexes.keys()]) {
      if (!folders.some((f) => !path.relative(f, root).startsWith('..'))) this.indexes.delete(root);
    }
  }

  /** An analysis in `file` changed what other modules see: the files importing it are checked again. */
  summaryChanged(file: string): void {
    if (this.indexing) return;
    const index = this.indexFor(file);
    if (!index) return;
    const again: string[] = [];
    for (const dep of index.dependentsOf(file)) {
      const open = this.session.openEntryOf(dep);
      // Dropped at once, so a pull arriving before the re-check does not get the old findings.
      if (open) this.session.invalidate(open.uri);
      if (open || this.reports.has(dep)) again.push(dep);
    }
    if (again.length > 0) this.dependents.add(again);
  }

  private async checkDependent(file: string): Promise<void> {
    const open = this.session.openEntryOf(file);
    if (open) {
      // A pull client is asked to pull again once the run ends; a push client gets the list now.
      if (!this.session.caps.pull) await this.session.publish(open.uri);
      return;
    }
    await this.checkDisk(file);
  }

  /** Settings of the file's workspace folder with its pyproject.toml; undefined when it is not to be checked. */
  private async diskOptions(file: string): Promise<DiskOptions | undefined> {
    const folder = this.session.folderOf(file);
    if (!folder) return undefined;
    const settings = await this.session.settingsFor(uriOf(folder));
    if (!settings.enable) return undefined;
    const loaded = settings.configurationPreference !== 'editorOnly' ? loadProjectConfig(file) : undefined;
    const options = effectiveOptions(file, { ...settings.editor, root: folder }, loaded?.config, settings.configurationPreference);
    return options.excluded ? undefined : { settings, options };
  }

  /** Whether the folder holding `file` shows the findings of files that are not open. */
  async workspaceMode(file: string): Promise<boolean> {
    const folder = this.session.folderOf(file);
    return !!folder && (await this.session.settingsFor(uriOf(folder))).diagnosticMode === 'workspace';
  }

  /**
   * Reads a file that is not open and puts its summary into the index (and, in workspace mode,
   * its findings into a report). True when other modules' findings may have changed. A file that
   * cannot be read or decoded keeps its last summary; one deleted, excluded or grown too large
   * leaves the index.
   */
  async checkDisk(file: string, publish = true): Promise<boolean> {
    const index = this.indexFor(file);
    if (!index || this.session.openEntryOf(file)) return false;
    const disk = await this.diskOptions(file);
    let text: string | undefined;
    try {
      const stat = fs.statSync(file);
      if (disk && stat.isFile() && stat.size <= MAX_INDEXED_BYTES) {
        const decoded = decodeSource(fs.readFileSync(file));
        if ('problem' in decoded) return false;
        text = decoded.text;
      }
    } catch {
      text = undefined;
    }
    // The document may have been opened while the settings were read: the editor's text wins.
    if (this.session.openEntryOf(file)) return false;
    if (text === undefined || !disk) {
      this.forgetReport(file);
      return index.delete(file);
    }
    const source = text;
    const wanted = publish && disk.settings.diagnosticMode === 'workspace';
    const { result, diagnostics } = await withTree(source, (tree) => {
      // Indexing only (its findings are not shown): the summary is all that is needed.
      const r = analyzeTree(source, tree, disk.options.config, { project: { index, file, summaryOnly: !wanted } });
      if (!wanted) return { result: r, diagnostics: [] };
      const findings = disk.options.baseline === undefined ? r.findings : filterByBaseline(disk.options.baseline, file, source, tree, r.findings).findings;
      const doc = TextDocument.create(uriOf(file), 'python', 0, source);
      return { result: r, diagnostics: findings.map((f) => toDiagnostic(doc, f)) };
    });
    for (const e of result.ruleErrors) this.session.log(`Rule error in ${file}: ${e}`);
    if (wanted) this.report(file, diagnostics);
    else this.forgetReport(file);
    return !!result.summaryChanged;
  }

  /** The document was opened: its findings now come from the editor's text. */
  opened(file: string): void {
    this.dependents.drop(file);
    const report = this.reports.get(file);
    if (!report) return;
    this.reports.delete(file);
    // A pull client would show the pushed list beside the pulled one.
    if (this.published.delete(file)) void this.session.connection.sendDiagnostics({ uri: report.uri, diagnostics: [] });
  }

  /** The document was closed: the index goes back to the text on disk, and dependents follow. */
  async closed(file: string): Promise<void> {
    if (!this.indexFor(file)) return;
    if (await this.checkDisk(file)) this.summaryChanged(file);
  }

  private report(file: string, diagnostics: Diagnostic[]): void {
    const uri = uriOf(file);
    const old = this.reports.get(file);
    const same = old !== undefined && JSON.stringify(old.diagnostics) === JSON.stringify(diagnostics);
    const report = same ? old : { uri, resultId: `w${++this.resultCounter}`, diagnostics };
    this.reports.set(file, report);
    this.cleared.delete(uri);
    if (!same || !this.published.has(file)) this.publish(file, report);
  }

  /** Push clients, and pull clients that do not pull workspace diagnostics, get the list sent. */
  private publish(file: string, report: DiskReport): void {
    if (this.session.caps.pull && this.session.caps.workspacePull) return;
    this.published.add(file);
    void this.session.connection.sendDiagnostics({ uri: report.uri, diagnostics: report.diagnostics });
  }

  forgetReport(file: string): void {
    const report = this.reports.get(file);
    this.reports.delete(file);
    if (report && this.published.delete(file)) void this.session.connection.sendDiagnostics({ uri: report.uri, diagnostics: [] });
    else if (report && this.session.caps.pull && this.session.caps.workspacePull) this.cleared.add(report.uri);
  }

  /** The reports gone since the last workspace pull, each handed out once. */
  takeCleared(): string[] {
    const uris = [...this.cleared];
    this.cleared.clear();
    return uris;
  }

  /** The reports of files not open, for `workspace/diagnostic`. */
  diskReports(): IterableIterator<DiskReport> {
    return this.reports.values();
  }

  /** Every indexed file that is not open. */
  indexedFiles(): string[] {
    return [...this.indexes.values()].flatMap((i) => i.files()).filter((f) => !this.session.openEntryOf(f));
  }

  /** Markdown for the hover at `offset` in an open document, from its current analysis. */
  async hover(entry: OpenDocument, file: string, offset: number): Promise<string | undefined> {
    const index = this.indexFor(file);
    if (!index) return undefined;
    // Summaries must be those of the texts as they are: open files edited since their last check
    // (a push client's pending check, a pull not yet made) are checked now, the hovered one last.
    for (const other of [...(this.session.store?.all() ?? [])]) {
      if (other !== entry) await this.session.analysisFor(other);
    }
    await this.session.analysisFor(entry);
    await this.session.deferred.flush();
    return index.hover(file, offset);
  }
}
