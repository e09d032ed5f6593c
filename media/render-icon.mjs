// Renders media/icon.svg to the 128x128 media/icon.png the extension manifest points at.
// Run from the repository root: node media/render-icon.mjs (needs Chromium: Debian's package,
// or THREADWISE_CHROMIUM pointing at another build).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const executablePath = process.env.THREADWISE_CHROMIUM || '/usr/bin/chromium';
const svg = readFileSync('media/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
  await page.screenshot({ path: 'media/icon.png', omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  console.log('wrote media/icon.png');
} finally {
  await browser.close();
}
