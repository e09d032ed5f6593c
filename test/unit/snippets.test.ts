import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);
// A hang guard, not a performance assertion: a deadlocked snippet fails instead of stalling the suite.
const HANG_GUARD_MS = 120_000;

// The walkthroughs refer to these prefixes by name.
const PREFIXES = [
  'tw-producer-consumer',
  'tw-producer-consumer-async',
  'tw-actor',
  'tw-actor-async',
  'tw-thread-pool',
  'tw-process-pool',
  'tw-bounded-gather',
  'tw-pipeline',
  'tw-pipeline-async',
  'tw-worker-shutdown',
  'tw-bounded-buffer',
  'tw-lazy-init',
  'tw-to-thread',
  'tw-timeout',
  'tw-async-stream',
];

// ---- The VS Code snippet grammar, enough to expand a body with its default placeholders -------

type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; n: number; children: SnippetNode[] | null }
  | { kind: 'choice'; n: number; options: string[] }
  | { kind: 'variable'; name: string; children: SnippetNode[] | null };

class SnippetSyntaxError extends Error {}

/** Parses a snippet body (tabstops, placeholders with nested defaults, choices, variables, escapes). */
function parseSnippet(source: string): SnippetNode[] {
  let i = 0;
  const text = (nodes: SnippetNode[], value: string): void => {
    const last = nodes[nodes.length - 1];
    if (last?.kind === 'text') last.value += value;
    else nodes.push({ kind: 'text', value });
  };
  const readInt = (): number | null => {
    const m = /^[0-9]+/.exec(source.slice(i));
    if (!m) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  const readName = (): string | null => {
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(source.slice(i));
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  // Inside a choice, `,` and `|` may be escaped too; everywhere, `$`, `}` and `\`.
  const escapable = (inChoice: boolean): string => (inChoice ? '$}\\,|' : '$}\\');

  const parseChoiceOptions = (): string[] => {
    const options: string[] = [''];
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\' && i + 1 < source.length && escapable(true).includes(source[i + 1]!)) {
        options[options.length - 1] += source[i + 1];
        i += 2;
      } else if (c === ',') {
        options.push('');
        i++;
      } else if (c === '|' && source[i + 1] === '}') {
        i += 2;
        return options;
      } else {
        options[options.length - 1] += c;
        i++;
      }
    }
    throw new SnippetSyntaxError('unterminated choice');
  };

  // Parses `$...` at i (source[i] === '$'); returns false, leaving i alone, when it is literal text.
  const parseDollar = (nodes: SnippetNode[]): boolean => {
    const start = i;
    i++;
    const n = readInt();
    if (n !== null) {
      nodes.push({ kind: 'tabstop', n, children: null });
      return true;
    }
    const bareName = readName();
    if (bareName !== null) {
      nodes.push({ kind: 'variable', name: bareName, children: null });
      return true;
    }
    if (source[i] !== '{') {
      i = start;
      return false;
    }
    i++;
    const num = readInt();
    const name = num === null ? readName() : null;
    if (num === null && name === null) {
      i = start;
      return false;
    }
    const c = source[i];
    if (c === '}') {
      i++;
      nodes.push(num !== null ? { kind: 'tabstop', n: num, children: null } : { kind: 'variable', name: name!, children: null });
      return true;
    }
    if (c === ':') {
      i++;
      const children = parseSequence(true);
      nodes.push(num !== null ? { kind: 'tabstop', n: num, children } : { kind: 'variable', name: name!, children });
      return true;
    }
    if (c === '|' && num !== null) {
      i++;
      nodes.push({ kind: 'choice', n: num, options: parseChoiceOptions() });
      return true;
    }
    if (c === '/') throw new SnippetSyntaxError(`transforms are not supported by this expander (at ${start})`);
    i = start;
    return false;
  };

  function parseSequence(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\' && i + 1 < source.length && escapable(false).includes(source[i + 1]!)) {
        text(nodes, source[i + 1]!);
        i += 2;
      } else if (c === '$' && parseDollar(nodes)) {
        // parsed a tabstop, placeholder, choice or variable
      } else if (c === '}' && nested) {
        i++;
        return nodes;
      } else {
        text(nodes, c);
        i++;
      }
    }
    if (nested) throw new SnippetSyntaxError('unterminated placeholder');
    return nodes;
  }
  return parseSequence(false);
}

/**
 * Expands a body the way VS Code inserts it when every placeholder keeps its default: a tabstop
 * shows the default of its placeholder (mirrors included), a choice its first option. Also
 * checks that a placeholder repeated with a default has the same default everywhere.
 */
