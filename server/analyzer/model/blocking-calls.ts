import { pausesWithoutBlocking } from './zero-sleep';
import { catalogueFunctions, catalogueMethods, conditionHolds, declaredNonBlocking, methodConditionHolds } from '../catalogue/lookup';
import { child, unparenthesize, walk, type SNode } from '../syntax';
import { argument } from './callables';
import { pseudoFilePath } from './pseudo-files';
import type { Kind } from './known-types';
import type { Resolver } from './resolve';
import type { Scope } from './scope';

/** A family of calls that block the calling thread, as listed in the rule catalogue. */
export interface BlockingFamily {
  readonly functions: ReadonlySet<string>;
  /** Methods that block, by the kind of object they are called on. */
  readonly methods: ReadonlyMap<Kind, ReadonlySet<string>>;
  /** Whether this particular call waits, judged from its arguments; absent means it always does. */
  readonly waits?: (name: string, call: SNode, scope: Scope, resolver: Resolver) => boolean;
}

// The lists live in the catalogue (catalogue/table.ts), one row per call with its async twin.
export const BLOCKING_HTTP: BlockingFamily = {
  functions: catalogueFunctions('TW102'),
  methods: catalogueMethods('TW102'),
};

export const BLOCKING_SUBPROCESS: BlockingFamily = {
  functions: catalogueFunctions('TW103'),
  methods: catalogueMethods('TW103'),
  // `os.spawn*(os.P_NOWAIT, ...)` and `waitpid(pid, os.WNOHANG)` return at once.
  waits: (name, call, scope, resolver) => {
    if (name.startsWith('os.spawn')) return spawnWaits(call, scope, resolver);
    if (name.startsWith('os.wait')) return !mentions(call, 'os.WNOHANG', scope, resolver);
    return true;
  },
};

/**
 * True when `os.spawn*` is told to wait: its mode, first or as `mode=`, is `os.P_WAIT` or the
 * literal 0 (the value of P_WAIT on every platform). Any other mode (P_NOWAIT, P_DETACH, a
 * variable) is not taken for a wait.
 */
function spawnWaits(call: SNode, scope: Scope, resolver: Resolver): boolean {
  const mode = argument(call, 'mode', 0, resolver);
  if (!mode) return false;
  const value = unparenthesize(mode);
  if (value.type === 'integer') return Number(resolver.text(value).replace(/_/g, '')) === 0;
  return resolver.qualifiedName(value, scope) === 'os.P_WAIT';
}

/** True when an argument of the call refers to `qualified` (a flag such as os.WNOHANG), anywhere in it. */
function mentions(call: SNode, qualified: string, scope: Scope, resolver: Resolver): boolean {
  const args = child(call, 'arguments');
  if (!args) return false;
  let found = false;
  walk(args, (n) => {
    if (found) return false;
    if ((n.type === 'identifier' || n.type === 'attribute') && resolver.qualifiedName(n, scope) === qualified) found = true;
    return !found && n.type !== 'string';
  });
  return found;
}

export const BLOCKING_FILE_IO: BlockingFamily = {
  functions: catalogueFunctions('TW104'),
  methods: catalogueMethods('TW104'),
  // `zipfile.ZipFile(io.BytesIO(data))` reads memory, not a file; `open('/proc/meminfo')` reads
  // what the kernel makes in memory.
  waits: (name, call, scope, resolver) => conditionHolds(name, call, scope, resolver) && !opensPseudoFile(name, call, scope, resolver),
};

/** File functions whose first argument is the path they open or list, by that parameter's name. */
const PATH_PARAMETER = new Map([
  ['builtins.open', 'file'], ['io.open', 'file'], ['os.open', 'path'], ['codecs.open', 'filename'],
  ['os.listdir', 'path'], ['os.scandir', 'path'], ['glob.glob', 'pathname'], ['glob.iglob', 'pathname'], ['os.walk', 'top'],
]);

