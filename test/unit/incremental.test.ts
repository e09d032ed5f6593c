import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node as TsNode, Tree } from 'web-tree-sitter';
import { analyzeSource, analyzeTree } from '../../server/analyzer/analyze';
import { createParser } from '../../server/analyzer/parser';
import { buildModel } from '../../server/analyzer/model/build';
import type { Scope } from '../../server/analyzer/model/scope';
import type { SemanticModel } from '../../server/analyzer/model/semantic-model';
import { copySyntax, copyTree, type SNode } from '../../server/analyzer/syntax';
import { DocumentStore } from '../../server/lsp/documents';
import { stdlibDir } from '../support/stdlib';

// The analyzer keeps the plain-JS copy of unchanged statements between versions of an open
// document. These tests hold it to the standard of a fresh copy and a fresh analysis, exactly.

const ROOT = path.join(__dirname, '..', '..');

/** Every field of every node, in pre-order, with the positions the copy derives from offsets. */
function flatten(root: SNode): string[] {
  const out: string[] = [];
  const stack: Array<{ n: SNode; depth: number }> = [{ n: root, depth: 0 }];
  while (stack.length > 0) {
    const { n, depth } = stack.pop()!;
    out.push(`${depth} ${n.type} ${n.field} ${n.named} ${n.missing} ${n.start}-${n.end} ${n.startRow}:${n.startCol}-${n.endRow}:${n.endCol} ${n.children.length}`);
    for (const c of n.children) assert.equal(c.parent, n, `parent of ${c.type} at ${c.start}`);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push({ n: n.children[i]!, depth: depth + 1 });
  }
  return out;
}

/** The same fields read one by one through tree-sitter's Node API: the reference for the copy. */
function reference(tree: Tree): string[] {
  const out: string[] = [];
  const stack: Array<{ n: TsNode; field: string | null; depth: number }> = [{ n: tree.rootNode, field: null, depth: 0 }];
  while (stack.length > 0) {
    const { n, field, depth } = stack.pop()!;
    const s = n.startPosition;
    const e = n.endPosition;
    out.push(`${depth} ${n.type} ${field} ${n.isNamed} ${n.isMissing} ${n.startIndex}-${n.endIndex} ${s.row}:${s.column}-${e.row}:${e.column} ${n.childCount}`);
    for (let i = n.childCount - 1; i >= 0; i--) stack.push({ n: n.child(i)!, field: n.fieldNameForChild(i), depth: depth + 1 });
  }
  return out;
}

const TRICKY = [
  '',
  'x = 1',
  'def f(:\n    return (\n',
  'if x:\r\n    y = "é"\r\n\r\nz = 1\r\n',
  'a = 1\rb = 2\r\rc = 3\n',
  'name = "日本語 ☃ 😀"; other = name\n\tz = 😀\n',
  'class A(\n  def m(self): yield from\n@@@\n',
  'async def f():\n    await asyncio.sleep(1)  # comment\n    x = [\n',
  '\u0000\n\uFEFFx = 1\n',
  'print "old"\nexec "code"\n',
  // Every symbol whose shape the copy takes for granted (grammar-shape.ts): keywords that are also
  // node names, two-keyword operators, patterns, type syntax, f-string parts.
  'match p:\n    case Point(x=0, y=_) | [1, *rest] if x is not None: pass\n    case {"k": v, **kw}: pass\n',
  'type Alias[T: int, *Ts, **P] = list[T] | None\nx: type = lambda a, /, *b, c=1, **d: (yield)\n',
  'async def f():\n    await g(); y = await h if a not in b else ...\n    async with a as (b, c): pass\n',
  'f"{x!r:>{width}} {y=} {{}} \\n" + rb"\\x00" \\\n  "tail"\nglobal g; nonlocal n; del a[1:2:3], b.c\n',
  'try:\n    pass\nexcept* (A, B) as e:\n    raise X from e\nelse: pass\nfinally: pass\n',
  'from .. import (a as b, c)\nfrom __future__ import annotations\nimport a.b as c\nassert x, "m"\n',
  '@dec\nclass C(B, metaclass=M):\n    x: int = 1\n    def m(self, a: int = 2, *, b) -> None: return not -a ** ~b // 2 @ m\n',
  '[i for i in x if i]; {k: v for k, v in y}; {s async for s in z}; (g for g in w); x := 1\nwhile x: x -= 1\n',
];

