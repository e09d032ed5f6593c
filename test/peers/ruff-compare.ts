// Side-by-side comparison with Ruff's flake8-async port and the other Ruff rules that have a
// Threadwise counterpart. Both tools run in this process over the same text; Ruff's codes are
// mapped through the peers column of the rule catalogue, and a finding counts as shared when both
// report the same Threadwise code on the same line. What is left over is a disagreement, which
// test/baseline/ruff-differences.txt must explain (test/unit/ruff-comparison.test.ts).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import { collectPythonFiles, readSource } from '../../server/cli/files';
import { STDLIB_CONCURRENCY, stdlibDir } from '../support/stdlib';

export const RUFF_SELECT = ['ASYNC', 'RUF006', 'PLE1142', 'PLW2101', 'B023'];

/** Ruff code -> Threadwise code, from the peers column of RULES.md. */
export const RUFF_TO_THREADWISE: Readonly<Record<string, string>> = {
  ASYNC251: 'TW101',
  ASYNC210: 'TW102', ASYNC211: 'TW102', ASYNC212: 'TW102',
  ASYNC220: 'TW103', ASYNC221: 'TW103', ASYNC222: 'TW103',
  ASYNC230: 'TW104', ASYNC231: 'TW104',
  ASYNC250: 'TW105',
  RUF006: 'TW202', ASYNC300: 'TW202',
  ASYNC103: 'TW203', ASYNC104: 'TW203',
  ASYNC110: 'TW206',
  PLE1142: 'TW208',
  PLW2101: 'TW402',
  B023: 'TW304',
};

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface Disagreement {
  /** Corpus-relative path: `fixtures/...` or `stdlib/...`. */
  file: string;
  line: number;
  /** The Threadwise code both sides are compared under. */
  code: string;
  /** Which side reported it: `ruff:ASYNC230` or `threadwise`. */
  side: string;
  text: string;
}

export interface Comparison {
  files: number;
  shared: number;
  disagreements: Disagreement[];
  /** Ruff findings whose rule has no Threadwise counterpart, by code (not disagreements). */
  ruffOnlyRules: Record<string, number>;
}

interface Corpus { label: string; root: string; files: string[] }

export function corpora(): Corpus[] {
  const fixtures = path.join(REPO_ROOT, 'test', 'fixtures');
  const stdlib = stdlibDir();
  const fail = (p: string): never => { throw new Error(`missing ${p}`); };
  return [
    { label: 'fixtures', root: fixtures, files: collectPythonFiles([fixtures], fail) },
    { label: 'stdlib', root: stdlib, files: collectPythonFiles(STDLIB_CONCURRENCY.map((c) => path.join(stdlib, c)), fail) },
  ];
}

interface RuffDiagnostic { code: string | null; start_location: { row: number } }
interface RuffWorkspace { check(text: string): RuffDiagnostic[] }

function ruffWorkspace(): RuffWorkspace {
  const ruff = createRequire(__filename)('@astral-sh/ruff-wasm-nodejs');
  const [major, minor] = execFileSync('python3', ['-c', 'import sys; print(*sys.version_info[:2])'], { encoding: 'utf8' }).trim().split(' ');
  return new ruff.Workspace({ 'target-version': `py${major}${minor}`, lint: { select: RUFF_SELECT } }, ruff.PositionEncoding.Utf16);
}

export async function compare(): Promise<Comparison> {
  const ruff = ruffWorkspace();
  const result: Comparison = { files: 0, shared: 0, disagreements: [], ruffOnlyRules: {} };
  for (const corpus of corpora()) {
    for (const file of corpus.files) {
      result.files++;
      const source = readSource(file);
      const lines = source.split(/\r\n|\r|\n/);
      const rel = `${corpus.label}/${path.relative(corpus.root, file).split(path.sep).join('/')}`;
      // Key: `line code`; values: which side reported it. A line can carry the same code twice.
      const ours = new Map<string, number>();
      const index = new LineIndex(source);
      for (const f of (await analyzeSource(source)).findings) {
        if (!Object.values(RUFF_TO_THREADWISE).includes(f.code)) continue;
        const key = `${index.lineOf(f.start) + 1} ${f.code}`;
        ours.set(key, (ours.get(key) ?? 0) + 1);
      }
      const theirs = new Map<string, string>();
      for (const d of ruff.check(source)) {
        if (d.code === null || d.code === 'invalid-syntax') continue;
        const code = RUFF_TO_THREADWISE[d.code];
        if (!code) { result.ruffOnlyRules[d.code] = (result.ruffOnlyRules[d.code] ?? 0) + 1; continue; }
        theirs.set(`${d.start_location.row} ${code}`, d.code);
      }
      const record = (key: string, side: string): void => {
        const [line, code] = key.split(' ');
        result.disagreements.push({ file: rel, line: Number(line), code: code!, side, text: (lines[Number(line) - 1] ?? '').trim() });
      };
      for (const [key, ruffCode] of theirs) {
        if (ours.has(key)) result.shared++;
        else record(key, `ruff:${ruffCode}`);
      }
      for (const key of ours.keys()) if (!theirs.has(key)) record(key, 'threadwise');
    }
  }
  return result;
}

/** One line per disagreement, the form test/baseline/ruff-differences.txt keys on. */
export function disagreementKey(d: Disagreement): string {
  return `${d.file} | ${d.code} | ${d.side} | ${d.text}`;
}

if (require.main === module) {
  void compare().then((c) => {
    for (const d of c.disagreements) console.log(`${d.file}:${d.line} | ${d.code} | ${d.side} | ${d.text}`);
    console.log(`\n${c.files} files; ${c.shared} findings shared; ${c.disagreements.length} disagreements; Ruff rules with no Threadwise counterpart: ${JSON.stringify(c.ruffOnlyRules)}`);
  });
}
