// Copying a tree-sitter tree into plain JavaScript, carrying over the unchanged parts of the
// previous version's copy.
import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import { appendChild, NO_CHILDREN, RowIndex, SNode, type CopiedTree, type Movable } from './syntax-tree';
import { changedSpan } from '../text/common-affix';
import type { OffsetEdit } from './moved-findings';
import { symbolShape, type SymbolShape } from './grammar-shape';

interface LanguageTables {
  readonly types: readonly string[];
  readonly fields: readonly (string | null)[];
  /** Per type id: 1 named, 0 anonymous, -1 not asked yet. */
  readonly named: Int8Array;
  readonly language: Language;
  /** Which questions about a node its symbol already answers (no children, no fields under it). */
  readonly shape: SymbolShape;
}

const tablesByLanguage = new WeakMap<Language, LanguageTables>();

/**
 * The engine's canonical copy of a string. Type and field names come out of WebAssembly as fresh
 * strings; rules compare them with literals millions of times, and canonical strings compare by
 * identity. Property keys are canonicalized, so a key read back is one.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

function tablesFor(language: Language): LanguageTables {
  let t = tablesByLanguage.get(language);
  if (!t) {
    // Hidden symbols have no name (a hole in `types`); those stay holes and read as 'ERROR', as in web-tree-sitter.
    const canonical = (s: string | null | undefined) => (typeof s === 'string' ? internalized(s) : s);
    t = { types: language.types.map(canonical) as string[], fields: language.fields.map((f) => canonical(f) ?? null), named: new Int8Array(65536).fill(-1), language, shape: symbolShape(language) };
    tablesByLanguage.set(language, t);
  }
  return t;
}

/** The old node starting at `start`, by binary search (siblings are in source order). */
function childStartingAt(children: readonly SNode[], start: number): SNode | undefined {
  let lo = 0;
  let hi = children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = children[mid]!.start;
    if (s === start) {
      // Zero-width siblings can share a start; take the first.
      let i = mid;
      while (i > 0 && children[i - 1]!.start === start) i--;
      return children[i];
    }
    if (s < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function shift(node: SNode, delta: number): void {
  const stack: SNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()! as unknown as Movable;
    n.start += delta;
    n.end += delta;
    const children = (n as unknown as SNode).children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      // Leaves, most of the nodes, are moved here rather than through the stack.
      if (c.children === NO_CHILDREN) {
        (c as unknown as Movable).start += delta;
        (c as unknown as Movable).end += delta;
      } else {
        stack.push(c);
      }
    }
  }
}

/** Beyond this depth the copy stops looking for reusable parts, so the JS stack stays small. */
const MAX_REUSE_DEPTH = 64;

class Copier {
  readonly erroneous = new Set<SNode>();
  /** Reused nodes from after the change, whose offsets move by `delta`. */
  private readonly moved: SNode[] = [];
  /** See CopiedTree.copiedSpan. */
  copiedSpan: [number, number] | undefined;
  /** See CopiedTree.change. */
  readonly change: OffsetEdit | undefined;
  private prefix = 0;
  private suffixStart = 0;
  private delta = 0;

  constructor(
    private readonly cursor: TreeCursor,
    private readonly t: LanguageTables,
    private readonly rows: RowIndex,
    private readonly previous: CopiedTree | undefined,
    source: string,
  ) {
    if (previous) {
      const change = (this.change = changedSpan(previous.source, source));
      this.prefix = change.start;
      this.suffixStart = change.newEnd;
      this.delta = change.newEnd - change.oldEnd;
    }
  }

  copied(node: SNode): void {
    const span = this.copiedSpan;
    if (!span) this.copiedSpan = [node.start, node.end];
    else {
      span[0] = Math.min(span[0], node.start);
      span[1] = Math.max(span[1], node.end);
    }
  }

  finish(): void {
    for (const node of this.moved) shift(node, this.delta);
  }

  /** The symbol id of the node `nodeAt` made last. */
  private lastTypeId = 0;

  /**
   * At most four reads per node cross into WebAssembly: type id, field id, start and end. The field
   * is not asked for under a parent whose symbol has no fields (`parentTypeId`, -1 at the root).
   */
  private nodeAt(parent: SNode | null, parentTypeId: number): SNode {
    const cursor = this.cursor;
    const t = this.t;
    const typeId = cursor.nodeTypeId;
    const fieldId = parentTypeId >= 0 && t.shape.fieldless[parentTypeId] === 1 ? 0 : cursor.currentFieldId;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    let named = t.named[typeId]!;
    if (named < 0) named = t.named[typeId] = t.language.nodeTypeIsNamed(typeId) ? 1 : 0;
    // Only zero-width nodes can be MISSING, so the question is rarely asked.
    const missing = start === end && cursor.nodeIsMissing;
    const type = t.types[typeId] || 'ERROR';
    const node = new SNode(type, t.fields[fieldId] ?? null, named === 1, start, end, missing, parent, this.rows);
    if (missing || type === 'ERROR') {
      for (let n: SNode | null = node; n && !this.erroneous.has(n); n = n.parent) this.erroneous.add(n);
    }
    this.lastTypeId = typeId;
    return node;
  }

