import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeActionKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import { createParser, parserText } from '../../server/analyzer/parser';
import { codeActions } from '../../server/lsp/code-actions';
import { pyCompileAll } from '../support/python';

const URI = 'file:///ignore.py';

/** `code@line` for every finding, so a comment appended at a line's end compares equal. */
async function findingKeys(text: string): Promise<string[]> {
  const lines = new LineIndex(text);
  return (await analyzeSource(text)).findings.map((f) => `${f.code}@${lines.lineOf(f.start) + 1}`).sort();
}

/** Runs the "Ignore" action of the only finding with `code`, as the server would offer it. */
async function ignoreOnce(text: string, code: string): Promise<{ after: string; key: string } | undefined> {
  const { findings } = await analyzeSource(text);
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `one ${code} in ${JSON.stringify(findings.map((f) => f.code))}`);
  const f = matching[0]!;
  const doc = TextDocument.create(URI, 'python', 1, text);
  const tree = (await createParser()).parse(parserText(text))!;
  try {
    const range = { start: doc.positionAt(f.start), end: doc.positionAt(f.end) };
    const actions = codeActions(doc, tree, findings, { textDocument: { uri: URI }, range, context: { diagnostics: [], only: [CodeActionKind.QuickFix] } });
    const ignore = actions.find((a) => a.title === `Ignore ${code} on this line`);
    if (!ignore) return undefined;
    const after = TextDocument.applyEdits(doc, ignore.edit!.changes![URI]!);
    return { after, key: `${code}@${new LineIndex(text).lineOf(f.start) + 1}` };
  } finally {
    tree.delete();
  }
}

const shapes: Array<{ name: string; code: string; before: string; after: string }> = [
  {
    name: 'a backslash continuation: the comment goes on the last line of the run',
    code: 'TW101',
    before: 'import time\n\nasync def f():\n    x = time.sleep(1) or \\\n        2\n    return x\n',
    after: 'import time\n\nasync def f():\n    x = time.sleep(1) or \\\n        2  # threadwise: ignore[TW101]\n    return x\n',
  },
  {
    name: 'a backslash continuation with CRLF line breaks',
    code: 'TW101',
    before: 'import time\r\n\r\nasync def f():\r\n    x = time.sleep(1) or \\\r\n        2\r\n    return x\r\n',
    after: 'import time\r\n\r\nasync def f():\r\n    x = time.sleep(1) or \\\r\n        2  # threadwise: ignore[TW101]\r\n    return x\r\n',
  },
  {
    name: 'a string literal that holds directive text is left alone',
    code: 'TW101',
    before: 'import time\n\nasync def f():\n    time.sleep(1); s = "threadwise: ignore[TW202]"\n    return s\n',
    after: 'import time\n\nasync def f():\n    time.sleep(1); s = "threadwise: ignore[TW202]"  # threadwise: ignore[TW101]\n    return s\n',
  },
  {
    name: 'a multi-line call: the comment goes on the line where the finding starts',
    code: 'TW103',
    before: 'import subprocess\n\nasync def f():\n    subprocess.run(\n        ["ls"],\n    )\n',
    after: 'import subprocess\n\nasync def f():\n    subprocess.run(  # threadwise: ignore[TW103]\n        ["ls"],\n    )\n',
  },
  {
    name: 'a triple-quoted string that runs on: the comment goes after its closing line',
    code: 'TW101',
    before: 'import time\n\nasync def f():\n    time.sleep(len("""a\nb"""))\n',
    after: 'import time\n\nasync def f():\n    time.sleep(len("""a\nb"""))  # threadwise: ignore[TW101]\n',
  },
  {
    name: 'a finding inside a multi-line f-string',
    code: 'TW101',
    before: 'import time\n\nasync def f():\n    return f"""\n{time.sleep(1)}\n"""\n',
    after: 'import time\n\nasync def f():\n    return f"""\n{time.sleep(1)}\n"""  # threadwise: ignore[TW101]\n',
  },
  {
    name: 'a string, then a backslash: one run up to the last line',
    code: 'TW101',
    before: 'import time\n\nasync def f():\n    x = time.sleep(1) or """a\nb""" + \\\n        "c"\n    return x\n',
    after: 'import time\n\nasync def f():\n    x = time.sleep(1) or """a\nb""" + \\\n        "c"  # threadwise: ignore[TW101]\n    return x\n',
  },
  {
    name: 'an existing directive on the run\'s last line gets the code added',
    code: 'TW101',
    before: 'import asyncio, time\n\nasync def f():\n    x = time.sleep(1) or \\\n        asyncio.create_task(f())  # threadwise: ignore[TW202]\n    return x\n',
    after: 'import asyncio, time\n\nasync def f():\n    x = time.sleep(1) or \\\n        asyncio.create_task(f())  # threadwise: ignore[TW202, TW101]\n    return x\n',
  },
  {
    name: 'a comment ending in a backslash continues nothing',
    code: 'TW101',
    before: 'import time\n\nasync def f():\n    time.sleep(1)  # see C:\\\n    return 1\n',
    after: 'import time\n\nasync def f():\n    time.sleep(1)  # see C:\\  # threadwise: ignore[TW101]\n    return 1\n',
  },
];

for (const s of shapes) {
  test(`ignore action: ${s.name}`, async () => {
    const result = await ignoreOnce(s.before, s.code);
    assert.ok(result, 'the action is offered');
    assert.equal(result.after, s.after);
    assert.equal((await analyzeSource(s.before)).syntaxErrors, false, 'the input parses');
    assert.equal((await analyzeSource(result.after)).syntaxErrors, false, 'the result re-parses without errors');
    const before = await findingKeys(s.before);
    assert.deepEqual(await findingKeys(result.after), before.filter((k) => k !== result.key), 'exactly that finding is gone');
  });
}

test('ignore action: every result compiles with python3', async () => {
  const results = new Map<string, string>();
  for (const s of shapes) {
    const result = await ignoreOnce(s.before, s.code);
    if (result) results.set(s.name, result.after);
  }
  assert.equal(results.size, shapes.length);
  assert.deepEqual(Object.fromEntries(pyCompileAll(results)), {});
});
