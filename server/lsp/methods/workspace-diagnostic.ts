import type { WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { Session } from '../session';

/**
 * `workspace/diagnostic`: the findings of files that are not open, in workspace mode (open files
 * are pulled one by one). The client asks every few seconds, so a file whose findings did not
 * change since the id it sends is answered with `unchanged`.
 */
export function workspaceDiagnostic(session: Session, params: WorkspaceDiagnosticParams): WorkspaceDiagnosticReport {
  session.refuseAfterShutdown();
  const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
  const items: WorkspaceDocumentDiagnosticReport[] = [];
  for (const report of session.project.diskReports()) {
    if (session.store?.get(report.uri)) continue;
    items.push(previous.get(report.uri) === report.resultId
      ? { kind: 'unchanged', uri: report.uri, version: null, resultId: report.resultId }
      : { kind: 'full', uri: report.uri, version: null, resultId: report.resultId, items: report.diagnostics });
  }
  for (const uri of session.project.takeCleared()) {
    if (!session.store?.get(uri)) items.push({ kind: 'full', uri, version: null, items: [] });
  }
  return { items };
}
