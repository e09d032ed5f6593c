/**
 * A module for the tests of quick answers to edits (`threadwise.editCheck`): one blocking call in
 * a coroutine (TW101 in `handler`), and a function whose update of a global becomes a finding
 * (TW502) only once `main()` runs it on a thread.
 */
export const EDITED_MODULE = [
  'import asyncio',
  'import threading',
  'import time',
  '',
  'counter = 0',
  '',
  '',
  'def worker():',
  '    global counter',
  '    counter += 1',
  '',
  '',
  'async def fetch():',
  '    await asyncio.sleep(1)',
  '',
  '',
  'async def handler():',
  '    time.sleep(2)',
  '',
  '',
  'def main():',
  '    pass',
  '',
].join('\n');
