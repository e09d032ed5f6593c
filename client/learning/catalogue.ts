import * as vscode from 'vscode';

/** A walkthrough as package.json contributes it; the manifest is the one list of walkthroughs. */
export interface WalkthroughInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

/** The extension's own walkthroughs, read from its manifest so code and package.json cannot drift. */
export function walkthroughs(extension: vscode.Extension<unknown>): WalkthroughInfo[] {
  const contributed: unknown = extension.packageJSON?.contributes?.walkthroughs;
  if (!Array.isArray(contributed)) return [];
  return contributed
    .filter((w): w is WalkthroughInfo => typeof w?.id === 'string' && typeof w?.title === 'string')
    .map((w) => ({ id: w.id, title: w.title, description: typeof w.description === 'string' ? w.description : '' }));
}

/** `publisher.name#id`: the form workbench.action.openWalkthrough expects. */
export function qualifiedWalkthroughId(extension: vscode.Extension<unknown>, id: string): string {
  return `${extension.id}#${id}`;
}

/**
 * The walkthrough id named by a command argument. Command links pass a JSON array, so the
 * argument arrives as a string; anything else (a palette invocation, a bad link) is undefined.
 */
export function walkthroughArg(extension: vscode.Extension<unknown>, arg: unknown): WalkthroughInfo | undefined {
  const id = typeof arg === 'string' ? arg : undefined;
  return id === undefined ? undefined : walkthroughs(extension).find((w) => w.id === id);
}

/** Quick pick of the walkthroughs, for commands run from the palette without an argument. */
export async function pickWalkthrough(extension: vscode.Extension<unknown>, placeHolder: string): Promise<WalkthroughInfo | undefined> {
  const items = walkthroughs(extension).map((w) => ({ label: w.title.replace(/^Threadwise:\s*/, ''), detail: w.description, walkthrough: w }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
  return picked?.walkthrough;
}

/** The walkthrough from the argument, or asked for when there is none; undefined if the user cancels. */
export async function resolveWalkthrough(extension: vscode.Extension<unknown>, arg: unknown, placeHolder: string): Promise<WalkthroughInfo | undefined> {
  if (arg !== undefined) {
    const found = walkthroughArg(extension, arg);
    if (found) return found;
    void vscode.window.showErrorMessage(`Threadwise: no walkthrough named ${JSON.stringify(arg)}.`);
    return undefined;
  }
  return pickWalkthrough(extension, placeHolder);
}

/** A file of a walkthrough inside the installed extension. */
export function walkthroughFile(extension: vscode.Extension<unknown>, id: string, name: string): vscode.Uri {
  return vscode.Uri.joinPath(extension.extensionUri, 'walkthroughs', id, name);
}
