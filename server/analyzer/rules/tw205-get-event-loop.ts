import { insideExpectedRaise } from '../model/expected-raise';
import { caughtAround } from '../model/caught-around';
import { answerOnce } from '../model/answer-once';
import { targetAtLeast } from '../config';
import { describeLoopFunction, eventLoopFunction } from '../model/call-context';
import { failsToImportFrom } from '../model/import-time-removals';
import { ensureModuleImported } from '../fixes/imports';
import type { Resolver } from '../model/resolve';
import type { SemanticModel } from '../model/semantic-model';
import { enclosingFunction, type FunctionInfo, type Scope } from '../model/scope';
import { inOldPythonBranch } from '../model/old-python-branch';
import { GET_EVENT_LOOP, loopCallbackArgument } from '../model/loop-receivers';
import { loopSetBy, runsWithLoopSetByTestCase, SET_EVENT_LOOP } from '../model/loop-test-case';
import { projectFactsOf } from '../model/project-facts';
import { functionPath } from '../model/thread-reachability';
import { caughtTypes, child, namedChildren, nextStatement, walk, type SNode } from '../syntax';
import type { Fix, Rule } from './rule';

/**
 * asyncio's protocol classes, and libraries' classes built on them (websockets' legacy
 * protocols derive from asyncio.Protocol): the loop creates their instances and calls their methods.
 */
const PROTOCOLS = new Set([
  'asyncio.Protocol', 'asyncio.BaseProtocol', 'asyncio.DatagramProtocol', 'asyncio.SubprocessProtocol',
  'asyncio.BufferedProtocol', 'asyncio.protocols.Protocol', 'asyncio.protocols.BaseProtocol',
  'asyncio.protocols.DatagramProtocol', 'asyncio.protocols.SubprocessProtocol', 'asyncio.protocols.BufferedProtocol',
  'websockets.WebSocketServerProtocol', 'websockets.WebSocketClientProtocol', 'websockets.WebSocketCommonProtocol',
  'websockets.server.WebSocketServerProtocol', 'websockets.client.WebSocketClientProtocol', 'websockets.protocol.WebSocketCommonProtocol',
  'websockets.legacy.server.WebSocketServerProtocol', 'websockets.legacy.client.WebSocketClientProtocol',
  'websockets.legacy.protocol.WebSocketCommonProtocol',
]);

/** A method of a class that derives (here or through bases in this module) from an asyncio protocol. */
function protocolMethod(fn: FunctionInfo, resolver: Resolver): boolean {
  const seen = new Set<unknown>();
  const derives = (cls: NonNullable<FunctionInfo['owner']>, depth: number): boolean => {
    if (depth > 8 || seen.has(cls)) return false;
    seen.add(cls);
    return cls.bases.some((b) => {
      if (PROTOCOLS.has(resolver.qualifiedName(b, cls.parent!) ?? '')) return true;
      const base = resolver.classNamed(b, cls.parent!);
      return base !== undefined && derives(base, depth + 1);
    });
  };
  return fn.owner !== undefined && derives(fn.owner, 0);
}

/**
 * The sync function runs only on a running loop: every mention of its name in the module (of the
 * class's name, for `__init__`) is a call made in a coroutine, or in another function that runs
 * only on the loop. A function mentioned anywhere else (passed as a callback, called at module
 * level or from plain code) may run without a loop.
 */
const loopOnly = new WeakMap<SemanticModel, Map<FunctionInfo, boolean>>();

/**
 * Each function is asked about once per model: every question walks the whole module. Calls
 * from other modules count when the project index found them all made in coroutines (and the
 * function is no re-exported public API): then the module's own mentions may be none.
 */
function onlyCalledFromCoroutines(fn: FunctionInfo, resolver: Resolver): boolean {
  return answerOnce(loopOnly, resolver.model, fn, () => callsOnlyFromLoop(fn, resolver, 0, new Set(), calledOnlyFromCoroutinesElsewhere(fn, resolver)));
}

/**
 * What the project index says of the other modules' calls of it (its class, for `__init__`): all
 * made from coroutines (true), one made from plain code (false), or nothing known.
 */
