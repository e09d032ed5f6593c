import type { Resolver } from './resolve';
import { child, namedChildren, unparenthesize, walk, type SNode } from '../syntax';

/** `time.sleep(0)`, `time.sleep(0.0)`: returns at once (a deliberate yield of the GIL to other threads). */
function zeroSleep(args: SNode | undefined, text: (n: SNode) => string): boolean {
  const only = args?.type === 'argument_list' ? namedChildren(args) : [];
  if (only.length !== 1) return false;
  const value = unparenthesize(only[0]!.type === 'keyword_argument' ? (child(only[0]!, 'value') ?? only[0]!) : only[0]!);
  return (value.type === 'integer' || value.type === 'float') && Number(text(value).replace(/_/g, '')) === 0;
}

/** Code that hands control back to the loop: an `await`, `async for`, `async with` or `yield`. */
function yieldsToLoop(node: SNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'await' || n.type === 'yield' || ((n.type === 'for_statement' || n.type === 'with_statement') && n.children.some((c) => c.type === 'async'))) found = true;
    return !found && n.type !== 'function_definition' && n.type !== 'lambda' && n.type !== 'class_definition';
  });
  return found;
}

/**
 * A zero sleep inside a `while` of the coroutine whose body never yields to the loop: a spin-wait
 * for something that the loop, which never gets control back, cannot make happen.
 */
function spinsWithoutYielding(call: SNode): boolean {
  for (let n: SNode | null = call.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type === 'while_statement' && !yieldsToLoop(n)) return true;
  }
  return false;
}

/**
 * `time.sleep(0)` that holds nothing up: it returns at once, having let other threads run
 * (cylc-flow does so on purpose, for its server thread). It hurts only as the pause of a
 * spin-wait, a `while` whose body never yields to the loop.
 */
export function pausesWithoutBlocking(call: SNode, resolver: Resolver): boolean {
  return zeroSleep(child(call, 'arguments'), (n) => resolver.text(n)) && !spinsWithoutYielding(call);
}
