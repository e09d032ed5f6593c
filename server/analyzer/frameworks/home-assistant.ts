import type { Resolver } from '../model/resolve';
import type { AddEntry } from './collect';
import { decoratorCallee, decoratorNames, derivesFrom, importsFrom } from './evidence';

/*
 * Home Assistant runs one event loop for everything. By its conventions, a function decorated
 * `@callback` and any function or method whose name starts with `async_` run on that loop (a plain
 * `def async_write_state(self)` included), and so do an entity's properties, which the state
 * machine reads from the loop. A sync `update()` of an entity is run in the executor (worker
 * threads), as is anything handed to `hass.async_add_executor_job` (see handoffs.ts).
 */

const CALLBACK = 'homeassistant.core.callback';
const PROPERTY = /^(?:property|cached_property|functools\.cached_property|homeassistant\.backports\.functools\.cached_property|propcache\.\w*cached_property)$/;

export function collectHomeAssistant(resolver: Resolver, add: AddEntry): void {
  if (!importsFrom(resolver, ['homeassistant'])) return;
  for (const fn of resolver.model.functions) {
    if (fn.isLambda) continue;
    if (decoratorNames(fn, resolver).includes(CALLBACK)) add(fn, 'loop', `Home Assistant @callback '${fn.name}'`);
    else if (fn.name.startsWith('async_')) add(fn, 'loop', `Home Assistant '${fn.name}' (async_ functions run on the event loop)`);
  }
  for (const cls of resolver.model.classes) {
    if (!derivesFrom(cls, resolver, (b) => b.startsWith('homeassistant.'))) continue;
    for (const [name, fns] of cls.methods) {
      for (const fn of fns) {
        const isProperty = fn.decorators.some((d) => {
          const callee = decoratorCallee(d);
          const text = callee ? (resolver.qualifiedName(callee, cls) ?? resolver.text(callee)).replace(/^builtins\./, '') : '';
          return PROPERTY.test(text);
        });
        if (isProperty) add(fn, 'loop', `Home Assistant entity property '${cls.name}.${name}'`);
        // One entity's update() is not run twice at once: its own attributes are not shared.
        else if (name === 'update') add(fn, 'thread', `Home Assistant runs the sync update() of '${cls.name}' in its executor`, true);
      }
    }
  }
}
