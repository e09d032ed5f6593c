import type { Finding } from './rules/rule';

/** One text change in offsets: `[start, oldEnd)` of the text before it became `[start, newEnd)`. */
export interface OffsetEdit {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/**
 * Where a span's start or end goes through an edit; undefined when the edit replaced it. Text
 * inserted right at a span's start moves the whole span; text inserted right at its end is not
 * part of it: typing after a call leaves the call where it was.
 */
function moved(offset: number, e: OffsetEdit, side: 'start' | 'end'): number | undefined {
  if (side === 'start' ? offset < e.start : offset <= e.start) return offset;
  if (offset >= e.oldEnd) return offset + (e.newEnd - e.oldEnd);
  return undefined;
}

/**
 * The findings as they sit in the text after `edits` (applied in order), for findings computed on
 * the text before them. A finding whose span or any same-file place it refers to (a fix's edit, a
 * related location) was touched by an edit is dropped: what it said may no longer hold. Places in
 * other files do not move.
 */
export function moveFindings(findings: readonly Finding[], edits: readonly OffsetEdit[]): Finding[] {
  if (edits.length === 0) return findings.slice();
  const out: Finding[] = [];
  next: for (const original of findings) {
    let f = original;
    for (const e of edits) {
      const span = (start: number, end: number): [number, number] | undefined => {
        // An edit strictly inside the span changes what the span holds.
        if (e.start < end && e.oldEnd > start) return undefined;
        if (e.start === e.oldEnd && e.start > start && e.start < end) return undefined;
        const s = moved(start, e, 'start');
        const t = moved(end, e, 'end');
        return s === undefined || t === undefined ? undefined : [s, Math.max(s, t)];
      };
      const own = span(f.start, f.end);
      if (!own) continue next;
      let fix = f.fix;
      if (fix) {
        const edits = [];
        for (const x of fix.edits) {
          const m = span(x.start, x.end);
          if (!m) continue next;
          edits.push({ ...x, start: m[0], end: m[1] });
        }
        fix = { ...fix, edits };
      }
      let related = f.related;
      if (related) {
        const out = [];
        for (const r of related) {
          if (r.file !== undefined) {
            out.push(r);
            continue;
          }
          const m = span(r.start, r.end);
          if (!m) continue next;
          out.push({ ...r, start: m[0], end: m[1] });
        }
        related = out;
      }
      f = { ...f, start: own[0], end: own[1], ...(fix ? { fix } : {}), ...(related ? { related } : {}) };
    }
    out.push(f);
  }
  return out;
}
