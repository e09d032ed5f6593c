import * as os from 'node:os';
import * as path from 'node:path';
import { LspSession } from '../../support/lsp-client';

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  message: string;
  severity: number;
  data?: { fix?: { edits: Array<{ range: Diagnostic['range']; newText: string }> } };
}

/** A VS Code-like session (pull diagnostics) that also keeps the server's log lines. */
export class RobustSession extends LspSession {
  readonly logs: string[] = [];
  private version = new Map<string, number>();

  constructor(env?: NodeJS.ProcessEnv) {
    super(env);
    this.connection.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
  }

  /** `settings`: the `threadwise.*` settings, given as initialization options (the client answers no configuration requests). */
  async initialize(capabilities: Record<string, unknown> = { textDocument: { diagnostic: { dynamicRegistration: false } } }, settings?: Record<string, unknown>): Promise<any> {
    const init = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, ...(settings ? { initializationOptions: { settings } } : {}) });
    await this.connection.sendNotification('initialized', {});
    return init;
  }

  async open(uri: string, text: string): Promise<void> {
    this.version.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  }

  async change(uri: string, contentChanges: unknown[]): Promise<number> {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges });
    return v;
  }

  /** Waits (bounded, so a missing line fails the test) for a log line the server sends on its own. */
  async waitForLog(accept: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(accept);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching log line; got ${JSON.stringify(this.logs.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const report = (await this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] };
    return report.items;
  }
}

/** A file URI under the temp dir that never exists: the server must work from the client's text. */
export function virtualUri(name: string): string {
  return `file://${path.join(os.tmpdir(), 'threadwise-robust-virtual', name).split(path.sep).join('/')}`;
}
