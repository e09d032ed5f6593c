/**
 * The offsets where lines start. A lone `\r` ends a line for LSP and Python
 * (`loneCrEndsLine`), not for tree-sitter's rows.
 */
export function lineStarts(text: string, loneCrEndsLine: boolean): number[] {
  const starts = [0];
  if (!loneCrEndsLine || text.indexOf('\r') < 0) {
    // The common case, found with the engine's native search instead of a loop over every character.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** The zero-based line of an offset, by binary search over `lineStarts`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Maps UTF-16 offsets to zero-based lines and columns and back, with one scan of the text. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = lineStarts(text, true);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    return lineAt(this.starts, offset);
  }

  /** The offset where a zero-based line starts (the end of the text past the last line). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  position(offset: number): { line: number; character: number } {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line]! };
  }

  /** Column counted in Unicode code points, as people and most CLIs count characters. */
  codePointColumn(offset: number): number {
    const line = this.lineOf(offset);
    let n = 0;
    for (let i = this.starts[line]!; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) n++;
    }
    return n;
  }
}