function expandSnippet(body: string, variables: Readonly<Record<string, string>> = {}): string {
  const nodes = parseSnippet(body);
  const defaults = new Map<number, string>();
  const render = (list: SnippetNode[]): string => list.map(renderOne).join('');
  const renderOne = (node: SnippetNode): string => {
    switch (node.kind) {
      case 'text':
        return node.value;
      case 'tabstop':
        return node.children ? render(node.children) : (defaults.get(node.n) ?? '');
      case 'choice':
        return node.options[0] ?? '';
      case 'variable':
        // Unknown variables are inserted as their name (VS Code then makes them a placeholder).
        return variables[node.name] ?? (node.children ? render(node.children) : node.name);
    }
  };
  const collect = (list: SnippetNode[]): void => {
    for (const node of list) {
      let value: string | undefined;
      if (node.kind === 'tabstop' && node.children) {
        collect(node.children);
        value = render(node.children);
      } else if (node.kind === 'choice') {
        value = node.options[0] ?? '';
      } else if (node.kind === 'variable' && node.children) {
        collect(node.children);
      }
      if (value === undefined || node.kind === 'text' || node.kind === 'variable') continue;
      const known = defaults.get(node.n);
      if (known !== undefined && known !== value) throw new SnippetSyntaxError(`$${node.n} has the defaults "${known}" and "${value}"`);
      defaults.set(node.n, value);
    }
  };
  collect(nodes);
  return render(nodes);
}

// ---- Loading -------------------------------------------------------------------------------

interface SnippetEntry {
  prefix: string;
  description: string;
  body: string[];
}
type Generator = typeof import('../../snippets/build.mjs', { with: { 'resolution-mode': 'import' } });

async function loadGenerator(): Promise<Generator> {
  return import('../../snippets/build.mjs');
}

function readSnippetFile(file: string): Record<string, SnippetEntry> {
  // The file is JSON with comments (VS Code reads it as JSONC); the generator writes only whole-line comments.
  const json = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n');
  return JSON.parse(json) as Record<string, SnippetEntry>;
}

function programFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
}

// ---- Running Python --------------------------------------------------------------------------

let scratch = '';
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-snippets-'));
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Bytecode goes to the scratch directory, never next to the programs in the repo. */
function pythonEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONPYCACHEPREFIX: path.join(scratch, 'pycache'), PYTHONDONTWRITEBYTECODE: '1' };
}

