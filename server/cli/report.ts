import * as path from 'node:path';
import { LineIndex } from '../analyzer/line-index';
import type { Finding } from '../analyzer/rules/rule';

/** One finding as the CLI prints it: 1-based lines, columns in characters. */
export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
  fix?: { title: string; safety: string; edits: Array<{ line: number; column: number; endLine: number; endColumn: number; newText: string }> };
  /** Places in other files the finding involves (a cross-module chain); columns there count UTF-16 units. */
  related?: CliRelated[];
}

export interface CliRelated {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** How reports name a file: relative to the working directory, with forward slashes. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel === '' ? file : rel).split(path.sep).join('/');
}

export function toCliFinding(file: string, lines: LineIndex, f: Finding): CliFinding {
  const at = (offset: number) => ({ line: lines.lineOf(offset) + 1, column: lines.codePointColumn(offset) + 1 });
  const start = at(f.start);
  const end = at(f.end);
  const out: CliFinding = {
    file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column,
    code: f.code, severity: f.severity, message: f.message,
  };
  // Only locations in other files: the single-file rules' related locations stay out of reports, as before.
  const elsewhere = (f.related ?? []).filter((r) => r.file !== undefined && r.position !== undefined);
  if (elsewhere.length > 0) {
    out.related = elsewhere.map((r) => ({
      file: shownPath(r.file!),
      line: r.position!.line + 1,
      column: r.position!.character + 1,
      endLine: r.position!.endLine + 1,
      endColumn: r.position!.endCharacter + 1,
      message: r.message,
    }));
  }
  if (f.fix) {
    out.fix = {
      title: f.fix.title,
      safety: f.fix.safety,
      edits: f.fix.edits.map((e) => {
        const s = at(e.start);
        const t = at(e.end);
        return { line: s.line, column: s.column, endLine: t.line, endColumn: t.column, newText: e.newText };
      }),
    };
  }
  return out;
}
