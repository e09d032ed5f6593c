import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { withTree } from '../../server/analyzer/analyze';
import { buildModel } from '../../server/analyzer/model/build';
import { Resolver } from '../../server/analyzer/model/resolve';
import { copyTree } from '../../server/analyzer/syntax';
import { absoluteModule, Layout } from '../../server/index/layout';
import { ProjectIndex } from '../../server/index/project-index';
import { summarizeModule } from '../../server/index/summarize';

const ROOT = path.resolve('/project');
const p = (...parts: string[]) => path.join(ROOT, ...parts);

/** A layout over a made-up tree: only the listed paths exist. */
function layout(existing: string[], src: string[] = []): Layout {
  const set = new Set(existing.map((e) => p(e)));
  return new Layout({ root: ROOT, src, exists: (f) => set.has(f) });
}

test('module names follow the innermost source root, packages and namespace packages', () => {
  const l = layout(['src', 'src/app/__init__.py'], ['lib']);
  assert.equal(l.moduleNameOf(p('src/app/__init__.py')), 'app');
  assert.equal(l.moduleNameOf(p('src/app/db.py')), 'app.db');
  assert.equal(l.moduleNameOf(p('lib/tools/strings.py')), 'tools.strings');
  // No __init__.py: a namespace package still names its modules.
  assert.equal(l.moduleNameOf(p('scripts/jobs/run.py')), 'scripts.jobs.run');
  assert.equal(l.moduleNameOf(p('queue.py')), 'queue');
  assert.equal(l.moduleNameOf(p('bin/my-tool.py')), undefined);
  assert.equal(l.moduleNameOf(p('README.md')), undefined);
});

test('without src/ the project root alone is a source root, and a file outside every root takes its package root', () => {
  const l = layout(['/elsewhere/pkg/__init__.py'.slice(1)]);
  assert.deepEqual(l.roots, [ROOT]);
  assert.equal(l.moduleNameOf(p('src/app/db.py')), 'src.app.db');
  const outside = new Layout({ root: ROOT, exists: (f) => f === path.resolve('/elsewhere/pkg/__init__.py') });
  assert.equal(outside.moduleNameOf(path.resolve('/elsewhere/pkg/mod.py')), 'pkg.mod');
});

test('relative imports are made absolute against the module or the package itself', () => {
  assert.equal(absoluteModule('a.b.c', false, 1, 'x'), 'a.b.x');
  assert.equal(absoluteModule('a.b.c', false, 2, 'x'), 'a.x');
  assert.equal(absoluteModule('a.b', true, 1, 'x'), 'a.b.x');
  assert.equal(absoluteModule('a.b', true, 2, ''), 'a');
  assert.equal(absoluteModule('a.b.c', false, 1, ''), 'a.b');
  assert.equal(absoluteModule('a', false, 2, 'x'), undefined);
  assert.equal(absoluteModule('a.b', false, 0, 'x.y'), 'x.y');
});

async function summarize(file: string, module: string, source: string) {
  return withTree(source, (tree) => {
    const model = buildModel(source, copyTree(tree, source));
    return summarizeModule({ file, module, source, model, resolver: new Resolver(model) });
  });
}

test('imports resolve through aliases, relative imports and __init__ re-exports, and cycles end', async () => {
  const index = new ProjectIndex(layout([]));
  index.set(await summarize(p('pkg/__init__.py'), 'pkg', 'from .impl import run as start\nfrom . import loop\n'));
  index.set(await summarize(p('pkg/impl.py'), 'pkg.impl', 'import pkg.impl as me\n\ndef run():\n    pass\n\nclass Base:\n    def go(self):\n        pass\n'));
  index.set(await summarize(p('pkg/loop.py'), 'pkg.loop', 'from pkg.loop import again as again\nfrom pkg import loop as again2\n'));
  index.set(await summarize(p('app.py'), 'app', 'import pkg as p\nfrom pkg.impl import Base\n\nclass Child(Base):\n    pass\n\nasync def main(c: Child):\n    p.start()\n    c.go()\n'));
  assert.equal(index.resolve('pkg.start')?.kind, 'function');
  assert.equal(index.resolve('app.p.start')?.kind, 'function');
  assert.equal(index.resolve('pkg.impl.me.run')?.kind, 'function');
  const go = index.resolve('app.Child.go');
  assert.equal(go?.kind === 'function' ? go.fn.qname : undefined, 'pkg.impl.Base.go');
  // `again` re-imports itself: resolution gives up instead of looping.
  assert.equal(index.resolve('pkg.loop.again'), undefined);
  assert.equal(index.resolve('pkg.loop.again2.again'), undefined);
  const app = index.summaryOf(p('app.py'))!;
  assert.deepEqual(app.functions.find((f) => f.name === 'main')!.calls.map((c) => c.target), ['pkg.start', 'app.Child.go']);
  assert.deepEqual(index.dependentsOf(p('pkg/impl.py')), [p('app.py'), p('pkg/__init__.py'), p('pkg/loop.py')].sort());
  // Summaries are plain data: they survive structuredClone and JSON unchanged.
  assert.deepEqual(structuredClone(app), app);
  assert.deepEqual(JSON.parse(JSON.stringify(app)), app);
});

