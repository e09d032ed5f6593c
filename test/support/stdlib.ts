import { execFileSync } from 'node:child_process';

/** The parts of the python3 standard library about concurrency: the real code the rules are held to. */
export const STDLIB_CONCURRENCY = ['asyncio', 'concurrent', 'threading.py', 'multiprocessing', 'queue.py', 'socketserver.py'];

let dir: string | undefined;
/** The standard library of the machine's python3, asked once per process. */
export function stdlibDir(): string {
  dir ??= execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  return dir;
}
