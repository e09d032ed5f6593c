// A Neovim-like language client over stdio: incremental sync, publishDiagnostics with version
// support, workspace/configuration answered with null (no Threadwise settings), and no pull
// diagnostics capability, so the server pushes after every change.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { trackChild } from './util.mjs';

export class PushClient {
  /** `root`: a folder to open as the workspace (the server indexes it); by default none that exists. */
  /** `profileDir`: the server runs under V8's profiler and writes its profile there when it exits. */
  constructor(repoRoot, { root, profileDir } = {}) {
    this.rootUri = root ? pathToFileURL(root).toString() : 'file:///bench';
    this.progress = new Map(); // token -> { begun, ended, title, at }
    const require = createRequire(path.join(repoRoot, 'package.json'));
    const rpc = require('vscode-jsonrpc/node');
    const profile = profileDir ?? process.env.THREADWISE_BENCH_SERVER_PROF;
    // A profiled server writes its profile as it exits, which can take a few seconds.
    this.exitWait = profile ? 30_000 : 1_000;
    this.proc = trackChild(spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' }));
    this.pid = this.proc.pid;
    this.stderr = '';
    this.exited = false;
    this.proc.stderr.on('data', (d) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.proc.on('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.waiters.values()) w.reject(new Error(`server exited (${code ?? signal}); stderr: ${this.stderr}`));
      this.waiters.clear();
    });
    this.waiters = new Map(); // `${uri}#${version}` -> { resolve, reject, timer }
    this.lastDiagnostics = new Map(); // uri -> count
    this.connection = rpc.createMessageConnection(new rpc.StreamMessageReader(this.proc.stdout), new rpc.StreamMessageWriter(this.proc.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      const at = performance.now();
      this.lastDiagnostics.set(p.uri, p.diagnostics.length);
      const key = `${p.uri}#${p.version}`;
      const w = this.waiters.get(key);
      if (w) {
        this.waiters.delete(key);
        clearTimeout(w.timer);
        w.resolve({ at, count: p.diagnostics.length });
      }
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.onRequest('workspace/configuration', (p) => p.items.map(() => null));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', (p) => {
      this.progress.set(p.token, { begun: undefined, ended: undefined, title: '' });
      return null;
    });
    this.connection.onNotification('$/progress', (p) => {
      const entry = this.progress.get(p.token) ?? { begun: undefined, ended: undefined, title: '' };
      if (p.value?.kind === 'begin') Object.assign(entry, { begun: performance.now(), title: p.value.title ?? '' });
      if (p.value?.kind === 'end') entry.ended = performance.now();
      this.progress.set(p.token, entry);
      for (const w of this.progressWaiters.splice(0)) w();
    });
    this.progressWaiters = [];
    this.connection.listen();
  }

  async initialize() {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'threadwise-bench (Neovim-like)', version: '0' },
      rootUri: this.rootUri,
      workspaceFolders: [{ uri: this.rootUri, name: 'bench' }],
      capabilities: {
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true, willSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        },
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
        general: { positionEncodings: ['utf-16'] },
        window: { workDoneProgress: true },
      },
    });
    if (result.capabilities.diagnosticProvider) throw new Error('server advertised pull diagnostics to a client without pull support');
    if (result.capabilities.textDocumentSync?.change !== 2) throw new Error('server does not use incremental sync');
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** A promise for the publishDiagnostics of this exact version; register before sending. */
  waitFor(uri, version, timeoutMs = 60_000) {
    if (this.exited) return Promise.reject(new Error(`server exited; stderr: ${this.stderr}`));
    return new Promise((resolve, reject) => {
      const key = `${uri}#${version}`;
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(new Error(`no publishDiagnostics for ${uri} version ${version} within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.set(key, { resolve, reject, timer });
    });
  }

  /** Opens a document and resolves with the latency until its first diagnostics. */
  async open(uri, text, version = 1) {
    const published = this.waitFor(uri, version);
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
    const { at, count } = await published;
    return { latency: at - t0, count };
  }

  /** Sends one didChange and resolves with the time until that version's diagnostics arrive. */
  async change(uri, version, contentChanges) {
    const published = this.waitFor(uri, version);
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    const { at, count } = await published;
    return { latency: at - t0, count };
  }

  /** Resolves with the first work-done progress that has ended (its title and times), or rejects after `timeoutMs`. */
  async progressEnded(timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const done = [...this.progress.values()].find((e) => e.ended !== undefined);
      if (done) return done;
      if (this.exited) throw new Error(`server exited; stderr: ${this.stderr}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no work-done progress ended within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.progressWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resident set size and its peak, in bytes, from /proc/<pid>/status. */
  memory() {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : NaN;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  }

  async close() {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await this.connection.sendNotification('exit');
      } catch {
        // the process may already be gone
      }
      await new Promise((r) => {
        const t = setTimeout(r, this.exitWait);
        this.proc.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    this.connection.dispose();
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}
