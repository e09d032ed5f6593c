import type { LastRun } from './comment-edit';
import type { OffsetEdit } from './moved-findings';
import type { Tree } from 'web-tree-sitter';
import { ModelPieces } from './model/model-pieces';
import type { CopiedTree, SNode } from './syntax-tree';
import { copySyntax } from './tree-copy';

/**
 * Which documents' states may keep their copy. A copy of a large file is several megabytes of
 * JavaScript heap, so only the most recently analyzed few keep one: the others are where typing is
 * not happening. One budget per document store.
 */
export class CopyBudget {
  private readonly recent: IncrementalState[] = [];

  constructor(private readonly kept = 2) {}

  /** `state` was just used: it keeps its copy, and the least recently used beyond the budget lose theirs. */
  use(state: IncrementalState): void {
    const i = this.recent.lastIndexOf(state);
    if (i === this.recent.length - 1 && i >= 0) return;
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.push(state);
    while (this.recent.length > this.kept) this.recent.shift()!.release();
  }

  forget(state: IncrementalState): void {
    const i = this.recent.indexOf(state);
    if (i >= 0) this.recent.splice(i, 1);
  }
}

/**
 * What one open document carries from one analysis to the next: the plain-JS copy of the tree last
 * analyzed and the model pieces of its top-level statements. The next version's copy reuses the
 * subtrees the edit did not touch (found by comparing the two texts, so it does not matter how the
 * new tree was parsed) and the model replays the pieces of the statements that were reused.
 * Owned by the document store, one per open document, and handed to `analyzeTree`.
 */
export class IncrementalState {
  private last: { tree: Tree; copy: CopiedTree } | undefined;
  /** Kept across releases: pieces are keyed by copied nodes, which a released copy no longer reuses. */
  readonly pieces = new ModelPieces();
  /** The last analysis's rule findings, reused when the next text differs only in a comment (comment-edit.ts). */
  lastRun: LastRun | undefined;
  /** Where the last `copy` had to copy afresh (CopiedTree.copiedSpan): outside it, the syntax is the previous version's. */
  copiedSpan: readonly [number, number] | undefined;
  /** The text the last `copy` started from and where it changed (CopiedTree.change): the copy found it already. */
  private changed: { readonly from: string; readonly change: OffsetEdit } | undefined;

  constructor(private readonly budget?: CopyBudget) {}

  /** Copies `tree`, the parse of `source`, reusing the unchanged parts of the last copy. */
  copy(tree: Tree, source: string): SNode {
    const last = this.last;
    let copy: CopiedTree;
    if (last && last.tree === tree && last.copy.source === source) {
      copy = last.copy; // the same version again (settings changed, a code action): nothing to do
      this.copiedSpan = undefined;
      this.changed = { from: source, change: { start: source.length, oldEnd: source.length, newEnd: source.length } };
    } else {
      this.last = undefined; // the previous copy is consumed (its nodes move) even if copying throws
      this.copiedSpan = [0, source.length];
      this.changed = undefined;
      copy = copySyntax(tree, source, last?.copy);
      this.copiedSpan = copy.copiedSpan;
      if (last && copy.change) this.changed = { from: last.copy.source, change: copy.change };
    }
    this.last = { tree, copy };
    this.budget?.use(this);
    return copy.root;
  }

  /** Where the text of the last `copy` differs from `from`, when that is the text the copy before it had. */
  changeFrom(from: string): OffsetEdit | undefined {
    return this.changed && this.changed.from === from ? this.changed.change : undefined;
  }

  /** Lets the copy go: the next analysis copies the whole tree again. */
  release(): void {
    this.last = undefined;
  }

  /** The document is closed. */
  dispose(): void {
    this.release();
    this.budget?.forget(this);
  }
}
