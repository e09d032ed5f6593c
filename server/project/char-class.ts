/** `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` as globs and gitignore files write them. */
export interface CharClass {
  /** Index just past the closing `]`. */
  readonly end: number;
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  readonly negated: boolean;
  /** The first range written high-to-low (`z-a`), which matches nothing. */
  readonly reversed?: string;
}

/**
 * Reads the class opening at `pattern[start]` (a `[`). A `]` right after `[` or `[!` is a member,
 * as in fnmatch. With `escapes`, a backslash makes the next character a plain member (gitignore).
 * Undefined when the class is never closed: the `[` is then an ordinary character.
 */
export function parseCharClass(pattern: string, start: number, escapes: boolean): CharClass | undefined {
  let i = start + 1;
  let negated = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: Array<readonly [number, number]> = [];
  let reversed: string | undefined;
  let first = true;
  // One member character, unescaping it when asked; undefined at the end of the pattern.
  const member = (): number | undefined => {
    if (i >= pattern.length) return undefined;
    if (escapes && pattern[i] === '\\' && i + 1 < pattern.length) i++;
    return pattern.charCodeAt(i++);
  };
  while (i < pattern.length) {
    if (pattern[i] === ']' && !first) return { end: i + 1, ranges, negated, ...(reversed !== undefined ? { reversed } : {}) };
    first = false;
    const lo = member()!;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      i++;
      const hi = member();
      if (hi === undefined) return undefined;
      if (hi < lo) reversed ??= `${String.fromCharCode(lo)}-${String.fromCharCode(hi)}`;
      else ranges.push([lo, hi]);
    } else {
      ranges.push([lo, lo]);
    }
  }
  return undefined;
}
