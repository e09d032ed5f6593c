import * as vscode from 'vscode';
import { expandDefaults, parseSnippets, type Pattern } from './snippet-text';

/** Every Python snippet the extension contributes (its package.json `contributes.snippets`). */
export async function loadPatterns(extension: vscode.Extension<unknown>): Promise<Pattern[]> {
  const entries: unknown = extension.packageJSON?.contributes?.snippets;
  if (!Array.isArray(entries)) return [];
  const patterns: Pattern[] = [];
  for (const entry of entries) {
    if (entry?.language !== 'python' || typeof entry.path !== 'string') continue;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, entry.path));
      patterns.push(...parseSnippets(new TextDecoder().decode(bytes)));
    } catch {
      // A missing file leaves its snippets out; the quick pick says so if none is left.
    }
  }
  return patterns;
}

const PREVIEW_SCHEME = 'threadwise-pattern';

/** Serves the preview documents: the expanded body of the pattern named in the URI path. */
export class PatternPreviewProvider implements vscode.TextDocumentContentProvider {
  private patterns = new Map<string, Pattern>();

  set(patterns: readonly Pattern[]): void {
    this.patterns = new Map(patterns.map((p) => [p.prefix, p]));
  }

  uriFor(pattern: Pattern): vscode.Uri {
    return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${pattern.prefix}.py` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const prefix = uri.path.replace(/^\//, '').replace(/\.py$/, '');
    const pattern = this.patterns.get(prefix);
    return pattern ? `# ${pattern.prefix}: ${pattern.description}\n\n${expandDefaults(pattern.body)}\n` : '';
  }

  static register(provider: PatternPreviewProvider): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider);
  }
}

interface PatternItem extends vscode.QuickPickItem {
  readonly pattern: Pattern;
}

/**
 * Quick pick of the patterns with a live preview beside the editor; the chosen one is inserted
 * as a snippet (placeholders and all) at the cursor of the editor that was active.
 */
export async function insertPattern(extension: vscode.Extension<unknown>, preview: PatternPreviewProvider, arg: unknown): Promise<void> {
  const patterns = await loadPatterns(extension);
  if (patterns.length === 0) {
    void vscode.window.showWarningMessage('Threadwise: this build contributes no concurrency patterns (snippets).');
    return;
  }
  preview.set(patterns);
  const target = vscode.window.activeTextEditor;
  const pick = vscode.window.createQuickPick<PatternItem>();
  pick.title = 'Insert a concurrency pattern';
  pick.placeholder = 'Type to filter; the preview shows the code it inserts';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  pick.items = patterns.map((p) => ({
    label: p.prefix,
    description: p.description,
    detail: expandDefaults(p.body).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join('  ⏎  '),
    pattern: p,
  }));
  if (typeof arg === 'string') {
    const wanted = pick.items.find((i) => i.pattern.prefix === arg);
    if (wanted) pick.activeItems = [wanted];
  }
  const showPreview = async (item: PatternItem | undefined): Promise<void> => {
    if (!item) return;
    const doc = await vscode.workspace.openTextDocument(preview.uriFor(item.pattern));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
  };
  const chosen = await new Promise<Pattern | undefined>((resolve) => {
    pick.onDidChangeActive((items) => void showPreview(items[0]).catch(() => undefined));
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.pattern ?? pick.activeItems[0]?.pattern);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  await closePreviews();
  if (!chosen) return;
  const editor = target
    ? await vscode.window.showTextDocument(target.document, { viewColumn: target.viewColumn, selection: target.selection })
    : await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'python' }));
  await editor.insertSnippet(new vscode.SnippetString(chosen.body), editor.selections);
}

/** Closes every preview tab the quick pick opened. */
async function closePreviews(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === PREVIEW_SCHEME);
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
