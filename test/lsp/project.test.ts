import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspSession, positionOf } from '../support/lsp-client';

const QUIET_HELPERS = 'def fetch(path):\n    return "data:" + path\n';
const BLOCKING_HELPERS = 'import time\n\n\ndef fetch(path):\n    time.sleep(1)\n    return "data:" + path\n';
const APP = 'from pkg.helpers import fetch\n\n\nasync def handler():\n    return fetch("x")\n';
const OTHER = 'import time\n\nfrom pkg.helpers import fetch\n\n\nasync def other():\n    time.sleep(1)\n    fetch("y")\n';

/** A two-module package in a fresh folder, with the helper as it is on disk at the start. */
function makeWorkspace(helpers: string): { root: string; file: (rel: string) => string; uri: (rel: string) => string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-project-')));
  fs.mkdirSync(path.join(root, 'pkg'));
  fs.writeFileSync(path.join(root, 'pkg', '__init__.py'), '');
  fs.writeFileSync(path.join(root, 'pkg', 'helpers.py'), helpers);
  fs.writeFileSync(path.join(root, 'pkg', 'app.py'), APP);
  fs.writeFileSync(path.join(root, 'pkg', 'other.py'), OTHER);
  const file = (rel: string) => path.join(root, ...rel.split('/'));
  return { root, file, uri: (rel) => pathToFileURL(file(rel)).toString() };
}

/** A package `pkg` with these modules in a fresh folder; `uri` names one of them. */
function packageFolder(prefix: string, modules: Record<string, string>): { root: string; uri: (module: string) => string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  fs.mkdirSync(path.join(root, 'pkg'));
  fs.writeFileSync(path.join(root, 'pkg', '__init__.py'), '');
  for (const [name, text] of Object.entries(modules)) fs.writeFileSync(path.join(root, 'pkg', `${name}.py`), text);
  return { root, uri: (module) => pathToFileURL(path.join(root, 'pkg', `${module}.py`)).toString() };
}

/** Progress and refresh traffic from the server, and a way to wait for it. */
class Watcher {
  progress: Array<{ token: unknown; value: any }> = [];
  created = 0;
  refreshes = 0;

  constructor(s: LspSession) {
    s.connection.onRequest('window/workDoneProgress/create', () => {
      this.created++;
      return null;
    });
    s.connection.onNotification('$/progress', (p: any) => {
      this.progress.push(p);
    });
    s.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
  }

  async until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  indexed(): boolean {
    return this.progress.some((p) => p.value.kind === 'end');
  }
}

/** A server for a push client (no pull capability) on `root`, once it has indexed the folder. */
async function pushSession(root: string, settings?: Record<string, unknown>): Promise<{ s: LspSession; w: Watcher }> {
  const s = new LspSession();
  const w = new Watcher(s);
  await s.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).toString(),
    capabilities: { window: { workDoneProgress: true } },
    ...(settings ? { initializationOptions: { settings } } : {}),
  });
  await s.connection.sendNotification('initialized', {});
  await w.until(() => w.indexed(), 'the end of indexing');
  return { s, w };
}

const codes = (items: any[]) => items.map((d) => d.code).sort();