async function python(args: string[], cwd: string): Promise<void> {
  try {
    await run('python3', args, { cwd, env: pythonEnv(), timeout: HANG_GUARD_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; killed?: boolean; message: string };
    const why = e.killed ? `did not finish within ${HANG_GUARD_MS / 1000} s (hang guard)` : (e.stderr || e.message);
    assert.fail(`python3 ${args.join(' ')}: ${why}`);
  }
}

/** The whole evidence for one piece of Python: it parses, compiles, runs to completion and is clean. */
async function checkPython(label: string, source: string): Promise<void> {
  const { findings, syntaxErrors, ruleErrors } = await analyzeSource(source);
  assert.equal(syntaxErrors, false, `${label}: tree-sitter found syntax errors`);
  assert.deepEqual(ruleErrors, [], `${label}: a rule failed`);
  const lines = new LineIndex(source);
  assert.deepEqual(
    findings.map((f) => `${label}:${lines.lineOf(f.start) + 1} ${f.code} ${f.message}`),
    [],
    `${label}: Threadwise must report nothing on teaching material`,
  );
  const dir = fs.mkdtempSync(path.join(scratch, 'case-'));
  const file = path.join(dir, 'program.py');
  fs.writeFileSync(file, source);
  await python(['-m', 'py_compile', file], dir);
  await python([file], dir);
}

// ---- Tests ----------------------------------------------------------------------------------

describe('the snippet expander (VS Code snippet grammar)', () => {
  test('expands tabstops, placeholders, mirrors, nested defaults, choices, variables and escapes', () => {
    assert.equal(expandSnippet('def ${1:name}():\n    return $1$0'), 'def name():\n    return name');
    assert.equal(expandSnippet('${1:outer ${2:inner}} and $2'), 'outer inner and inner');
    assert.equal(expandSnippet('threading.${1|Lock,RLock|}()'), 'threading.Lock()');
    assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b');
    assert.equal(expandSnippet('cost = \\$5 \\\\ \\} \\n'), 'cost = $5 \\ } \\n');
    assert.equal(expandSnippet('$TM_FILENAME ${TM_LINE_NUMBER} ${UNKNOWN:fallback}', { TM_FILENAME: 'a.py', TM_LINE_NUMBER: '3' }), 'a.py 3 fallback');
    assert.equal(expandSnippet('f"{x}" $ ${ 5'), 'f"{x}" $ ${ 5');
    assert.equal(expandSnippet('${2}$3 end'), ' end');
  });

  test('rejects what it cannot expand faithfully', () => {
    assert.throws(() => expandSnippet('${1:a} ${1:b}'), /\$1 has the defaults "a" and "b"/);
    assert.throws(() => expandSnippet('${1:never closed'), /unterminated placeholder/);
    assert.throws(() => expandSnippet('${1/(.*)/$1/}'), /transforms are not supported/);
  });
});

describe('the snippet generator', () => {
  const program = (lines: string[]): string => lines.join('\n') + '\n';
  const header = ['# snippet: prefix tw-x', '# snippet: title X', '# snippet: description An x.'];

  test('turns declared identifiers and literals into placeholders and escapes $ and backslashes', async () => {
    const { parseProgram } = await loadGenerator();
    const p = parseProgram('x.py', program([
      ...header,
      '# snippet: $1 = work',
      '# snippet: $2 = 4',
      '# snippet: begin',
      'def work(n=4):',
      '    # snippet: $0',
      '    return work_size, self.work, 0.4, 4.5, "$\\n"  # work',
      '# snippet: end',
    ]));
    assert.deepEqual(p.body, [
      'def ${1:work}(n=${2:4}):',
      '    $0',
      '    return work_size, self.${1:work}, 0.4, 4.5, "\\$\\\\n"  # ${1:work}',
    ]);
    assert.deepEqual(p.region, ['def work(n=4):', '    ', '    return work_size, self.work, 0.4, 4.5, "$\\n"  # work']);
    assert.equal(expandSnippet(p.body.join('\n')), p.region.join('\n'));
  });

  const broken: Array<[string, string[], RegExp]> = [
    ['no region', [...header], /needs "# snippet: begin" and "# snippet: end"/],
    ['no prefix', ['# snippet: begin', 'x = 1', '# snippet: end'], /missing "# snippet: prefix/],
    ['an unknown directive', [...header, '# snippet: colour blue', '# snippet: begin', '# snippet: end'], /x.py:4: unknown directive "colour blue"/],
    ['a gap in the numbering', [...header, '# snippet: $2 = x', '# snippet: begin', 'x = 1', '# snippet: end'], /numbered \$1..\$1 without gaps/],
    ['a placeholder that never occurs', [...header, '# snippet: $1 = y', '# snippet: begin', 'x = 1', '# snippet: end'], /"y" does not occur/],
    ['an ambiguous literal', [...header, '# snippet: $1 = 1', '# snippet: begin', 'x = 1 + 1', '# snippet: end'], /"1" occurs 2 times/],
    ['a default that is neither a name nor a number', [...header, '# snippet: $1 = "a"', '# snippet: begin', '# snippet: end'], /neither an identifier nor a number/],
    ['a directive inside the region', [...header, '# snippet: begin', '# snippet: $1 = x', '# snippet: end'], /inside the region/],
  ];
  for (const [what, lines, message] of broken) {
    test(`reports ${what} with the file name`, async () => {
      const { parseProgram } = await loadGenerator();
      assert.throws(() => parseProgram('x.py', program(lines)), message);
    });
  }
});

describe('snippets/python.code-snippets', () => {
  test('is up to date with snippets/programs (run `npm run snippets` after editing a program)', async () => {
    const { buildSnippets, SNIPPETS_FILE } = await loadGenerator();
    assert.equal(fs.readFileSync(SNIPPETS_FILE, 'utf8'), buildSnippets());
  });

  test('has exactly the prefixes the walkthroughs use, each with a description', async () => {
    const { SNIPPETS_FILE } = await loadGenerator();
    const entries = Object.values(readSnippetFile(SNIPPETS_FILE));
    assert.deepEqual(entries.map((e) => e.prefix).sort(), [...PREFIXES].sort());
    for (const e of entries) assert.ok(e.description.length >= 40, `${e.prefix} has a clear description`);
  });

  test('is the file package.json contributes for Python', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { snippets?: Array<{ language: string; path: string }> } };
    assert.deepEqual(pkg.contributes.snippets, [{ language: 'python', path: './snippets/python.code-snippets' }]);
  });
});

describe('every snippet, expanded with its defaults', async () => {
  const { PROGRAMS_DIR, SNIPPETS_FILE, parseProgram } = await loadGenerator();
  const snippets = readSnippetFile(SNIPPETS_FILE);
  const regions = new Map(
    programFiles(PROGRAMS_DIR).map((f) => {
      const p = parseProgram(f, fs.readFileSync(path.join(PROGRAMS_DIR, f), 'utf8'));
      return [p.prefix, p.region.join('\n')] as const;
    }),
  );
  for (const [title, snippet] of Object.entries(snippets)) {
    test(`${snippet.prefix} (${title}) is its program's region, parses, compiles, runs and has no findings`, async () => {
      const expanded = expandSnippet(snippet.body.join('\n'));
      assert.equal(expanded, regions.get(snippet.prefix), 'the defaults give back the program text');
      await checkPython(snippet.prefix, expanded + '\n');
    });
  }
});

describe('every snippet program', async () => {
  const { PROGRAMS_DIR } = await loadGenerator();
  for (const file of programFiles(PROGRAMS_DIR)) {
    test(`snippets/programs/${file} parses, compiles, runs to completion and has no findings`, async () => {
      await checkPython(file, fs.readFileSync(path.join(PROGRAMS_DIR, file), 'utf8'));
    });
  }
});
