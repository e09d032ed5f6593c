import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource, withTree } from '../../server/analyzer/analyze';
import { applyEdits } from '../../server/analyzer/fixes/apply';
import { suppressionEdit } from '../../server/analyzer/suppression-edit';

/** The text after suppressing `codes` on the line holding `needle`, or what stood in the way. */
async function suppress(source: string, needle: string, codes: string[], reason?: string): Promise<string> {
  const placement = await withTree(source, (tree) => suppressionEdit(source, tree, source.indexOf(needle), codes, reason));
  if (placement.kind === 'edit') return applyEdits(source, [placement.edit]);
  return placement.kind === 'present' ? 'present' : `impossible: ${placement.why}`;
}

test('a directive is appended after code and other comments, with an optional reason', async () => {
  assert.equal(await suppress('x = f()   \n', 'f()', ['TW101']), 'x = f()  # threadwise: ignore[TW101]\n');
  assert.equal(await suppress('x = f()  # noqa: E501\n', 'f()', ['TW101', 'TW202'], 'TODO: reason'), 'x = f()  # noqa: E501  # threadwise: ignore[TW101, TW202]  # TODO: reason\n');
  assert.equal(await suppress('x = f()\r\ny = 2\r\n', 'f()', ['TW101']), 'x = f()  # threadwise: ignore[TW101]\r\ny = 2\r\n');
});

test('an existing line directive gets the codes merged in; a string that looks like one is not a comment', async () => {
  assert.equal(await suppress('f()  # threadwise: ignore[TW202]  # why\n', 'f()', ['TW101', 'TW202']), 'f()  # threadwise: ignore[TW202, TW101]  # why\n');
  assert.equal(await suppress('f()  # threadwise: ignore[TW101]\n', 'f()', ['TW101']), 'present');
  assert.equal(await suppress('f("# threadwise: ignore[TW202]")\n', 'f(', ['TW101']), 'f("# threadwise: ignore[TW202]")  # threadwise: ignore[TW101]\n');
  // A file-wide directive on the line is another thing: the line gets its own.
  assert.equal(await suppress('f()  # threadwise: ignore-file[TW3]\n', 'f()', ['TW101']), 'f()  # threadwise: ignore-file[TW3]  # threadwise: ignore[TW101]\n');
});

test('a line that a string runs past or a backslash continues gets its comment on the last line of the run', async () => {
  assert.equal(await suppress('f("""\n""")\n', 'f(', ['TW101']), 'f("""\n""")  # threadwise: ignore[TW101]\n');
  assert.equal(await suppress('x = f() + \\\n    1\n', 'f()', ['TW101']), 'x = f() + \\\n    1  # threadwise: ignore[TW101]\n');
  // A backslash inside a comment is only text.
  assert.equal(await suppress('f()  # C:\\\n', 'f()', ['TW101']), 'f()  # C:\\  # threadwise: ignore[TW101]\n');
});

test('the suppression reader honours what is written', async () => {
  const source = 'import time\n\n\nasync def f():\n    time.sleep(  # keep\n        1,\n    )\n';
  const written = await suppress(source, 'time.sleep(', ['TW101']);
  assert.deepEqual((await analyzeSource(source)).findings.map((f) => f.code), ['TW101']);
  assert.deepEqual((await analyzeSource(written)).findings, []);
});
