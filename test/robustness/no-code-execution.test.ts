// Security: the server and the CLI read workspace files as text. A workspace whose every Python
// file (a package __init__.py, conftest.py, setup.py, sitecustomize.py, __main__.py, a module)
// leaves a marker file when imported or run, plus `python`, `python3`, `pip` and `pytest` on PATH
// that leave a marker when started, is analysed; afterwards there is no marker, and the findings
// are there. A control run with the real python3 shows the markers do appear when code runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { RobustSession } from './support/session';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

/** Module code that, when executed, writes markers/<name> beside the workspace. */
function leavesMarker(name: string): string {
  return [
    'import os as _os',
    `_m = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ${JSON.stringify('../'.repeat(name.split('/').length))}, "markers")`,
    '_os.makedirs(_m, exist_ok=True)',
    `open(_os.path.join(_m, ${JSON.stringify(name.replace(/\//g, '_'))}), "w").write("executed")`,
    '',
  ].join('\n');
}

/** A blocking sleep in async def, so every file has one TW101 on its last line but one. */
const TW101 = 'import time\nasync def handler():\n    time.sleep(1)\n';

const FILES: Record<string, string> = {
  'pkg/__init__.py': leavesMarker('pkg/__init__.py') + TW101,
  'pkg/helper.py': leavesMarker('pkg/helper.py') + TW101,
  'conftest.py': leavesMarker('conftest.py') + TW101,
  'setup.py': leavesMarker('setup.py') + TW101,
  'sitecustomize.py': leavesMarker('sitecustomize.py') + TW101,
  '__main__.py': leavesMarker('__main__.py') + TW101,
  'app.py': `${leavesMarker('app.py')}import pkg\nfrom pkg import helper\nimport conftest, setup\n${TW101}`,
};
const TOOLS = ['python', 'python3', 'pip', 'pytest'];

function makeWorkspace(root: string): { ws: string; markers: string; bin: string } {
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws, { recursive: true });
  // conftest.py is a test file by default, where event-loop rules stay quiet; here every file
  // must be checked alike, so the project checks its tests as code.
  fs.writeFileSync(path.join(ws, 'pyproject.toml'), '[tool.threadwise]\ntest-files = []\n');
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  }
  const markers = path.join(root, 'markers');
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  for (const tool of TOOLS) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\nmkdir -p '${markers}' && echo started > '${markers}/tool_${tool}'\n`, { mode: 0o755 });
  }
  return { ws, markers, bin };
}

const markersIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('workspace code is never executed or imported', () => {
  let root: string;
  let ws: string;
  let markers: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-noexec-'));
    ({ ws, markers } = makeWorkspace(root));
    env = { PATH: `${path.join(root, 'bin')}${path.delimiter}${process.env.PATH}`, PYTHONPATH: ws, PYTHONSTARTUP: path.join(ws, 'app.py') };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('control: running the workspace with python3 does leave markers', () => {
    const control = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-noexec-control-'));
    try {
      const c = makeWorkspace(control);
      const run = spawnSync('python3', ['app.py'], { cwd: c.ws, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(markersIn(c.markers), ['app.py', 'conftest.py', 'pkg___init__.py', 'pkg_helper.py', 'setup.py']);
      const fake = spawnSync('python3', ['-c', 'pass'], { encoding: 'utf8', env: { ...process.env, PATH: `${c.bin}${path.delimiter}${process.env.PATH}` } });
      assert.equal(fake.status, 0);
      assert.ok(markersIn(c.markers).includes('tool_python3'), 'the python3 on the test PATH leaves a marker');
    } finally {
      fs.rmSync(control, { recursive: true, force: true });
    }
  });

  test('the CLI checks every file (run from inside the workspace) and leaves no marker', () => {
    const run = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: ws, encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(run.status, 1, run.stderr);
    const found = (JSON.parse(run.stdout) as Array<{ file: string; code: string; line: number }>).map((f) => `${f.file}:${f.line}:${f.code}`);
    const expected = Object.entries(FILES).map(([rel, text]) => `${rel}:${text.split('\n').length - 1}:TW101`).sort(); // CLI lines are 1-based
    assert.deepEqual(found.sort(), expected);
    assert.deepEqual(markersIn(markers), []);
  });

  test('the language server checks every open file and leaves no marker', async () => {
    const s = new RobustSession(env);
    try {
      await s.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(ws).href,
        workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
        capabilities: { textDocument: { diagnostic: {} } },
      });
      await s.connection.sendNotification('initialized', {});
      for (const [rel, text] of Object.entries(FILES)) {
        const uri = pathToFileURL(path.join(ws, rel)).href;
        await s.open(uri, text);
        const items = await s.pull(uri);
        assert.deepEqual(items.map((d) => [d.code, d.range.start.line]), [['TW101', text.split('\n').length - 2]], rel);
      }
      await s.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: Object.keys(FILES).map((rel) => ({ uri: pathToFileURL(path.join(ws, rel)).href, type: 2 })),
      });
      assert.deepEqual(await s.pull(pathToFileURL(path.join(ws, 'app.py')).href).then((i) => i.length), 1);
    } finally {
      await s.close();
    }
    assert.deepEqual(markersIn(markers), []);
  });
});