function callsElsewhere(fn: FunctionInfo, resolver: Resolver): boolean | undefined {
  const facts = projectFactsOf(resolver.model)?.loopOnly;
  if (!facts) return undefined;
  const path = fn.name === '__init__' && fn.owner ? functionPath(fn)?.replace(/\.__init__$/, '') : functionPath(fn);
  return path !== undefined && Object.hasOwn(facts, path) ? facts[path] : undefined;
}

function calledOnlyFromCoroutinesElsewhere(fn: FunctionInfo, resolver: Resolver): boolean {
  return callsElsewhere(fn, resolver) === true;
}

// `depth` and `seen` bound the climb through callers; answers found under them are not memoised,
// since a cut cycle may answer false where the whole picture says true.
function callsOnlyFromLoop(fn: FunctionInfo, resolver: Resolver, depth = 0, seen = new Set<FunctionInfo>(), elsewhere = false): boolean {
  if (depth > 4 || seen.has(fn) || fn.isLambda) return false;
  // Another module calls it from plain code (aiohttp's `get_running_loop(loop)` in a constructor),
  // however its own module calls it.
  if (callsElsewhere(fn, resolver) === false) return false;
  seen.add(fn);
  const isInit = fn.name === '__init__' && fn.owner !== undefined;
  const name = isInit ? fn.owner!.name : fn.name;
  const byAttribute = fn.owner !== undefined && !isInit;
  let calls = 0;
  let ok = true;
  walk(resolver.model.root, (n) => {
    if (!ok) return false;
    const mention = byAttribute
      ? n.type === 'attribute' && resolver.text(child(n, 'attribute') ?? n) === name
      : n.type === 'identifier' && resolver.text(n) === name && !(n.parent?.type === 'attribute' && n.field === 'attribute');
    if (!mention) return true;
    // `self._start` in a class whose `_start` is no method reaching this one names another attribute.
    if (byAttribute && otherClassAttribute(n, fn, resolver)) return true;
    // The definition's own name is not a use, nor is an annotation (`countdown: Countdown`).
    if (n.parent?.type === 'function_definition' || n.parent?.type === 'class_definition' || inAnnotation(n)) return true;
    const call = n.parent?.type === 'call' && n.field === 'function' ? n.parent : undefined;
    if (!call) {
      // Handed to the loop to call (`self._loop.call_soon(self._on_ready)`): it runs on the loop.
      if (loopCallbackArgument(n, resolver.scopeAt(n, resolver.model.module), resolver)) {
        calls++;
        return false;
      }
      ok = false;
      return false;
    }
    const scope = resolver.scopeAt(call, resolver.model.module);
    if (eventLoopFunction(scope, resolver)) {
      calls++;
      return true;
    }
    const caller = enclosingFunction(scope);
    // A caller the loop drives: a protocol's method (`connection_lost` calling `self.server.on_connection_lost()`).
    // The caller's calls from other modules count for it as for `fn` (`_keepalive_ping`, which only
    // another module's coroutine calls, calling `self._start_reconnect()`).
    if (caller && caller !== fn && (protocolMethod(caller, resolver) || callsOnlyFromLoop(caller, resolver, depth + 1, seen, calledOnlyFromCoroutinesElsewhere(caller, resolver)))) {
      calls++;
      return true;
    }
    ok = false;
    return false;
  });
  return ok && (calls > 0 || elsewhere);
}

/**
 * `self.name` where `self`'s class is known and has no method `name` (nor inherits one): a data
 * attribute of that class (`self._start = None`), not a mention of the method `fn` of another.
 */
function otherClassAttribute(attribute: SNode, fn: FunctionInfo, resolver: Resolver): boolean {
  const object = child(attribute, 'object');
  if (object?.type !== 'identifier') return false;
  const cls = resolver.receiverClass(object, resolver.scopeAt(attribute, resolver.model.module));
  if (!cls) return false;
  return cls !== fn.owner && resolver.methodsOf(cls, resolver.text(child(attribute, 'attribute')!)) === undefined;
}