test('the plain-JS copy matches tree-sitter node for node (types, fields, named, missing, offsets, rows, columns)', async () => {
  const parser = await createParser();
  const dir = stdlibDir();
  const files = ['threading.py', 'queue.py', 'socketserver.py', 'asyncio/base_events.py', 'concurrent/futures/process.py',
    'typing.py', 'dataclasses.py', 'inspect.py', 'pydoc.py', 'ast.py']
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  for (const text of [...TRICKY, ...files]) {
    const tree = parser.parse(text)!;
    try {
      assert.deepEqual(flatten(copyTree(tree, text)), reference(tree), JSON.stringify(text.slice(0, 60)));
    } finally {
      tree.delete();
    }
  }
});

/** The model as plain data: scopes by their node's offsets, so two builds can be compared. */
function modelSummary(m: SemanticModel): unknown {
  const scope = (s: Scope | undefined): string => (s ? `${s.type}@${s.node.start}` : '-');
  const bindings = (s: Scope) => [...s.bindings].map(([name, list]) => [name, list.map((b) => `${b.kind}:${'node' in b ? b.node.start : 'fn' in b ? b.fn.node.start : b.cls.node.start}`)]);
  return {
    module: bindings(m.module),
    functions: m.functions.map((f) => [f.id, f.name, f.node.start, scope(f.parent), f.owner?.name, f.receiver, f.isAsync, f.hasYield, [...f.declaredOuter], f.decorators.map((d) => d.start), bindings(f)]),
    classes: m.classes.map((c) => [c.name, c.node.start, scope(c.parent), c.bases.map((b) => b.start), [...c.methods.keys()], [...c.attributes].map(([k, v]) => [k, v.map((n) => n.start)]), bindings(c)]),
    calls: m.calls.map((c) => [c.node.start, c.callee.start, c.args?.start, scope(c.scope)]),
    nodes: m.nodes.map((n) => [n.node.type, n.node.start, scope(n.scope)]),
    comments: m.comments.map((c) => [c.node.start, c.text, c.trailing]),
    scopeOf: [...m.scopeOf].map(([n, s]) => [n.start, scope(s)]),
  };
}

/** mulberry32: seeded, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  'x', ' ', '\n', '\n\n', '    ', '(', ')', ':', '"', "'''", '#', '# threadwise: ignore[TW101]', 'é', '😀', '\r\n',
  'time.sleep(1)\n', 'await asyncio.sleep(0)\n', 'asyncio.create_task(f())\n', 'with self._lock:\n    pass\n',
  'def g():\n    return 1\n', 'async def h():\n    time.sleep(2)\n', 'class C:\n    def m(self):\n        pass\n',
  'import threading\n', 'lock = threading.Lock()\n', 'lock.acquire()\n', 'if __name__ == "__main__":\n    main()\n',
];

interface Change {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/** An LSP position as clients compute it (`\r`, `\n` and `\r\n` all end a line). */
function position(text: string, offset: number): { line: number; character: number } {
  return TextDocument.create('file:///x.py', 'python', 0, text).positionAt(offset);
}