test('set() says whether what other modules see changed, and delete() forgets a module', async () => {
  const index = new ProjectIndex(layout([]));
  const file = p('m.py');
  assert.equal(index.set(await summarize(file, 'm', 'def f():\n    pass\n')), true);
  assert.equal(index.set(await summarize(file, 'm', 'def f():\n    pass\n')), false);
  assert.equal(index.set(await summarize(file, 'm', 'def f():\n    pass  # a comment\n')), false);
  assert.equal(index.set(await summarize(file, 'm', 'async def f():\n    pass\n')), true);
  assert.equal(index.resolve('m.f')?.kind, 'function');
  assert.equal(index.delete(file), true);
  assert.equal(index.resolve('m.f'), undefined);
  assert.deepEqual(index.files(), []);
});

test('hover over a def or a call says what the index knows: kind, blocking chain, locks taken and held on entry', async () => {
  const index = new ProjectIndex(layout([]));
  const locks = 'import threading\nimport time\n\nLOCK = threading.Lock()\nITEMS = []\n\n\ndef slow():\n    with LOCK:\n        time.sleep(1)\n        ITEMS.append(1)\n';
  const app = 'from locks import LOCK, slow\n\n\nasync def main():\n    slow()\n\n\ndef guarded():\n    with LOCK:\n        slow()\n';
  index.set(await summarize(p('locks.py'), 'locks', locks));
  index.set(await summarize(p('app.py'), 'app', app));
  const onDef = index.hover(p('locks.py'), locks.indexOf('slow'))!;
  assert.match(onDef, /\*\*locks\.slow\*\* \(locks\.py\)/);
  assert.match(onDef, /Blocks its thread: `slow\(\)` \(locks\.py:10\) → `time\.sleep\(\)`/);
  assert.match(onDef, /Takes: `LOCK` \(locks\.py:9\)/);
  assert.match(onDef, /Changes shared state: `ITEMS` under `LOCK` \(line 11\)\./);
  assert.match(onDef, /Called with a lock held: `LOCK` from app\.py:10/);
  const onCall = index.hover(p('app.py'), app.indexOf('slow()'))!;
  assert.match(onCall, /Called on the event loop, in async def 'main'/);
  assert.equal(index.hover(p('app.py'), 0), undefined);
});