describe('project-aware server with a pull client (VS Code-like)', () => {
  let s: LspSession;
  let w: Watcher;
  let init: any;
  const ws = makeWorkspace(QUIET_HELPERS);
  let helpersVersion = 1;

  const pull = async (rel: string): Promise<any[]> =>
    ((await s.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: ws.uri(rel) } })) as { items: any[] }).items;

  const replaceHelpers = async (text: string) => {
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: ws.uri('pkg/helpers.py'), version: ++helpersVersion }, contentChanges: [{ text }] });
  };

  before(async () => {
    s = new LspSession();
    w = new Watcher(s);
    s.connection.onRequest('workspace/configuration', (p: any) => p.items.map(() => ({})));
    init = await s.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(ws.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(ws.root).toString(), name: 'ws' }],
      capabilities: {
        window: { workDoneProgress: true },
        textDocument: { diagnostic: { dynamicRegistration: false }, hover: { contentFormat: ['markdown'] } },
        workspace: { configuration: true, diagnostics: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
      },
    });
    await s.connection.sendNotification('initialized', {});
    await w.until(() => w.indexed(), 'the end of indexing');
  });

  after(async () => {
    await s.close();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('says findings depend on other files, and offers hovers', () => {
    assert.equal(init.capabilities.diagnosticProvider.interFileDependencies, true);
    assert.equal(init.capabilities.hoverProvider, true);
  });

  test('indexes the workspace at start with work-done progress: begin with the file count, percentages, end', () => {
    assert.equal(w.created, 1, 'the server created one progress token');
    const kinds = w.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    assert.equal(w.progress[0]!.value.title, 'Threadwise: indexing 4 files');
    const percentages = w.progress.filter((p) => p.value.kind === 'report').map((p) => p.value.percentage as number);
    assert.ok(percentages.length >= 1, 'at least one report');
    assert.deepEqual([...percentages].sort((a, b) => a - b), percentages, 'percentages only grow');
    assert.equal(percentages.at(-1), 100);
  });

  test('editing a helper in one open file makes TW107 appear in another open file, and disappear again', async () => {
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: ws.uri('pkg/helpers.py'), languageId: 'python', version: helpersVersion, text: QUIET_HELPERS } });
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: ws.uri('pkg/app.py'), languageId: 'python', version: 1, text: APP } });
    assert.deepEqual(await pull('pkg/app.py'), []);

    let before = w.refreshes;
    await replaceHelpers(BLOCKING_HELPERS);
    assert.deepEqual(await pull('pkg/helpers.py'), [], 'a sync helper that sleeps is no finding in its own file');
    await w.until(() => w.refreshes > before, 'a diagnostic refresh after the helper changed');
    const items = await pull('pkg/app.py');
    assert.deepEqual(codes(items), ['TW107']);
    assert.deepEqual(items[0].range.start, positionOf(APP, 'fetch("x")'));
    const related = items[0].relatedInformation as any[];
    assert.ok(related.some((r) => r.location.uri === ws.uri('pkg/helpers.py') && r.location.range.start.line === 4), JSON.stringify(related));

    before = w.refreshes;
    await replaceHelpers(QUIET_HELPERS);
    await pull('pkg/helpers.py');
    await w.until(() => w.refreshes > before, 'a diagnostic refresh after the helper was fixed');
    assert.deepEqual(await pull('pkg/app.py'), []);
  });

  test('hover over a call shows the blocking chain through the other module', async () => {
    const edited = w.refreshes;
    await replaceHelpers(BLOCKING_HELPERS);
    const at = positionOf(APP, 'fetch("x")');
    const hover: any = await s.connection.sendRequest('textDocument/hover', { textDocument: { uri: ws.uri('pkg/app.py') }, position: { line: at.line, character: at.character + 2 } });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*pkg\.helpers\.fetch\*\*/);
    assert.match(hover.contents.value, /Blocks its thread: `fetch\(\)` \(pkg\/helpers\.py:5\) → `time\.sleep\(\)`/);
    const nowhere: any = await s.connection.sendRequest('textDocument/hover', { textDocument: { uri: ws.uri('pkg/app.py') }, position: { line: 1, character: 0 } });
    assert.equal(nowhere, null, 'a blank line has no hover');
    // The hover checked the edited helper first, which re-checks its dependents.
    await w.until(() => w.refreshes > edited, 'a diagnostic refresh after the hover saw the edited helper');
    const before = w.refreshes;
    await replaceHelpers(QUIET_HELPERS);
    await pull('pkg/helpers.py');
    await w.until(() => w.refreshes > before, 'a diagnostic refresh after the helper was fixed');
  });

  test('a helper changed on disk while closed changes the findings of an open file that imports it', async () => {
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri: ws.uri('pkg/helpers.py') } });
    // Closing goes back to the text on disk, which is the quiet one.
    assert.deepEqual(await pull('pkg/app.py'), []);
    const before = w.refreshes;
    fs.writeFileSync(ws.file('pkg/helpers.py'), BLOCKING_HELPERS);
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('pkg/helpers.py'), type: 2 }] });
    await w.until(() => w.refreshes > before, 'a diagnostic refresh after the file changed on disk');
    assert.deepEqual(codes(await pull('pkg/app.py')), ['TW107']);

    const again = w.refreshes;
    fs.writeFileSync(ws.file('pkg/helpers.py'), 'def fetch(path:\n');
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('pkg/helpers.py'), type: 2 }] });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(w.refreshes, again, 'a file that does not parse keeps its last good summary: nothing to re-check');
    assert.deepEqual(codes(await pull('pkg/app.py')), ['TW107']);
  });
});

