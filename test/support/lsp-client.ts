import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

/** A language-server process over stdio, driven the way an editor would drive it. */
export class LspSession {
  readonly connection: MessageConnection;
  private readonly proc: ChildProcessWithoutNullStreams;
  readonly published: Array<{ uri: string; version?: number; diagnostics: Array<Record<string, any>> }> = [];
  private waiters: Array<() => void> = [];
  stderr = '';
  /** The server's exit code (null when killed by a signal), once it has exited. */
  readonly exited: Promise<number | null>;

  /** `env` is added to this process's environment for the server (test hooks read it). */
  constructor(env?: NodeJS.ProcessEnv) {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...env } });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    // Writes to a server that has exited must not crash the test run.
    this.proc.stdin.on('error', () => undefined);
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: any) => {
      this.published.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `accept`. */
  async nextPublish(uri: string, accept: (p: LspSession['published'][number]) => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...this.published].reverse().find((p) => p.uri === uri && accept(p));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching publishDiagnostics for ${uri}; got ${JSON.stringify(this.published.slice(-3))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Bytes straight onto the server's stdin, bypassing the protocol's framing. */
  writeRaw(data: string | Buffer): void {
    this.proc.stdin.write(data);
  }

  /** The exit code, or a failure if the server is still running after `timeoutMs`. */
  async exitCode(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the server did not exit within ${timeoutMs} ms`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // the process may already be gone
    }
    await new Promise((r) => setTimeout(r, 100));
    this.connection.dispose();
    this.proc.kill();
  }
}

/** A text with its LSP-style position computation, for building incremental edits by hand. */
export function positionOf(text: string, needle: string, occurrence = 0): { line: number; character: number } {
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) idx = text.indexOf(needle, idx + 1);
  if (idx < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, idx);
  const line = before.split('\n').length - 1;
  return { line, character: idx - (before.lastIndexOf('\n') + 1) };
}
