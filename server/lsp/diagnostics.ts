import { DiagnosticSeverity, type Diagnostic, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocsUrl } from '../analyzer/docs-location';
import type { Finding, Fix, Severity, TextEdit } from '../analyzer/rules/rule';

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
    diagnostic.relatedInformation = f.related.map((r) => ({
      location: { uri: doc.uri, range: toRange(doc, r.start, r.end) },
      message: r.message,
    }));
  }
  return diagnostic;
}