describe('project-aware server with a push client in workspace mode (Neovim-like)', () => {
  let s: LspSession;
  const ws = makeWorkspace(QUIET_HELPERS);

  before(async () => {
    ({ s } = await pushSession(ws.root, { diagnosticMode: 'workspace' }));
  });

  after(async () => {
    await s.close();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('workspace mode publishes the findings of files that are not open', async () => {
    const other = await s.nextPublish(ws.uri('pkg/other.py'), () => true);
    assert.deepEqual(codes(other.diagnostics), ['TW101']);
    const helpers = await s.nextPublish(ws.uri('pkg/helpers.py'), () => true);
    assert.deepEqual(helpers.diagnostics, []);
  });

  test('editing a helper re-publishes the open file that imports it, and the unopened one too', async () => {
    const app = ws.uri('pkg/app.py');
    const helpers = ws.uri('pkg/helpers.py');
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: app, languageId: 'python', version: 1, text: APP } });
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: helpers, languageId: 'python', version: 1, text: QUIET_HELPERS } });
    assert.deepEqual((await s.nextPublish(app, (p) => p.version === 1)).diagnostics, []);
    await s.nextPublish(helpers, (p) => p.version === 1);

    s.published.length = 0;
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: helpers, version: 2 }, contentChanges: [{ text: BLOCKING_HELPERS }] });
    const appAfter = await s.nextPublish(app, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(appAfter.diagnostics), ['TW107']);
    assert.equal(appAfter.version, 1, 'the dependent is re-published for its own (unchanged) version');
    const otherAfter = await s.nextPublish(ws.uri('pkg/other.py'), (p) => p.diagnostics.length === 2);
    assert.deepEqual(codes(otherAfter.diagnostics), ['TW101', 'TW107']);
    const order = s.published.map((p) => p.uri);
    assert.ok(order.indexOf(helpers) < order.indexOf(app), `the edited file first: ${order.join(', ')}`);

    s.published.length = 0;
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: helpers, version: 3 }, contentChanges: [{ text: QUIET_HELPERS }] });
    assert.deepEqual((await s.nextPublish(app, () => true)).diagnostics, []);
    assert.deepEqual(codes((await s.nextPublish(ws.uri('pkg/other.py'), () => true)).diagnostics), ['TW101']);
  });

  test('switching to openFilesOnly empties the lists of files that are not open, and back fills them again', async () => {
    const other = ws.uri('pkg/other.py');
    s.published.length = 0;
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { threadwise: { diagnosticMode: 'openFilesOnly' } } });
    assert.deepEqual((await s.nextPublish(other, () => true)).diagnostics, []);
    s.published.length = 0;
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { threadwise: { diagnosticMode: 'workspace' } } });
    assert.deepEqual(codes((await s.nextPublish(other, () => true)).diagnostics), ['TW101']);
  });
});

