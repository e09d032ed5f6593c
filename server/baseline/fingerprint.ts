import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import { lineEndAt, lineStartAt } from '../analyzer/fixes/source-text';

/** What identifies a finding across edits: see `findingKeys`. */
export interface FindingKey {
  readonly code: string;
  /** The enclosing functions and classes, outermost first, joined by `.`; `""` at module level. */
  readonly scope: string;
  /** 16 hex digits of SHA-256 over code, scope, the flagged line's text and the occurrence index. */
  readonly fingerprint: string;
}

/** The qualified name of the functions and classes around `offset`, such as `Worker.run`. */
function scopeAt(tree: Tree, offset: number): string {
  const names: string[] = [];
  for (let n: Node | null = tree.rootNode.descendantForIndex(offset); n; n = n.parent) {
    if (n.type !== 'function_definition' && n.type !== 'class_definition') continue;
    const name = n.childForFieldName('name');
    if (name) names.unshift(name.text);
  }
  return names.join('.');
}

/**
 * A key for each finding that survives edits elsewhere in the file: lines and columns are left out
 * on purpose, so code added or removed above a finding does not change it. What goes in is the
 * rule code, the flagged line's text without its indentation and trailing blanks (so re-indenting
 * or moving a block keeps it), the qualified name of the enclosing function or class (so the same
 * line in two methods stays two findings), and an occurrence index among findings with all three
 * equal, in source order (so two identical lines in one function are two entries, and fixing one
 * leaves one entry stale). Editing the flagged line itself, or renaming its function, makes it a
 * new finding, which is the point: changed code gets checked again.
 */
export function findingKeys(source: string, tree: Tree, findings: ReadonlyArray<{ readonly code: string; readonly start: number }>): FindingKey[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const scope = scopeAt(tree, f.start);
    const text = source.slice(lineStartAt(source, f.start), lineEndAt(source, f.start)).trim();
    const identity = `${f.code}\u0000${scope}\u0000${text}`;
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    const fingerprint = createHash('sha256').update(`${identity}\u0000${occurrence}`).digest('hex').slice(0, 16);
    return { code: f.code, scope, fingerprint };
  });
}
