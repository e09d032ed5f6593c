import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
/** The CLI tests run the bundle people install, not the sources: `npm run build` comes first. */
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const INPUTS = path.join(__dirname, 'inputs');
export const GOLDEN = path.join(__dirname, 'golden');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): CliRun {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? INPUTS,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A scratch copy of a folder (or an empty one), removed by the returned function. */
export function scratch(from?: string): { dir: string; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(require('node:os').tmpdir()), 'tw-cli-'));
  if (from) fs.cpSync(from, dir, { recursive: true });
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
