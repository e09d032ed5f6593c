import { parseCharClass } from '../project/char-class';
import { compileNodes, type GlobNode } from '../project/glob';
import { anyButSlash, anyChar, Automaton, classTest, literalTest, SLASH } from '../project/nfa';

/**
 * gitignore patterns (`.gitignore` files and `--exclude`), matched by the same backtracking-free
 * automaton as the configuration globs. The `ignore` package used before compiles them to regular
 * expressions that take time polynomial in the path, with the number of `**` as the exponent
 * (`a/**\/a/**\/a/**\/b` against a deep path), and a .gitignore comes from the checked repository.
 */

/**
 * Matching ignores case, as the `ignore` package this replaces did by default (and git does on
 * case-insensitive filesystems), so that existing `--exclude` patterns keep matching.
 */
const IGNORE_CASE = true;

interface Rule {
  readonly negative: boolean;
  /** Written with a trailing `/`: matches directories only. */
  readonly dirOnly: boolean;
  /** Has a `/` before its end: matched against the path from the rules' folder, not a name. */
  readonly anchored: boolean;
  readonly automaton: Automaton;
}

export interface GitignoreVerdict {
  /** The path, or a folder above it, is ignored. */
  readonly ignored: boolean;
  /** A `!` pattern re-included the path: no shallower rule set gets a say. */
  readonly unignored: boolean;
}

/** One pattern's body (no `!`, no trailing `/`, no leading `/`) as automaton nodes. */
function parseBody(body: string): GlobNode[] {
  const out: GlobNode[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      out.push({ kind: 'one', test: literalTest(body.charCodeAt(i + 1), IGNORE_CASE) });
      i += 2;
    } else if (c === '*') {
      let end = i;
      while (body[end] === '*') end++;
      const wholeSegment = end - i >= 2 && (i === 0 || body[i - 1] === '/') && (end === body.length || body[end] === '/');
      if (!wholeSegment) {
        out.push({ kind: 'many', test: anyButSlash });
        i = end;
      } else if (end === body.length) {
        // `a/**`: everything inside `a`, not `a` itself; `**` alone: everything.
        if (i > 0) out.push({ kind: 'one', test: anyChar });
        out.push({ kind: 'many', test: anyChar });
        i = end;
      } else {
        // `**/` at the start or in the middle: zero or more folders.
        out.push({ kind: 'dirs' });
        i = end + 1;
      }
    } else if (c === '?') {
      out.push({ kind: 'one', test: anyButSlash });
      i++;
    } else if (c === '[' && parseCharClass(body, i, true)) {
      // A range written high-to-low matches nothing, as in git; the class's other members still count.
      const cls = parseCharClass(body, i, true)!;
      out.push({ kind: 'one', test: classTest(cls.ranges, cls.negated, IGNORE_CASE) });
      i = cls.end;
    } else {
      out.push({ kind: 'one', test: literalTest(body.charCodeAt(i), IGNORE_CASE) });
      i++;
    }
  }
  return out;
}

function parseLine(raw: string): Rule | undefined {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.startsWith('#')) return undefined;
  // Trailing spaces are dropped unless escaped with a backslash.
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  line = line.slice(0, end);
  let negative = false;
  if (line.startsWith('!')) {
    negative = true;
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    dirOnly = true;
    line = line.replace(/\/+$/, '');
  }
  const anchored = line.includes('/');
  line = line.replace(/^\/+/, '');
  if (line === '') return undefined;
  const automaton = new Automaton();
  automaton.setStart(compileNodes(automaton, parseBody(line), Automaton.ACCEPT));
  return { negative, dirOnly, anchored, automaton };
}

/** The rules of one .gitignore file, or a list of `--exclude` patterns. */
export class GitignoreRules {
  private readonly rules: Rule[];

  /** `lines`: a file's text, or patterns one per item. */
  constructor(lines: string | readonly string[]) {
    const all = typeof lines === 'string' ? lines.split('\n') : lines.flatMap((l) => l.split('\n'));
    this.rules = all.map(parseLine).filter((r): r is Rule => r !== undefined);
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /**
   * The verdict on `rel` (`/`-separated, relative to the rules' folder). As in git, the last rule
   * that matches decides, and a path inside an ignored folder is ignored whatever later rules say.
   * Each rule runs once over the path, so the time is linear in the path for every pattern.
   */
  test(rel: string, isDir: boolean): GitignoreVerdict {
    const segments = rel.split('/').filter((s) => s !== '');
    if (segments.length === 0 || this.rules.length === 0) return { ignored: false, unignored: false };
    const joined = segments.join('/');
    const ends: number[] = [];
    for (let i = 0; i <= joined.length; i++) if (i === joined.length || joined.charCodeAt(i) === SLASH) ends.push(i);
    // matched[r][j]: rule r matches the first j + 1 segments.
    const matched = this.rules.map((rule) => {
      const levels = new Uint8Array(segments.length);
      if (rule.anchored) {
        let j = 0;
        rule.automaton.scan(joined, 0, joined.length, (i) => {
          while (j < ends.length && ends[j]! < i) j++;
          if (ends[j] === i) levels[j] = 1;
          return false;
        });
      } else {
        let start = 0;
        for (let j = 0; j < segments.length; j++) {
          if (rule.automaton.accepts(joined, start, ends[j]!)) levels[j] = 1;
          start = ends[j]! + 1;
        }
      }
      return levels;
    });
    for (let j = 0; j < segments.length; j++) {
      const dir = j < segments.length - 1 || isDir;
      let verdict: GitignoreVerdict = { ignored: false, unignored: false };
      for (let r = this.rules.length - 1; r >= 0; r--) {
        const rule = this.rules[r]!;
        if (matched[r]![j] && (dir || !rule.dirOnly)) {
          verdict = { ignored: !rule.negative, unignored: rule.negative };
          break;
        }
      }
      if (verdict.ignored || j === segments.length - 1) return verdict;
    }
    return { ignored: false, unignored: false };
  }
}
