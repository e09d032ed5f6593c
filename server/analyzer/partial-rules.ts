import { isBlank, isBreak, moveSite, type LastRun, type Span } from './comment-edit';
import { moveFindings, type OffsetEdit } from './moved-findings';
import type { Finding } from './rules/rule';
import type { SNode } from './syntax';

/**
 * A keystroke inside a function changes what the rules say at that function's sites first of all.
 * For an open document the server answers the keystroke with the rules run over that function's
 * sites only (or the top-level statement's, outside functions), and the last run's other findings
 * moved along; the whole module is checked again once typing pauses. What the edit changes
 * elsewhere (a thread target registered here makes a finding appear in another function) shows
 * then, a moment later, as cross-module findings do.
 */

/** The span a quick answer re-checks: the sites inside it are visited again, the others' findings carried. */
export interface Unit {
  readonly start: number;
  readonly end: number;
}

/**
 * What a quick answer re-checks: the outermost function whose body holds the whole change, in the
 * new text, and every subtree the copy could not carry over from the last version (`copied`, see
 * CopiedTree.copiedSpan): a method or a module-level function, with the closures it defines.
 * Failing that (a `def` line, decorators, class level, module-level code, code that no longer
 * parses as a function, a paste across functions), the top-level statements the change and the
 * copied subtrees reach. Undefined when those are most of the file: then the whole file is checked.
 */
export function editedUnit(root: SNode, source: string, change: OffsetEdit, copied: readonly [number, number] | undefined): Unit | undefined {
  // Where a change starts and ends is one of several equal alignments of the two texts (a line
  // typed after a function's last statement may be seen to end with the newline after it): blanks
  // at its ends are left out. A blank that changed the syntax (indentation) made the copy copy
  // the statements it moved, and `copied` holds them.
  let changeStart = change.start;
  let changeEnd = change.newEnd;
  const blank = (c: number): boolean => isBlank(c) || isBreak(c);
  while (changeEnd > changeStart && blank(source.charCodeAt(changeEnd - 1))) changeEnd--;
  while (changeStart < changeEnd && blank(source.charCodeAt(changeStart))) changeStart++;
  const start = copied ? Math.min(copied[0], changeStart) : changeStart;
  const end = copied ? Math.max(copied[1], changeEnd) : changeEnd;
  const holds = (n: SNode): boolean => n.start <= start && end <= n.end;
  for (let node = root.children.find(holds); node; node = node.children.find(holds)) {
    if (node.type !== 'function_definition') continue;
    const body = node.children.find((c) => c.field === 'body');
    if (body && holds(body)) return { start: node.start, end: node.end };
    break;
  }
  // The top-level statements the span reaches into; a point between two of them reaches none.
  let from = start;
  let to = end;
  for (const c of root.children) {
    const reached = start === end ? c.start < start && start < c.end : c.start < end && start < c.end;
    if (!reached) continue;
    from = Math.min(from, c.start);
    to = Math.max(to, c.end);
  }
  return (to - from) * 2 > source.length ? undefined : { start: from, end: to };
}

/**
 * The last run's findings that the new run over `unit` does not redo: those reported at sites
 * outside `unit` or after the whole module was visited, moved through `change`. A finding the change
 * touched is dropped until the next full run.
 */
export function carriedOutside(before: LastRun, change: OffsetEdit, unit: Unit): { raw: Finding[]; sites: Array<Span | undefined> } {
  // The unit as it stood in the last run's text: the change lies inside it.
  const oldStart = unit.start;
  const oldEnd = unit.end - (change.newEnd - change.oldEnd);
  const raw: Finding[] = [];
  const sites: Array<Span | undefined> = [];
  for (let i = 0; i < before.raw.length; i++) {
    const site = before.sites[i];
    if (site && site[0] >= oldStart && site[1] <= oldEnd) continue;
    const moved = moveFindings([before.raw[i]!], [change]);
    if (moved.length === 0) continue;
    raw.push(moved[0]!);
    sites.push(site && moveSite(site, change));
  }
  return { raw, sites };
}