test('summaries list the shared state a function reads that the module changes, with the locks held, and the hover shows it', async () => {
  const src = [
    'import threading',
    '',
    'LOCK = threading.Lock()',
    'ITEMS = []',
    'LIMIT = 10',
    'CACHE = {}',
    '',
    '',
    'class Box:',
    '    def __init__(self):',
    '        self._lock = threading.Lock()',
    '        self._count = 0',
    '        self._name = "box"',
    '',
    '    def bump(self):',
    '        with self._lock:',
    '            self._count += 1',
    '',
    '    def peek(self):',
    '        return self._count, self._name',
    '',
    '',
    'def add(x):',
    '    with LOCK:',
    '        ITEMS.append(x)',
    '        CACHE[x] = len(ITEMS)',
    '',
    '',
    'def report(key):',
    '    if len(ITEMS) > LIMIT:',
    '        ITEMS.clear()',
    '    f(ITEMS=1)',
    '    return CACHE[key] + CACHE.get(key, 0)',
    '',
    '',
    'def replace():',
    '    global ITEMS',
    '    ITEMS = []',
    '',
  ].join('\n');
  const file = p('state.py');
  const summary = await summarize(file, 'state', src);
  const fn = (name: string) => summary.functions.find((f) => f.name === name)!;
  // Only state some function changes: LIMIT and self._name never change after construction.
  assert.deepEqual(fn('report').reads, [
    { target: 'ITEMS', locks: [], line: 29 },
    { target: 'CACHE', locks: [], line: 32 },
  ]);
  assert.deepEqual(fn('peek').reads, [{ target: 'self._count', locks: [], line: 19 }]);
  // A read under the lock says so; the state a function changes by a mutator is a write, not a read.
  assert.deepEqual(fn('add').reads, [{ target: 'ITEMS', locks: ['LOCK'], line: 25 }]);
  // `self._count += 1` and `ITEMS = []` are writes; `global ITEMS` reads nothing; a constructor's reads are not listed.
  assert.equal(fn('bump').reads, undefined);
  assert.equal(fn('replace').reads, undefined);
  assert.equal(fn('__init__').reads, undefined);
  const index = new ProjectIndex(layout([]));
  index.set(summary);
  assert.match(index.hover(file, src.indexOf('def report') + 4)!, /Reads shared state that the module changes: `ITEMS` with no lock \(line 30\); `CACHE` with no lock \(line 33\)\./);
  assert.match(index.hover(file, src.indexOf('def add') + 4)!, /Reads shared state that the module changes: `ITEMS` under `LOCK` \(line 26\)\./);
});

test('hover over a def that takes the locks its callers pass names them, and over a call, which locks this call passes', async () => {
  const index = new ProjectIndex(layout([]));
  const moves = 'def move(first, second):\n    with first:\n        with second:\n            return 1\n';
  const app = 'import threading\n\nfrom moves import move\n\nCASH = threading.Lock()\nCARDS = threading.Lock()\n\n\ndef pay():\n    move(CASH, second=CARDS)\n\n\ndef pay_some(a, b):\n    move(a, b)\n';
  index.set(await summarize(p('moves.py'), 'moves', moves));
  index.set(await summarize(p('app.py'), 'app', app));
  assert.match(index.hover(p('moves.py'), moves.indexOf('move'))!, /Takes the locks its callers pass: `first`, `second`; each call decides which\./);
  assert.match(index.hover(p('app.py'), app.indexOf('move(CASH'))!, /Takes the locks this call passes: `first` is `CASH`, `second` is `CARDS`\./);
  // Arguments not known to be locks: the callers decide, as far as this call shows.
  assert.match(index.hover(p('app.py'), app.indexOf('move(a, b)'))!, /Takes the locks its callers pass/);
});

test('hover over a def says where the project runs it: the hand-offs to a thread and the calls on an event loop, elsewhere', async () => {
  const index = new ProjectIndex(layout([]));
  const jobs = 'TOTAL = 0\n\n\ndef count():\n    global TOTAL\n    TOTAL += 1\n\n\ndef quiet():\n    return 1\n';
  const app = 'import threading\n\nfrom jobs import count\n\n\ndef start():\n    threading.Thread(target=count).start()\n\n\nasync def main():\n    count()\n';
  index.set(await summarize(p('jobs.py'), 'jobs', jobs));
  index.set(await summarize(p('app.py'), 'app', app));
  const onCount = index.hover(p('jobs.py'), jobs.indexOf('count'))!;
  assert.match(onCount, /Runs on a worker thread, handed over by `threading\.Thread\(\.\.\.\)` in `start\(\)` \(app\.py:7\)/);
  assert.match(onCount, /Called on the event loop by `main\(\)` \(app\.py:11\)/);
  assert.match(onCount, /Changes shared state: `TOTAL` with no lock \(line 6\)\./);
  const onQuiet = index.hover(p('jobs.py'), jobs.indexOf('quiet'))!;
  assert.doesNotMatch(onQuiet, /worker thread|event loop by|Changes shared state/);
});

