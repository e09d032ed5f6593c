import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Location, type Position, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocsUrl } from '../analyzer/docs-location';
import type { Finding, Fix, RelatedLocation, Severity, TextEdit } from '../analyzer/rules/rule';

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

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const data: DiagnosticData = f.fix ? { fix: { title: f.fix.title, safety: f.fix.safety, edits: toLspEdits(doc, f.fix.edits) } } : {};
  const diagnostic: Diagnostic = {
    range: toRange(doc, f.start, f.end),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocsUrl(f.code) },
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
