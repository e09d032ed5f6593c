import type { Language, Tree, TreeCursor } from 'web-tree-sitter';

/**
 * Rows as tree-sitter counts them: only `\n` ends a row, and a column is the UTF-16 offset from
 * the row's start. Positions of copied nodes are derived from offsets on demand through this
 * index, so the copy reads two numbers per node from WebAssembly instead of six, and a copy whose
 * text moved only needs its offsets shifted.
 */
export class RowIndex {
  private starts: number[] = [0];

  constructor(text: string) {
    this.reset(text);
  }

  /** Re-targets the index at a new version of the text (nodes kept across versions share it). */
  reset(text: string): void {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  rowOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  columnOf(offset: number): number {
    return offset - this.starts[this.rowOf(offset)]!;
  }
}

/**
 * A plain-JavaScript copy of a tree-sitter node. Rules touch nodes many times; reading fields of
 * plain objects is far cheaper than crossing into WebAssembly for every access, and the copy never
 * needs freeing. Offsets are UTF-16 code units, the unit LSP positions use too; rows and columns
 * are tree-sitter's (see RowIndex).
 */
export class SNode {
  readonly children: SNode[] = [];
  parent: SNode | null;

  constructor(
    readonly type: string,
    readonly field: string | null,
    readonly named: boolean,
    readonly start: number,
    readonly end: number,
    readonly missing: boolean,
    parent: SNode | null,
    /** Shared by every node of one copy and re-targeted when the copy is carried to a new text. */
    private readonly rows: RowIndex,
  ) {
    this.parent = parent;
  }

  get startRow(): number {
    return this.rows.rowOf(this.start);
  }

  get startCol(): number {
    return this.rows.columnOf(this.start);
  }

  get endRow(): number {
    return this.rows.rowOf(this.end);
  }

