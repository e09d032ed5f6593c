import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { applyEdits, mergeFixEdits } from '../../server/analyzer/fixes/apply';
import { expectationsOf, FIXTURES, fixtureFiles } from '../support/expectations';
import { pyCompileAll } from '../support/python';

/** Applies the fix of the only finding with `code` and returns the new text. */
async function fixed(source: string, code: string): Promise<string> {
  const { findings } = await analyzeSource(source);
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => f.code))}`);
  assert.ok(matching[0]!.fix, `${code} has a fix`);
  return applyEdits(source, matching[0]!.fix!.edits);
}

const cases: Array<{ name: string; code: string; before: string; after: string }> = [
  {
    name: 'TW101 replaces the call and keeps the arguments',
    code: 'TW101',
    before: 'import asyncio\nimport time\n\nasync def f(d):\n    time.sleep(d * 2)\n',
    after: 'import asyncio\nimport time\n\nasync def f(d):\n    await asyncio.sleep(d * 2)\n',
  },
  {
    name: 'TW101 adds import asyncio after the last import',
    code: 'TW101',
    before: '"""Doc."""\nfrom time import sleep\n\nasync def f():\n    sleep(1)\n',
    after: '"""Doc."""\nfrom time import sleep\nimport asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n',
  },
  {
    name: 'TW101 uses an existing alias of asyncio',
    code: 'TW101',
    before: 'import asyncio as aio\nimport time\n\nasync def f():\n    x = time.sleep(1)\n',
    after: 'import asyncio as aio\nimport time\n\nasync def f():\n    x = await aio.sleep(1)\n',
  },
  {
    name: 'TW101 under an existing await changes only the callee',
    code: 'TW101',
    before: 'import asyncio, time\n\nasync def f():\n    await time.sleep(1)\n',
    after: 'import asyncio, time\n\nasync def f():\n    await asyncio.sleep(1)\n',
  },
  {
    name: 'TW201 adds await, also in a condition',
    code: 'TW201',
    before: 'async def g():\n    return 1\n\nasync def f():\n    if not g():\n        pass\n',
    after: 'async def g():\n    return 1\n\nasync def f():\n    if not await g():\n        pass\n',
  },
  {
    name: 'TW202 keeps the task in a module-level set',
    code: 'TW202',
    before: 'import asyncio\n\nasync def job():\n    pass\n\nasync def f():\n    asyncio.create_task(\n        job()\n    )\n',
    after: 'import asyncio\n\n_background_tasks = set()\n\nasync def job():\n    pass\n\nasync def f():\n    _task = asyncio.create_task(\n        job()\n    )\n    _background_tasks.add(_task)\n    _task.add_done_callback(_background_tasks.discard)\n',
  },
  {
    name: 'TW202 reuses an existing set and handles `_ =`',
    code: 'TW202',
    before: 'import asyncio\n_background_tasks = set()\n\nasync def f(c):\n    _ = asyncio.ensure_future(c)\n',
    after: 'import asyncio\n_background_tasks = set()\n\nasync def f(c):\n    _task = asyncio.ensure_future(c)\n    _background_tasks.add(_task)\n    _task.add_done_callback(_background_tasks.discard)\n',
  },
  {
    name: 'TW301 renames run to start',
    code: 'TW301',
    before: 'import threading\nt = threading.Thread(target=print)\nt.run()\n',
    after: 'import threading\nt = threading.Thread(target=print)\nt.start()\n',
  },
  {
    name: 'TW401 rewrites acquire/release to with, leaving multi-line strings alone',
    code: 'TW401',
    before: 'import threading\nL = threading.Lock()\n\ndef f():\n    L.acquire()\n    x = """a\nb"""\n\n    print(x)\n    L.release()\n    return 1\n',
    after: 'import threading\nL = threading.Lock()\n\ndef f():\n    with L:\n        x = """a\nb"""\n\n        print(x)\n    return 1\n',
  },
  {
    name: 'TW401 keeps tab indentation and CRLF line breaks',
    code: 'TW401',
    before: 'import threading\r\nclass A:\r\n\tdef __init__(self):\r\n\t\tself.l = threading.RLock()\r\n\tdef f(self):\r\n\t\tself.l.acquire()\r\n\t\tself.n.append(1)\r\n\t\tself.l.release()\r\n',
    after: 'import threading\r\nclass A:\r\n\tdef __init__(self):\r\n\t\tself.l = threading.RLock()\r\n\tdef f(self):\r\n\t\twith self.l:\r\n\t\t\tself.n.append(1)\r\n',
  },
  {
    name: 'TW401 moves a comment between acquire and release into the with block',
    code: 'TW401',
    before: 'import threading\nL = threading.Lock()\n\ndef f(n):\n    L.acquire()\n    # counted\n    n.append(1)\n    L.release()\n',
    after: 'import threading\nL = threading.Lock()\n\ndef f(n):\n    with L:\n        # counted\n        n.append(1)\n',
  },
  {
    name: 'TW306 wraps the uses of the executor in a with block, up to the last one',
    code: 'TW306',
    before: 'from concurrent.futures import ThreadPoolExecutor\n\ndef f(urls):\n    pool = ThreadPoolExecutor(max_workers=4)\n    futures = [pool.submit(len, u) for u in urls]\n    msg = """a\nb"""\n    results = [x.result() for x in futures]\n    print(msg, pool._max_workers)\n    return results\n',
    after: 'from concurrent.futures import ThreadPoolExecutor\n\ndef f(urls):\n    with ThreadPoolExecutor(max_workers=4) as pool:\n        futures = [pool.submit(len, u) for u in urls]\n        msg = """a\nb"""\n        results = [x.result() for x in futures]\n        print(msg, pool._max_workers)\n    return results\n',
  },
  {
    name: 'TW306 at module level with CRLF',
    code: 'TW306',
    before: 'import concurrent.futures as cf\r\nex = cf.ThreadPoolExecutor()\r\nprint(ex.submit(abs, -1))\r\nprint("done")\r\n',
    after: 'import concurrent.futures as cf\r\nwith cf.ThreadPoolExecutor() as ex:\r\n    print(ex.submit(abs, -1))\r\nprint("done")\r\n',
  },
  {
    name: 'TW308 moves every process start-up and the later uses under one guard',
    code: 'TW308',
    before: 'from multiprocessing import Pool\n\ndef work(n):\n    return n\n\nwith Pool(2) as pool:\n    results = pool.map(work, range(3))\nprint(results)\n',
    after: 'from multiprocessing import Pool\n\ndef work(n):\n    return n\n\nif __name__ == "__main__":\n    with Pool(2) as pool:\n        results = pool.map(work, range(3))\n    print(results)\n',
  },
  {
    name: 'TW405 turns an if-guarded wait into wait_for with the negated condition',
    code: 'TW405',
    before: 'import threading\ncv = threading.Condition()\nitems = []\n\ndef get():\n    with cv:\n        if not items:\n            cv.wait()  # wait for a producer\n        return items.pop()\n',
    after: 'import threading\ncv = threading.Condition()\nitems = []\n\ndef get():\n    with cv:\n        cv.wait_for(lambda: items)  # wait for a producer\n        return items.pop()\n',
  },
  {
    name: 'TW405 keeps await and negates a compound condition',
    code: 'TW405',
    before: 'import asyncio\n\nasync def get(cv: asyncio.Condition, box):\n    async with cv:\n        if box.value is None or box.stale:\n            await cv.wait()\n',
    after: 'import asyncio\n\nasync def get(cv: asyncio.Condition, box):\n    async with cv:\n        await cv.wait_for(lambda: not (box.value is None or box.stale))\n',
  },
  {
    name: 'TW001 removes only the unused code',
    code: 'TW001',
    before: 'import time\n\nasync def f():\n    time.sleep(1)  # threadwise: ignore[TW101, TW202]\n',
    after: 'import time\n\nasync def f():\n    time.sleep(1)  # threadwise: ignore[TW101]\n',
  },
  {
    name: 'TW001 removes a whole comment line',
    code: 'TW001',
    before: '# threadwise: ignore-file[TW101]\nx = 1\n',
    after: 'x = 1\n',
  },
];

for (const c of cases) {
  test(`fix: ${c.name}`, async () => {
    assert.equal(await fixed(c.before, c.code), c.after);
  });
}

test('fix: no TW101 fix inside a lambda (await is not allowed there)', async () => {
  const { findings } = await analyzeSource('import time\n\nasync def f(loop):\n    loop.call_soon(lambda: time.sleep(1))\n');
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.fix, undefined);
});

test('fix: no TW201 fix in a sync function', async () => {
  const { findings } = await analyzeSource('async def g():\n    pass\n\ndef f():\n    g()\n');
  assert.equal(findings[0]!.code, 'TW201');
  assert.equal(findings[0]!.fix, undefined);
});

test('fix: none for TW306 when a callback defined later uses the executor, or for multiprocessing pools', async () => {
  for (const source of [
    'from concurrent.futures import ThreadPoolExecutor\n\ndef f(cb):\n    pool = ThreadPoolExecutor()\n    def later():\n        return pool.submit(cb)\n    return later\n',
    'import multiprocessing\n\ndef f():\n    pool = multiprocessing.Pool()\n    pool.map_async(abs, [1])\n',
    'from concurrent.futures import ThreadPoolExecutor\n\ndef f(flag):\n    if flag:\n        pool = ThreadPoolExecutor()\n        print(pool._max_workers)\n    return pool.submit(abs, 1)\n',
  ]) {
    const { findings } = await analyzeSource(source);
    assert.deepEqual(findings.map((f) => f.code), ['TW306']);
    assert.equal(findings[0]!.fix, undefined);
  }
});

test('fix: none for TW308 when a function definition would move under the guard', async () => {
  const { findings } = await analyzeSource('from multiprocessing import Pool\nwith Pool(2) as pool:\n    pass\ndef work(n):\n    return n\nprint(pool)\n');
  const tw308 = findings.filter((f) => f.code === 'TW308');
  assert.equal(tw308.length, 1);
  assert.equal(tw308[0]!.fix, undefined);
});

test('fix: none for TW405 on a bare wait (no predicate to take) or with an else branch', async () => {
  for (const source of [
    'import threading\ncv = threading.Condition()\n\ndef f():\n    with cv:\n        cv.wait()\n',
    'import threading\ncv = threading.Condition()\n\ndef f(x):\n    with cv:\n        if not x:\n            cv.wait()\n        else:\n            pass\n',
  ]) {
    const { findings } = await analyzeSource(source);
    assert.deepEqual(findings.map((f) => f.code), ['TW405']);
    assert.equal(findings[0]!.fix, undefined);
  }
});

test('every fix on every fixture re-parses cleanly and compiles with python3', async () => {
  const results = new Map<string, string>();
  for (const name of fixtureFiles()) {
    const source = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    const { findings } = await analyzeSource(source);
    for (const [i, f] of findings.entries()) {
      if (!f.fix) continue;
      const after = applyEdits(source, f.fix.edits);
      const reparsed = await analyzeSource(after);
      assert.equal(reparsed.syntaxErrors, false, `${name} #${i} ${f.code}: ${f.fix.title}`);
      results.set(`${name} #${i} ${f.code}`, after);
    }
  }
  assert.ok(results.size >= 20, `only ${results.size} fixes exercised`);
  assert.deepEqual(Object.fromEntries(pyCompileAll(results)), {});
});