  /** Moves to the first child of the node `nodeAt` made last, unless its symbol is a token. */
  private enterLast(): boolean {
    return this.t.shape.leaf[this.lastTypeId] !== 1 && this.cursor.gotoFirstChild();
  }

  /** Copies the subtree at the cursor, leaving the cursor where it was; an explicit stack, so deep nesting never grows the JS stack. */
  copyAt(parent: SNode | null, parentTypeId: number): SNode {
    const cursor = this.cursor;
    const top = this.nodeAt(parent, parentTypeId);
    if (!this.enterLast()) return top;
    let current = top;
    // The symbol ids of `current` and its ancestors up to `top`, for the field shortcut.
    const typeIds: number[] = [this.lastTypeId];
    for (;;) {
      const node = this.nodeAt(current, typeIds[typeIds.length - 1]!);
      appendChild(current, node);
      if (this.enterLast()) {
        current = node;
        typeIds.push(this.lastTypeId);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        if (current === top) return top;
        current = current.parent!;
        typeIds.pop();
      }
    }
  }

  /**
   * Copies the node at the cursor, whose counterpart in the previous copy is `old` (same start and
   * type), reusing the children of `old` the change did not touch and descending into the ones it
   * did. A child is reused when its text lies wholly before or wholly after the changed span and
   * the old child at the corresponding offset has the same type, field and length, with no error
   * in either version.
   */
  copyReusing(parent: SNode | null, parentTypeId: number, old: SNode, depth: number): SNode {
    const cursor = this.cursor;
    const node = this.nodeAt(parent, parentTypeId);
    const typeId = this.lastTypeId;
    if (!this.enterLast()) return node;
    do {
      const fresh = this.nodeAt(node, typeId);
      const before = fresh.end <= this.prefix;
      const after = fresh.start >= this.suffixStart;
      const candidate = childStartingAt(old.children, after && !before ? fresh.start - this.delta : fresh.start);
      let child: SNode | undefined;
      if (candidate && candidate.type === fresh.type && candidate.field === fresh.field && candidate.named === fresh.named) {
        if ((before || after) && candidate.end - candidate.start === fresh.end - fresh.start &&
            !this.erroneous.has(fresh) && !this.previous!.erroneous.has(candidate) && !cursor.currentNode.hasError) {
          // Shifted only once the walk is over: lookups among old siblings need the old offsets.
          if (after && !before && this.delta !== 0) this.moved.push(candidate);
          (candidate as unknown as Movable).parent = node;
          child = candidate;
        } else if (fresh.start < this.prefix && !after && depth < MAX_REUSE_DEPTH) {
          // Only a node that starts before the change has a true counterpart at the same offset;
          // anything starting inside it would pair up with old text that moved elsewhere.
          child = this.copyReusing(node, typeId, candidate, depth + 1);
        }
      }
      if (!child) {
        this.erroneous.delete(fresh); // the throw-away probe must not mark the real copy's ancestors twice
        child = this.copyAt(node, typeId);
        this.copied(child);
      }
      appendChild(node, child);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    return node;
  }
}

/**
 * Copies a tree into plain JavaScript. Given the copy of the previous version of the same document
 * (whose tree was edited and passed to the parser to get `tree`), the parts of the old copy the
 * change did not touch are carried over instead of copied again: moved (offsets shifted) and
 * re-parented, so `previous` must not be used afterwards. The changed span is found by comparing
 * the two texts, so it does not matter how the change was delivered.
 */
export function copySyntax(tree: Tree, source: string, previous?: CopiedTree): CopiedTree {
  const rows = previous?.rows ?? new RowIndex(source);
  if (previous) rows.reset(source);
  const cursor = tree.walk();
  try {
    const copier = new Copier(cursor, tablesFor(tree.language), rows, previous, source);
    const reusedRoot = previous !== undefined && previous.root.type === (tablesFor(tree.language).types[cursor.nodeTypeId] || 'ERROR') && previous.root.start === cursor.startIndex;
    const root = reusedRoot ? copier.copyReusing(null, -1, previous.root, 0) : copier.copyAt(null, -1);
    if (!reusedRoot) copier.copied(root);
    copier.finish();
    return { source, root, rows, erroneous: copier.erroneous, copiedSpan: copier.copiedSpan, change: copier.change };
  } finally {
    cursor.delete();
  }
}

/** A fresh copy of the whole tree. */
export function copyTree(tree: Tree, source: string): SNode {
  return copySyntax(tree, source).root;
}