describe('project-aware server with a pull client that pulls workspace diagnostics, in workspace mode', () => {
  let s: LspSession;
  let w: Watcher;
  let init: any;
  const ws = makeWorkspace(BLOCKING_HELPERS);
  let mode = 'workspace';

  before(async () => {
    s = new LspSession();
    w = new Watcher(s);
    s.connection.onRequest('workspace/configuration', (p: any) => p.items.map(() => ({ diagnosticMode: mode })));
    init = await s.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(ws.root).toString(),
      capabilities: {
        window: { workDoneProgress: true },
        textDocument: { diagnostic: { dynamicRegistration: false } },
        workspace: { configuration: true, diagnostics: { refreshSupport: true } },
      },
    });
    await s.connection.sendNotification('initialized', {});
    await w.until(() => w.indexed(), 'the end of indexing');
  });

  after(async () => {
    await s.close();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('workspace/diagnostic reports the files that are not open, then "unchanged" for the ids the client has', async () => {
    assert.equal(init.capabilities.diagnosticProvider.workspaceDiagnostics, true);
    const pullWorkspace = async (previousResultIds: Array<{ uri: string; value: string }>) =>
      ((await s.connection.sendRequest('workspace/diagnostic', { previousResultIds })) as { items: any[] }).items;
    let items: any[] = [];
    // The second pass (findings, once every module is indexed) runs after the progress ends.
    for (let i = 0; i < 100 && items.length < 4; i++) {
      items = await pullWorkspace([]);
      if (items.length < 4) await new Promise((r) => setTimeout(r, 50));
    }
    const byUri = new Map(items.map((i) => [i.uri, i]));
    assert.deepEqual(codes(byUri.get(ws.uri('pkg/other.py')).items), ['TW101', 'TW107']);
    assert.deepEqual(codes(byUri.get(ws.uri('pkg/app.py')).items), ['TW107']);
    assert.deepEqual(byUri.get(ws.uri('pkg/helpers.py')).items, []);
    assert.equal(s.published.length, 0, 'nothing is pushed to a client that pulls the workspace');

    const again = await pullWorkspace(items.map((i) => ({ uri: i.uri, value: i.resultId })));
    assert.deepEqual(again.map((i) => i.kind), items.map(() => 'unchanged'));

    // Back to openFilesOnly: each file's list is emptied once, since the client keeps what it has.
    mode = 'openFilesOnly';
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    let emptied: any[] = [];
    for (let i = 0; i < 100 && emptied.length < 4; i++) {
      const known = items.map((i) => ({ uri: i.uri, value: i.resultId }));
      emptied.push(...(await pullWorkspace(known)).filter((r) => r.kind === 'full'));
      if (emptied.length < 4) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(emptied.map((r) => r.uri).sort(), items.map((i) => i.uri).sort());
    assert.ok(emptied.every((r) => r.items.length === 0), JSON.stringify(emptied));
    assert.deepEqual(await pullWorkspace([]), [], 'then nothing more');
  });
});

describe('project-aware server with a push client, editing the file that holds a cross-module finding', () => {
  let s: LspSession;
  let w: Watcher;
  const HELPERS = `${BLOCKING_HELPERS}\n\ndef quiet(path):\n    return path\n`;
  const ws = makeWorkspace(HELPERS);
  const app = ws.uri('pkg/app.py');
  let version = 1;
  const edit = async (line: number, character: number, endCharacter: number, text: string) => {
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: app, version: ++version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: endCharacter } }, text }],
    });
    return version;
  };
  const forVersion = (v: number) => s.published.filter((p) => p.uri === app && p.version === v);

  before(async () => {
    ({ s, w } = await pushSession(ws.root));
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: app, languageId: 'python', version: 1, text: APP } });
    const opened = await s.nextPublish(app, (p) => p.version === 1);
    assert.deepEqual(codes(opened.diagnostics), ['TW107']);
    assert.equal(opened.diagnostics[0]!.range.start.line, 4);
  });

  after(async () => {
    await s.close();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('a line typed above it moves the finding in the answer to that very edit', async () => {
    const v = await edit(0, 0, 0, '# a note\n');
    const first = await s.nextPublish(app, (p) => p.version === v);
    assert.deepEqual(codes(first.diagnostics), ['TW107']);
    assert.equal(first.diagnostics[0]!.range.start.line, 5);
    assert.equal(first.diagnostics[0]!.range.start.character, 11);
  });

  test('an import changed elsewhere in the file clears it once typing pauses, and brings it back', async () => {
    // `from pkg.helpers import fetch` is now line 1: import the quiet helper under the same name.
    const quiet = await edit(1, 24, 29, 'quiet as fetch');
    await w.until(() => forVersion(quiet).some((p) => p.diagnostics.length === 0), 'the finding to go once the project part ran');
    const back = await edit(1, 24, 38, 'fetch');
    await w.until(() => forVersion(back).some((p) => p.diagnostics.length === 1), 'the finding to come back');
    const last = forVersion(back).at(-1)!;
    assert.deepEqual(codes(last.diagnostics), ['TW107']);
    assert.equal(last.diagnostics[0]!.range.start.line, 5);
  });

  test('an edit inside the finding drops it at once rather than show it on the wrong text', async () => {
    // `    return fetch("x")` on line 5: replace the argument.
    const v = await edit(5, 17, 20, 'path');
    const first = await s.nextPublish(app, (p) => p.version === v);
    assert.deepEqual(first.diagnostics, [], 'not carried over an edit that touched it');
    // The project part then finds it again on the new text.
    await w.until(() => forVersion(v).some((p) => p.diagnostics.length === 1), 'the finding to be found again');
  });
});