test('each quick fix removes its own finding', async () => {
  for (const name of fixtureFiles()) {
    const source = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    const before = expectationsOf(source).length;
    const { findings } = await analyzeSource(source);
    for (const f of findings.filter((x) => x.fix && x.code !== 'TW001')) {
      const after = await analyzeSource(applyEdits(source, f.fix!.edits));
      const same = after.findings.filter((x) => x.code === f.code).length;
      const had = findings.filter((x) => x.code === f.code).length;
      // A fix at the root (Lock to RLock) may clear several findings at once.
      assert.ok(same < had, `${name}: ${f.code} '${f.fix!.title}' (${before} expected before)`);
      assert.ok(!after.findings.some((x) => x.code === f.code && x.start === f.start), `${name}: ${f.code} still at its place`);
    }
  }
});

test('fix-all applies only safe fixes and a second run changes nothing', async () => {
  const source = fs.readFileSync(path.join(FIXTURES, 'suppressions.py'), 'utf8');
  const safeEdits = async (text: string) => mergeFixEdits((await analyzeSource(text)).findings.filter((f) => f.fix?.safety === 'safe').map((f) => f.fix!.edits));
  const first = await safeEdits(source);
  assert.ok(first.length > 0);
  const once = applyEdits(source, first);
  assert.deepEqual(await safeEdits(once), []);
  const { findings } = await analyzeSource(once);
  assert.ok(findings.every((f) => f.code !== 'TW001'));
  assert.ok(findings.some((f) => f.code === 'TW101'), 'quick fixes were not applied');
  assert.deepEqual(Object.fromEntries(pyCompileAll(new Map([['fix-all', once]]))), {});
});