  get endCol(): number {
    return this.rows.columnOf(this.end);
  }
}

/** Writable view of the fields a carried-over copy updates. */
interface Movable {
  start: number;
  end: number;
  parent: SNode | null;
}

/** A copied tree with what the next version's copy needs to reuse its unchanged statements. */
export interface CopiedTree {
  readonly source: string;
  readonly root: SNode;
  readonly rows: RowIndex;
  /** Top-level statements whose tree-sitter node had no ERROR or MISSING node inside. */
  readonly clean: ReadonlySet<SNode>;
}

interface LanguageTables {
  readonly types: readonly string[];
  readonly fields: readonly (string | null)[];
  /** Per type id: 1 named, 0 anonymous, -1 not asked yet. */
  readonly named: Int8Array;
  readonly language: Language;
}

const tablesByLanguage = new WeakMap<Language, LanguageTables>();

function tablesFor(language: Language): LanguageTables {
  let t = tablesByLanguage.get(language);
  if (!t) {
    t = { types: language.types, fields: language.fields, named: new Int8Array(65536).fill(-1), language };
    tablesByLanguage.set(language, t);
  }
  return t;
}

/** Four reads per node cross into WebAssembly: type id, field id, start and end. */
function nodeAt(cursor: TreeCursor, parent: SNode | null, t: LanguageTables, rows: RowIndex): SNode {
  const typeId = cursor.nodeTypeId;
  const fieldId = cursor.currentFieldId;
  const start = cursor.startIndex;
  const end = cursor.endIndex;
  let named = t.named[typeId]!;
  if (named < 0) named = t.named[typeId] = t.language.nodeTypeIsNamed(typeId) ? 1 : 0;
  // Only zero-width nodes can be MISSING, so the question is rarely asked.
  const missing = start === end && cursor.nodeIsMissing;
  return new SNode(t.types[typeId] || 'ERROR', t.fields[fieldId] ?? null, named === 1, start, end, missing, parent, rows);
}

/** Copies the subtree at the cursor, leaving the cursor where it was; an explicit stack, so deep nesting never grows the JS stack. */
function copyAt(cursor: TreeCursor, parent: SNode | null, t: LanguageTables, rows: RowIndex): SNode {
  const top = nodeAt(cursor, parent, t, rows);
  if (!cursor.gotoFirstChild()) return top;
  let current = top;
  for (;;) {
    const node = nodeAt(cursor, current, t, rows);
    current.children.push(node);
    if (cursor.gotoFirstChild()) {
      current = node;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      if (current === top) return top;
      current = current.parent!;
    }
  }
}

/** The old top-level node starting at `start`, by binary search (children are in source order). */
function childStartingAt(children: readonly SNode[], start: number): SNode | undefined {
  let lo = 0;
  let hi = children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = children[mid]!.start;
    if (s === start) return children[mid];
    if (s < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function shift(node: SNode, delta: number): void {
  const stack: SNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()! as unknown as Movable & SNode;
    n.start += delta;
    n.end += delta;
    for (const c of n.children) stack.push(c);
  }
}

/**
 * Copies a tree into plain JavaScript. Given the copy of the previous version of the same document
 * (whose tree was edited and passed to the parser to get `tree`), top-level statements whose text
 * lies wholly before or wholly after the changed span, and that tree-sitter parsed to a node of the
 * same kind and extent without errors in both versions, are carried over instead of copied again:
 * the nodes of the previous copy are moved (offsets shifted) and re-parented, so `previous` must
 * not be used afterwards.
 */
export function copySyntax(tree: Tree, source: string, previous?: CopiedTree): CopiedTree {
  const t = tablesFor(tree.language);
  const rows = previous?.rows ?? new RowIndex(source);
  if (previous) rows.reset(source);
  const cursor = tree.walk();
  try {
    const root = nodeAt(cursor, null, t, rows);
    const clean = new Set<SNode>();
    if (!cursor.gotoFirstChild()) return { source, root, rows, clean };
    const old = previous?.source ?? '';
    const oldChildren = previous?.root.children ?? [];
    // The common prefix and suffix of the two texts bound the edit, however it was delivered.
    const limit = Math.min(old.length, source.length);
    let prefix = 0;
    if (previous) while (prefix < limit && old.charCodeAt(prefix) === source.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    if (previous) {
      while (suffix < limit - prefix && old.charCodeAt(old.length - 1 - suffix) === source.charCodeAt(source.length - 1 - suffix)) suffix++;
    }
    const delta = source.length - old.length;
    const suffixStart = source.length - suffix;
    do {
      let node: SNode | undefined;
      if (previous) {
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        const before = end <= prefix;
        const after = start >= suffixStart;
        const candidate = before ? childStartingAt(oldChildren, start) : after ? childStartingAt(oldChildren, start - delta) : undefined;
        if (candidate && previous.clean.has(candidate) && candidate.end - candidate.start === end - start) {
          const fresh = nodeAt(cursor, root, t, rows);
          if (candidate.type !== fresh.type || candidate.field !== fresh.field || candidate.named !== fresh.named || cursor.currentNode.hasError) {
            // Same span, different parse: copy it below.
          } else {
          if (after && delta !== 0) shift(candidate, delta);
          (candidate as unknown as Movable).parent = root;
          node = candidate;
          clean.add(node);
          }
        }
      }
      if (!node) {
        node = copyAt(cursor, root, t, rows);
        if (!cursor.currentNode.hasError) clean.add(node);
      }
      root.children.push(node);
    } while (cursor.gotoNextSibling());
    return { source, root, rows, clean };
  } finally {
    cursor.delete();
  }
}

/** A fresh copy of the whole tree. */
export function copyTree(tree: Tree, source: string): SNode {
  return copySyntax(tree, source).root;
}

/**
 * The last copy made for each open document, found through its current tree. The document store
 * starts a lineage when it parses a new document and carries it to each tree it re-parses from the
 * previous one; analyzing a tree of a lineage then reuses the previous copy. Only the most recently
 * analyzed few documents keep their copy: the others are where typing is not happening, and a copy
 * of a large file is several megabytes of JavaScript heap.
 */
interface Lineage {
  last: { tree: Tree; copy: CopiedTree } | undefined;
}

const lineages = new WeakMap<Tree, Lineage>();
const KEPT_COPIES = 4;
const recent: Lineage[] = [];

/** `to` was parsed from (an edit of) `from`, or starts a new lineage when `from` is undefined. */
export function continueLineage(from: Tree | undefined, to: Tree): void {
  const lineage = (from && lineages.get(from)) ?? { last: undefined };
  if (from) lineages.delete(from);
  lineages.set(to, lineage);
}

/** The document is gone: drop its copy. */
export function endLineage(tree: Tree): void {
  const lineage = lineages.get(tree);
  if (!lineage) return;
  lineage.last = undefined;
  lineages.delete(tree);
  const i = recent.indexOf(lineage);
  if (i >= 0) recent.splice(i, 1);
}

/** Copies `tree`, reusing what can be reused from the last copy in its lineage (if any). */
export function copyForAnalysis(tree: Tree, source: string): SNode {
  const lineage = lineages.get(tree);
  if (!lineage) return copySyntax(tree, source).root;
  const last = lineage.last;
  let copy: CopiedTree;
  if (last && last.tree === tree && last.copy.source === source) {
    copy = last.copy; // the same version again (settings changed, a code action): nothing to do
  } else {
    lineage.last = undefined; // the previous copy is consumed even if copying throws
    copy = copySyntax(tree, source, last?.copy);
  }
  lineage.last = { tree, copy };
  const i = recent.indexOf(lineage);
  if (i >= 0) recent.splice(i, 1);
  recent.push(lineage);
  while (recent.length > KEPT_COPIES) recent.shift()!.last = undefined;
  return copy.root;
}

export function child(node: SNode, field: string): SNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function childrenOf(node: SNode, field: string): SNode[] {
  return node.children.filter((c) => c.field === field);
}

export function namedChildren(node: SNode): SNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

export function textOf(source: string, node: SNode): string {
  return source.slice(node.start, node.end);
}

/** Pre-order traversal without recursion. Return false from visit to skip a node's children. */
export function walk(root: SNode, visit: (node: SNode) => boolean | void): void {
  const stack: SNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** Skips parentheses around an expression: `(f())` is the call `f()`. */
export function unparenthesize(node: SNode): SNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** The expression that contains `node` once parentheses around it are taken into account. */
export function outerParens(node: SNode): SNode {
  let n = node;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  return n;
}

export function isStatement(node: SNode): boolean {
  return node.type.endsWith('_statement') || node.type === 'function_definition' ||
    node.type === 'class_definition' || node.type === 'decorated_definition';
}
