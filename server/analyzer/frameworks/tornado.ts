import type { Resolver } from '../model/resolve';
import { HTTP_VERBS, type AddEntry } from './collect';
import { decoratorNames, derivesFrom, importsFrom } from './evidence';

/*
 * Tornado calls a RequestHandler's methods on its IOLoop: a plain `def get(self)` runs on the loop
 * just like an `async def` one, and blocks every other connection while it works. A method wrapped
 * in `@run_on_executor` runs on the handler's executor (a thread pool) instead.
 */

const HANDLER_BASES = new Set(['tornado.web.RequestHandler', 'tornado.websocket.WebSocketHandler']);
const HANDLER_HOOKS = new Set([...HTTP_VERBS, 'prepare', 'on_finish', 'on_connection_close', 'write_error', 'open', 'on_message', 'on_close', 'on_ping', 'on_pong']);
export const RUN_ON_EXECUTOR = 'tornado.concurrent.run_on_executor';

export function collectTornado(resolver: Resolver, add: AddEntry): void {
  if (!importsFrom(resolver, ['tornado'])) return;
  for (const fn of resolver.model.functions) {
    if (decoratorNames(fn, resolver).includes(RUN_ON_EXECUTOR)) {
      const handler = fn.owner && derivesFrom(fn.owner, resolver, (b) => HANDLER_BASES.has(b));
      add(fn, 'thread', `Tornado runs '${fn.owner ? `${fn.owner.name}.` : ''}${fn.name}' on an executor (@run_on_executor)`, !!handler);
    }
  }
  for (const cls of resolver.model.classes) {
    if (!derivesFrom(cls, resolver, (b) => HANDLER_BASES.has(b))) continue;
    for (const [name, fns] of cls.methods) {
      if (!HANDLER_HOOKS.has(name)) continue;
      for (const fn of fns) {
        if (!decoratorNames(fn, resolver).includes(RUN_ON_EXECUTOR)) add(fn, 'loop', `Tornado handler method '${cls.name}.${name}'`);
      }
    }
  }
}
