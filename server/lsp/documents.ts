import type { Parser, Tree } from 'web-tree-sitter';
import { Edit } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { CopyBudget, IncrementalState } from '../analyzer/incremental-state';
import { ConvertedDiagnostics } from './diagnostics';
import type { OffsetEdit } from '../analyzer/moved-findings';

/** An open document with the tree that mirrors its current text. */
export interface OpenDocument {
  readonly uri: string;
  readonly doc: TextDocument;
  /**
   * Bumped on every open and change, whatever version the client sends (it may repeat one, send
   * null, or open a document twice): what results computed from the text are cached under.
   */
  readonly revision: number;
  /** Over the store's size limit: held as text only, never parsed, so `tree` must not be read. */
  readonly tooLarge: boolean;
  /** Parsed again on demand if the store let it go (see KEPT_TREES). */
  readonly tree: Tree;
  /** What analyses of this document carry from one version to the next; pass it to `analyzeTree`. */
  readonly incremental: IncrementalState;
  /** Its findings as diagnostics, reused from one version to the next where the edit did not touch them. */
  readonly converted: ConvertedDiagnostics;
  /**
   * The edits since the last call, in offsets, to move findings of an earlier version along;
   * undefined when the text was replaced whole (or too many edits piled up) and nothing can be.
   */
  takeEdits(): OffsetEdit[] | undefined;
}

/** Edits kept for `takeEdits` before the log gives up (nobody took them: no analysis ran). */
const MAX_LOGGED_EDITS = 10_000;

/** Where the store gets a parser from when the one it has fails (tree-sitter threw or aborted). */
export interface ParserSupply {
  /** A fresh parser to retry the failed parse with, once. */
  renew(failure: unknown): Parser;
  /** The fresh parser failed as well: the WebAssembly module is beyond repair. */
  giveUp(failure: unknown): never;
}

export interface StoreOptions {
  /** Texts longer than this are never parsed: a huge tree can exhaust WebAssembly memory. */
  readonly maxChars?: number;
  /** Without one, a parse failure is thrown to the caller. */
  readonly parsers?: ParserSupply;
}

/**
 * How many documents keep their tree-sitter tree between uses. A tree of a 5,000-line file takes
 * about 2.5 MB of WebAssembly memory, which never shrinks once grown; a document nobody has touched
 * lately gets its tree back by a fresh parse when it is next changed, checked or asked for fixes.
 */
const KEPT_TREES = 4;

function endPoint(start: { row: number; column: number }, text: string): { row: number; column: number } {
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak < 0) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) rows++;
  return { row: start.row + rows, column: text.length - lastBreak - 1 };
}

/** LSP asks for start <= end, but a client may send them swapped; text and tree must agree on the order. */
function ordered(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}

class Entry implements OpenDocument {
  parsed: Tree | undefined;
  /** While `parsed` has syntax errors: the last error-free tree, edited along, to re-parse from. */
  clean: Tree | undefined;
  readonly incremental: IncrementalState;
  readonly converted = new ConvertedDiagnostics();
  private edits: OffsetEdit[] | undefined = [];

  constructor(
    readonly uri: string,
    public doc: TextDocument,
    public revision: number,
    private readonly store: DocumentStore,
    budget: CopyBudget,
  ) {
    this.incremental = new IncrementalState(budget);
  }

  get tooLarge(): boolean {
    return this.store.isTooLarge(this.doc.getText());
  }

  get tree(): Tree {
    return this.store.treeOf(this);
  }

  logEdit(edit: OffsetEdit | undefined): void {
    if (!edit || !this.edits || this.edits.length >= MAX_LOGGED_EDITS) this.edits = undefined;
    else this.edits.push(edit);
  }

  takeEdits(): OffsetEdit[] | undefined {
    const edits = this.edits;
    this.edits = [];
    return edits;
  }
}

/**
 * Keeps the open documents and, for the recently used ones, a tree updated from each incremental
 * change with `tree.edit()` plus a re-parse that reuses the old tree, so a keystroke costs a local
 * re-parse. Every tree it lets go of is deleted: WebAssembly memory is not garbage-collected.
 */
export class DocumentStore {
  private readonly docs = new Map<string, Entry>();
  /** Entries holding a tree, least recently used first. */
  private readonly withTrees: Entry[] = [];
  private revisions = 0;
  private readonly maxChars: number;
  /** Only the most recently analyzed documents keep their tree copy between analyses. */
  private readonly copies = new CopyBudget();

  constructor(
    private parser: Parser,
    private readonly options: StoreOptions = {},
  ) {
    this.maxChars = options.maxChars ?? Infinity;
  }

