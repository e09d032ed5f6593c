// Real-editor test: code-server (VS Code in the browser) in headless Chromium, driven by
// Playwright. Opens a two-file workspace where an async function in app.py calls a helper in
// helpers.py that sleeps: the Problems panel shows TW107 in app.py (a finding that crosses the
// file boundary, found through the workspace index), and the hover over the call shows the
// blocking chain into the other file.
//
// Run from the repository root after `npm run package`:  node --test test/editor/project-hover.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HERE, log, screenshot, waitFor } from './harness.mjs';
import { cursorPosition, editorLines, goToLine, hasCode, problemRows, quickOpen, rowPosition, withWorkbench } from './workbench.mjs';

const FIXTURE_DIR = join(HERE, 'workspace-project');
const FILE = 'app.py';
const CALL_LINE = 5; // 1-based line of `return fetch("x")` in app.py
const isTW107 = hasCode('TW107');

test('a cross-file TW107 in the Problems panel and the blocking chain in a hover, in real VS Code (code-server)', { timeout: 25 * 60_000 }, async () => {
  await withWorkbench({ fixtureDir: FIXTURE_DIR, explorerFile: FILE, failureScreenshot: 'editor-project-failure.png' }, async ({ page }) => {
    await quickOpen(page, FILE);
    await waitFor('the editor to show app.py', async () => (await editorLines(page)).some((l) => l.includes('return fetch("x")')), { timeoutMs: 60_000 });

    // ---- the cross-file finding in the Problems panel -----------------------------------------
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 30_000 });
    let seen = [];
    const rows = await waitFor('a TW107 row in the Problems panel', async () => {
      seen = await problemRows(page);
      return seen.some(isTW107) ? seen : null;
    }, { timeoutMs: 180_000, intervalMs: 1_000 }).catch((err) => {
      err.message += `; Problems panel rows: ${JSON.stringify(seen)}`;
      throw err;
    });
    log(`Problems rows: ${JSON.stringify(rows)}`);
    const tw = rows.filter(isTW107);
    assert.equal(tw.length, 1, `expected exactly one TW107 row, got ${JSON.stringify(tw)}`);
    assert.equal(rowPosition(tw[0])?.line, CALL_LINE, `TW107 row: ${JSON.stringify(tw[0])}`);
    assert.match(`${tw[0].aria} ${tw[0].text}`, /fetch\(\)' blocks the event loop/, 'TW107 message');
    await screenshot(page, 'editor-project-problem.png');

    // ---- the hover over the call ----------------------------------------------------------------
    await goToLine(page, CALL_LINE);
    // From column 1 of `    return fetch("x")`, twelve steps right put the cursor just after the f of `fetch`.
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
    await waitFor('the cursor inside fetch', async () => (await cursorPosition(page))?.col === 13, { timeoutMs: 10_000 });
    const hoverText = await waitFor('a hover with the blocking chain', async () => {
      // Show Hover (Ctrl+K Ctrl+I), as a keyboard user would ask for it.
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await sleep(500);
      const texts = await page.locator('.monaco-hover').allInnerTexts();
      const text = texts.join('\n');
      return /Blocks its thread/.test(text) ? text : null;
    }, { timeoutMs: 120_000, intervalMs: 2_000 });
    log(`hover: ${JSON.stringify(hoverText)}`);
    assert.match(hoverText, /helpers\.fetch/);
    assert.match(hoverText, /helpers\.py:5/);
    assert.match(hoverText, /time\.sleep\(\)/);
    await screenshot(page, 'editor-project-hover.png');
  });
});
