import * as vscode from 'vscode';
import { resolveWalkthrough, walkthroughFile } from './catalogue';

/** Opens a walkthrough's example beside the walkthrough page, read-only: it is the reference copy. */
export async function openExample(extension: vscode.Extension<unknown>, arg: unknown): Promise<void> {
  const walkthrough = await resolveWalkthrough(extension, arg, 'Open the example of which walkthrough?');
  if (!walkthrough) return;
  const uri = walkthroughFile(extension, walkthrough.id, 'example.py');
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

const TERMINAL_NAME = 'Threadwise examples';

/** The interpreter command: python3 where it exists by that name, the py launcher on Windows. */
function pythonCommand(): string {
  return process.platform === 'win32' ? 'py -3' : 'python3';
}

/** Runs a walkthrough's example with python3 in an integrated terminal the learner can reuse. */
export async function runExample(extension: vscode.Extension<unknown>, arg: unknown): Promise<void> {
  const walkthrough = await resolveWalkthrough(extension, arg, 'Run the example of which walkthrough?');
  if (!walkthrough) return;
  const dir = walkthroughFile(extension, walkthrough.id, '');
  // A fresh terminal per run starts in the example's folder, so the command needs no path quoting.
  vscode.window.terminals.find((t) => t.name === TERMINAL_NAME)?.dispose();
  const terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd: dir });
  terminal.show(true);
  terminal.sendText(`${pythonCommand()} example.py`);
}
