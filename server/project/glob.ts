import * as path from 'node:path';

/**
 * Glob patterns as people write them in pyproject.toml and settings: `*` and `?` stay inside one
 * path segment, `**` crosses segments, `[abc]`/`[!abc]` are classes, `{a,b}` alternatives.
 */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  let inBraces = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        i += 2;
        if (atSegmentStart && pattern[i] === '/') {
          out += '(?:.*/)?';
          i++;
        } else {
          out += '.*';
        }
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
      } else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{' && !inBraces && pattern.indexOf('}', i) > 0) {
      out += '(?:';
      inBraces = true;
    } else if (c === '}' && inBraces) {
      out += ')';
      inBraces = false;
    } else if (c === ',' && inBraces) {
      out += '|';
    } else {
      out += c.replace(/[.+^$()|\\{}\]]/g, '\\$&');
    }
    i++;
  }
  return new RegExp(`^${out}$`);
}

const compiled = new Map<string, RegExp>();
function regExpFor(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = globToRegExp(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Whether `relPath` (relative, `/`-separated) matches `pattern`. A pattern without a `/` matches
 * any one segment, so `build` and `test_*.py` match at any depth; a pattern with a `/` is anchored
 * at the root. Either way a match on a directory covers everything below it.
 */
export function matchesGlob(relPath: string, pattern: string): boolean {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/+$/, '');
  if (p === '') return false;
  const segments = relPath.split('/').filter((s) => s !== '');
  if (!p.includes('/')) {
    const re = regExpFor(p);
    return segments.some((s) => re.test(s));
  }
  const re = regExpFor(p.replace(/^\/+/, ''));
  for (let n = segments.length; n > 0; n--) {
    if (re.test(segments.slice(0, n).join('/'))) return true;
  }
  return false;
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
