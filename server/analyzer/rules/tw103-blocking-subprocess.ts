import { BLOCKING_SUBPROCESS } from '../model/blocking-calls';
import { blockingInAsync } from './blocking-in-async';

/** Calls that start a process and return: moving them to a thread leaves the later waits blocking. */
const STARTERS = new Set(['subprocess.Popen', 'os.popen', 'os.posix_spawn', 'os.posix_spawnp']);

export const blockingSubprocess = blockingInAsync(
  {
    code: 'TW103',
    name: 'blocking-subprocess',
    severity: 'warning',
    fix: 'quick',
    summary: 'subprocess or os process call inside async def blocks the event loop',
    description: 'Running or waiting for a process with `subprocess` or `os` in an `async def` blocks the whole event loop.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC220', 'ASYNC221', 'ASYNC222', 'S7487', 'S7489'],
  },
  BLOCKING_SUBPROCESS,
  (name) => STARTERS.has(name)
    ? 'to start a process (fork and exec block the thread); use asyncio.create_subprocess_exec().'
    : 'while it waits for the process; use asyncio.create_subprocess_exec() or asyncio.to_thread().',
  (name) => !STARTERS.has(name),
);
