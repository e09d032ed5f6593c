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
}

export function toCliFinding(file: string, lines: LineIndex, f: Finding): CliFinding {
  const at = (offset: number) => ({ line: lines.lineOf(offset) + 1, column: lines.codePointColumn(offset) + 1 });
  const start = at(f.start);
  const end = at(f.end);
  const out: CliFinding = {
    file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column,
    code: f.code, severity: f.severity, message: f.message,
  };
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