/** Inside a type annotation: `x: Countdown`, `-> Countdown`, `Optional[Countdown]`. */
function inAnnotation(n: SNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'type') return true;
    if (p.type.endsWith('_statement') || p.type === 'block' || p.type === 'function_definition' || p.type === 'class_definition') return false;
  }
  return false;
}

/**
 * `loop = asyncio.get_event_loop()` followed by `assert loop.is_running()`: the function states that
 * it runs on a running loop, where the call returns that loop (a caller breaking the contract fails
 * the assertion anyway).
 */
function assertsRunning(call: SNode, resolver: Resolver): boolean {
  const assignment = call.parent?.type === 'assignment' && call.field === 'right' ? call.parent : undefined;
  const name = assignment ? child(assignment, 'left') : undefined;
  const stmt = assignment?.parent;
  if (name?.type !== 'identifier' || stmt?.type !== 'expression_statement') return false;
  const next = nextStatement(stmt);
  if (next?.type !== 'assert_statement') return false;
  const test = namedChildren(next)[0];
  return !!test && resolver.text(test).replace(/\s+/g, '') === `${resolver.text(name)}.is_running()`;
}

/**
 * `try: return asyncio.get_running_loop()` / `except AttributeError: return asyncio.get_event_loop()`:
 * the handler runs only where asyncio has no get_running_loop, before Python 3.7. Likewise a
 * handler around `from asyncio import ensure_future` (graphql-core's own copy of it for 3.4.3):
 * the import fails on no Python that runs asyncio code today.
 */
function fallbackForOldPython(call: SNode, resolver: Resolver): boolean {
  for (let n: SNode | null = call; n?.parent; n = n.parent) {
    const clause = n.parent;
    // A function defined in such a handler is the fallback itself (`except ImportError: def
    // get_running_loop(): return asyncio.get_event_loop()`); a lambda is left alone.
    if (clause.type === 'lambda') return false;
    if (clause.type !== 'except_clause' || clause.parent?.type !== 'try_statement') continue;
    const caught = caughtTypes(clause);
    if (!caught || caught.length === 0 || !caught.every((c) => MISSING_API.has(resolver.text(c)))) continue;
    const body = child(clause.parent, 'body');
    return !!body && (resolver.text(body).includes('get_running_loop') || importsOnlyLastingAsyncioApi(body, resolver));
  }
  return false;
}

/** asyncio functions every Python 3.7 and later has: importing them cannot fail. */
const LASTING_ASYNCIO_API = new Set(['get_running_loop', 'ensure_future', 'create_task', 'run', 'all_tasks', 'current_task', 'wait_for', 'gather', 'sleep', 'shield', 'wait', 'iscoroutine', 'iscoroutinefunction', 'run_coroutine_threadsafe', 'Future', 'Task', 'Queue', 'Lock', 'Event']);

/** A try body of only `from asyncio import <names every Python 3.7+ has>` statements. */
function importsOnlyLastingAsyncioApi(body: SNode, resolver: Resolver): boolean {
  const statements = namedChildren(body).filter((n) => n.type !== 'comment');
  return statements.length > 0 && statements.every((stmt) => {
    const m = /^from\s+asyncio\s+import\s+\(?([\w\s,]+?)\)?$/.exec(resolver.text(stmt).trim());
    return !!m && m[1]!.split(',').map((x) => x.trim()).filter(Boolean).every((name) => LASTING_ASYNCIO_API.has(name));
  });
}

/** Methods Python calls only from a running coroutine: `await obj`, `async for x in obj`. */
const AWAITED_ONLY = new Set(['__await__', '__aiter__']);

/** What a missing attribute or import raises: the errors of a Python too old for an API. */
const MISSING_API = new Set(['AttributeError', 'NameError', 'ImportError']);

/** Handlers that catch the RuntimeError of a call with no loop set. */
const CATCHES_RUNTIME_ERROR = /^(?:[\w.]*\.)?(?:RuntimeError|Exception|BaseException)$/;