describe('project-aware server with a push client, a thread whose run() is inherited from another module', () => {
  let s: LspSession;
  const BASE = 'import threading\n\n\nclass Worker(threading.Thread):\n    def run(self):\n        while True:\n            self.poll()\n\n    def poll(self):\n        pass\n\n\nclass Plain:\n    def poll(self):\n        pass\n';
  // Line 14 sleeps under a lock only poll() takes, when paused (holders that are not paused wait
  // for it too); poll() runs on the worker's own thread when the base is Worker.
  const APP = (base: string) => `import threading\nimport time\n\nfrom pkg.base import Plain, Worker\n\n\nclass Tail(${base}):\n    def __init__(self):\n        super().__init__()\n        self._lock = threading.Lock()\n\n    def poll(self):\n        with self._lock:\n            if self.paused:\n                time.sleep(1)\n`;
  let root = '';
  let app = '';

  before(async () => {
    const folder = packageFolder('threadwise-inherited-', { base: BASE, app: APP('Worker') });
    root = folder.root;
    app = folder.uri('app');
    ({ s } = await pushSession(root));
  });

  after(async () => {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the lock only the inherited run() reaches is the thread\'s own: no TW404 on open', async () => {
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: app, languageId: 'python', version: 1, text: APP('Worker') } });
    assert.deepEqual((await s.nextPublish(app, (p) => p.version === 1)).diagnostics, []);
  });

  test('typing another base makes the class no thread: TW404 appears once the project part has run', async () => {
    // `class Tail(Worker):` on line 6 becomes `class Tail(Plain):`.
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: app, version: 2 },
      contentChanges: [{ range: { start: { line: 6, character: 11 }, end: { line: 6, character: 17 } }, text: 'Plain' }],
    });
    const flagged = await s.nextPublish(app, (p) => p.version === 2 && p.diagnostics.length > 0);
    assert.deepEqual(codes(flagged.diagnostics), ['TW404']);
    assert.equal(flagged.diagnostics[0]!.range.start.line, 14);
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: app, version: 3 },
      contentChanges: [{ range: { start: { line: 6, character: 11 }, end: { line: 6, character: 16 } }, text: 'Worker' }],
    });
    await s.nextPublish(app, (p) => p.version === 3 && p.diagnostics.length === 0);
  });
});

describe('project-aware server with a push client, a thread target that calls into another module', () => {
  let s: LspSession;
  const TALLY = 'COUNT = 0\n\n\ndef bump():\n    global COUNT\n    COUNT += 1\n';
  const WORKERS = (body: string) => `import threading\n\nfrom pkg.tally import bump\n\n\ndef work():\n    ${body}\n\n\ndef start():\n    threading.Thread(target=work).start()\n`;
  let root = '';
  let tally = '';
  let workers = '';

  before(async () => {
    const folder = packageFolder('threadwise-reach-', { tally: TALLY, workers: WORKERS('bump()') });
    root = folder.root;
    tally = folder.uri('tally');
    workers = folder.uri('workers');
    ({ s } = await pushSession(root));
  });

  after(async () => {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the helper a thread target of another module calls gets TW502 on open', async () => {
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: workers, languageId: 'python', version: 1, text: WORKERS('bump()') } });
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: tally, languageId: 'python', version: 1, text: TALLY } });
    const published = await s.nextPublish(tally, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(published.diagnostics), ['TW502']);
    assert.equal(published.diagnostics[0]!.range.start.line, 5);
    assert.match(published.diagnostics[0]!.message, /threading\.Thread → pkg\.workers\.work\(\)/);
  });

  test('editing the thread target so it no longer calls the helper clears it, and calling it again brings it back', async () => {
    // `    bump()` on line 6 becomes `    pass`.
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: workers, version: 2 },
      contentChanges: [{ range: { start: { line: 6, character: 4 }, end: { line: 6, character: 10 } }, text: 'pass' }],
    });
    await s.nextPublish(tally, (p) => p.diagnostics.length === 0);
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: workers, version: 3 },
      contentChanges: [{ range: { start: { line: 6, character: 4 }, end: { line: 6, character: 8 } }, text: 'bump()' }],
    });
    const back = await s.nextPublish(tally, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(back.diagnostics), ['TW502']);
  });
});

