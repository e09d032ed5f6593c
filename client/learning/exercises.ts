import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveWalkthrough, walkthroughFile, walkthroughs } from './catalogue';

export const EXERCISE_FOLDER = 'threadwise-exercises';

/** The context key a walkthrough step's completionEvents waits for. */
export function solvedContextKey(id: string): string {
  return `threadwise.exercise.${id}.solved`;
}

/** A suppression comment hides a finding without fixing it; that does not solve an exercise. */
const SUPPRESSION = /#\s*(?:threadwise:\s*ignore|noqa)\b/;

/**
 * Where exercise copies go: a folder in the first workspace folder, so learners find and keep
 * them, or the extension's global storage when no folder is open.
 */
function exerciseDir(context: vscode.ExtensionContext): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, EXERCISE_FOLDER) : vscode.Uri.joinPath(context.globalStorageUri, EXERCISE_FOLDER);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Copies the exercise to a writable place (once: a second open keeps the learner's edits) and opens it. */
export async function openExercise(context: vscode.ExtensionContext, arg: unknown): Promise<void> {
  const extension = context.extension;
  const walkthrough = await resolveWalkthrough(extension, arg, 'Open the exercise of which walkthrough?');
  if (!walkthrough) return;
  const dir = exerciseDir(context);
  const target = vscode.Uri.joinPath(dir, `${walkthrough.id}.py`);
  try {
    if (!(await exists(target))) {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.copy(walkthroughFile(extension, walkthrough.id, 'exercise.py'), target, { overwrite: false });
    }
  } catch (err) {
    void vscode.window.showErrorMessage(`Threadwise: could not copy the exercise to ${target.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

/**
 * Watches Threadwise's findings in exercise files and sets each exercise's context key once the
 * file has been analysed with findings and then has none left.
 */
export class ExerciseTracker implements vscode.Disposable {
  /** Exercise files (by URI) in which Threadwise has reported findings since they were opened. */
  private readonly analysed = new Set<string>();
  private readonly warnedSuppression = new Set<string>();
  private readonly solved = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) this.update(uri);
      }),
      // Closing a file clears its diagnostics: that is not a fix, so the file must be analysed again.
      vscode.workspace.onDidCloseTextDocument((doc) => this.analysed.delete(doc.uri.toString())),
    );
  }

  /** The walkthrough id when uri is one of the exercise copies, else undefined. */
  exerciseId(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote') return undefined;
    const parsed = path.posix.parse(uri.path);
    if (parsed.ext !== '.py' || path.posix.basename(parsed.dir) !== EXERCISE_FOLDER) return undefined;
    return walkthroughs(this.context.extension).find((w) => w.id === parsed.name)?.id;
  }

  private update(uri: vscode.Uri): void {
    const id = this.exerciseId(uri);
    if (!id) return;
    const key = uri.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (!doc) return;
    const findings = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'threadwise');
    if (findings.length > 0) {
      // Diagnostics arrive only after the server analysed the file: from now on an empty list
      // means "fixed", not "not looked at yet".
      this.analysed.add(key);
      void this.setSolved(id, false);
      return;
    }
    if (!this.analysed.has(key)) return;
    if (SUPPRESSION.test(doc.getText())) {
      if (!this.warnedSuppression.has(key)) {
        this.warnedSuppression.add(key);
        void vscode.window.showInformationMessage('Threadwise: an ignore comment hides the finding but does not fix it. Remove it and apply the quick fix to complete the exercise.');
      }
      return;
    }
    void this.setSolved(id, true);
  }

  private async setSolved(id: string, solved: boolean): Promise<void> {
    if ((this.solved.get(id) ?? false) === solved) return;
    this.solved.set(id, solved);
    await vscode.commands.executeCommand('setContext', solvedContextKey(id), solved);
    if (solved) vscode.window.setStatusBarMessage(`$(check) Threadwise: exercise "${id}" solved`, 8000);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
