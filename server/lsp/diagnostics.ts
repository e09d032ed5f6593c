import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Location, type Position, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocsUrl } from '../analyzer/docs-location';
import type { Finding, Fix, RelatedLocation, Severity, TextEdit } from '../analyzer/rules/rule';
import { commonPrefix, commonSuffix } from '../text/common-affix';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries in `data`: its fix, computed once with the finding. */
export interface DiagnosticData {
  readonly fix?: { title: string; safety: Fix['safety']; edits: LspTextEdit[] };
}

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toLspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText }));
}

/**
 * Where a related location is: offsets in the finding's own document, or, for a step of a chain in
 * another module, that file with the line and character the index recorded (its text may not be
 * open, so offsets could not be turned into a position here).
 */
function relatedLocation(doc: TextDocument, r: RelatedLocation): Location {
  if (r.file === undefined) return { uri: doc.uri, range: toRange(doc, r.start, r.end) };
  const p = r.position ?? { line: 0, character: 0, endLine: 0, endCharacter: 0 };
  return { uri: pathToFileURL(r.file).toString(), range: { start: { line: p.line, character: p.character }, end: { line: p.endLine, character: p.endCharacter } } };
}

/** One URL per rule: building it from a path is dear, and a dense file has hundreds of findings. */
const docsUrls = new Map<string, string>();
function docsUrl(code: string): string {
  let url = docsUrls.get(code);
  if (url === undefined) docsUrls.set(code, (url = ruleDocsUrl(code)));
  return url;
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const data: DiagnosticData = f.fix ? { fix: { title: f.fix.title, safety: f.fix.safety, edits: toLspEdits(doc, f.fix.edits) } } : {};
  const diagnostic: Diagnostic = {
    range: toRange(doc, f.start, f.end),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    source: 'threadwise',
    message: f.message,
    data,
  };
  if (f.related && f.related.length > 0) {
    diagnostic.relatedInformation = f.related.map((r) => ({ location: relatedLocation(doc, r), message: r.message }));
  }
  return diagnostic;
}

/** True when `p` names a place in the document as it is (not past a line's end or the last line). */
function inDocument(doc: TextDocument, p: Position): boolean {
  if (p.line < 0 || p.character < 0 || p.line >= doc.lineCount) return false;
  const back = doc.positionAt(doc.offsetAt(p));
  return back.line === p.line && back.character === p.character;
}

/**
 * Diagnostics computed for an earlier text, made valid for the document's current text: one that
 * starts beyond the text is dropped, an end beyond it is pulled back to the text's end. A diagnostic
 * that fits is returned as it is (the same object), so a caller can tell whether anything changed;
 * one that had to be cut loses the fix it carried, which was for text that is gone.
 */
export function clampToDocument(doc: TextDocument, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const fits = (r: Range): boolean => inDocument(doc, r.start) && inDocument(doc, r.end);
  const clamp = (r: Range): Range | undefined => {
    if (!inDocument(doc, r.start)) return undefined;
    return inDocument(doc, r.end) ? r : { start: r.start, end: doc.positionAt(doc.offsetAt(r.end)) };
  };
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const ownRelated = (d.relatedInformation ?? []).filter((r) => r.location.uri === doc.uri);
    if (fits(d.range) && ownRelated.every((r) => fits(r.location.range))) {
      out.push(d);
      continue;
    }
    const range = clamp(d.range);
    if (!range) continue;
    const cut: Diagnostic = { ...d, range, data: {} satisfies DiagnosticData };
    if (d.relatedInformation) {
      cut.relatedInformation = d.relatedInformation.flatMap((r) => {
        if (r.location.uri !== doc.uri) return [r];
        const related = clamp(r.location.range);
        return related ? [{ ...r, location: { uri: r.location.uri, range: related } }] : [];
      });
    }
    out.push(cut);
  }
  return out;
}

/** Everything a finding's diagnostic is made of, with its offsets taken `shift` back. */
function shapeOf(f: Finding, shift: number): string {
  let key = `${f.code}\u0000${f.severity}\u0000${f.start - shift}\u0000${f.end - shift}\u0000${f.message}`;
  if (f.fix) {
    key += `\u0001${f.fix.title}\u0000${f.fix.safety}`;
    for (const e of f.fix.edits) key += `\u0000${e.start - shift}\u0000${e.end - shift}\u0000${e.newText}`;
  }
  if (f.related) {
    for (const r of f.related) {
      // A place in another file does not move with this document's edits; its file and position
      // are part of the shape, so a change there (the index re-summarised it) converts afresh.
      if (r.file !== undefined) key += `\u0003${r.file}\u0000${JSON.stringify(r.position)}\u0000${r.start}\u0000${r.end}\u0000${r.message}`;
      else key += `\u0002${r.start - shift}\u0000${r.end - shift}\u0000${r.message}`;
    }
  }
  return key;
}