/** A random edit: a typed snippet, a deleted span, a replaced span or a moved line, anywhere. */
function randomChange(text: string, next: () => number): { start: number; end: number; insert: string } {
  // Edits often land at line starts and ends, where statements begin and end.
  let start = Math.floor(next() * (text.length + 1));
  if (next() < 0.3) {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    start = next() < 0.5 ? lineStart : Math.max(lineStart, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
  }
  // Never split a surrogate pair or a CRLF: LSP positions cannot address the middle of either.
  const inside = (o: number) => o > 0 && o < text.length && ((text.charCodeAt(o) & 0xfc00) === 0xdc00 || (text[o - 1] === '\r' && text[o] === '\n'));
  if (inside(start)) start--;
  const kind = next();
  let end = start;
  if (kind > 0.5) end = Math.min(text.length, start + Math.floor(next() * (kind > 0.9 ? 400 : 12)));
  if (inside(end)) end++;
  const insert = kind > 0.8 && kind <= 0.9 ? '' : SNIPPETS[Math.floor(next() * SNIPPETS.length)]!;
  return { start, end, insert };
}

async function editSession(name: string, initial: string, edits: number, seed: number): Promise<void> {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const uri = `file:///${name}`;
  let entry = store.open(uri, 'python', 1, initial);
  analyzeTree(initial, entry.tree, undefined, { incremental: entry.incremental });
  const next = rng(seed);
  try {
    for (let v = 2; v < edits + 2; v++) {
      const text = entry.doc.getText();
      // Several changes in one notification now and then, as editors send for multi-cursor edits.
      const count = next() < 0.1 ? 2 : 1;
      const changes: Change[] = [];
      let working = text;
      for (let i = 0; i < count; i++) {
        const c = randomChange(working, next);
        changes.push({ range: { start: position(working, c.start), end: position(working, c.end) }, text: c.insert });
        working = working.slice(0, c.start) + c.insert + working.slice(c.end);
      }
      entry = store.change(uri, v, changes)!;
      const current = entry.doc.getText();
      assert.equal(current, working);
      // Analyze only some versions, as the server does when changes arrive faster than it checks.
      if (next() < 0.25) continue;
      const label = `${name} seed ${seed} version ${v}`;
      const incremental = analyzeTree(current, entry.tree, undefined, { incremental: entry.incremental });
      const sameTree = copySyntax(entry.tree, current);
      const fresh = await analyzeSource(current);
      assert.deepEqual(incremental, fresh, label);
      // The document's incremental state hands back the copy analyzeTree just made for this version: it must equal a fresh copy of the same tree,
      // and the model replayed from remembered statements must equal one built from scratch.
      const kept = entry.incremental.copy(entry.tree, current);
      assert.deepEqual(flatten(kept), flatten(sameTree.root), label);
      assert.deepEqual(modelSummary(buildModel(current, kept, entry.incremental.pieces)), modelSummary(buildModel(current, sameTree.root)), label);
    }
  } finally {
    store.close(uri);
  }
}

test('incremental analysis of randomly edited real files equals a fresh analysis, finding for finding', async () => {
  const dir = stdlibDir();
  const sources: Array<[string, string]> = [
    ['threading.py', fs.readFileSync(path.join(dir, 'threading.py'), 'utf8')],
    ['asyncio/locks.py', fs.readFileSync(path.join(dir, 'asyncio', 'locks.py'), 'utf8')],
    ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.py')).map((f): [string, string] => [`examples/${f}`, fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')]),
  ];
  let seed = 1;
  for (const [name, text] of sources) await editSession(name, text, name === 'threading.py' ? 120 : 50, seed++);
});

test('reused statements are really reused: an edit inside one function leaves the other top-level nodes as they were', async () => {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const text = 'import time\n\ndef a():\n    return 1\n\ndef b():\n    time.sleep(1)\n\nx = 2\n';
  const entry = store.open('file:///reuse.py', 'python', 1, text);
  try {
    const before = entry.incremental.copy(entry.tree, text);
    const kids = [...before.children];
    const at = text.indexOf('1\n');
    store.change('file:///reuse.py', 2, [{ range: { start: position(text, at), end: position(text, at + 1) }, text: '10' }]);
    const after = entry.incremental.copy(entry.tree, entry.doc.getText());
    assert.equal(after.children.length, 4);
    assert.equal(after.children[0], kids[0], 'import before the edit is reused');
    assert.notEqual(after.children[1], kids[1], 'the edited function is copied again');
    const [name, params] = kids[1]!.children.filter((c) => c.named);
    assert.equal(after.children[1]!.children.filter((c) => c.named)[0], name, '... but its name is reused');
    assert.equal(after.children[1]!.children.filter((c) => c.named)[1], params, '... and its parameters');
    assert.equal(after.children[2], kids[2], 'the function after the edit is reused');
    assert.equal(after.children[3], kids[3]);
    assert.equal(after.children[2]!.start, entry.doc.getText().indexOf('def b'), 'and moved by the inserted character');
    assert.equal(after.children[2]!.parent, after);
  } finally {
    store.close('file:///reuse.py');
  }
});