/** `open('/sys/class/gpio/export', 'wb')`: a file of the kernel's pseudo-filesystems (see pseudo-files.ts). */
function opensPseudoFile(name: string, call: SNode, scope: Scope, resolver: Resolver): boolean {
  const parameter = PATH_PARAMETER.get(name);
  const path = parameter ? argument(call, parameter, 0, resolver) : undefined;
  return !!path && pseudoFilePath(path, scope, resolver);
}

export const BLOCKING_INPUT: BlockingFamily = {
  functions: catalogueFunctions('TW105'),
  methods: new Map(),
};

/** The name a blocking call is reported under (`requests.get`, `Popen.wait`), or undefined. */
export function blockingCallName(call: SNode, scope: Scope, family: BlockingFamily, resolver: Resolver): string | undefined {
  const callee = child(call, 'function');
  if (!callee) return undefined;
  if (declaredNonBlocking(call, scope, resolver)) return undefined;
  const q = resolver.qualifiedName(callee, scope);
  if (q && family.functions.has(q)) {
    if (family.waits && !family.waits(q, call, scope, resolver)) return undefined;
    return q.replace(/^builtins\./, '');
  }
  if (callee.type !== 'attribute' || family.methods.size === 0) return undefined;
  const object = child(callee, 'object');
  const attr = child(callee, 'attribute');
  if (!object || !attr) return undefined;
  const kind = resolver.kindOf(object, scope);
  const method = resolver.text(attr);
  if (kind === 'popen' && method === 'wait' && exitSeenBefore(call, resolver)) return undefined;
  if (kind && ARCHIVES.has(kind) && MEMORY_ONLY.has(method) && archiveInMemory(object, scope, resolver)) return undefined;
  // `Path('/proc/meminfo').read_text()`
  if (kind === 'path' && family === BLOCKING_FILE_IO && pseudoFilePath(object, scope, resolver)) return undefined;
  return kind && family.methods.get(kind)?.has(method) && methodConditionHolds(kind, method, call, scope, resolver) ? `${resolver.text(object)}.${method}` : undefined;
}

const ARCHIVES = new Set(['client:zipfile.ZipFile', 'client:tarfile.TarFile']);
/** What an archive over a memory buffer does in memory; `extract`, `write(path)` and `add` still touch disk. */
const MEMORY_ONLY = new Set(['read', 'writestr', 'extractfile']);

/**
 * `zipfile.ZipFile(buffer, "w")` with `buffer = io.BytesIO()`, `tarfile.open(fileobj=io.BytesIO(data))`:
 * the archive was built by a call the catalogue does not count as file I/O, being over memory.
 */
function archiveInMemory(archive: SNode, scope: Scope, resolver: Resolver): boolean {
  const made = resolver.constructionOf(archive, scope);
  const maker = made ? child(made, 'function') : undefined;
  const q = maker ? resolver.qualifiedName(maker, scope) : undefined;
  return !!q && BLOCKING_FILE_IO.functions.has(q) && !conditionHolds(q, made!, scope, resolver);
}

/**
 * True when the statement holding `call` follows, in the same block, a loop that runs until the
 * process has exited (`while proc.poll() is None: await asyncio.sleep(0.1)`, or a wrapper such as
 * `while await self.poll() is None:`): `wait()` then only collects the exit status and returns at
 * once.
 */
function exitSeenBefore(call: SNode, resolver: Resolver): boolean {
  let statement = call;
  while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') statement = statement.parent;
  for (let i = statement.parent?.children.indexOf(statement) ?? -1; i > 0; i--) {
    const before = statement.parent!.children[i - 1]!;
    if (before.type !== 'while_statement') continue;
    const condition = child(before, 'condition');
    if (condition && /\bpoll\(\)\s+is\s+None\b/.test(resolver.text(condition))) return true;
  }
  return false;
}

/** Thread-world waits that park the calling thread (the subject of TW106). */
const WAIT_FUNCTIONS = catalogueFunctions('TW106');
const WAIT_METHODS = catalogueMethods('TW106');

function keywordValue(call: SNode, name: string, resolver: Resolver): string | undefined {
  const value = argument(call, name, undefined, resolver);
  return value ? resolver.text(value) : undefined;
}