/**
 * What the last statement before the call that sets the loop, in the same function and on the
 * way to the call, did: `asyncio.set_event_loop(new_loop)` then `loop = asyncio.get_event_loop()`
 * (autobahn replaces a closed loop that way) leaves it 'set', and the call returns that loop;
 * `set_event_loop(None)` 'unset'; a statement that sets it only on some path (inside an `if`)
 * leaves it 'unknown'. Undefined when nothing before the call sets it.
 */
function loopSetBefore(call: SNode, resolver: Resolver, scope: Scope): 'set' | 'unset' | 'unknown' | undefined {
  for (let n: SNode | null = call; n?.parent; n = n.parent) {
    const block: SNode = n.parent;
    if (block.type === 'function_definition' || block.type === 'lambda' || block.type === 'class_definition') return undefined;
    if (block.type !== 'block' && block.type !== 'module') continue;
    const before = loopSettersIn(block, resolver, scope).filter((e) => e.end <= n!.start).at(-1);
    if (before) return before.effect;
  }
  return undefined;
}

/**
 * Per model and block, its statements that set the loop or a policy, in order (one walk per
 * block). By model: a block carried over to the next version may name asyncio differently then.
 */
const setters = new WeakMap<object, Map<SNode, ReadonlyArray<{ end: number; effect: 'set' | 'unset' | 'unknown' }>>>();

function loopSettersIn(block: SNode, resolver: Resolver, scope: Scope): ReadonlyArray<{ end: number; effect: 'set' | 'unset' | 'unknown' }> {
  let byBlock = setters.get(resolver.model);
  if (!byBlock) setters.set(resolver.model, (byBlock = new Map()));
  const known = byBlock.get(block);
  if (known) return known;
  const named = (n: SNode, names: ReadonlySet<string>): boolean => {
    const fn = n.type === 'call' ? child(n, 'function') : undefined;
    return !!fn && names.has(resolver.qualifiedName(fn, scope) ?? '');
  };
  const out: Array<{ end: number; effect: 'set' | 'unset' | 'unknown' }> = [];
  for (const stmt of block.children) {
    const direct = loopSetBy(stmt, resolver, scope);
    if (direct) {
      out.push({ end: stmt.end, effect: direct });
      continue;
    }
    // Set inside an `if` (only on some paths), or a new policy (which starts with no loop, or
    // makes its own): what a later call returns is not known.
    let nested = false;
    walk(stmt, (m) => {
      if (nested || named(m, SET_EVENT_LOOP) || named(m, SET_POLICY)) nested = true;
      return !nested && m.type !== 'function_definition' && m.type !== 'class_definition' && m.type !== 'lambda';
    });
    if (nested) out.push({ end: stmt.end, effect: 'unknown' });
  }
  byBlock.set(block, out);
  return out;
}

const SET_POLICY = new Set(['asyncio.set_event_loop_policy', 'asyncio.events.set_event_loop_policy']);


/** What the call does with no loop set, for the oldest Python the project supports. */
function outsideCoroutineBehaviour(targetVersion: number | undefined): string {
  if (targetAtLeast(targetVersion, 14)) return 'raises RuntimeError when no event loop is set';
  if (targetAtLeast(targetVersion, 14) === false) return 'is deprecated when no event loop is set, and raises RuntimeError there from Python 3.14';
  return 'raises RuntimeError since Python 3.14 when no loop is set';
}

