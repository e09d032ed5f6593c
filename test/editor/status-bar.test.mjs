// Real-editor test of the status-bar item, pyproject.toml configuration and
// `threadwise.trace.server`, in code-server driven by Playwright (see README.md here).
//
// Run from the repository root after `npm run package`:  node --test test/editor/status-bar.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ARTIFACTS, CodeServer, HERE, REPO_ROOT, ensureCodeServer, launchBrowser, log, screenshot, waitFor } from './harness.mjs';

const VSIX = process.env.THREADWISE_VSIX || join(REPO_ROOT, 'threadwise.vsix');
const FIXTURE_DIR = join(HERE, 'workspace-config');
const FILE = 'app.py';

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
  'threadwise.trace.server': 'messages',
};

async function statusItems(page) {
  return page.$$eval('.statusbar-item', (els) =>
    els.map((e) => ({ text: (e.innerText || '').replace(/\s+/g, ' ').trim(), aria: e.getAttribute('aria-label') || '' }))
      .filter((e) => /Threadwise/.test(`${e.text} ${e.aria}`)));
}

async function problemRows(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) =>
    rows.map((r) => ({ aria: r.getAttribute('aria-label') || '', text: (r.innerText || '').replace(/\s+/g, ' ').trim() })));
}

async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

test('status bar: server state and finding count, click to Problems; pyproject severity; trace.server in the output channel', { timeout: 25 * 60_000 }, async () => {
  assert.ok(existsSync(VSIX), `${relative(REPO_ROOT, VSIX) || VSIX} not found: run 'npm run package' first (or set THREADWISE_VSIX)`);
  rmSync(join(ARTIFACTS, 'editor-status-bar-failure.png'), { force: true });
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
    log(`${FILE} is open`);

    // ---- the status-bar item: running, two findings -------------------------------------
    let items = [];
    await waitFor('the status bar to read "Threadwise: 2"', async () => {
      items = await statusItems(page);
      return items.some((i) => i.text === 'Threadwise: 2');
    }, { timeoutMs: 180_000, intervalMs: 1_000 }).catch((err) => {
      err.message += `; Threadwise status items: ${JSON.stringify(items)}`;
      throw err;
    });
    const item = items.find((i) => i.text === 'Threadwise: 2');
    assert.match(item.aria, /Threadwise running, 2 findings in this file/);
    await screenshot(page, 'editor-status-bar.png');

    // ---- a click opens the Problems panel; pyproject.toml made TW101 an error ----------------
    assert.ok(!(await page.locator('.markers-panel').first().isVisible().catch(() => false)), 'Problems panel closed before the click');
    await page.locator('.statusbar-item', { hasText: 'Threadwise: 2' }).first().click();
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 30_000 });
    const rows = await waitFor('TW101 and TW202 rows', async () => {
      const r = await problemRows(page);
      return r.some((x) => /TW101/.test(`${x.aria} ${x.text}`)) && r.some((x) => /TW202/.test(`${x.aria} ${x.text}`)) ? r : null;
    }, { timeoutMs: 60_000 });
    const tw101 = rows.find((x) => /TW101/.test(`${x.aria} ${x.text}`));
    const tw202 = rows.find((x) => /TW202/.test(`${x.aria} ${x.text}`));
    assert.match(tw101.aria, /^Error/i, `pyproject.toml severity makes TW101 an Error: ${tw101.aria}`);
    assert.match(tw202.aria, /^Warning/i, `TW202 keeps its default: ${tw202.aria}`);
    // requires-python >= 3.11 in pyproject.toml: the TW202 message may suggest TaskGroup.
    assert.match(`${tw202.aria} ${tw202.text}`, /TaskGroup/, 'target version inferred from requires-python');
    log(`Problems rows: ${JSON.stringify(rows)}`);

    // ---- threadwise.trace.server: LSP traffic in the Threadwise output channel -----------------
    await runCommand(page, 'Threadwise: Show Output');
    const traced = await waitFor('trace lines in the Threadwise output channel', async () => {
      const lines = await page.$$eval('.panel .output-view .view-lines .view-line, .panel .output .view-lines .view-line', (els) => els.map((e) => (e.textContent || '').replace(/\u00a0/g, ' ')));
      return lines.some((l) => /(Sending|Received) (request|notification|response) '/.test(l)) ? lines : null;
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    log(`output channel sample: ${JSON.stringify(traced.slice(-3))}`);
    ok = true;
  } finally {
    if (!ok) {
      if (page) await screenshot(page, 'editor-status-bar-failure.png').catch((e) => log(`no failure screenshot: ${e.message}`));
      process.stderr.write(`\n${server.diagnostics()}\n`);
    }
    if (browser) await browser.close().catch((e) => log(`browser.close failed: ${e.message}`));
    await server.stop();
  }
});
