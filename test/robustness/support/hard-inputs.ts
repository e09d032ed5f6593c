import * as fs from 'node:fs';
import * as path from 'node:path';
import { stdlibAsyncioDir } from './corpus';

/** Four lines with one TW101 on line 4 (index 3), characters 4 to 17. */
export const TW101_FILE = 'import time\nasync def f():\n    x = 1\n    time.sleep(1)\n';

/**
 * At least `chars` characters of real code (asyncio's tasks.py, clean under every rule, repeated)
 * followed by TW101_FILE, so the one finding is on the last lines.
 */
export function bigFile(chars: number): string {
  const unit = fs.readFileSync(path.join(stdlibAsyncioDir(), 'tasks.py'), 'utf8');
  const parts: string[] = [];
  for (let n = 0; n < chars; n += unit.length) parts.push(unit.endsWith('\n') ? unit : `${unit}\n`);
  parts.push(TW101_FILE);
  return parts.join('');
}

/** `depth` levels of alternating def and if, one space of indentation per level. */
export function nestedDefs(depth: number): string {
  const out: string[] = [];
  for (let i = 0; i < depth; i++) out.push(`${' '.repeat(i)}${i % 2 === 0 ? `def f${i}():` : 'if x:'}`);
  out.push(`${' '.repeat(depth)}pass`);
  return `${out.join('\n')}\n`;
}
