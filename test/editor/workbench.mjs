// What the real-editor tests do in the VS Code workbench the same way: the session around a test
// (code-server with the packaged extension, Chromium, failure evidence, cleanup) and the reading
// and driving of the parts every test touches (Problems panel, editor text, cursor, Quick Open,
// command palette, Go to Line, quick-fix menu). harness.mjs holds the processes underneath.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ARTIFACTS, CodeServer, REPO_ROOT, ensureCodeServer, launchBrowser, log, screenshot, waitFor } from './harness.mjs';

export const VSIX = process.env.THREADWISE_VSIX || join(REPO_ROOT, 'threadwise.vsix');

/** Keeps the welcome page, chat, git, the gallery and auto-save out of the way of the tests. */
export const USER_SETTINGS = Object.freeze({
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
});

/**
 * Runs body({ server, page }) in a fresh code-server with the packaged extension, opened in
 * headless Chromium once the explorer lists the workspace. On failure it leaves
 * test-artifacts/<failureScreenshot> and prints code-server's logs and the browser's console
 * errors; code-server and the browser are stopped either way.
 *
 * explorerFile: wait until the explorer lists this file; without it, any explorer row will do.
 */
export async function withWorkbench({ fixtureDir, settings = USER_SETTINGS, explorerFile, failureScreenshot }, body) {
  assert.ok(existsSync(VSIX), `${relative(REPO_ROOT, VSIX) || VSIX} not found: run 'npm run package' in the repository root first (or set THREADWISE_VSIX)`);
  // A failure screenshot left by an earlier run would be misleading next to this run's.
  rmSync(join(ARTIFACTS, failureScreenshot), { force: true });
  const bin = await ensureCodeServer();
  const server = new CodeServer({ bin, fixtureDir, vsix: VSIX, settings });
  let browser;
  let page;
  let ok = false;
  const consoleErrors = [];
  try {
    await server.installExtension();
    await server.start();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));

    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 180_000 });
    // The explorer lists the workspace once the remote file system is connected.
    const rows = '.explorer-folders-view .monaco-list-row';
    const listed = explorerFile ? page.locator(`${rows}[aria-label*="${explorerFile}"], ${rows}:has-text("${explorerFile}")`) : page.locator(rows);
    await listed.first().waitFor({ state: 'visible', timeout: 180_000 });
    log('workbench loaded, workspace listed in the explorer');

    const result = await body({ server, page });
    ok = true;
    return result;
  } finally {
    if (!ok) {
      if (page) await screenshot(page, failureScreenshot).catch((e) => log(`no failure screenshot: ${e.message}`));
      process.stderr.write(`\n${server.diagnostics()}\n`);
      if (consoleErrors.length) process.stderr.write(`===== browser console errors =====\n${consoleErrors.slice(-40).join('\n')}\n`);
    }
    if (browser) await browser.close().catch((e) => log(`browser.close failed: ${e.message}`));
    await server.stop();
    log('code-server and the browser are stopped');
  }
}

// Problems panel rows: the aria-label carries severity, message, line and source; the visible
// text carries "source(code)" and "[Ln 6, Col 5]". Both are read so a row can be matched on
// code and line whichever of the two VS Code puts them in.
export async function problemRows(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) =>
    rows.map((r) => ({ aria: r.getAttribute('aria-label') || '', text: (r.innerText || '').replace(/\s+/g, ' ').trim() })));
}

/** Predicate for Problems rows of one rule, e.g. hasCode('TW101'). */
export function hasCode(code) {
  return (row) => `${row.aria} ${row.text}`.includes(code);
}

/** 1-based { line, col } of a Problems row, or null when the row shows none. */
export function rowPosition(row) {
  const m = /\[Ln (\d+), Col (\d+)\]/.exec(row.text) || /at line (\d+) and character (\d+)/.exec(row.aria);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
}

/** Text of the active editor's visible lines, from the DOM (non-breaking spaces made plain). */
export async function editorLines(page) {
  return page.$$eval('.editor-group-container.active .monaco-editor .view-lines .view-line', (els) =>
    els
      .map((el) => ({ top: parseFloat(el.style.top) || 0, text: (el.textContent || '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text));
}

/** "Ln 6, Col 5" from the status bar, as numbers. */
export async function cursorPosition(page) {
  const text = await page.locator('#status\\.editor\\.selection').innerText({ timeout: 10_000 });
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
}

/** Opens a workspace file with Quick Open (Ctrl+P), retried until its tab shows. */
export async function quickOpen(page, file) {
  await waitFor(`Quick Open to open ${file}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(file, { timeout: 10_000 });
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${file}"]`).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab[aria-label*="${file}"]`).first().waitFor({ state: 'visible', timeout: 15_000 });
    return true;
  }, { timeoutMs: 120_000, intervalMs: 1_000 });
}

/**
 * Runs a command from the palette (F1) by its title. Retried until the title is listed:
 * an extension's commands appear only once it has activated.
 */
export async function runCommand(page, title) {
  await waitFor(`the command "${title}" in the palette`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
    return true;
  }, { timeoutMs: 120_000, intervalMs: 1_000 });
}

/** Puts the cursor on a 1-based line of the active editor with Go to Line (Ctrl+G). */
export async function goToLine(page, line) {
  // A click into the text area gives the editor focus; where it lands does not matter, Go to
  // Line moves the cursor right after.
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // Go to Line opens the quick input with the ':' prefix already typed: type after it (fill()
  // would replace the prefix and turn the box into a file search).
  await page.keyboard.type(String(line));
  await waitFor(`the Go to Line box to read ":${line}"`, async () => (await input.inputValue()).replace(/\s/g, '') === `:${line}`, { timeoutMs: 10_000 });
  await page.keyboard.press('Enter');
  await waitFor(`the cursor on line ${line}`, async () => (await cursorPosition(page))?.line === line, { timeoutMs: 15_000 });
}

/**
 * Go to Line leaves the cursor in column 1, before the indentation; Home moves it to the first
 * non-blank character, where a diagnostic on an indented statement starts, so code actions are
 * offered for it. Returns the cursor position.
 */
export async function cursorToFirstNonBlank(page) {
  const pos = await cursorPosition(page);
  if (pos?.col !== 1) return pos;
  await page.keyboard.press('Home');
  return waitFor('the cursor on the first non-blank column', async () => {
    const p = await cursorPosition(page);
    return p && p.col > 1 ? p : null;
  }, { timeoutMs: 10_000 });
}

/** Text of the quick-fix menu item that has keyboard focus ('' when none). */
export async function focusedAction(page) {
  return (await page.locator('.action-widget .monaco-list-row.action.focused').allInnerTexts()).join(' | ');
}

/**
 * Walks the open quick-fix menu with ArrowDown until an item matching target has keyboard
 * focus, as a person using the keyboard would; labels (the menu's items) bound the walk.
 */
export async function focusAction(page, target, labels) {
  let steps = 0;
  while (!target.test(await focusedAction(page))) {
    if (++steps > labels.length + 2) throw new Error(`could not move keyboard focus to the item ${target}; focused: ${JSON.stringify(await focusedAction(page))}, items: ${JSON.stringify(labels)}`);
    await page.keyboard.press('ArrowDown');
    await sleep(150);
  }
  log(`chose quick fix: ${JSON.stringify(await focusedAction(page))}`);
}
