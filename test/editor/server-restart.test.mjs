// Real-editor test: the language server dies (SIGKILL, as an out-of-memory kill would) while a
// Python file is open in code-server. The extension's client must start a new server, and the
// Problems panel must show the finding again; a new edit must be analysed by the new server.
//
// Run from the repository root after `npm run package`:  node --test test/editor/server-restart.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE, log, screenshot, waitFor } from './harness.mjs';
import { cursorPosition, goToLine, hasCode, problemRows, quickOpen, rowPosition, withWorkbench } from './workbench.mjs';

const FIXTURE_DIR = join(HERE, 'workspace');
const FILE = 'app.py';
const FINDING_LINE = 6; // 1-based line of `time.sleep(delay)` in the fixture

/** The sorted lines of the TW101 rows, or null while there are none. */
async function tw101Lines(page) {
  const lines = (await problemRows(page)).filter(hasCode('TW101')).map((row) => rowPosition(row)?.line ?? null).sort((a, b) => a - b);
  return lines.length ? lines : null;
}

/**
 * Language servers of this code-server instance: processes running the installed extension's
 * dist/server.js. The extensions directory is this test's own temporary one, so no other
 * editor's server can match.
 */
function serverPids(extensionsDir) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline;
    try { cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    if (cmdline.some((arg) => arg.startsWith(extensionsDir) && arg.endsWith(join('dist', 'server.js')))) pids.push(Number(name));
  }
  return pids;
}

/** The extension's own output channel ("Threadwise"), as code-server wrote it under logs/. */
function threadwiseLog(userDataDir) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Threadwise.log') found.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(userDataDir, 'logs'));
  return found.join('\n');
}

test('a killed language server is restarted and the finding comes back in the Problems panel', { timeout: 25 * 60_000 }, async () => {
  await withWorkbench({ fixtureDir: FIXTURE_DIR, explorerFile: FILE, failureScreenshot: 'editor-restart-failure.png' }, async ({ server, page }) => {
    await quickOpen(page, FILE);

    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 30_000 });
    const before = await waitFor('the TW101 row before the kill', () => tw101Lines(page), { timeoutMs: 180_000, intervalMs: 1_000 });
    assert.deepEqual(before, [FINDING_LINE]);

    // ---- kill the language server -------------------------------------------------------------
    const [victim, ...more] = serverPids(server.extensionsDir);
    assert.ok(victim, 'a dist/server.js process of the installed extension is running');
    assert.deepEqual(more, [], 'exactly one language server');
    log(`killing the language server, pid ${victim}`);
    process.kill(victim, 'SIGKILL');
    await waitFor(`pid ${victim} to be gone`, () => !existsSync(`/proc/${victim}`) || readFileSync(`/proc/${victim}/stat`, 'utf8').split(' ')[2] === 'Z', { timeoutMs: 30_000 });

    // ---- a new server, and the finding from it ---------------------------------------------------
    const successor = await waitFor('a new language server process', () => serverPids(server.extensionsDir).find((p) => p !== victim), { timeoutMs: 120_000, intervalMs: 500 });
    log(`new language server, pid ${successor}`);
    const after = await waitFor('the TW101 row after the restart', () => tw101Lines(page), { timeoutMs: 120_000, intervalMs: 1_000 });
    assert.deepEqual(after, [FINDING_LINE]);

    // The row could be a leftover; an edit that adds a second blocking sleep can only be reported
    // by a server that is alive and has the document.
    await goToLine(page, FINDING_LINE);
    await page.keyboard.press('End');
    await waitFor('the cursor at the end of the line', async () => (await cursorPosition(page))?.col > 10, { timeoutMs: 15_000 });
    // Enter keeps the indentation, so the new call is in the same async def.
    await waitFor(`a new line ${FINDING_LINE + 1}`, async () => {
      if ((await cursorPosition(page))?.line !== FINDING_LINE + 1) await page.keyboard.press('Enter');
      return (await cursorPosition(page))?.line === FINDING_LINE + 1;
    }, { timeoutMs: 15_000, intervalMs: 1_000 });
    await page.keyboard.type('time.sleep(2)');
    const edited = await waitFor('two TW101 rows after the edit', async () => {
      const lines = await tw101Lines(page);
      return lines && lines.length === 2 ? lines : null;
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    assert.deepEqual(edited, [FINDING_LINE, FINDING_LINE + 1]);
    assert.deepEqual(serverPids(server.extensionsDir), [successor], 'the new server is the only one');
    const channel = threadwiseLog(server.userDataDir);
    assert.match(channel, /Server process exited with signal SIGKILL/, 'the output channel says how the server died');
    assert.match(channel, /The Threadwise server stopped; restarting \(1\)\./, 'and that the client restarted it');
    await screenshot(page, 'editor-restart-findings-back.png');
  });
});