export const getEventLoop: Rule = {
  meta: {
    code: 'TW205',
    name: 'get-event-loop',
    severity: 'warning',
    fix: 'safe',
    summary: 'asyncio.get_event_loop(): use get_running_loop() in coroutines; outside, it raises since 3.14',
    description: '`asyncio.get_event_loop()`: in a coroutine use `get_running_loop()`; elsewhere it raises on Python 3.14 when no loop is set.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const q = ctx.resolver.qualifiedName(site.callee, site.scope);
    if (!q || !GET_EVENT_LOOP.has(q)) return;
    // Compatibility code for Pythons that never raise here or lack get_running_loop (before 3.7):
    // neither the hazard nor the advice applies.
    if (inOldPythonBranch(site.node, 14, ctx.resolver, site.scope) || fallbackForOldPython(site.node, ctx.resolver)) return;
    const loop = eventLoopFunction(site.scope, ctx.resolver, { generatorCoroutines: true });
    // Outside a coroutine it is a hazard whatever the target: code written for 3.12 breaks on 3.14.
    // Unless the function visibly runs on the loop: a protocol's methods (the loop builds and
    // drives protocols), a helper only coroutines call, or code asserting the loop runs; there the
    // call returns the running loop.
    const fn = enclosingFunction(site.scope);
    // `__await__` runs only inside an `await`, `__aiter__` only for an `async for`: in a coroutine.
    const awaitedOnly = !loop && fn !== undefined && AWAITED_ONLY.has(fn.name) && fn.owner !== undefined;
    if (!loop && !awaitedOnly) {
      // The module cannot be imported on the Pythons where the call would raise.
      const deadFrom = failsToImportFrom(ctx.resolver);
      if (deadFrom !== undefined && deadFrom <= 14) return;
      if (fn && (protocolMethod(fn, ctx.resolver) || onlyCalledFromCoroutines(fn, ctx.resolver))) return;
      if (assertsRunning(site.node, ctx.resolver)) return;
      // A loop set just before, or by the test case before each test, unless the test unset it.
      const before = loopSetBefore(site.node, ctx.resolver, site.scope);
      if (before === 'set' || (before === undefined && fn && runsWithLoopSetByTestCase(fn, ctx.resolver))) return;
      // The RuntimeError is caught where it would be raised (`try: get_event_loop()...` `except
      // RuntimeError: pass` in a `__del__`): handled, not a crash.
      if (caughtAround(site.node, CATCHES_RUNTIME_ERROR, ctx.resolver)) return;
      // A test asserting that it raises checks the very behaviour the finding warns of.
      if (insideExpectedRaise(site.node, ctx.resolver, site.scope)) return;
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        message: `asyncio.get_event_loop() outside a coroutine ${outsideCoroutineBehaviour(ctx.targetVersion)}; create one with asyncio.new_event_loop() or use asyncio.run().`,
      });
      return;
    }
    // Inside a running coroutine both calls return the running loop, so nothing breaks today:
    // the finding is advice, reported as information (a user severity for TW205 still wins).
    if (loop?.generatorBased) {
      // No fix: a Tornado or legacy asyncio coroutine may be driven by a loop Threadwise cannot
      // see is asyncio's, and get_running_loop() would raise there.
      ctx.report({
        start: site.node.start,
        end: site.node.end,
        severity: 'information',
        message: `asyncio.get_event_loop() in ${describeLoopFunction(loop)}: while the coroutine runs it returns the running loop; asyncio.get_running_loop() says so and never creates a loop.`,
      });
      return;
    }
    // Both calls return the running loop here, so the swap is safe.
    let fix: Fix | undefined;
    const attr = site.callee.type === 'attribute' ? child(site.callee, 'attribute') : undefined;
    if (attr) {
      fix = { title: "Use 'get_running_loop()'", safety: 'safe', edits: [{ start: attr.start, end: attr.end, newText: 'get_running_loop' }] };
    } else {
      const asyncio = ensureModuleImported('asyncio', site.scope, ctx.resolver);
      if (asyncio) {
        fix = {
          title: `Use '${asyncio.name}.get_running_loop()'`,
          safety: 'safe',
          edits: [...asyncio.edits, { start: site.callee.start, end: site.callee.end, newText: `${asyncio.name}.get_running_loop` }],
        };
      }
    }
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      severity: 'information',
      message: loop
        ? `asyncio.get_event_loop() in async def '${loop.fn.name}': use asyncio.get_running_loop(), which says what it means and never creates a loop.`
        : `asyncio.get_event_loop() in '${fn!.name}', which runs only inside a coroutine's ${fn!.name === '__await__' ? 'await' : 'async for'}: use asyncio.get_running_loop(), which says what it means and never creates a loop.`,
      ...(fix ? { fix } : {}),
    });
  },
};
