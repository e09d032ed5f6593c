/**
 * A nondeterministic automaton over UTF-16 code units, run as a set of states.
 *
 * Globs used to become JavaScript regular expressions, whose backtracking engine takes time
 * exponential in the number of wildcards on some inputs (`*a*a*a*…b` against `aaaa…`), so one
 * line of configuration could freeze the server. Simulating every state at once instead costs
 * O(path length × automaton size) for any pattern. The glob libraries on npm (picomatch,
 * minimatch, ignore) all compile to backtracking regular expressions, which is why this exists.
 */

/** Whether a state consumes this code unit. */
export type CharTest = (c: number) => boolean;

/**
 * The automaton under construction. States are numbered; a state either consumes one code unit
 * that passes its test and moves to its single successor, or is an epsilon state that moves to
 * all of its successors without consuming anything. State 0 is the accepting state.
 */
export class Automaton {
  private readonly tests: Array<CharTest | undefined> = [undefined];
  private readonly edges: number[][] = [[]];
  /** The state matching starts from; set by `setStart` once the pattern is compiled. */
  private start = 0;

  static readonly ACCEPT = 0;

  get size(): number {
    return this.tests.length;
  }

  /** A state consuming one code unit that passes `test`, then going to `next`. */
  consume(test: CharTest, next: number): number {
    this.tests.push(test);
    this.edges.push([next]);
    return this.tests.length - 1;
  }

  /** An epsilon state going to every one of `next`; its successors may be added later. */
  split(next: number[] = []): number {
    this.tests.push(undefined);
    this.edges.push(next);
    return this.tests.length - 1;
  }

  /** Adds a successor to an epsilon state made by `split`, to close a loop. */
  link(from: number, to: number): void {
    this.edges[from]!.push(to);
  }

  setStart(state: number): void {
    this.start = state;
  }

  /** Whether the automaton accepts all of `text[from, to)`. */
  accepts(text: string, from = 0, to = text.length): boolean {
    return this.scan(text, from, to, (i) => i === to);
  }

  /**
   * Runs over `text[from, to)`, calling `onAccept(i)` at each position `i` where the automaton
   * accepts `text[from, i)`; stops as soon as that returns true (and returns true), or when no
   * state is left alive or the text ends (and returns false).
   */
  scan(text: string, from: number, to: number, onAccept: (i: number) => boolean): boolean {
    const mark = new Uint32Array(this.tests.length);
    let generation = 1;
    let current: number[] = [];
    let next: number[] = [];
    const stack: number[] = [];
    let accepting = false;

    // Adds `state` and everything reachable from it by epsilon moves; an explicit stack, because a
    // long pattern makes a long chain of epsilon states.
    const close = (state: number, into: number[]) => {
      stack.push(state);
      while (stack.length > 0) {
        const s = stack.pop()!;
        if (mark[s] === generation) continue;
        mark[s] = generation;
        if (s === Automaton.ACCEPT) accepting = true;
        else if (this.tests[s] !== undefined) into.push(s);
        else for (const e of this.edges[s]!) if (mark[e] !== generation) stack.push(e);
      }
    };

    close(this.start, current);
    for (let i = from; ; i++) {
      if (accepting && onAccept(i)) return true;
      if (i >= to || current.length === 0) return false;
      const c = text.charCodeAt(i);
      generation++;
      accepting = false;
      next.length = 0;
      for (const s of current) if (this.tests[s]!(c)) close(this.edges[s]![0]!, next);
      [current, next] = [next, current];
    }
  }
}

export const SLASH = 0x2f;

export const anyButSlash: CharTest = (c) => c !== SLASH;
export const anyChar: CharTest = () => true;
export const slash: CharTest = (c) => c === SLASH;

/** One character class: ranges of code units, perhaps negated; never `/`, which separates segments. */
export function classTest(ranges: ReadonlyArray<readonly [number, number]>, negated: boolean, ignoreCase = false): CharTest {
  const inRanges = (c: number) => ranges.some(([lo, hi]) => c >= lo && c <= hi);
  const member = ignoreCase ? (c: number) => inRanges(c) || inRanges(lower(c)) || inRanges(upper(c)) : inRanges;
  return (c) => c !== SLASH && member(c) !== negated;
}

export function literalTest(code: number, ignoreCase = false): CharTest {
  if (!ignoreCase || lower(code) === upper(code)) return (c) => c === code;
  const l = lower(code);
  return (c) => c === code || lower(c) === l;
}

function lower(c: number): number {
  const s = String.fromCharCode(c).toLowerCase();
  return s.length === 1 ? s.charCodeAt(0) : c;
}

function upper(c: number): number {
  const s = String.fromCharCode(c).toUpperCase();
  return s.length === 1 ? s.charCodeAt(0) : c;
}
