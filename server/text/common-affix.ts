/**
 * Lengths of what two versions of a text share at their start and end: how much an edit left
 * alone. Found by halving, since comparing substrings runs natively and a document can be large.
 */

/** Length of the common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the common suffix of `a` and `b`, at most `max` (so it does not overlap a known prefix). */
export function commonSuffix(a: string, b: string, max: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The one span in which `after` differs from `before`: `[start, oldEnd)` of `before` became
 * `[start, newEnd)` of `after` (empty spans when the texts are equal).
 */
export function changedSpan(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const start = commonPrefix(before, after);
  const tail = commonSuffix(before, after, Math.min(before.length, after.length) - start);
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
