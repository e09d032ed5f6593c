import type { Parser, Tree } from 'web-tree-sitter';
import { Edit } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { continueLineage, endLineage } from '../analyzer/syntax';

/** An open document with the tree that mirrors its current text. */
export interface OpenDocument {
  readonly uri: string;
  doc: TextDocument;
  tree: Tree;
}

function endPoint(start: { row: number; column: number }, text: string): { row: number; column: number } {
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak < 0) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) rows++;
  return { row: start.row + rows, column: text.length - lastBreak - 1 };
}

/**
 * Keeps one tree per open document and updates it from each incremental change with
 * `tree.edit()` plus a re-parse that reuses the old tree, so a keystroke costs a local re-parse.
 */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  constructor(private readonly parser: Parser) {}

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): IterableIterator<OpenDocument> {
    return this.docs.values();
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const entry: OpenDocument = { uri, doc: TextDocument.create(uri, languageId, version, text), tree: this.parse(text) };
    continueLineage(undefined, entry.tree);
    this.docs.set(uri, entry);
    return entry;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    let reuse = true;
    for (const change of changes) {
      if ('range' in change) {
        const doc = entry.doc;
        const startIndex = doc.offsetAt(change.range.start);
        const oldEndIndex = doc.offsetAt(change.range.end);
        const s = doc.positionAt(startIndex);
        const e = doc.positionAt(oldEndIndex);
        const startPosition = { row: s.line, column: s.character };
        entry.tree.edit(new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: { row: e.line, column: e.character },
          newEndPosition: endPoint(startPosition, change.text),
        }));
      } else {
        reuse = false;
      }
      entry.doc = TextDocument.update(entry.doc, [change], version);
    }
    const next = this.parse(entry.doc.getText(), reuse ? entry.tree : undefined);
    // The analyzer reuses the plain-JS copy of statements the change did not touch.
    continueLineage(entry.tree, next);
    entry.tree.delete();
    entry.tree = next;
    return entry;
  }

  close(uri: string): void {
    const entry = this.docs.get(uri);
    if (!entry) return;
    endLineage(entry.tree);
    entry.tree.delete(); // WebAssembly memory is not garbage-collected
    this.docs.delete(uri);
  }

  private parse(text: string, old?: Tree): Tree {
    const tree = this.parser.parse(text, old ?? null);
    if (!tree) throw new Error('the parser returned no tree');
    return tree;
  }
}
