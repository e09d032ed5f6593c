import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, scratch } from './run-cli';

interface ValidatorLog {
  runs: Array<{
    results?: Array<{ ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }>;
    invocations?: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ message: { text: string } }> }>;
  }>;
}

export interface Validation {
  readonly status: number | null;
  readonly output: string;
  /** The validator's own findings ("ruleId level: message"), errors and warnings only. */
  readonly problems: string[];
}

/**
 * Runs Microsoft's SARIF validator (@microsoft/sarif-multitool) on a log. It exits 0 even when it
 * finds errors, so its own SARIF output is read to learn what it found.
 */
export function validateSarif(sarif: string): Validation {
  const tmp = scratch();
  try {
    const input = path.join(tmp.dir, 'log.sarif');
    const report = path.join(tmp.dir, 'validation.sarif');
    fs.writeFileSync(input, sarif);
    const bin = path.join(REPO, 'node_modules', '@microsoft', 'sarif-multitool', 'bin.js');
    const run = spawnSync(process.execPath, [bin, 'validate', input, '--output', report], {
      encoding: 'utf8',
      cwd: tmp.dir,
      // The .NET binary needs ICU unless told to use invariant globalization; it compares no text.
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    const output = `${run.stdout}${run.stderr}`;
    if (!fs.existsSync(report)) return { status: run.status, output, problems: [`the validator wrote no report: ${output}`] };
    const log = JSON.parse(fs.readFileSync(report, 'utf8')) as ValidatorLog;
    const problems: string[] = [];
    for (const r of log.runs) {
      for (const res of r.results ?? []) {
        const level = res.level ?? 'warning';
        if (level === 'error' || level === 'warning') problems.push(`${res.ruleId} ${level}: ${res.message.text ?? res.message.id ?? ''} ${(res.message.arguments ?? []).join(' | ')}`);
      }
      for (const inv of r.invocations ?? []) {
        if (!inv.executionSuccessful) problems.push(`validator run failed: ${(inv.toolExecutionNotifications ?? []).map((n) => n.message.text).join('; ')}`);
      }
    }
    return { status: run.status, output, problems };
  } finally {
    tmp.dispose();
  }
}
