import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { DEFAULT_CONFIG } from '../../server/analyzer/config';
import { effectiveOptions, validateThreadwiseTable } from '../../server/project';

const isTest = (file: string, testFiles?: readonly string[]) =>
  effectiveOptions(file, { root: "/proj" }, testFiles ? { root: "/proj", testFiles } : undefined, 'editorFirst').config.testFile === true;

test('test-files: by default tests/, test/, test_*.py, *_test.py and conftest.py are test files', () => {
  assert.equal(isTest('/proj/pkg/tests/test_client.py'), true);
  assert.equal(isTest('/proj/pkg/tests/helpers.py'), true);
  assert.equal(isTest('/proj/cherrypy/test/webtest.py'), true);
  assert.equal(isTest('/proj/pkg/test_worker.py'), true);
  assert.equal(isTest('/proj/pkg/utils_test.py'), true);
  assert.equal(isTest('/proj/conftest.py'), true);
  assert.equal(isTest('/proj/pkg/client.py'), false);
  assert.equal(isTest('/proj/pkg/testing.py'), false);
  assert.equal(isTest('/proj/pkg/contest.py'), false);
  assert.equal(isTest(''), false, 'an untitled document is not a test file');
});

test('test-files in pyproject.toml replaces the defaults; an empty list checks tests like any code', () => {
  assert.equal(isTest('/proj/pkg/tests/test_client.py', []), false);
  assert.equal(isTest('/proj/it/checks.py', ['it/**']), true);
  assert.equal(isTest('/proj/pkg/tests/test_client.py', ['it/**']), false);
  const { config, problems } = validateThreadwiseTable({ 'test-files': ['it/**', 3] }, 'pyproject.toml', '/proj');
  assert.deepEqual(config.testFiles, ['it/**']);
  assert.equal(problems.length, 1);
  assert.equal(validateThreadwiseTable({ 'test-files': 'tests' }, 'pyproject.toml', '/proj').problems.length, 1);
});

const SOURCE = `import asyncio
import time


async def test_slow():
    time.sleep(0.1)
    with open("spec.yaml", "w") as f:
        f.write("x")
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        pass
    asyncio.create_task(asyncio.sleep(1))
`;

test('in a test file the event-loop blocking rules and TW203 are not reported; the others are', async () => {
  const codes = async (testFile: boolean) =>
    (await analyzeSource(SOURCE, testFile ? { ...DEFAULT_CONFIG, testFile } : DEFAULT_CONFIG)).findings.map((f) => f.code);
  assert.deepEqual(await codes(false), ['TW101', 'TW104', 'TW203', 'TW202']);
  assert.deepEqual(await codes(true), ['TW202']);
});

const TEST_ONLY_HAZARDS = `import asyncio
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor

LOCK = threading.Lock()
READY = threading.Condition()
done = False


def wait_for_worker():
    with READY:
        if not done:
            READY.wait()


def slow_resource():
    with LOCK:
        time.sleep(1)


def run_jobs(f):
    pool = ThreadPoolExecutor(4)
    return list(pool.map(f, range(4)))


async def test_tls():
    ctx = ssl.create_default_context()
    while not done:
        await asyncio.sleep(0.1)
    asyncio.create_task(asyncio.sleep(1))
    return ctx
`;

test('in a test file a sleep under a lock, a one-off condition wait, an executor left open, TW108-TW111 and a polling loop are not reported', async () => {
  const codes = async (testFile: boolean) =>
    (await analyzeSource(TEST_ONLY_HAZARDS, testFile ? { ...DEFAULT_CONFIG, testFile } : DEFAULT_CONFIG)).findings.map((f) => f.code).sort();
  assert.deepEqual(await codes(false), ['TW110', 'TW202', 'TW206', 'TW306', 'TW404', 'TW405']);
  assert.deepEqual(await codes(true), ['TW202']);
});

test('a suppression of a rule that does not run in test files is not reported as unused', async () => {
  const source = 'import time\n\n\nasync def test_it():\n    time.sleep(1)  # threadwise: ignore[TW101]\n';
  const result = await analyzeSource(source, { ...DEFAULT_CONFIG, testFile: true });
  assert.deepEqual(result.findings.map((f) => f.code), []);
});
