// The plain-JavaScript syntax tree the analyzer works on: nodes, their positions, and a copied tree.
import { lineAt, lineStarts } from './line-index';
import type { OffsetEdit } from './moved-findings';

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
    this.starts = lineStarts(text, false);
  }

  rowOf(offset: number): number {
    return lineAt(this.starts, offset);
  }

  columnOf(offset: number): number {
    return offset - this.starts[this.rowOf(offset)]!;
  }
}

/**
 * The children of every leaf. Not frozen: a frozen array has its own hidden class, and rules read
 * `children` everywhere; made to hold objects once, so every children array has the same elements
 * kind. Nothing writes to it: `children` is typed read-only and only the copier adds children.
 */
export const NO_CHILDREN: readonly SNode[] = objectArray();

function objectArray(): SNode[] {
  const a = [{} as SNode];
  a.pop();
  return a;
}

/**
 * A plain-JavaScript copy of a tree-sitter node. Rules touch nodes many times; reading fields of
 * plain objects is far cheaper than crossing into WebAssembly for every access, and the copy never
 * needs freeing. Offsets are UTF-16 code units, the unit LSP positions use too; rows and columns
 * are tree-sitter's (see RowIndex).
 */
export class SNode {
  /** Leaves, most nodes, share one empty array: a copy allocates less, and shifting or walking can tell a leaf by identity. */
  children: readonly SNode[] = NO_CHILDREN;
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

/** Adds a child during a copy; a leaf gets its own array when its first child arrives. */
export function appendChild(parent: SNode, c: SNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [c];
  else (parent.children as SNode[]).push(c);
}

/** Writable view of the fields a carried-over copy updates. */
export interface Movable {
  start: number;
  end: number;
  parent: SNode | null;
}

/** A copied tree with what the next version's copy needs to reuse its unchanged parts. */
export interface CopiedTree {
  readonly source: string;
  readonly root: SNode;
  readonly rows: RowIndex;
  /** Nodes with an ERROR or MISSING node at or under them. */
  readonly erroneous: ReadonlySet<SNode>;
  /**
   * The smallest span that holds every subtree copied afresh rather than carried over from the
   * previous copy (the nodes above them keep their type and start); undefined when all of it was
   * carried, the whole text when there was no previous copy. Outside it the syntax is the previous
   * version's: no string or bracket left open re-reads what follows, no error recovered differently.
   */
  readonly copiedSpan: readonly [number, number] | undefined;
  /** Where the text changed since the previous copy's (undefined without one). */
  readonly change: OffsetEdit | undefined;
}
