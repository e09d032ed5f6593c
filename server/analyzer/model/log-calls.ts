import type { Resolver } from './resolve';
import { child, type SNode } from '../syntax';

const LOG_METHODS = /^(?:debug|info|warning|warn|error|critical|exception|log)$/;
const LOGGER_NAMES = /^(?:self\.)?_*(?:log|logger|LOG|LOGGER|logging)$/;

/** `log.debug(...)`, `self._logger.info(...)`, `logging.warning(...)`: a call of a logger's method. */
export function isLoggerCall(call: SNode, resolver: Resolver): boolean {
  if (call.type !== 'call') return false;
  const callee = child(call, 'function');
  const method = callee?.type === 'attribute' ? child(callee, 'attribute') : undefined;
  const logger = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
  return !!method && !!logger && LOG_METHODS.test(resolver.text(method)) && LOGGER_NAMES.test(resolver.text(logger).replace(/\s+/g, ''));
}
