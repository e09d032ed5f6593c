/**
 * Python's method resolution order (C3 linearisation), over any class representation: a method is
 * looked up along it, so with `class A(B, Mixin)` where `B` and `Mixin` both derive from `Base`,
 * `Mixin` comes before `Base` (a depth-first walk would reach `Base` through `B` first).
 */

/** Deeper than any real class hierarchy; cycles and deeper chains give no order. */
const MAX_DEPTH = 64;

/**
 * The linearisation of `start`, given each class's direct bases (a class whose bases are unknown
 * has none), or undefined when the bases admit no consistent order (Python raises TypeError
 * there) or loop. Classes are compared by identity, so callers pass one object per class.
 */
export function methodOrder<T>(start: T, basesOf: (cls: T) => readonly T[]): T[] | undefined {
  const memo = new Map<T, T[]>();
  const onPath = new Set<T>();
  const linearize = (cls: T, depth: number): T[] | undefined => {
    const known = memo.get(cls);
    if (known) return known;
    if (depth > MAX_DEPTH || onPath.has(cls)) return undefined;
    onPath.add(cls);
    try {
      const bases = basesOf(cls);
      const sequences: T[][] = [];
      for (const base of bases) {
        const order = linearize(base, depth + 1);
        if (!order) return undefined;
        sequences.push([...order]);
      }
      sequences.push([...bases]);
      const out = [cls];
      for (;;) {
        const open = sequences.filter((s) => s.length > 0);
        if (open.length === 0) break;
        // The first head that is in no other sequence's tail.
        const head = open.map((s) => s[0]!).find((h) => !open.some((s) => s.indexOf(h) > 0));
        if (head === undefined) return undefined;
        out.push(head);
        for (const s of open) if (s[0] === head) s.shift();
      }
      memo.set(cls, out);
      return out;
    } finally {
      onPath.delete(cls);
    }
  };
  return linearize(start, 0);
}