  isTooLarge(text: string): boolean {
    return text.length > this.maxChars;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): IterableIterator<OpenDocument> {
    return this.docs.values();
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const entry = new Entry(uri, TextDocument.create(uri, languageId, version, text), ++this.revisions, this, this.copies);
    this.docs.set(uri, entry);
    if (!entry.tooLarge) this.treeOf(entry);
    return entry;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    entry.revision = ++this.revisions;
    const old = entry.parsed;
    // Decided before the edit moves the old tree's nodes.
    const insideComment = old !== undefined && changes.length === 1 && editsOnlyCommentText(old, entry.doc, changes[0]!);
    let reuse = old !== undefined;
    for (const raw of changes) {
      const change = 'range' in raw ? { range: ordered(raw.range), text: raw.text } : raw;
      if ('range' in change) {
        const doc = entry.doc;
        const startIndex = doc.offsetAt(change.range.start);
        const oldEndIndex = doc.offsetAt(change.range.end);
        entry.logEdit({ start: startIndex, oldEnd: oldEndIndex, newEnd: startIndex + change.text.length });
        if (old) {
          const s = doc.positionAt(startIndex);
          const e = doc.positionAt(oldEndIndex);
          const startPosition = { row: s.line, column: s.character };
          const edit = new Edit({
            startIndex,
            oldEndIndex,
            newEndIndex: startIndex + change.text.length,
            startPosition,
            oldEndPosition: { row: e.line, column: e.character },
            newEndPosition: endPoint(startPosition, change.text),
          });
          old.edit(edit);
          entry.clean?.edit(edit);
        }
      } else {
        entry.logEdit(undefined);
        reuse = false;
      }
      entry.doc = TextDocument.update(entry.doc, [change], version);
    }
    if (old && entry.tooLarge) {
      // Grown past the limit: the tree goes, and no parse happens until it shrinks again.
      this.dropTree(entry);
    } else if (old && insideComment) {
      // `tree.edit` stretched the comment token over the new text, and nothing else moved but
      // offsets: the edited tree is the one a parse would give, without the parse. Typing a comment
      // after code can make tree-sitter re-parse much of the file per keystroke. The next real
      // parse starts from this tree and re-reads what the edits marked.
      this.touch(entry);
    } else if (old) {
      const text = entry.doc.getText();
      // Re-parsing a tree with syntax errors incrementally can give a different tree than parsing
      // the same text afresh (tree-sitter's error recovery depends on what it reuses), so findings
      // would depend on the edit history. The re-parse therefore always starts from an error-free
      // tree: the old one, or while the text is broken the last error-free tree, which received
      // every edit since. Only a document that has had errors since it was parsed afresh gets a
      // full parse per change.
      const wasBroken = old.rootNode.hasError;
      const base = !reuse ? undefined : wasBroken ? entry.clean : old;
      const next = this.parse(text, base);
      if (!reuse) this.dropClean(entry);
      if (next.rootNode.hasError) {
        // The old tree becomes the error-free base while the errors last.
        if (!wasBroken && reuse) {
          this.dropClean(entry);
          entry.clean = old;
        } else {
          old.delete();
        }
      } else {
        this.dropClean(entry);
        if (old !== entry.clean) old.delete();
      }
      entry.parsed = next;
      this.touch(entry);
    }
    return entry;
  }

  private dropClean(entry: Entry): void {
    entry.clean?.delete();
    entry.clean = undefined;
  }

  close(uri: string): void {
    const entry = this.docs.get(uri);
    if (!entry) return;
    this.dropTree(entry);
    entry.incremental.dispose();
    this.docs.delete(uri);
  }

  /** The entry's tree, parsed afresh if it was let go. */
  treeOf(entry: Entry): Tree {
    if (!entry.parsed) {
      if (entry.tooLarge) throw new Error(`${entry.uri} is over the size limit and is not parsed`);
      entry.parsed = this.parse(entry.doc.getText());
    }
    this.touch(entry);
    return entry.parsed;
  }

  private touch(entry: Entry): void {
    const i = this.withTrees.lastIndexOf(entry);
    if (i >= 0 && i === this.withTrees.length - 1) return;
    if (i >= 0) this.withTrees.splice(i, 1);
    this.withTrees.push(entry);
    while (this.withTrees.length > KEPT_TREES) this.dropTree(this.withTrees[0]!);
  }

  private dropTree(entry: Entry): void {
    const i = this.withTrees.indexOf(entry);
    if (i >= 0) this.withTrees.splice(i, 1);
    this.dropClean(entry);
    if (!entry.parsed) return;
    entry.incremental.release();
    entry.parsed.delete();
    entry.parsed = undefined;
  }

  private parse(text: string, old?: Tree): Tree {
    try {
      return parseWith(this.parser, text, old);
    } catch (failure) {
      const supply = this.options.parsers;
      if (!supply) throw failure;
      // A parser that failed once is not trusted again; the retry parses afresh, without the old tree.
      this.parser = supply.renew(failure);
      try {
        return parseWith(this.parser, text);
      } catch (again) {
        return supply.giveUp(again);
      }
    }
  }
}

/** Characters that could end a comment or change how the line is read: line breaks, controls, lone surrogates. */
const COMMENT_SAFE = /^(?:\t|[^\p{Cc}\p{Cs}\u2028\u2029])*$/u;

/**
 * True when `change` replaces text strictly after the `#` of one comment of an error-free tree,
 * within that comment, by text that keeps it one comment: the parse is the same tree with that
 * comment longer or shorter.
 */
function editsOnlyCommentText(tree: Tree, doc: TextDocument, change: TextDocumentContentChangeEvent): boolean {
  if (!('range' in change) || tree.rootNode.hasError) return false;
  const range = ordered(change.range);
  if (range.start.line !== range.end.line) return false;
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  if (start === 0) return false;
  // From the character before: tree-sitter skips a node that ends where an empty range starts, and
  // typing at a comment's end is the common case.
  const node = tree.rootNode.descendantForIndex(start - 1, end);
  if (node?.type !== 'comment' || start <= node.startIndex || end > node.endIndex) return false;
  return COMMENT_SAFE.test(change.text) && COMMENT_SAFE.test(doc.getText().slice(start, end));
}

function parseWith(parser: Parser, text: string, old?: Tree): Tree {
  const tree = parser.parse(text, old ?? null);
  if (!tree) throw new Error('the parser returned no tree');
  return tree;
}
