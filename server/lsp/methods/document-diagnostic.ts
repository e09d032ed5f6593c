import { LSPErrorCodes, ResponseError, type CancellationToken, type DocumentDiagnosticParams, type DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { Session } from '../session';

/** `textDocument/diagnostic`: a pull client asks for one document's findings. */
export async function documentDiagnostic(session: Session, params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
  session.refuseAfterShutdown();
  const { diagnostics, resultId } = await session.diagnosticsFor(params.textDocument.uri);
  // A pull the client cancelled (a change came in) gets the answer LSP asks for; the analysis
  // is cached by version, so the client's next pull reuses it.
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
  if (resultId !== undefined && params.previousResultId === resultId) return { kind: 'unchanged', resultId };
  return resultId !== undefined ? { kind: 'full', resultId, items: diagnostics } : { kind: 'full', items: diagnostics };
}
