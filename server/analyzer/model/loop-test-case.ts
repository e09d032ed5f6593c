import type { Resolver } from './resolve';
import type { ClassInfo, FunctionInfo, Scope } from './scope';
import { child, namedChildren, type SNode } from '../syntax';

/**
 * Test cases that set an event loop before each test method runs, so that in a test method (and
 * in `tearDown`) `asyncio.get_event_loop()` returns that loop, on Python 3.14 too: Tornado's
 * `AsyncTestCase` (its `setUp` makes its IOLoop current, which sets the asyncio loop), unittest's
 * `IsolatedAsyncioTestCase` (its runner sets the loop), and a class whose own `setUp` calls
 * `asyncio.set_event_loop(loop)`.
 */
const LOOP_TEST_CASES = new Set([
  'tornado.testing.AsyncTestCase',
  'tornado.testing.AsyncHTTPTestCase',
  'tornado.testing.AsyncHTTPSTestCase',
  'unittest.IsolatedAsyncioTestCase',
  'unittest.async_case.IsolatedAsyncioTestCase',
]);

/** `asyncio.set_event_loop` by its qualified names. */
export const SET_EVENT_LOOP: ReadonlySet<string> = new Set(['asyncio.set_event_loop', 'asyncio.events.set_event_loop']);

/** `fn` is a test method (`test...`) or `tearDown` of a test case that sets a loop first. */
export function runsWithLoopSetByTestCase(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!fn.owner || !/^(?:test|tearDown$)/.test(fn.name)) return false;
  return setsLoop(fn.owner, resolver, 0);
}

function setsLoop(cls: ClassInfo, resolver: Resolver, depth: number): boolean {
  if (depth > 8) return false;
  for (const setUp of cls.methods.get('setUp') ?? []) if (setUpSetsLoop(setUp, resolver)) return true;
  for (const base of cls.bases) {
    const local = resolver.classNamed(base, cls.parent!);
    if (local ? setsLoop(local, resolver, depth + 1) : LOOP_TEST_CASES.has(resolver.qualifiedName(base, cls.parent!) ?? '')) return true;
  }
  return false;
}

/** A statement of `setUp`'s body (not one inside an `if`) that sets a loop that is not None. */
function setUpSetsLoop(setUp: FunctionInfo, resolver: Resolver): boolean {
  const body = child(setUp.node, 'body');
  return (body ? namedChildren(body) : []).some((stmt) => loopSetBy(stmt, resolver, setUp) === 'set');
}

/**
 * A statement that is a call of `asyncio.set_event_loop(...)`: 'set' for a loop, 'unset' for
 * `None` (or no argument); undefined for any other statement.
 */
export function loopSetBy(stmt: SNode, resolver: Resolver, scope: Scope): 'set' | 'unset' | undefined {
  const call: SNode | undefined = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
  const fn = call?.type === 'call' ? child(call, 'function') : undefined;
  if (!fn || !SET_EVENT_LOOP.has(resolver.qualifiedName(fn, scope) ?? '')) return undefined;
  const arg = namedChildren(child(call!, 'arguments')!)[0];
  return !!arg && arg.type !== 'none' ? 'set' : 'unset';
}
