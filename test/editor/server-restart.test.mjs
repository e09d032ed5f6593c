// Real-editor test: the language server dies (SIGKILL, as an out-of-memory kill would) while a
// Python file is open in code-server. The extension's client must start a new server, and the
// Problems panel must show the finding again; a new edit must be analysed by the new server.
//
// Run from the repository root after `npm run package`:  node --test test/editor/server-restart.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ARTIFACTS, CodeServer, HERE, REPO_ROOT, ensureCodeServer, launchBrowser, log, screenshot, waitFor } from './harness.mjs';

const VSIX = process.env.THREADWISE_VSIX || join(REPO_ROOT, 'threadwise.vsix');
const FIXTURE_DIR = join(HERE, 'workspace');
const FILE = 'app.py';
const FINDING_LINE = 6; // 1-based line of `time.sleep(delay)` in the fixture

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'git.enabled': false,
  'github.gitAuthentication': false,
};

async function problemRows(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) =>
    rows.map((r) => ({ aria: r.getAttribute('aria-label') || '', text: (r.innerText || '').replace(/\s+/g, ' ').trim() })));
}
const isTW101 = (row) => /TW101/.test(`${row.aria} ${row.text}`);
function rowLine(row) {
  const m = /\[Ln (\d+), Col (\d+)\]/.exec(row.text) || /at line (\d+) and character (\d+)/.exec(row.aria);
  return m ? Number(m[1]) : null;
}
/** The sorted lines of the TW101 rows, or null while there are none. */
async function tw101Lines(page) {
  const lines = (await problemRows(page)).filter(isTW101).map(rowLine).sort((a, b) => a - b);
  return lines.length ? lines : null;
}

/** "Ln 6, Col 5" from the status bar, as numbers. */
async function cursorPosition(page) {
  const text = await page.locator('#status\\.editor\\.selection').innerText({ timeout: 10_000 });
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
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
  assert.ok(existsSync(VSIX), `${relative(REPO_ROOT, VSIX) || VSIX} not found: run 'npm run package' first (or set THREADWISE_VSIX)`);
  rmSync(join(ARTIFACTS, 'editor-restart-failure.png'), { force: true });
  const bin = await ensureCodeServer();
  const server = new CodeServer({ bin, fixtureDir: FIXTURE_DIR, vsix: VSIX, settings: USER_SETTINGS });
  let browser;
  let page;
  let ok = false;
  try {
    await server.installExtension();
    await server.start();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 180_000 });
    await page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${FILE}"], .explorer-folders-view .monaco-list-row:has-text("${FILE}")`).first()
      .waitFor({ state: 'visible', timeout: 180_000 });

    await waitFor(`Quick Open to open ${FILE}`, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(FILE);
      await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${FILE}"]`).first().waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab[aria-label*="${FILE}"]`).first().waitFor({ state: 'visible', timeout: 15_000 });
      return true;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });

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
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type(String(FINDING_LINE));
    await page.keyboard.press('Enter');
    await waitFor(`the cursor on line ${FINDING_LINE}`, async () => (await cursorPosition(page))?.line === FINDING_LINE, { timeoutMs: 15_000 });
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
    ok = true;
  } finally {
    if (!ok) {
      if (page) await screenshot(page, 'editor-restart-failure.png').catch((e) => log(`no failure screenshot: ${e.message}`));
      process.stderr.write(`\n${server.diagnostics()}\n`);
    }
    if (browser) await browser.close().catch((e) => log(`browser.close failed: ${e.message}`));
    await server.stop();
  }
});
