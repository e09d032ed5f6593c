import * as path from 'node:path';
import { parseCharClass } from './char-class';
import { anyButSlash, anyChar, Automaton, classTest, literalTest, slash, SLASH, type CharTest } from './nfa';

/**
 * Glob patterns as people write them in pyproject.toml and settings: `*` and `?` stay inside one
 * path segment, `**` crosses segments, `[abc]`/`[!abc]` are classes, `{a,b}` alternatives (which
 * may nest). Patterns are compiled to an automaton and run without backtracking (see nfa.ts), so
 * matching takes time linear in the path for any pattern.
 */

/** A pattern that cannot be used; the message names the offending part, never the whole pattern. */
export class InvalidGlobError extends Error {}

/** Deeper nesting than people write; it bounds the recursion that compiles alternatives. */
export const MAX_BRACE_DEPTH = 32;

export type GlobNode =
  | { readonly kind: 'one'; readonly test: CharTest }
  | { readonly kind: 'many'; readonly test: CharTest }
  /** Zero or more whole segments, each with its `/`: the `**\/` at the start of a segment. */
  | { readonly kind: 'dirs' }
  | { readonly kind: 'alt'; readonly alternatives: readonly GlobNode[][] };

/**
 * Which `{` closes at which `}`, and which `,` separates the alternatives of a closed pair, found
 * in one pass with a stack so that unbalanced braces stay ordinary characters without any
 * re-parsing. Characters inside a class are not braces.
 */
function braces(pattern: string): { closeOf: Map<number, number>; commasOf: Map<number, number[]> } {
  const closeOf = new Map<number, number>();
  const commasOf = new Map<number, number[]>();
  const open: number[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === '[') {
      const cls = parseCharClass(pattern, i, false);
      if (cls) {
        i = cls.end;
        continue;
      }
    } else if (c === '{') {
      open.push(i);
      if (open.length > MAX_BRACE_DEPTH) throw new InvalidGlobError(`braces nested more than ${MAX_BRACE_DEPTH} deep`);
    } else if (c === ',' && open.length > 0) {
      const owner = open[open.length - 1]!;
      commasOf.set(owner, [...(commasOf.get(owner) ?? []), i]);
    } else if (c === '}' && open.length > 0) {
      closeOf.set(open.pop()!, i);
    }
    i++;
  }
  return { closeOf, commasOf };
}

function parse(pattern: string): GlobNode[] {
  const { closeOf, commasOf } = braces(pattern);
  const seq = (from: number, to: number): GlobNode[] => {
    const out: GlobNode[] = [];
    let i = from;
    while (i < to) {
      const c = pattern[i]!;
      if (c === '*') {
        if (pattern[i + 1] === '*') {
          const atSegmentStart = i === 0 || pattern[i - 1] === '/';
          i += 2;
          if (atSegmentStart && pattern[i] === '/') {
            out.push({ kind: 'dirs' });
            i++;
          } else {
            out.push({ kind: 'many', test: anyChar });
          }
          continue;
        }
        out.push({ kind: 'many', test: anyButSlash });
      } else if (c === '?') {
        out.push({ kind: 'one', test: anyButSlash });
      } else if (c === '[' && parseCharClass(pattern, i, false)) {
        const cls = parseCharClass(pattern, i, false)!;
        if (cls.reversed !== undefined) throw new InvalidGlobError(`the range "${cls.reversed}" in a character class is out of order`);
        out.push({ kind: 'one', test: classTest(cls.ranges, cls.negated) });
        i = cls.end;
        continue;
      } else if (c === '{' && closeOf.has(i)) {
        const close = closeOf.get(i)!;
        const bounds = [i, ...(commasOf.get(i) ?? []), close];
        const alternatives: GlobNode[][] = [];
        for (let k = 0; k + 1 < bounds.length; k++) alternatives.push(seq(bounds[k]! + 1, bounds[k + 1]!));
        out.push({ kind: 'alt', alternatives });
        i = close + 1;
        continue;
      } else {
        out.push({ kind: 'one', test: literalTest(pattern.charCodeAt(i)) });
      }
      i++;
    }
    return out;
  };
  return seq(0, pattern.length);
}

/** Thompson's construction: each node becomes a few states leading to `next`. */
export function compileNodes(a: Automaton, nodes: readonly GlobNode[], next: number): number {
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k]!;
    switch (node.kind) {
      case 'one':
        next = a.consume(node.test, next);
        break;
      case 'many': {
        const loop = a.split([next]);
        a.link(loop, a.consume(node.test, loop));
        next = loop;
        break;
      }
      case 'dirs': {
        const loop = a.split();
        a.link(loop, a.consume(anyChar, loop));
        a.link(loop, a.consume(slash, next));
        next = a.split([next, loop]);
        break;
      }
      case 'alt':
        next = a.split(node.alternatives.map((alt) => compileNodes(a, alt, next)));
        break;
    }
  }
  return next;
}

/** Compiles one glob; throws InvalidGlobError for a pattern that cannot be used. */
export function compileGlob(pattern: string): Automaton {
  const a = new Automaton();
  a.setStart(compileNodes(a, parse(pattern), Automaton.ACCEPT));
  return a;
}

/** Why a configured glob cannot be used, or undefined when it is fine. */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(normalize(pattern));
    return undefined;
  } catch (e) {
    if (e instanceof InvalidGlobError) return e.message;
    throw e;
  }
}

// Compiled patterns, with a bound so that a long-running server editing settings does not grow.
const compiled = new Map<string, Automaton | null>();
const MAX_CACHED = 512;
function automatonFor(pattern: string): Automaton | null {
  let a = compiled.get(pattern);
  if (a === undefined) {
    try {
      a = compileGlob(pattern);
    } catch (e) {
      // Configuration readers drop invalid patterns with a message; one that slips through
      // (an API caller) matches nothing rather than failing the whole check.
      if (!(e instanceof InvalidGlobError)) throw e;
      a = null;
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, a);
  }
  return a;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function normalize(pattern: string): string {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  return p.replace(/\/+$/, '');
}

/**
 * Whether `relPath` (relative, `/`-separated) matches `pattern`. A pattern without a `/` matches
 * any one segment, so `build` and `test_*.py` match at any depth; a pattern with a `/` is anchored
 * at the root. Either way a match on a directory covers everything below it.
 */
export function matchesGlob(relPath: string, pattern: string): boolean {
  const p = normalize(pattern);
  if (p === '') return false;
  const segments = relPath.split('/').filter((s) => s !== '');
  if (!p.includes('/')) {
    const a = automatonFor(p);
    return a !== null && segments.some((s) => a.accepts(s));
  }
  const a = automatonFor(p.replace(/^\/+/, ''));
  if (a === null) return false;
  // One run over the whole path, accepting at the end of any segment: the pattern matches the
  // path or one of the directories above it.
  const joined = segments.join('/');
  return a.scan(joined, 0, joined.length, (i) => i > 0 && (i === joined.length || joined.charCodeAt(i) === SLASH));
}

/** The file's path relative to `root`, `/`-separated; outside `root`, its absolute path. */
export function relativeTo(root: string, filePath: string): string {
  const rel = path.relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return toPosix(path.resolve(filePath));
  return toPosix(rel);
}

/** Whether any of `patterns` (relative to `root`, or absolute) matches `filePath`. */
export function isExcluded(filePath: string, root: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const rel = relativeTo(root, filePath);
  const abs = toPosix(path.resolve(filePath));
  return patterns.some((pattern) => (path.isAbsolute(pattern) ? matchesGlob(abs, pattern) : matchesGlob(rel, pattern)));
}
