import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import { expandSnippet, parseSnippets } from '../../client/learning/snippet-text';

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

// ---- Loading -------------------------------------------------------------------------------

type Generator = typeof import('../../snippets/build.mjs', { with: { 'resolution-mode': 'import' } });

async function loadGenerator(): Promise<Generator> {
  return import('../../snippets/build.mjs');
}

/** The generated file, read the way the extension's pattern picker reads it. */
function readSnippetFile(file: string): ReturnType<typeof parseSnippets> {
  return parseSnippets(fs.readFileSync(file, 'utf8'));
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
    const entries = readSnippetFile(SNIPPETS_FILE);
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
  for (const snippet of snippets) {
    test(`${snippet.prefix} (${snippet.name}) is its program's region, parses, compiles, runs and has no findings`, async () => {
      const expanded = expandSnippet(snippet.body);
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
