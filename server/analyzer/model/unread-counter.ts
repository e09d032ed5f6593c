import { attributeMentions } from './attribute-mentions';
import { answerOnce } from './answer-once';
import { isLoggerCall } from './log-calls';
import type { Resolver } from './resolve';
import { child, type SNode } from '../syntax';

/**
 * Counters nothing decides on: `self.hits += 1` where the module only ever sets `hits` to a
 * number, adds to it, subtracts from it, or hands it to a logging call. A lost update there skews
 * a statistic that no code of the module reads to choose what to do (repoze.lru's hit counters,
 * urllib3's request count), and no maintainer puts a lock on a hot path for it. A read anywhere
 * else (a comparison, a `return`, an argument) makes the count matter, and the race is reported.
 */

const answers = new WeakMap<object, Map<string, boolean>>();

export function unreadCounter(attr: string, resolver: Resolver): boolean {
  return answerOnce(answers, resolver.model, attr, () => onlyCounted(attr, resolver));
}

function onlyCounted(attr: string, resolver: Resolver): boolean {
  const mentions = attributeMentions(resolver).get(attr) ?? [];
  return mentions.length > 0 && mentions.every(({ node }) => counted(node, resolver));
}

const NUMBER = /^-?\s*\d[\d_]*(?:\.\d*)?$/;
/** What may stand between a mention and the logging call it is an argument of. */
const FORMATTING = new Set(['parenthesized_expression', 'tuple', 'binary_operator', 'interpolation', 'string', 'keyword_argument']);

function counted(node: SNode, resolver: Resolver): boolean {
  const p = node.parent;
  if (!p) return false;
  if (p.type === 'augmented_assignment' && node.field === 'left') return /^[+-]=$/.test(resolver.text(child(p, 'operator') ?? p));
  if (p.type === 'assignment' && node.field === 'left') {
    // `self.hits = self.misses = 0`: the value is the innermost right-hand side.
    let value = child(p, 'right');
    while (value?.type === 'assignment') value = child(value, 'right');
    return !!value && NUMBER.test(resolver.text(value));
  }
  // `log.debug("Starting new connection (%d)", self.num_connections)`: shown, not decided on.
  let n: SNode = node;
  while (n.parent && FORMATTING.has(n.parent.type)) n = n.parent;
  const call = n.parent?.type === 'argument_list' ? n.parent.parent : undefined;
  return !!call && isLoggerCall(call, resolver);
}
