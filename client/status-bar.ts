import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

const PROBLEMS = 'workbench.actions.view.problems';
const RESTART = 'threadwise.restartServer';

/** The text the item shows; exported so the wording is defined in one place. */
export function statusText(state: State, findings: number): string {
  if (state === State.Starting) return '$(sync~spin) Threadwise';
  if (state === State.Stopped) return '$(circle-slash) Threadwise: stopped';
  return findings === 0 ? '$(check) Threadwise' : `$(warning) Threadwise: ${findings}`;
}

/**
 * A status-bar item for Python editors: the server's state and the number of Threadwise findings
 * in the active file. A click opens the Problems panel (or, once the server has stopped,
 * restarts it).
 */
export class ThreadwiseStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.item = vscode.window.createStatusBarItem('threadwise.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Threadwise';
    this.subscriptions.push(
      this.item,
      client.onDidChangeState(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.render();
      }),
    );
    this.render();
  }

  private findingsInActiveFile(): number {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return 0;
    return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'threadwise').length;
  }

  render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = this.client.state;
    // Out of the way in other languages, unless there is bad news to tell.
    if (doc?.languageId !== 'python' && state !== State.Stopped) {
      this.item.hide();
      return;
    }
    const findings = this.findingsInActiveFile();
    this.item.text = statusText(state, findings);
    const stateWord = state === State.Running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**Threadwise** server: ${stateWord}\n\n`);
    if (state === State.Stopped) {
      tooltip.appendMarkdown('Click to restart the server.');
      this.item.command = { title: 'Restart Threadwise', command: RESTART };
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      tooltip.appendMarkdown(`${findings} finding${findings === 1 ? '' : 's'} in this file. Click to open the Problems panel.`);
      this.item.command = { title: 'Show Problems', command: PROBLEMS };
      this.item.backgroundColor = undefined;
    }
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `Threadwise ${stateWord}${state === State.Running ? `, ${findings} finding${findings === 1 ? '' : 's'} in this file` : ''}`,
    };
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
