import type { Tree } from 'web-tree-sitter';
import { applyEdits } from '../analyzer/fixes/apply';
import { lineStartAt } from '../analyzer/fixes/source-text';
import type { Finding, TextEdit } from '../analyzer/rules/rule';
import { commentAnchor, suppressionEdit } from '../analyzer/suppression-edit';

/** The reason written after each added suppression unless `--add-noqa=REASON` says otherwise. */
export const DEFAULT_NOQA_REASON = 'TODO: reason';

export interface AddedSuppressions {
  readonly text: string;
  /** How many findings the added codes silence. */
  readonly added: number;
  /** Findings no comment can silence, with why. */
  readonly skipped: ReadonlyArray<{ readonly finding: Finding; readonly why: string }>;
}

/**
 * Writes `# threadwise: ignore[...]  # reason` for every finding, one directive per line holding
 * all that line's codes, at the place the "Ignore TWnnn on this line" action uses
 * (suppression-edit.ts). Findings are silenced where they are reported, so running it again
 * finds nothing to add.
 */
export function addSuppressions(source: string, tree: Tree, findings: readonly Finding[], reason: string): AddedSuppressions {
  const skipped: Array<{ finding: Finding; why: string }> = [];
  const byLine = new Map<number, Finding[]>();
  const anchor = commentAnchor(source, tree);
  for (const f of findings) {
    // TW001 is about a suppression comment itself; another comment cannot silence it.
    if (f.code === 'TW001') {
      skipped.push({ finding: f, why: 'it reports an unused suppression, which `--fix` removes' });
      continue;
    }
    const line = lineStartAt(source, anchor(f.start));
    const list = byLine.get(line);
    if (list) list.push(f);
    else byLine.set(line, [f]);
  }
  const edits: TextEdit[] = [];
  let added = 0;
  for (const line of byLine.values()) {
    const placement = suppressionEdit(source, tree, line[0]!.start, line.map((f) => f.code), reason === '' ? undefined : reason, anchor);
    if (placement.kind === 'impossible') {
      for (const f of line) skipped.push({ finding: f, why: placement.why });
    } else if (placement.kind === 'edit') {
      edits.push(placement.edit);
      added += line.filter((f) => placement.added.includes(f.code)).length;
    }
  }
  skipped.sort((a, b) => a.finding.start - b.finding.start);
  return { text: edits.length > 0 ? applyEdits(source, edits) : source, added, skipped };
}