/** The lowest and highest offsets a finding's diagnostic refers to. */
function spanOf(f: Finding): [number, number] {
  let lo = f.start;
  let hi = f.end;
  for (const e of f.fix?.edits ?? []) {
    lo = Math.min(lo, e.start);
    hi = Math.max(hi, e.end);
  }
  for (const r of f.related ?? []) {
    if (r.file !== undefined) continue; // offsets in another file say nothing of this one
    lo = Math.min(lo, r.start);
    hi = Math.max(hi, r.end);
  }
  return [lo, hi];
}

const movedRange = (r: Range, lines: number): Range => ({
  start: { line: r.start.line + lines, character: r.start.character },
  end: { line: r.end.line + lines, character: r.end.character },
});

/** A diagnostic of a finding on lines wholly after an edit, moved down by the lines the edit added. */
function moved(d: Diagnostic, lines: number, uri: string): Diagnostic {
  const out: Diagnostic = { ...d, range: movedRange(d.range, lines) };
  const fix = (d.data as DiagnosticData | undefined)?.fix;
  if (fix) out.data = { fix: { ...fix, edits: fix.edits.map((e) => ({ range: movedRange(e.range, lines), newText: e.newText })) } } satisfies DiagnosticData;
  if (d.relatedInformation) {
    // Only places in this document move; a step of a chain in another file stays where it is.
    out.relatedInformation = d.relatedInformation.map((r) => (r.location.uri !== uri ? r : { ...r, location: { uri, range: movedRange(r.location.range, lines) } }));
  }
  return out;
}

let resultIds = 0;

/**
 * One document's findings converted to diagnostics, kept from one version to the next. A dense
 * file re-sends hundreds of unchanged diagnostics on every keystroke; a finding wholly before the
 * edited lines reuses its diagnostic as it is, one wholly after them reuses it moved by the lines
 * the edit added, and only findings on or across the edited lines are converted afresh. The result
 * id changes only when the list does, so a pull client can be answered `unchanged`.
 */
export class ConvertedDiagnostics {
  private last: { lineCount: number; text: string; shapes: Map<string, Diagnostic>; diagnostics: Diagnostic[]; resultId: string } | undefined;

  convert(doc: TextDocument, findings: readonly Finding[]): { diagnostics: Diagnostic[]; resultId: string } {
    const text = doc.getText();
    const last = this.last;
    const diagnostics: Diagnostic[] = [];
    const shapes = new Map<string, Diagnostic>();
    // Offsets up to `safeBefore` lie on lines the edit left alone (as do offsets from `safeAfter`
    // on, `delta` further along than before); by default nothing is safe.
    let safeBefore = -1;
    let safeAfter = Infinity;
    let delta = 0;
    let lines: number | undefined;
    if (last) {
      const prefix = commonPrefix(last.text, text);
      if (prefix === text.length && prefix === last.text.length) {
        safeBefore = text.length;
      } else {
        const suffix = commonSuffix(last.text, text, Math.min(last.text.length, text.length) - prefix);
        delta = text.length - last.text.length;
        safeBefore = text.lastIndexOf('\n', prefix - 1);
        const nl = text.indexOf('\n', text.length - suffix);
        if (nl >= 0) safeAfter = nl + 1;
      }
    }
    for (const f of findings) {
      let d: Diagnostic | undefined;
      if (last) {
        const [lo, hi] = spanOf(f);
        if (hi <= safeBefore) {
          const shape = shapeOf(f, 0);
          d = last.shapes.get(shape);
          if (d) shapes.set(shape, d);
        } else if (lo >= safeAfter) {
          const oldShape = shapeOf(f, delta);
          const old = last.shapes.get(oldShape);
          if (old) {
            // Every line break from `safeAfter` on is in both texts, so the line counts differ by as
            // much as the lines before it do (the document object is updated in place, so the
            // old text's count is kept rather than asked for).
            lines ??= doc.lineCount - last.lineCount;
            d = lines === 0 ? old : moved(old, lines, doc.uri);
            shapes.set(delta === 0 ? oldShape : shapeOf(f, 0), d);
          }
        }
      }
      if (!d) {
        d = toDiagnostic(doc, f);
        shapes.set(shapeOf(f, 0), d);
      }
      diagnostics.push(d);
    }
    const same = last !== undefined && last.diagnostics.length === diagnostics.length && diagnostics.every((d, i) => d === last.diagnostics[i]);
    const resultId = same ? last.resultId : `d${++resultIds}`;
    this.last = { lineCount: doc.lineCount, text, shapes, diagnostics, resultId };
    return { diagnostics, resultId };
  }

  /** The document went away or its diagnostics are no longer wanted: the next conversion starts afresh. */
  clear(): void {
    this.last = undefined;
  }
}
