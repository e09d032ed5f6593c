import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { filePathOf, type Session } from '../session';

/** `textDocument/hover`: over a `def` name or a call, what the project index knows of the function. */
export async function hover(session: Session, params: HoverParams): Promise<Hover | null> {
  session.refuseAfterShutdown();
  const entry = session.store?.get(params.textDocument.uri);
  const file = filePathOf(params.textDocument.uri);
  if (!entry || !file || entry.tooLarge) return null;
  const { settings, options } = await session.resolvedFor(entry.uri);
  if (!settings.enable || options.excluded) return null;
  const value = await session.project.hover(entry, file, entry.doc.offsetAt(params.position));
  return value ? { contents: { kind: 'markdown', value } } : null;
}
