import type { Resolver } from './resolve';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import { suspends } from './suspension';

/** `time.sleep(0)`, `time.sleep(0.0)`: returns at once (a deliberate yield of the GIL to other threads). */
function zeroSleep(args: SNode | undefined, text: (n: SNode) => string): boolean {
  const only = args?.type === 'argument_list' ? namedChildren(args) : [];
  if (only.length !== 1) return false;
  const value = unparenthesize(only[0]!.type === 'keyword_argument' ? (child(only[0]!, 'value') ?? only[0]!) : only[0]!);
  return (value.type === 'integer' || value.type === 'float') && Number(text(value).replace(/_/g, '')) === 0;
}

/**
 * A zero sleep inside a `while` of the coroutine whose body never yields to the loop: a spin-wait
 * for something that the loop, which never gets control back, cannot make happen.
 */
function spinsWithoutYielding(call: SNode): boolean {
  for (let n: SNode | null = call.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type === 'while_statement' && !suspends(n)) return true;
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