test('only the recently used documents keep a tree; the others get one back on demand, with the same findings', async () => {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const text = 'import asyncio\nimport time\n\nasync def f():\n    time.sleep(1)\n';
  const uris = Array.from({ length: 20 }, (_, i) => `file:///doc${i}.py`);
  try {
    const first = store.open(uris[0]!, 'python', 1, text);
    const firstTree = first.tree;
    const recentTrees = uris.slice(1).map((uri) => store.open(uri, 'python', 1, text).tree);
    assert.equal(store.get(uris[19]!)!.tree, recentTrees[18], 'a recently used document keeps its tree');
    const again = store.get(uris[0]!)!.tree;
    assert.notEqual(again, firstTree, 'the long-unused tree was let go and is parsed again on demand');
    assert.equal(again.rootNode.text, text);
    assert.equal(store.get(uris[0]!)!.tree, again, 'and then kept');
    const at = text.indexOf('1)');
    const entry = store.change(uris[0]!, 2, [{ range: { start: position(text, at), end: position(text, at + 1) }, text: '2' }])!;
    const changed = entry.doc.getText();
    assert.equal(changed, text.replace('sleep(1)', 'sleep(2)'));
    assert.equal(entry.tree.rootNode.text, changed);
    assert.deepEqual(analyzeTree(changed, entry.tree, undefined, { incremental: entry.incremental }), await analyzeSource(changed));
    // Touching it made it recent again: the next change re-parses incrementally from that tree.
    const tree = entry.tree;
    store.change(uris[0]!, 3, [{ range: { start: position(changed, 0), end: position(changed, 0) }, text: '#\n' }]);
    assert.notEqual(entry.tree, tree);
    assert.deepEqual(analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental }), await analyzeSource(entry.doc.getText()));
  } finally {
    for (const uri of uris) store.close(uri);
  }
});

test('typing and deleting comments reuses the last findings, and still equals a fresh analysis at every keystroke', async () => {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const uri = 'file:///comments.py';
  const initial = 'import asyncio\nimport time\n\n\nasync def main(items):\n    time.sleep(1)\n    for item in items:\n        time.sleep(item)  # slow\n    return "# not a comment"\n';
  let entry = store.open(uri, 'python', 1, initial);
  analyzeTree(initial, entry.tree, undefined, { incremental: entry.incremental });
  let version = 1;
  let reused = 0;
  const edit = async (start: number, end: number, insert: string) => {
    const text = entry.doc.getText();
    entry = store.change(uri, ++version, [{ range: { start: position(text, start), end: position(text, end) }, text: insert }])!;
    const current = entry.doc.getText();
    const before = entry.incremental.lastRun;
    const incremental = analyzeTree(current, entry.tree, undefined, { incremental: entry.incremental });
    // The rules ran again exactly when they had to: a reuse hands over the last run's error list itself.
    if (entry.incremental.lastRun!.ruleErrors === before!.ruleErrors) reused++;
    assert.deepEqual(incremental, await analyzeSource(current), `after ${JSON.stringify(insert)} at ${start}: ${current}`);
  };
  try {
    // A suppression typed a character at a time after the first sleep: the finding goes once it is complete.
    let at = initial.indexOf('time.sleep(1)') + 'time.sleep(1)'.length;
    for (const ch of '  # threadwise: ignore[TW101]') await edit(at, at, ch), at++;
    assert.equal(analyzeTree(entry.doc.getText(), entry.tree, undefined, { incremental: entry.incremental }).findings.filter((f) => f.code === 'TW101').length, 1);
    // ... and backspaced away.
    for (let k = 0; k < '  # threadwise: ignore[TW101]'.length; k++) await edit(at - 1, at, ''), at--;
    // Text inside an existing comment, and a comment's whole text removed.
    const slow = entry.doc.getText().indexOf('# slow');
    await edit(slow + 6, slow + 6, 'er');
    await edit(slow, slow + '# slower'.length, '');
    const typedSoFar = reused;
    assert.ok(typedSoFar >= 55, `comment keystrokes reuse the findings (${typedSoFar} of ${version - 1})`);
    // A '#' typed before code turns the rest of the line into a comment: the rules must run.
    const loop = entry.doc.getText().indexOf('time.sleep(item)');
    await edit(loop, loop, '#');
    assert.equal(reused, typedSoFar, 'commenting code out is not a comment-only edit');
    // Nor is a '#' inside a string.
    const str = entry.doc.getText().indexOf('# not');
    await edit(str + 1, str + 1, '#');
    assert.equal(reused, typedSoFar);
  } finally {
    store.close(uri);
  }
});

