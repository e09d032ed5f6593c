import type { Node } from 'web-tree-sitter';
import type { LineIndex } from './line-index';
import { lastChildStartingAt, type SNode } from './syntax';

/** Which line's comment speaks for a finding on a given line. */
export interface SpeakingLines {
  /** The zero-based line whose trailing comment suppresses findings that start on `line`. */
  lineFor(line: number): number;
}

/**
 * Which line's comment speaks for a finding. A line continued by a backslash, or one that a string
 * literal runs past, cannot end in a comment: a `#` after the `\` is a syntax error and one inside
 * the string is text. Such lines form one run with the lines they are joined to, and only the
 * run's last physical line can hold a comment, so a suppression for any line of the run goes
 * there. This is Ruff's `noqa` convention for continuations and multi-line strings. Lines inside
 * brackets are not joined: each can take its own comment, and a finding is suppressed on the line
 * where it starts, as in Ruff.
 */
export class CommentLines implements SpeakingLines {
  /** Each joined line that is not the last of its run, mapped to the run's last line. */
  private readonly lastOfRun = new Map<number, number>();

  /** From a web-tree-sitter tree (the editor's code actions, `--add-noqa`). */
  static fromTree(root: Node, source: string, lineOf: (offset: number) => number): CommentLines {
    const runs = continuations(source, lineOf, (i) => inStringOrComment(root, i));
    const cursor = root.walk();
    try {
      // Pre-order walk that only enters nodes spanning several rows: a node on one row cannot
      // hold a string that runs on, and most nodes are on one row.
      for (;;) {
        const type = cursor.nodeType;
        const multiRow = cursor.startPosition.row !== cursor.endPosition.row;
        if (multiRow && type === 'string') {
          const first = lineOf(cursor.startIndex);
          const last = lineOf(Math.max(cursor.startIndex, cursor.endIndex - 1));
          if (last > first) runs.push([first, last]);
        }
        if (multiRow && type !== 'string' && cursor.gotoFirstChild()) continue;
        if (cursor.gotoNextSibling()) continue;
        let up = false;
        while (cursor.gotoParent()) {
          if (cursor.gotoNextSibling()) {
            up = true;
            break;
          }
        }
        if (!up) break;
      }
    } finally {
      cursor.delete();
    }
    return new CommentLines(runs);
  }

  /**
   * From the analysis's copy of the tree: plain objects, so no call goes into WebAssembly. Each
   * line's run is worked out when first asked, from that line forward, instead of walking the
   * whole tree on every analysis: suppressions ask about the few lines that hold findings.
   */
  static fromSyntax(root: SNode, source: string, lines: LineIndex): SpeakingLines {
    return new LazyCommentLines(root, source, lines);
  }

  private constructor(runs: Array<[number, number]>) {
    // Overlapping or touching runs (a string ending on a line that a backslash then continues)
    // are one run.
    runs.sort((a, b) => a[0] - b[0]);
    let current: [number, number] | undefined;
    const flush = (): void => {
      if (current) for (let l = current[0]; l < current[1]; l++) this.lastOfRun.set(l, current[1]);
    };
    for (const r of runs) {
      if (current && r[0] <= current[1]) current[1] = Math.max(current[1], r[1]);
      else {
        flush();
        current = [r[0], r[1]];
      }
    }
    flush();
  }

  /** The zero-based line whose trailing comment suppresses findings that start on `line`. */
  lineFor(line: number): number {
    return this.lastOfRun.get(line) ?? line;
  }
}

function inStringOrComment(root: Node, offset: number): boolean {
  for (let n = root.descendantForIndex(offset, offset + 1); n; n = n.parent) {
    if (n.type === 'comment' || n.type === 'string') return true;
  }
  return false;
}

/**
 * tree-sitter-python does not always keep a continuation as a node (after a string it can be
 * folded into the whitespace), so continuations are found as a backslash before a line break,
 * and the tree says whether that backslash is code or sits inside a string or a comment. A
 * backslash before CR covers CRLF and lone-CR breaks, one before LF the rest: each is found once.
 */
function continuations(source: string, lineOf: (offset: number) => number, quoted: (offset: number) => boolean): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const pattern of ['\\\n', '\\\r']) {
    for (let i = source.indexOf(pattern); i >= 0; i = source.indexOf(pattern, i + 1)) {
      if (!quoted(i)) runs.push([lineOf(i), lineOf(i) + 1]);
    }
  }
  return runs;
}

/** The copied-tree twin of inStringOrComment: descends to the innermost node holding `offset`. */
function syntaxInStringOrComment(root: SNode, offset: number): boolean {
  let n: SNode | undefined = root;
  while (n) {
    if (n.type === 'comment' || n.type === 'string') return true;
    n = n.children.find((c) => c.start <= offset && offset < c.end);
  }
  return false;
}

/** The string node holding `offset`, if any: the innermost node there, or one of its ancestors. */
function stringAt(root: SNode, offset: number): SNode | undefined {
  let found: SNode | undefined;
  let n: SNode | undefined = root;
  while (n) {
    if (n.type === 'comment') return undefined;
    if (n.type === 'string') found = n;
    const at = lastChildStartingAt(n, offset);
    n = at >= 0 && offset < n.children[at]!.end ? n.children[at] : undefined;
  }
  return found;
}

/**
 * The same answers as CommentLines built from the whole tree, found per line: from the asked
 * line, follow what joins it to the next one (a string still open at its line break, or a
 * backslash before the break that is code) until a line ends a statement's physical run.
 */
class LazyCommentLines implements SpeakingLines {
  private readonly known = new Map<number, number>();

  constructor(private readonly root: SNode, private readonly source: string, private readonly lines: LineIndex) {}

  lineFor(line: number): number {
    let answer = this.known.get(line);
    if (answer !== undefined) return answer;
    let end = line;
    for (let guard = 0; guard < this.lines.lineCount; guard++) {
      if (end + 1 >= this.lines.lineCount) break;
      // The line break that ends line `end`: the character before the next line's start (CRLF counts as one).
      let br = this.lines.lineStart(end + 1) - 1;
      if (br > 0 && this.source.charCodeAt(br) === 10 && this.source.charCodeAt(br - 1) === 13) br--;
      const open = stringAt(this.root, br);
      if (open) {
        const last = this.lines.lineOf(Math.max(open.start, open.end - 1));
        if (last > end) {
          end = last;
          continue;
        }
      }
      if (br > 0 && this.source.charCodeAt(br - 1) === 92 && !syntaxInStringOrComment(this.root, br - 1)) {
        end++;
        continue;
      }
      break;
    }
    answer = end;
    this.known.set(line, answer);
    return answer;
  }
}
