import * as vscode from 'vscode';
import { pickWalkthrough, qualifiedWalkthroughId, walkthroughArg } from './catalogue';
import { openExample, runExample } from './examples';
import { ExerciseTracker, openExercise } from './exercises';
import { PatternPreviewProvider, insertPattern } from './snippets';

/** Opens one of the extension's walkthroughs on the Welcome page. */
async function openWalkthrough(extension: vscode.Extension<unknown>, arg: unknown): Promise<void> {
  const walkthrough = walkthroughArg(extension, arg) ?? (await pickWalkthrough(extension, 'Which walkthrough?'));
  if (!walkthrough) return;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', qualifiedWalkthroughId(extension, walkthrough.id), false);
}

/** The learning features: walkthrough commands, exercise tracking and pattern insertion. */
export function registerLearning(context: vscode.ExtensionContext): void {
  const extension = context.extension;
  const preview = new PatternPreviewProvider();
  context.subscriptions.push(
    new ExerciseTracker(context),
    PatternPreviewProvider.register(preview),
    vscode.commands.registerCommand('threadwise.openWalkthrough', (arg?: unknown) => openWalkthrough(extension, arg)),
    vscode.commands.registerCommand('threadwise.openExample', (arg?: unknown) => openExample(extension, arg)),
    vscode.commands.registerCommand('threadwise.runExample', (arg?: unknown) => runExample(extension, arg)),
    vscode.commands.registerCommand('threadwise.openExercise', (arg?: unknown) => openExercise(context, arg)),
    vscode.commands.registerCommand('threadwise.insertPattern', (arg?: unknown) => insertPattern(extension, preview, arg)),
  );
}
