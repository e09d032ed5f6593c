/**
 * What the analyzer knows about the standard library's concurrency objects: which constructors make
 * which kind of object, and which functions return one. Names are fully qualified after import
 * resolution (`from threading import Lock as L; L()` is `threading.Lock`).
 */
import { CLIENT_CONSTRUCTORS, CLIENT_METHOD_RESULTS, type ClientKind } from '../catalogue/clients';

export type Kind =
  | 'thread-lock' // threading.Lock and friends: not re-entrant
  | 'thread-rlock'
  | 'thread-semaphore'
  | 'thread-condition'
  | 'thread-event'
  | 'thread'
  | 'process'
  | 'thread-queue'
  | 'thread-executor'
  | 'process-executor'
  | 'process-pool'
  | 'thread-pool'
  | 'cf-future'
  | 'async-lock'
  | 'async-semaphore'
  | 'async-condition'
  | 'async-event'
  | 'async-queue'
  | 'event-loop'
  | 'task-group'
  | 'stream-reader'
  | 'stream-writer'
  | 'thread-local'
  | 'popen'
  | 'http-session'
  | 'path'
  | 'async-future'
  | ClientKind; // a blocking library client (catalogue/clients.ts)

export const CONSTRUCTORS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['threading.Lock', 'thread-lock'],
  ['_thread.allocate_lock', 'thread-lock'],
  ['threading.RLock', 'thread-rlock'],
  // Names that appear only in annotations (`lock: _thread.LockType`), resolved through this table.
  ['_thread.LockType', 'thread-lock'],
  ['_thread.lock', 'thread-lock'],
  ['_thread.RLock', 'thread-rlock'],
  ['threading._RLock', 'thread-rlock'],
  ['multiprocessing.synchronize.Lock', 'thread-lock'],
  ['multiprocessing.synchronize.RLock', 'thread-rlock'],
  ['multiprocessing.synchronize.Condition', 'thread-condition'],
  ['multiprocessing.synchronize.Semaphore', 'thread-semaphore'],
  ['threading.Semaphore', 'thread-semaphore'],
  ['threading.BoundedSemaphore', 'thread-semaphore'],
  ['threading.Condition', 'thread-condition'],
  ['threading.Event', 'thread-event'],
  ['threading.Thread', 'thread'],
  ['threading.Timer', 'thread'],
  ['threading.local', 'thread-local'],
  ['multiprocessing.Lock', 'thread-lock'],
  ['multiprocessing.RLock', 'thread-rlock'],
  ['multiprocessing.Semaphore', 'thread-semaphore'],
  ['multiprocessing.BoundedSemaphore', 'thread-semaphore'],
  ['multiprocessing.Condition', 'thread-condition'],
  ['multiprocessing.Event', 'thread-event'],
  ['multiprocessing.Process', 'process'],
  ['multiprocessing.Pool', 'process-pool'],
  ['multiprocessing.pool.Pool', 'process-pool'],
  ['multiprocessing.pool.ThreadPool', 'thread-pool'],
  ['multiprocessing.Queue', 'thread-queue'],
  ['multiprocessing.JoinableQueue', 'thread-queue'],
  ['queue.Queue', 'thread-queue'],
  ['queue.LifoQueue', 'thread-queue'],
  ['queue.PriorityQueue', 'thread-queue'],
  ['queue.SimpleQueue', 'thread-queue'],
  ['concurrent.futures.ThreadPoolExecutor', 'thread-executor'],
  ['concurrent.futures.thread.ThreadPoolExecutor', 'thread-executor'],
  ['concurrent.futures.ProcessPoolExecutor', 'process-executor'],
  ['concurrent.futures.process.ProcessPoolExecutor', 'process-executor'],
  ['concurrent.futures.Future', 'cf-future'],
  ['asyncio.Lock', 'async-lock'],
  ['asyncio.Semaphore', 'async-semaphore'],
  ['asyncio.BoundedSemaphore', 'async-semaphore'],
  ['asyncio.Condition', 'async-condition'],
  ['asyncio.Event', 'async-event'],
  ['asyncio.Queue', 'async-queue'],
  ['asyncio.LifoQueue', 'async-queue'],
  ['asyncio.PriorityQueue', 'async-queue'],
  ['asyncio.TaskGroup', 'task-group'],
  ['asyncio.Future', 'async-future'],
  ['subprocess.Popen', 'popen'],
  ['requests.Session', 'http-session'],
  ['requests.session', 'http-session'],
  ['httpx.Client', 'http-session'],
  ['urllib3.PoolManager', 'http-session'],
  ['pathlib.Path', 'path'],
  ['pathlib.PosixPath', 'path'],
  ['pathlib.WindowsPath', 'path'],
  ['asyncio.new_event_loop', 'event-loop'],
  // Parameter annotations resolve through this table too.
  ['asyncio.AbstractEventLoop', 'event-loop'],
  ['asyncio.events.AbstractEventLoop', 'event-loop'],
  ['asyncio.BaseEventLoop', 'event-loop'],
  ['asyncio.base_events.BaseEventLoop', 'event-loop'],
  ['asyncio.get_running_loop', 'event-loop'],
  ['asyncio.get_event_loop', 'event-loop'],
  ['asyncio.events.get_running_loop', 'event-loop'],
  ['asyncio.events.get_event_loop', 'event-loop'],
  ...CLIENT_CONSTRUCTORS,
]);

/** Methods whose return value has a known kind, by the kind of the receiver. */
export const METHOD_RESULTS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['thread-executor.submit', 'cf-future'],
  ['event-loop.create_future', 'async-future'],
  ['process-executor.submit', 'cf-future'],
  ...CLIENT_METHOD_RESULTS,
]);

/** Locks whose `acquire()` blocks a thread: the subjects of the lock rules. */
export const THREAD_LOCK_KINDS: ReadonlySet<Kind> = new Set<Kind>([
  'thread-lock',
  'thread-rlock',
  'thread-semaphore',
  'thread-condition',
]);

/** Classes a user class can derive from and still be a thread or a process. */
export const BASE_CLASS_KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['threading.Thread', 'thread'],
  ['threading.Timer', 'thread'],
  ['multiprocessing.Process', 'process'],
  ['multiprocessing.context.Process', 'process'],
]);
