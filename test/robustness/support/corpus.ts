import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stdlibDir } from '../../support/stdlib';

const REPO = path.join(__dirname, '..', '..', '..');

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

function pythonFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort().map((f) => path.join(dir, f));
}

/** The real python3's asyncio package directory: code written by people, with every construct. */
export function stdlibAsyncioDir(): string {
  return path.join(stdlibDir(), 'asyncio');
}

let corpus: CorpusFile[] | undefined;
/** examples/, test/fixtures/ and the stdlib's asyncio/: the seeds that random edits start from. */
export function loadCorpus(): CorpusFile[] {
  corpus ??= [
    ...pythonFilesIn(path.join(REPO, 'examples')),
    ...pythonFilesIn(path.join(REPO, 'test', 'fixtures')),
    ...pythonFilesIn(stdlibAsyncioDir()),
  ].map((file) => ({ name: path.relative(REPO, file).startsWith('..') ? `stdlib/asyncio/${path.basename(file)}` : path.relative(REPO, file), text: fs.readFileSync(file, 'utf8') }));
  return corpus;
}

/**
 * Tokens a concurrency linter looks at, plus the layout and oddities a half-typed file has:
 * keywords, the threading/asyncio/executor API names, brackets, indentation, both line endings,
 * comments that look like suppressions, strings with CJK and astral characters.
 */
const TOKENS = [
  'import', 'from', 'as', 'def', 'async', 'await', 'class', 'with', 'for', 'while', 'if', 'elif', 'else', 'try',
  'except', 'finally', 'return', 'yield', 'lambda', 'global', 'nonlocal', 'pass', 'raise', 'not', 'in', 'is', 'None',
  'True', 'del', 'match', 'case', 'self', '__init__', '__name__', '"__main__"',
  'asyncio', 'threading', 'time', 'sleep', 'requests', 'subprocess', 'run', 'start', 'join', 'Thread', 'Lock', 'RLock',
  'Condition', 'Semaphore', 'Event', 'acquire', 'release', 'wait', 'notify', 'create_task', 'ensure_future', 'gather',
  'get_event_loop', 'run_until_complete', 'CancelledError', 'ThreadPoolExecutor', 'ProcessPoolExecutor', 'submit',
  'result', 'shutdown', 'concurrent', 'futures', 'multiprocessing', 'Process', 'Queue', 'get', 'put', 'open', 'read',
  'input', 'local', 'to_thread', 'run_in_executor', 'call_soon', 'target', 'args', 'x', 'y', 'n', '_lock', 'count',
  '.', ',', ':', ';', '(', ')', '[', ']', '{', '}', '=', '+=', '-=', '==', '+', '*', '**', '@', '->', ':=', '\\',
  '0', '1', '0.5', '"s"', "'日本語'", '"😀🐍"', 'f"{x}"', '"""doc"""', "b'\\x00'", 'r"\\d"', '𝔘𝔫𝔦', 'ñame', 'データ',
  '# noqa', '# noqa: TW101', '# threadwise: ignore[TW101]', '# threadwise: ignore', '# comment 😀',
  ' ', ' ', '    ', '\t', '\n', '\n', '\n    ', '\n        ', '\r\n', '\r',
];

export const token = fc.constantFrom(...TOKENS);


/** Short snippets that trigger rules, so fixes and suppressions get exercised under mutation. */
const SNIPPETS = [
  'import time\nasync def f():\n    time.sleep(1)\n',
  'import asyncio\nasync def f():\n    asyncio.create_task(g())\n',
  'import threading\nt = threading.Thread(target=work)\nt.run()\n',
  'import threading\nlock = threading.Lock()\ndef f():\n    lock.acquire()\n    work()\n    lock.release()\n',
  'import asyncio\nloop = asyncio.get_event_loop()\n',
  'import asyncio\nlock = asyncio.Lock()\ndef f():\n    with lock:\n        pass\n',
  'async def g():\n    pass\nasync def f():\n    g()\n',
  'import asyncio\nasync def f():\n    try:\n        await g()\n    except asyncio.CancelledError:\n        pass\n',
];
export const snippet = fc.constantFrom(...SNIPPETS);

/** Token soup: mostly spaces between tokens, as typed code has, with now and then a snippet. */
export const tokenSoup = fc
  .array(fc.tuple(fc.oneof({ weight: 30, arbitrary: token }, { weight: 1, arbitrary: snippet }), fc.constantFrom(' ', ' ', '', '\n')), { maxLength: 400, size: 'large' })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(''));

/** Fragment inserted by a random edit: a token, a few tokens, or a rule-triggering snippet. */
export const insertion = fc.oneof(
  { weight: 4, arbitrary: token },
  { weight: 3, arbitrary: fc.array(token, { minLength: 1, maxLength: 8 }).map((t) => t.join(' ')) },
  { weight: 1, arbitrary: snippet },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

/** One edit as fractions of the text length, so it fits whatever text it is applied to. */
export interface FractionalEdit {
  readonly at: number;
  readonly length: number;
  readonly text: string;
}
export const fractionalEdit: fc.Arbitrary<FractionalEdit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 13, max: 400 }) }),
  text: fc.oneof({ weight: 3, arbitrary: insertion }, { weight: 1, arbitrary: fc.constant('') }),
});

/** Moves an offset off the middle of a CRLF pair or a surrogate pair, where no editor puts a cursor. */
export function snapOffset(text: string, offset: number): number {
  let o = Math.max(0, Math.min(text.length, offset));
  const prev = text.charCodeAt(o - 1);
  const next = text.charCodeAt(o);
  if (prev === 13 && next === 10) o--;
  else if (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) o--;
  return o;
}

/** Resolves a fractional edit against a text: [start, end) and the replacement. */
export function resolveEdit(text: string, e: FractionalEdit): { start: number; end: number; text: string } {
  const start = snapOffset(text, Math.floor(e.at * text.length));
  const end = snapOffset(text, Math.min(text.length, start + e.length));
  return { start, end: Math.max(start, end), text: e.text };
}

export function applyFractionalEdits(text: string, edits: readonly FractionalEdit[]): string {
  let out = text;
  for (const e of edits) {
    const r = resolveEdit(out, e);
    out = out.slice(0, r.start) + r.text + out.slice(r.end);
  }
  return out;
}
