/** Lines with their terminators, so a change of line ending or a missing final newline shows. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Beyond this many cells the middle is shown as one replacement rather than minimised. */
const MAX_TABLE = 4_000_000;

/** A shortest edit script by longest common subsequence over the part that differs. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: ' ', line }));
  const n = A.length;
  const m = B.length;
  if ((n + 1) * (m + 1) > MAX_TABLE) {
    for (const line of A) ops.push({ kind: '-', line });
    for (const line of B) ops.push({ kind: '+', line });
  } else {
    // lcs[i][j] = length of the LCS of A[i..] and B[j..]
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = A[i] === B[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && A[i] === B[j]) {
        ops.push({ kind: ' ', line: A[i++]! });
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // Deletions before insertions, as diff and git print a replaced line.
        ops.push({ kind: '-', line: A[i++]! });
      } else {
        ops.push({ kind: '+', line: B[j++]! });
      }
    }
  }
  for (const line of a.slice(a.length - suf)) ops.push({ kind: ' ', line });
  return ops;
}

function render(op: Op): string {
  if (op.line.endsWith('\n')) return `${op.kind}${op.line}`;
  return `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

/** A unified diff (three lines of context) of `before` and `after`; empty when they are equal. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const hunks: Array<[number, number]> = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(ops.length, i + context + 1);
    const last = hunks.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  // Line numbers before each op, on each side.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  let out = `--- a/${file}\n+++ b/${file}\n`;
  for (const [from, to] of hunks) {
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? oldAt[from]! - 1 : oldAt[from]!;
    const newStart = newCount === 0 ? newAt[from]! - 1 : newAt[from]!;
    out += `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`;
    out += slice.map(render).join('');
  }
  return out;
}
