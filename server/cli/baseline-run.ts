import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FindingKey } from '../baseline/fingerprint';
import { baselineFileName, formatBaseline, loadBaseline, parseBaseline, type Baseline, type BaselineEntry } from '../baseline/file';

/** One file checked against a baseline: which of its entries matched. */
interface CheckedFile {
  readonly entries: readonly BaselineEntry[];
  readonly matched: Set<number>;
}

/**
 * The baselines one `check` run uses (one per pyproject.toml `baseline`, or the `--baseline` file
 * for all): loaded once each, with each problem reported once, and what matched, so the entries
 * that no longer match anything can be named at the end and the file can shrink.
 */
export class BaselineRun {
  private readonly loaded = new Map<string, Baseline | undefined>();
  private readonly checked = new Map<string, Map<string, CheckedFile>>();
  hidden = 0;

  constructor(
    private readonly problem: (baselinePath: string, message: string) => void,
  ) {}

  /** The usable baseline at `file`, or undefined (reported once) when it cannot be used. */
  private baseline(file: string): Baseline | undefined {
    const abs = path.resolve(file);
    if (!this.loaded.has(abs)) {
      const loaded = loadBaseline(abs);
      if ('problem' in loaded) this.problem(abs, `${loaded.problem}; the baseline is not used, so every finding is reported.`);
      this.loaded.set(abs, 'baseline' in loaded ? loaded.baseline : undefined);
    }
    return this.loaded.get(abs);
  }

  /** The entries recorded for `file` in the baseline at `baselinePath`; undefined when it is unusable. */
  entriesFor(baselinePath: string, file: string): { readonly baseline: string; readonly name: string; readonly entries: readonly BaselineEntry[] } | undefined {
    const b = this.baseline(baselinePath);
    if (!b) return undefined;
    const name = baselineFileName(b.dir, file);
    return { baseline: b.path, name, entries: b.byFile.get(name) ?? [] };
  }

  /** Records that a file was checked, and which of its entries matched a finding. */
  checkedFile(baseline: string, name: string, entries: readonly BaselineEntry[], matched: readonly number[], hidden: number): void {
    let files = this.checked.get(baseline);
    if (!files) this.checked.set(baseline, (files = new Map()));
    files.set(name, { entries, matched: new Set(matched) });
    this.hidden += hidden;
  }

  /**
   * One line per baseline with stale entries: entries of checked files that matched no finding,
   * and entries of files that no longer exist. Entries of files this run did not check are left
   * alone: they may well still match.
   */
  staleNotes(shown: (file: string) => string): string[] {
    const notes: string[] = [];
    for (const [file, b] of this.loaded) {
      if (!b) continue;
      const files = this.checked.get(file) ?? new Map<string, CheckedFile>();
      const stale = new Map<string, number>();
      for (const [name, entries] of b.byFile) {
        const seen = files.get(name);
        const count = seen ? entries.length - seen.matched.size : fs.existsSync(path.resolve(b.dir, name)) ? 0 : entries.length;
        if (count > 0) stale.set(name, count);
      }
      if (stale.size === 0) continue;
      const total = [...stale.values()].reduce((a, n) => a + n, 0);
      const names = [...stale.keys()].sort((a, x) => (a < x ? -1 : a > x ? 1 : 0));
      const listed = names.slice(0, 10).map((n) => `${n}: ${stale.get(n)}`).join(', ') + (names.length > 10 ? `, and ${names.length - 10} more files` : '');
      notes.push(`baseline ${shown(file)}: ${total} ${total === 1 ? 'entry matches' : 'entries match'} no finding any more (${listed}); run \`threadwise check --write-baseline ${shown(file)}\` to drop ${total === 1 ? 'it' : 'them'}.`);
    }
    return notes;
  }
}

/** One checked file's findings, for --write-baseline. */
export interface RecordedFile {
  readonly file: string;
  readonly keys: readonly FindingKey[];
}

/**
 * Writes the baseline at `target` with every finding of the checked files. Entries already in that
 * file for files this run did not check, and that still exist, are kept, so recording one folder
 * does not forget another's. Returns how many findings in how many files were recorded.
 */
export function writeBaseline(target: string, recorded: readonly RecordedFile[]): { findings: number; files: number } {
  const dir = path.dirname(path.resolve(target));
  const entries: BaselineEntry[] = [];
  const checked = new Set<string>();
  for (const r of recorded) {
    const name = baselineFileName(dir, r.file);
    checked.add(name);
    for (const k of r.keys) entries.push({ file: name, code: k.code, scope: k.scope, fingerprint: k.fingerprint });
  }
  let previous: string | undefined;
  try {
    previous = fs.readFileSync(target, 'utf8');
  } catch {
    previous = undefined;
  }
  if (previous !== undefined) {
    const old = parseBaseline(previous, target);
    if ('baseline' in old) {
      for (const [name, list] of old.baseline.byFile) {
        if (!checked.has(name) && fs.existsSync(path.resolve(dir, name))) entries.push(...list);
      }
    }
  }
  fs.writeFileSync(target, formatBaseline(entries));
  return { findings: entries.length, files: new Set(entries.map((e) => e.file)).size };
}
