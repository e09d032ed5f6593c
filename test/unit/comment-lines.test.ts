import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CommentLines } from '../../server/analyzer/comment-lines';
import { LineIndex } from '../../server/analyzer/line-index';
import { createParser, parserText } from '../../server/analyzer/parser';
import { copyTree } from '../../server/analyzer/syntax';
import { FIXTURES, fixtureFiles } from '../support/expectations';
import { stdlibDir } from '../support/stdlib';

const SHAPES = [
  'x = f() + \\\n    g() + \\\n    1\n',
  's = """a\nb\nc"""  # tail\nt = 1\n',
  'call(\n    "x",\n    \'\'\'y\nz\'\'\',\n)\n',
  "path = 'C:\\\\'\nq = 1  # C:\\\n",
  'v = f"""{a}\n{b}""" + \\\n  "end"\r\nw = 2\r\n',
];

/**
 * The analysis reads comment lines from its copy of the tree, the editor's actions from the WASM
 * tree: both must name the same line for every line of every fixture and of the tricky shapes,
 * or a suppression the action writes would not be the one the reader honours.
 */
test('comment lines from the copied tree and from the WASM tree agree', async () => {
  const parser = await createParser();
  // Real files with docstrings, continuations and strings spanning lines, beside the fixtures.
  const stdlib = ['textwrap.py', 'argparse.py', 'asyncio/base_events.py', 'email/_header_value_parser.py'].map((f) => fs.readFileSync(path.join(stdlibDir(), f), 'utf8'));
  const sources = [...SHAPES, ...stdlib, ...fixtureFiles().map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'))];
  for (const source of sources) {
    const tree = parser.parse(parserText(source))!;
    try {
      const index = new LineIndex(source);
      const lineOf = (o: number) => index.lineOf(o);
      const fromTree = CommentLines.fromTree(tree.rootNode, source, lineOf);
      const fromSyntax = CommentLines.fromSyntax(copyTree(tree, source), source, index);
      for (let line = 0; line < index.lineCount; line++) {
        assert.equal(fromSyntax.lineFor(line), fromTree.lineFor(line), `line ${line} of:\n${source.slice(0, 200)}`);
      }
    } finally {
      tree.delete();
    }
  }
});

test('a backslash continuation and a multi-line string join their lines to the last one', async () => {
  const parser = await createParser();
  const source = SHAPES[0]! + SHAPES[1]!;
  const tree = parser.parse(source)!;
  try {
    const index = new LineIndex(source);
    const lines = CommentLines.fromSyntax(copyTree(tree, source), source, index);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((l) => lines.lineFor(l)), [2, 2, 2, 5, 5, 5, 6]);
  } finally {
    tree.delete();
  }
});
