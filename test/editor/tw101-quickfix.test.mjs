// Real-editor test: code-server (VS Code in the browser) in headless Chromium, driven by
// Playwright. Installs the packaged threadwise.vsix, opens a Python file, checks the TW101
// finding in the Problems panel, applies the asyncio.sleep quick fix through the editor's own
// quick-fix menu, saves, and checks the file on disk.
//
// Run from the repository root after `npm run package`:  node --test test/editor/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HERE, log, screenshot, waitFor } from './harness.mjs';
import { cursorToFirstNonBlank, editorLines, focusAction, goToLine, hasCode, problemRows, quickOpen, rowPosition, withWorkbench } from './workbench.mjs';

const FIXTURE_DIR = join(HERE, 'workspace');
const FILE = 'app.py';
const FIX_LINE = 6; // 1-based line of `time.sleep(delay)` in the fixture
const isTW101 = hasCode('TW101');

test('TW101: finding in the Problems panel and asyncio.sleep quick fix in real VS Code (code-server)', { timeout: 25 * 60_000 }, async () => {
  const original = readFileSync(join(FIXTURE_DIR, FILE), 'utf8');
  await withWorkbench({ fixtureDir: FIXTURE_DIR, explorerFile: FILE, failureScreenshot: 'editor-tw101-failure.png' }, async ({ server, page }) => {
    // ---- open the file with Quick Open -------------------------------------------------
    await quickOpen(page, FILE);
    await waitFor('the editor to show the fixture text', async () => (await editorLines(page)).some((l) => l.includes('time.sleep(delay)')), { timeoutMs: 60_000 });
    log(`${FILE} is open in the editor`);

    // ---- the TW101 finding in the Problems panel -----------------------------------------
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 30_000 });
    log('Problems panel open; waiting for the extension to report TW101');
    let seen = [];
    const rows = await waitFor('a TW101 row in the Problems panel', async () => {
      seen = await problemRows(page);
      return seen.some(isTW101) ? seen : null;
    }, { timeoutMs: 180_000, intervalMs: 1_000 }).catch((err) => {
      err.message += `; Problems panel rows: ${JSON.stringify(seen)}`;
      throw err;
    });
    const tw = rows.filter(isTW101);
    log(`Problems rows: ${JSON.stringify(rows)}`);
    assert.equal(tw.length, 1, `expected exactly one TW101 row, got ${JSON.stringify(tw)}`);
    const where = rowPosition(tw[0]);
    assert.ok(where, `could not read a line number from the TW101 row ${JSON.stringify(tw[0])}`);
    assert.equal(where.line, FIX_LINE, `TW101 reported on line ${where.line}, expected ${FIX_LINE}: ${JSON.stringify(tw[0])}`);
    assert.match(`${tw[0].aria} ${tw[0].text}`, /time\.sleep\(\) blocks the event loop/, 'TW101 message');
    assert.match(`${tw[0].aria} ${tw[0].text}`, /threadwise/, 'TW101 source');
    assert.match(tw[0].aria, /^Warning/i, `TW101 should be a Warning: ${tw[0].aria}`);
    await screenshot(page, 'editor-tw101-problem.png');

    // ---- cursor onto the finding with Go to Line ---------------------------------------------
    await goToLine(page, FIX_LINE);
    const pos = await cursorToFirstNonBlank(page);
    log(`cursor at Ln ${pos.line}, Col ${pos.col}`);

    // ---- the quick-fix menu ---------------------------------------------------------------------
    const TARGET = /await asyncio\.sleep/;
    const actionRows = page.locator('.action-widget .monaco-list-row.action');
    const labels = await waitFor('the quick-fix menu with an "await asyncio.sleep" item', async () => {
      if (!(await actionRows.first().isVisible().catch(() => false))) {
        await page.keyboard.press('Control+.');
        await actionRows.first().waitFor({ state: 'visible', timeout: 15_000 });
      }
      const l = await actionRows.allInnerTexts();
      return l.some((t) => TARGET.test(t)) ? l : null;
    }, { timeoutMs: 90_000, intervalMs: 1_000 });
    log(`quick-fix menu items: ${JSON.stringify(labels)}`);
    await screenshot(page, 'editor-tw101-quickfix-menu.png');

    await focusAction(page, TARGET, labels);
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});

    // ---- the edit, in the editor and on disk ----------------------------------------------------
    const expectedLine = '    await asyncio.sleep(delay)';
    await waitFor('the editor to show the fixed line', async () => (await editorLines(page)).some((l) => l === expectedLine), { timeoutMs: 30_000 });
    log('editor shows the fixed line; saving');
    await page.keyboard.press('Control+S');
    const onDisk = join(server.workspace, FILE);
    const saved = await waitFor(`${FILE} on disk to contain the fix`, async () => {
      const text = readFileSync(onDisk, 'utf8');
      return text.includes('await asyncio.sleep(delay)') ? text : null;
    }, { timeoutMs: 30_000 });
    const savedLines = saved.split('\n');
    assert.equal(savedLines[FIX_LINE - 1], expectedLine, `line ${FIX_LINE} on disk`);
    // asyncio is already imported, so nothing else may change.
    const expected = original.split('\n');
    expected[FIX_LINE - 1] = expectedLine;
    assert.equal(saved, expected.join('\n'), 'the whole file after the fix');
    assert.equal(readFileSync(join(FIXTURE_DIR, FILE), 'utf8'), original, 'the repository fixture is untouched');

    // ---- the finding is gone --------------------------------------------------------------------
    // The panel stays open from before; Ctrl+Shift+M toggles it, so press it only if it closed.
    if (!(await page.locator('.markers-panel').first().isVisible())) await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 30_000 });
    const after = await waitFor('TW101 to leave the Problems panel', async () => {
      const r = await problemRows(page);
      return r.some(isTW101) ? null : { rows: r };
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    // And stay gone (a late re-publish of stale diagnostics would bring it back).
    await sleep(3_000);
    const later = await problemRows(page);
    assert.ok(!later.some(isTW101), `TW101 came back in the Problems panel: ${JSON.stringify(later)}`);
    log(`Problems rows after the fix: ${JSON.stringify(after.rows)}`);
    await screenshot(page, 'editor-tw101-fixed.png');
  });
});
