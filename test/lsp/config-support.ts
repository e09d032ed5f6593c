import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp-client';

/** Python with one finding each for TW101, TW202, TW203 and TW404. */
export const HAZARDS = [
  'import asyncio',
  'import threading',
  'import time',
  '',
  'LOCK = threading.Lock()',
  '',
  '',
  'async def handler():',
  '    time.sleep(1)',
  '    asyncio.create_task(work())',
  '    try:',
  '        await asyncio.sleep(1)',
  '    except asyncio.CancelledError:',
  '        pass',
  '',
  '',
  'async def work():',
  '    pass',
  '',
  '',
  'def locked():',
  '    with LOCK:',
  '        time.sleep(1)',
  '',
].join('\n');

export interface PullReport {
  kind: 'full' | 'unchanged';
  resultId?: string;
  items: Array<Record<string, any>>;
}

/**
 * A VS Code-like client (pull diagnostics, workspace/configuration, file watching) on a real
 * workspace folder on disk, so pyproject.toml lookups hit the filesystem.
 */
export class ConfigClient {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-lsp-config-'));
  readonly s = new LspSession();
  settings: Record<string, unknown> = {};
  readonly messages: string[] = [];
  readonly logs: string[] = [];
  readonly registrations: Array<{ method: string; registerOptions?: any }> = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();

  async start(): Promise<void> {
    const c = this.s.connection;
    c.onRequest('workspace/configuration', (p: any) => p.items.map(() => this.settings));
    c.onRequest('workspace/diagnostic/refresh', () => null);
    c.onRequest('client/registerCapability', (p: any) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    c.onNotification('window/showMessage', (p: any) => {
      this.messages.push(p.message);
    });
    c.onNotification('window/logMessage', (p: any) => {
      this.logs.push(p.message);
    });
    await c.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.dir).href,
      workspaceFolders: [{ uri: pathToFileURL(this.dir).href, name: 'ws' }],
      capabilities: {
        textDocument: { diagnostic: { dynamicRegistration: false }, synchronization: { didSave: true } },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          diagnostics: { refreshSupport: true },
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
      },
    });
    await c.sendNotification('initialized', {});
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.dir, rel)).href;
  }

  /** Writes a file into the workspace; for pyproject.toml, tells the server as a file watcher would. */
  async write(rel: string, text: string): Promise<void> {
    const file = path.join(this.dir, rel);
    const existed = fs.existsSync(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (rel.endsWith('pyproject.toml')) {
      await this.s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: this.uri(rel), type: existed ? 2 : 1 }] });
    }
  }

  async remove(rel: string): Promise<void> {
    fs.rmSync(path.join(this.dir, rel), { force: true });
    await this.s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: this.uri(rel), type: 3 }] });
  }

  async open(rel: string, text = HAZARDS): Promise<void> {
    fs.mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, rel), text);
    this.versions.set(rel, 1);
    this.texts.set(rel, text);
    await this.s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(rel), languageId: 'python', version: 1, text } });
  }

  /** Replaces the whole text (a full-document change), unsaved. */
  async edit(rel: string, text: string): Promise<void> {
    const version = (this.versions.get(rel) ?? 1) + 1;
    this.versions.set(rel, version);
    this.texts.set(rel, text);
    await this.s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: this.uri(rel), version }, contentChanges: [{ text }] });
  }

  async save(rel: string): Promise<void> {
    fs.writeFileSync(path.join(this.dir, rel), this.texts.get(rel) ?? '');
    await this.s.connection.sendNotification('textDocument/didSave', { textDocument: { uri: this.uri(rel) } });
  }

  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.s.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  async pull(rel: string, previousResultId?: string): Promise<PullReport> {
    return (await this.s.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: this.uri(rel) },
      ...(previousResultId ? { previousResultId } : {}),
    })) as PullReport;
  }

  /** The codes reported for a file, sorted. */
  async codes(rel: string): Promise<string[]> {
    return (await this.pull(rel)).items.map((d) => String(d.code)).sort();
  }

  async severities(rel: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.pull(rel)).items.map((d) => [String(d.code), d.severity as number]));
  }

  async close(): Promise<void> {
    await this.s.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