test('fix: none for TW101 evaluated in to_thread arguments (the author meant to pass the function)', async () => {
  const { findings } = await analyzeSource('import asyncio, time\n\nasync def f():\n    await asyncio.to_thread(time.sleep(1))\n');
  assert.deepEqual(findings.map((f) => f.code), ['TW101']);
  assert.equal(findings[0]!.fix, undefined);
});

test('fix: none for TW401 when the lock is also released early in between', async () => {
  const src = 'import threading\nL = threading.Lock()\n\ndef f(x):\n    L.acquire()\n    x.prepare()\n    if x:\n        L.release()\n        return\n    L.release()\n';
  const { findings } = await analyzeSource(src);
  assert.deepEqual(findings.map((f) => f.code), ['TW401']);
  assert.equal(findings[0]!.fix, undefined);
});

test('fix: to_thread is parenthesized when the result is used at once, and keeps argument comments', async () => {
  const src = 'import asyncio, requests, subprocess\n\nasync def f(u):\n    data = requests.get(u).json()\n    subprocess.run(\n        ["ls"],\n        check=True,  # fail loudly\n    )\n';
  const { findings } = await analyzeSource(src);
  const [http, sub] = findings;
  assert.equal(applyEdits(src, http!.fix!.edits).split('\n')[3], '    data = (await asyncio.to_thread(requests.get, u)).json()');
  const fixedSub = applyEdits(src, sub!.fix!.edits);
  assert.match(fixedSub, /await asyncio\.to_thread\(subprocess\.run, \["ls"\],\n        check=True,  # fail loudly\n    \)/);
  assert.deepEqual(Object.fromEntries(pyCompileAll(new Map([['a', applyEdits(src, http!.fix!.edits)], ['b', fixedSub]]))), {});
});

test('fix: none inside a generator expression (await would make it an async generator)', async () => {
  const { findings } = await analyzeSource('import requests\n\nasync def f(urls):\n    return sum(len(requests.get(u).text) for u in urls)\n');
  assert.deepEqual(findings.map((f) => f.code), ['TW102']);
  assert.equal(findings[0]!.fix, undefined);
});
