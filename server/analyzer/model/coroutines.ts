import { child, type SNode } from '../syntax';
import type { Kind } from './known-types';
import type { Resolver } from './resolve';
import type { FunctionInfo, Scope } from './scope';

/** asyncio functions that return a coroutine (or awaitable future) that must be awaited. */
const ASYNCIO_COROUTINES = new Set([
  'asyncio.sleep',
  'asyncio.wait_for',
  'asyncio.wait',
  'asyncio.open_connection',
  'asyncio.open_unix_connection',
  'asyncio.start_server',
  'asyncio.start_unix_server',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
  'asyncio.to_thread',
]);

/** Coroutine methods by the kind of object they are called on. */
const COROUTINE_METHODS: ReadonlyMap<Kind, ReadonlySet<string>> = new Map<Kind, ReadonlySet<string>>([
  ['async-queue', new Set(['get', 'put', 'join'])],
  ['async-lock', new Set(['acquire'])],
  ['async-semaphore', new Set(['acquire'])],
  ['async-event', new Set(['wait'])],
  ['async-condition', new Set(['acquire', 'wait', 'wait_for'])],
  ['stream-reader', new Set(['read', 'readline', 'readexactly', 'readuntil'])],
  ['stream-writer', new Set(['drain', 'wait_closed', 'start_tls'])],
  [
    'event-loop',
    new Set(['sock_recv', 'sock_recv_into', 'sock_recvfrom', 'sock_sendall', 'sock_sendto', 'sock_connect', 'sock_accept',
      'sock_sendfile', 'run_in_executor', 'getaddrinfo', 'getnameinfo', 'create_connection', 'create_server',
      'shutdown_asyncgens', 'shutdown_default_executor']),
  ],
]);

const COROUTINE_METHOD_NAMES: ReadonlySet<string> = new Set([...COROUTINE_METHODS.values()].flatMap((s) => [...s]));

/**
 * Decorators that make a plain `def` (a generator, as a rule) a coroutine driven by an event loop:
 * its body runs on the loop's thread, between the points where it yields to the loop. By what a
 * call of the decorated function does: `eager` ones (Tornado's) start running the body at once
 * and return a future; `lazy` ones return a generator whose body runs only when it is awaited.
 */
const GENERATOR_COROUTINE_DECORATORS: ReadonlyMap<string, 'eager' | 'lazy'> = new Map([
  ['tornado.gen.coroutine', 'eager'],
  // A test method Tornado's test case runs to its end on its IOLoop (`io_loop.run_sync`).
  ['tornado.testing.gen_test', 'eager'],
  ['types.coroutine', 'lazy'],
  ['asyncio.coroutine', 'lazy'],
  ['asyncio.coroutines.coroutine', 'lazy'],
]);

/**
 * How a generator-based coroutine (`@tornado.gen.coroutine`, `@types.coroutine`,
 * `@asyncio.coroutine`) starts when called, or undefined for any other function. Such a function
 * runs on the event loop like an `async def`, yet it is a plain `def` to the parser: `await` in it
 * is still a SyntaxError, and `yield` is how it waits.
 */
export function generatorCoroutine(fn: FunctionInfo, resolver: Resolver): 'eager' | 'lazy' | undefined {
  if (fn.isAsync || fn.decorators.length === 0) return undefined;
  for (const d of fn.decorators) {
    let expr = d.children.find((c) => c.named && c.type !== 'comment');
    // `@gen_test(timeout=10)`: the decorator a call returns.
    if (expr?.type === 'call') expr = child(expr, 'function');
    const q = expr ? resolver.qualifiedName(expr, fn.parent!) : undefined;
    const start = q ? GENERATOR_COROUTINE_DECORATORS.get(q) : undefined;
    if (start) return start;
  }
  return undefined;
}

/**
 * A name for the coroutine a dropped call to a lazy generator-based coroutine of this module
 * creates: its body never runs. Tornado's coroutines are left out: they run when called.
 */
export function lazyGeneratorCoroutineCallee(call: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const callee = child(call, 'function');
  if (!callee) return undefined;
  const fns = resolver.localFunctions(callee, scope);
  if (!fns || fns.length === 0) return undefined;
  return fns.every((f) => generatorCoroutine(f, resolver) === 'lazy') ? resolver.text(callee) : undefined;
}

/** Decorators known to leave an `async def` a coroutine function. */
const TRANSPARENT_DECORATORS = /^@\s*(?:(?:abc\.)?abstractmethod|staticmethod|classmethod|(?:typing(?:_extensions)?\.)?override|(?:functools\.)?wraps\(.*\))\s*$/s;

export function isCoroutineFunction(fn: FunctionInfo, resolver: Resolver): boolean {
  if (!fn.isAsync || fn.hasYield) return false;
  return fn.decorators.every((d) => TRANSPARENT_DECORATORS.test(resolver.text(d).trim()));
}

/** A name for the coroutine a call creates, when the call certainly creates one. */
export function coroutineCallee(call: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const callee = child(call, 'function');
  if (!callee) return undefined;
  const q = resolver.qualifiedName(callee, scope);
  if (q && ASYNCIO_COROUTINES.has(q)) return q;
  const fns = resolver.localFunctions(callee, scope);
  if (fns && fns.length > 0 && fns.every((f) => isCoroutineFunction(f, resolver))) return resolver.text(callee);
  if (callee.type === 'attribute') {
    const object = child(callee, 'object');
    const attr = child(callee, 'attribute');
    if (!object || !attr) return undefined;
    // The method name is a set lookup; the receiver's kind may follow assignments.
    if (!COROUTINE_METHOD_NAMES.has(resolver.text(attr))) return undefined;
    const kind = resolver.kindOf(object, scope);
    if (kind && COROUTINE_METHODS.get(kind)?.has(resolver.text(attr))) return resolver.text(callee);
  }
  return undefined;
}