test('hover over a def handed to a thread in its own module says so too', async () => {
  const index = new ProjectIndex(layout([]));
  const src = 'import threading\n\n\ndef work():\n    pass\n\n\nthreading.Thread(target=work).start()\n';
  index.set(await summarize(p('solo.py'), 'solo', src));
  assert.match(index.hover(p('solo.py'), src.indexOf('work'))!, /Runs on a worker thread, handed over by `threading\.Thread\(\.\.\.\)` \(solo\.py:8\)/);
});

test('a thread target calling into another module makes that function a thread entry there; the caller\'s change reaches it', async () => {
  const index = new ProjectIndex(layout([]));
  const tally = 'COUNT = 0\n\n\ndef bump():\n    global COUNT\n    COUNT += 1\n';
  const workers = (body: string) => `import threading\n\nfrom tally import bump\n\n\ndef work():\n    ${body}\n\n\ndef start():\n    threading.Thread(target=work).start()\n`;
  index.set(await summarize(p('tally.py'), 'tally', tally));
  index.set(await summarize(p('workers.py'), 'workers', workers('bump()')));
  const before = index.factsFor(p('tally.py')).threadEntries;
  assert.deepEqual(before?.['bump'], { via: 'threading.Thread → workers.work()' });
  assert.ok(index.dependentsOf(p('workers.py')).includes(p('tally.py')));
  // A line added above moves every position but no call: the entries are not followed again.
  assert.equal(index.set(await summarize(p('workers.py'), 'workers', `\n${workers('bump()')}`)), true);
  assert.equal(index.factsFor(p('tally.py')).threadEntries, before);
  // Without thread entries (what a summary alone needs), the facts say nothing of them.
  assert.equal(index.factsFor(p('tally.py'), false).threadEntries, undefined);
  assert.equal(index.set(await summarize(p('workers.py'), 'workers', workers('pass'))), true);
  assert.equal(index.factsFor(p('tally.py')).threadEntries, undefined);
  // The new text calls nothing there, but the module it called before must be checked again.
  assert.ok(index.dependentsOf(p('workers.py')).includes(p('tally.py')));
  // A summary made again for the same text keeps that record.
  assert.equal(index.set(await summarize(p('workers.py'), 'workers', workers('pass'))), false);
  assert.ok(index.dependentsOf(p('workers.py')).includes(p('tally.py')));
});

test('a class other modules build only in coroutines is loop-only there; a call from plain code, or a re-export, ends that, and the caller\'s change reaches it', async () => {
  const index = new ProjectIndex(layout([]));
  const tools = 'import asyncio\n\n\nclass Countdown:\n    def __init__(self):\n        self.loop = asyncio.get_event_loop()\n';
  const channel = (body: string) => `from tools import Countdown\n\n\nasync def rpc():\n    return Countdown()\n\n\n${body}\n`;
  index.set(await summarize(p('tools.py'), 'tools', tools));
  index.set(await summarize(p('channel.py'), 'channel', channel('')));
  const before = index.factsFor(p('tools.py')).loopOnly;
  assert.deepEqual({ ...before }, { Countdown: true });
  assert.ok(index.dependentsOf(p('channel.py')).includes(p('tools.py')));
  // A line added above moves positions but no call: the facts are not computed again.
  assert.equal(index.set(await summarize(p('channel.py'), 'channel', `\n${channel('')}`)), true);
  assert.equal(index.factsFor(p('tools.py')).loopOnly, before);
  // A call from plain code may run with no loop: the fact says so, for a file that calls get_event_loop().
  index.set(await summarize(p('channel.py'), 'channel', channel('def make():\n    return Countdown()')));
  assert.deepEqual({ ...index.factsFor(p('tools.py')).loopOnly }, { Countdown: false });
  // A package that re-exports it makes it public API, which users may call from anywhere.
  index.set(await summarize(p('channel.py'), 'channel', channel('')));
  assert.deepEqual({ ...index.factsFor(p('tools.py')).loopOnly }, { Countdown: true });
  index.set(await summarize(p('__init__.py'), '', 'from tools import Countdown\n'));
  assert.deepEqual({ ...index.factsFor(p('tools.py')).loopOnly }, { Countdown: false });
  // A file that never calls get_event_loop() gets no fact for a call from plain code.
  index.set(await summarize(p('tools.py'), 'tools', 'class Countdown:\n    pass\n'));
  assert.equal(index.factsFor(p('tools.py')).loopOnly, undefined);
});