describe('project-aware server with a push client, a private helper another module calls', () => {
  let s: LspSession;
  const CLIENT = [
    'import threading',
    'import weakref',
    '',
    '',
    'class Client:',
    '    def __init__(self):',
    '        self._lock = threading.Lock()',
    '        self._expecting = weakref.WeakValueDictionary()',
    '',
    '    def request(self, num, owner):',
    '        with self._lock:',
    '            self._expecting[num] = owner',
    '',
    '    def _finish(self, owner):',
    '        while owner in self._expecting.values():',
    '            pass',
    '',
  ].join('\n');
  // It does not import the client: the call is matched by the method's name.
  const HANDLES = (call: string) => `def close(client, owner):\n    ${call}\n`;
  let root = '';
  let client = '';
  let handles = '';

  before(async () => {
    const folder = packageFolder('threadwise-private-', { client: CLIENT, handles: HANDLES('client._finish(owner)') });
    root = folder.root;
    client = folder.uri('client');
    handles = folder.uri('handles');
    ({ s } = await pushSession(root));
  });

  after(async () => {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the helper another module calls without the lock gets TW501 on open, naming that call', async () => {
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: handles, languageId: 'python', version: 1, text: HANDLES('client._finish(owner)') } });
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: client, languageId: 'python', version: 1, text: CLIENT } });
    const published = await s.nextPublish(client, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(published.diagnostics), ['TW501']);
    assert.equal(published.diagnostics[0]!.range.start.line, 14);
    assert.match(published.diagnostics[0]!.message, /'client\._finish' in pkg\/handles\.py:2 calls '_finish' without it/);
  });

  test('taking the lock around that call clears it, and dropping the lock brings it back', async () => {
    const replace = async (version: number, from: string, to: string) => {
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: handles, version },
        contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: from.length } }, text: to }],
      });
    };
    const unlocked = '    client._finish(owner)';
    const locked = '    with client._lock:\n        client._finish(owner)';
    await replace(2, unlocked, locked);
    await s.nextPublish(client, (p) => p.diagnostics.length === 0);
    // The `with` is now two lines: replace both with the unlocked call.
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: handles, version: 3 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: '        client._finish(owner)'.length } }, text: unlocked }],
    });
    const back = await s.nextPublish(client, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(back.diagnostics), ['TW501']);
  });
});

describe('project-aware server with a push client, a worker fed through a queue in another module', () => {
  let s: LspSession;
  const WORKER = (call: string) => [
    'import queue',
    'import threading',
    '',
    '',
    'class Worker:',
    '    def __init__(self):',
    '        self._queue = queue.Queue()',
    '',
    '    def start(self):',
    '        threading.Thread(target=self._target).start()',
    '',
    '    def submit(self, callback):',
    '        self._queue.put(callback)',
    '',
    '    def _target(self):',
    '        while True:',
    '            callback = self._queue.get()',
    `            ${call}`,
    '',
  ].join('\n');
  const STATS = [
    'from pkg.worker import Worker',
    '',
    '',
    'class Stats:',
    '    def __init__(self):',
    '        self._worker = Worker()',
    '        self.sent = 0',
    '',
    '    def send(self):',
    '        self._worker.submit(self._count)',
    '',
    '    def _count(self):',
    '        self.sent += 1',
    '',
    // A count the module reads: one nothing reads is a statistic, not a race worth reporting.
    '    def report(self):',
    '        return self.sent',
    '',
  ].join('\n');
  let root = '';
  let worker = '';
  let stats = '';

  before(async () => {
    const folder = packageFolder('threadwise-queue-', { worker: WORKER('callback()'), stats: STATS });
    root = folder.root;
    worker = folder.uri('worker');
    stats = folder.uri('stats');
    ({ s } = await pushSession(root));
  });

  after(async () => {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('what is submitted to the worker of another module runs on its thread: TW502 on open', async () => {
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: worker, languageId: 'python', version: 1, text: WORKER('callback()') } });
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: stats, languageId: 'python', version: 1, text: STATS } });
    const published = await s.nextPublish(stats, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(published.diagnostics), ['TW502']);
    assert.equal(published.diagnostics[0]!.range.start.line, 12);
    assert.match(published.diagnostics[0]!.message, /self\._worker\.submit/);
  });

  test('a worker that no longer calls what it takes clears it, and calling it again brings it back', async () => {
    const edit = async (version: number, from: string, to: string) => {
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: worker, version },
        contentChanges: [{ range: { start: { line: 17, character: 12 }, end: { line: 17, character: 12 + from.length } }, text: to }],
      });
    };
    await edit(2, 'callback()', 'print(callback)');
    await s.nextPublish(stats, (p) => p.diagnostics.length === 0);
    await edit(3, 'print(callback)', 'callback()');
    const back = await s.nextPublish(stats, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(back.diagnostics), ['TW502']);
  });
});
