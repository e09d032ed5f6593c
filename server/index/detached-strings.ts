// Summaries outlive the text they were made from. The texts they hold (names, callees, lock and
// state expressions) are cut from the module's source, and V8 keeps a long cut as a view into the
// whole source string: an index of a thousand modules would keep every source alive through them.

/** Below this length V8 copies a cut instead of keeping a view, so there is nothing to detach. */
const MIN_VIEW_LENGTH = 13;

/**
 * Replaces, in place, every string of a plain-data value that could be a view into a larger string
 * with a copy of its own, sharing one copy among equal strings. Returns the value.
 */
export function detachStrings<T>(value: T): T {
  const copies = new Map<string, string>();
  const copy = (s: string): string => {
    if (s.length < MIN_VIEW_LENGTH) return s;
    let c = copies.get(s);
    if (c === undefined) {
      // Concatenating makes a new string; slicing it flattens that into fresh storage of its own.
      c = (` ${s}`).slice(1);
      copies.set(s, c);
    }
    return c;
  };
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === 'string') node[i] = copy(v);
        else if (v !== null && typeof v === 'object') stack.push(v);
      }
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const v = record[key];
        if (typeof v === 'string') record[key] = copy(v);
        else if (v !== null && typeof v === 'object') stack.push(v);
      }
    }
  }
  return value;
}