test('an edit inside a comment keeps the edited tree without a parse, and that tree equals a fresh parse node for node', async () => {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const uri = 'file:///threading.py';
  const text = fs.readFileSync(path.join(stdlibDir(), 'threading.py'), 'utf8') + 'x = 1  # no line break after this comment';
  let entry = store.open(uri, 'python', 1, text);
  const next = rng(11);
  const typed = ['x', ' ', '', 'é', '😀', '"', "'''", '\\', '\t', '#', '(', 'with lock:'];
  let kept = 0;
  try {
    for (let v = 2; v < 202; v++) {
      const current = entry.doc.getText();
      const comments = entry.tree.rootNode.descendantsOfType('comment');
      const c = comments[Math.floor(next() * comments.length)]!;
      // Anywhere after the '#', up to and including the comment's end (typing at the end of a line).
      const start = c.startIndex + 1 + Math.floor(next() * (c.endIndex - c.startIndex));
      const end = Math.min(c.endIndex, start + Math.floor(next() * 4));
      const before = entry.tree;
      const insert = typed[Math.floor(next() * typed.length)]!;
      entry = store.change(uri, v, [{ range: { start: position(current, start), end: position(current, end) }, text: insert }])!;
      if (entry.tree === before) kept++;
      const fresh = parser.parse(entry.doc.getText())!;
      try {
        assert.deepEqual(reference(entry.tree), reference(fresh), `version ${v}: ${JSON.stringify(insert)} at ${start}-${end}`);
      } finally {
        fresh.delete();
      }
    }
    assert.equal(kept, 200, 'every one of these edits kept the tree');
    // Edits that change what the line is: a new line inside a comment, the '#' deleted, a '#' typed before code.
    const current = entry.doc.getText();
    const c = entry.tree.rootNode.descendantsOfType('comment')[3]!;
    const cases: Array<[number, number, string]> = [
      [c.startIndex + 2, c.startIndex + 2, '\nx = 1'],
      [c.startIndex + 2, c.startIndex + 2, '\r'],
      [c.startIndex, c.startIndex + 1, ''],
      [current.indexOf('import'), current.indexOf('import'), '#'],
    ];
    let v = 300;
    for (const [start, end, insert] of cases) {
      const now = entry.doc.getText();
      const before = entry.tree;
      entry = store.change(uri, ++v, [{ range: { start: position(now, start), end: position(now, end) }, text: insert }])!;
      assert.notEqual(entry.tree, before, `${JSON.stringify(insert)} at ${start} is parsed`);
      const fresh = parser.parse(entry.doc.getText())!;
      assert.deepEqual(reference(entry.tree), reference(fresh));
      fresh.delete();
      // Back to the text before, so each case starts from a comment that is there.
      entry = store.change(uri, ++v, [{ range: { start: position(entry.doc.getText(), start), end: position(entry.doc.getText(), start + insert.length) }, text: now.slice(start, end) }])!;
      assert.equal(entry.doc.getText(), now);
    }
  } finally {
    store.close(uri);
  }
});
