import type { DidChangeConfigurationParams } from 'vscode-languageserver/node';
import { parseSettings } from '../settings';
import type { Session } from '../session';
import { checkUnopened } from '../workspace/indexer';

/** `workspace/didChangeConfiguration`: new settings, pushed by the client or to be asked for again. */
export function didChangeConfiguration(session: Session, change: DidChangeConfigurationParams): void {
  const settings = (change.settings as { threadwise?: unknown } | undefined)?.threadwise;
  if (settings !== undefined) session.globalSettings = parseSettings(settings);
  // A setting fixed and broken again deserves a second message.
  session.forgetWarnings('threadwise.');
  session.recheckAll();
  // The files that are not open follow too: `diagnosticMode`, `select` and the rest apply to them.
  checkUnopened(session).catch((err) => session.log(`Checking the workspace failed: ${String(err)}`));
}