function firstPositional(call: SNode, resolver: Resolver): string | undefined {
  return parameterValue(call, undefined, 0, resolver);
}

/** The text passed for a parameter, by keyword or at its position (`put(item, block, timeout)`). */
function parameterValue(call: SNode, keyword: string | undefined, position: number, resolver: Resolver): string | undefined {
  const value = argument(call, keyword, position, resolver);
  return value ? resolver.text(value) : undefined;
}

/** True for `get(block=False)`, `acquire(False)`, `acquire(timeout=0)`, `shutdown(wait=False)`: no wait. */
function doesNotWait(call: SNode, kind: Kind, method: string, resolver: Resolver): boolean {
  const falsy = (v: string | undefined) => v === 'False' || v === '0' || v === '0.0';
  if (method === 'shutdown') return falsy(keywordValue(call, 'wait', resolver) ?? firstPositional(call, resolver));
  // acquire(blocking, timeout) and get(block, timeout); put(item, block, timeout) takes its item first.
  if (method === 'acquire' || (method === 'get' && kind === 'thread-queue')) {
    return falsy(keywordValue(call, 'blocking', resolver) ?? keywordValue(call, 'block', resolver) ?? firstPositional(call, resolver)) || falsy(parameterValue(call, 'timeout', 1, resolver));
  }
  if (method === 'put' && kind === 'thread-queue') {
    return falsy(parameterValue(call, 'block', 1, resolver)) || falsy(parameterValue(call, 'timeout', 2, resolver));
  }
  if (method === 'wait' || method === 'join' || method === 'result' || method === 'exception') {
    return falsy(keywordValue(call, 'timeout', resolver) ?? (method === 'join' || method === 'wait' || method === 'result' ? firstPositional(call, resolver) : undefined));
  }
  return false;
}

/**
 * A queue's `put()` blocks only when the queue is bounded: `Queue(maxsize)` with a size that is
 * not zero. Unknown construction counts as unbounded, so we stay quiet.
 */
function isBoundedQueue(receiver: SNode, scope: Scope, resolver: Resolver): boolean {
  const call = resolver.constructionOf(receiver, scope);
  if (!call) return false;
  const size = keywordValue(call, 'maxsize', resolver) ?? firstPositional(call, resolver);
  return size !== undefined && size !== '0' && !size.startsWith('-');
}

/** The thread wait a call performs (`f.result`, `t.join`, `q.get`), or undefined. */
export function threadWaitName(call: SNode, scope: Scope, resolver: Resolver): { name: string; kind: Kind | undefined } | undefined {
  const callee = child(call, 'function');
  if (!callee) return undefined;
  const q = resolver.qualifiedName(callee, scope);
  if (q && WAIT_FUNCTIONS.has(q)) return { name: q, kind: undefined };
  if (callee.type !== 'attribute') return undefined;
  const object = child(callee, 'object');
  const attr = child(callee, 'attribute');
  if (!object || !attr) return undefined;
  const kind = resolver.kindOf(object, scope);
  const method = resolver.text(attr);
  if (!kind || !WAIT_METHODS.get(kind)?.has(method)) return undefined;
  if (doesNotWait(call, kind, method, resolver)) return undefined;
  if (kind === 'thread-queue' && method === 'put' && !isBoundedQueue(object, scope, resolver)) return undefined;
  return { name: `${resolver.text(object)}.${method}`, kind };
}

const ALL_FAMILIES = [BLOCKING_HTTP, BLOCKING_SUBPROCESS, BLOCKING_FILE_IO, BLOCKING_INPUT];

/** Any blocking call of the TW101-TW106 lists, described for messages; undefined if none. */
export function anyBlockingCall(call: SNode, scope: Scope, resolver: Resolver): string | undefined {
  const callee = child(call, 'function');
  if (callee && resolver.qualifiedName(callee, scope) === 'time.sleep') return pausesWithoutBlocking(call, resolver) ? undefined : 'time.sleep';
  for (const family of ALL_FAMILIES) {
    const name = blockingCallName(call, scope, family, resolver);
    if (name) return name;
  }
  return threadWaitName(call, scope, resolver)?.name;
}
