import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';

/**
 * A thread's function that runs an event loop itself (`self.loop.run_forever()`,
 * `loop.run_until_complete(main())`) is that loop's thread: the loop's own calls it makes before
 * or after running it (`self.loop.call_soon(ready.set)`), and the asyncio objects it creates for
 * that loop (`self.connectivity = asyncio.Event(); self.connectivity.set()`), are used from the
 * loop's own thread, where they are safe.
 */
export interface LoopRunner {
  /** The loops the function runs, as written (`self.loop`). */
  readonly loops: ReadonlySet<string>;
  /** What the function binds to a new asyncio object (`self.connectivity`, `queue`). */
  readonly madeHere: ReadonlySet<string>;
}

const RUNS = new Set(['run_forever', 'run_until_complete']);
// Per model and function: a function carried over to the next version may see other imports.
const cache = new WeakMap<object, Map<FunctionInfo, LoopRunner | null>>();

export function loopRunner(fn: FunctionInfo, resolver: Resolver): LoopRunner | undefined {
  let byFunction = cache.get(resolver.model);
  if (!byFunction) cache.set(resolver.model, (byFunction = new Map()));
  const known = byFunction.get(fn);
  if (known !== undefined) return known ?? undefined;
  const loops = new Set<string>();
  const madeHere = new Set<string>();
  const body = child(fn.node, 'body');
  if (body) {
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
      if (n.type === 'call') {
        const callee = child(n, 'function');
        const attr = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
        const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
        if (attr && object && RUNS.has(resolver.text(attr))) loops.add(resolver.text(object).replace(/\s+/g, ''));
      } else if (n.type === 'assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        const made = right ? unparenthesize(right) : undefined;
        const callee = made?.type === 'call' ? child(made, 'function') : undefined;
        const q = callee ? resolver.qualifiedName(callee, fn) : undefined;
        if (left && q?.startsWith('asyncio.') && namedChildren(left).length <= 2) madeHere.add(resolver.text(left).replace(/\s+/g, ''));
      }
      return true;
    });
  }
  const found = loops.size > 0 ? { loops, madeHere } : undefined;
  byFunction.set(fn, found ?? null);
  return found;
}

/** `receiver` (as written) is a loop `fn` runs, or an asyncio object it made while it runs one. */
export function ownedByLoopRunner(receiver: SNode, fn: FunctionInfo, resolver: Resolver): boolean {
  const runner = loopRunner(fn, resolver);
  if (!runner) return false;
  const text = resolver.text(receiver).replace(/\s+/g, '');
  return runner.loops.has(text) || runner.madeHere.has(text);
}
