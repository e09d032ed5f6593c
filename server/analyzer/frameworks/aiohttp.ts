import { argument } from '../model/callables';
import type { Resolver } from '../model/resolve';
import { child } from '../syntax';
import { HTTP_VERBS, type AddEntry } from './collect';
import { constructedBy, decoratorCallee, derivesFrom, importsFrom, namedFunctions } from './evidence';

/*
 * aiohttp calls every handler on its event loop. Handlers are meant to be `async def` (those are on
 * the loop already); a plain `def` handler, still accepted by old versions, runs on the loop too, so
 * whatever blocks in it blocks every connection.
 */

const ROUTE_FUNCTIONS = new Set([...HTTP_VERBS].map((v) => `aiohttp.web.${v}`));
const ROUTER_METHODS = new Set([...HTTP_VERBS].map((v) => `add_${v}`));

export function collectAiohttp(resolver: Resolver, add: AddEntry): void {
  if (!importsFrom(resolver, ['aiohttp'])) return;
  const via = (name: string) => `aiohttp handler '${name}'`;
  for (const site of resolver.model.calls) {
    const q = resolver.qualifiedName(site.callee, site.scope);
    let handler;
    if (q && ROUTE_FUNCTIONS.has(q)) handler = argument(site.node, 'handler', 1, resolver);
    else if (q === 'aiohttp.web.route') handler = argument(site.node, 'handler', 2, resolver);
    else if (site.callee.type === 'attribute') {
      const method = resolver.text(child(site.callee, 'attribute')!);
      if (ROUTER_METHODS.has(method)) handler = argument(site.node, 'handler', 1, resolver);
      else if (method === 'add_route') handler = argument(site.node, 'handler', 2, resolver);
    }
    for (const fn of namedFunctions(handler, site.scope, resolver)) add(fn, 'loop', via(fn.name));
  }
  for (const fn of resolver.model.functions) {
    for (const d of fn.decorators) {
      const callee = decoratorCallee(d);
      if (callee?.type !== 'attribute' || !HTTP_VERBS.has(resolver.text(child(callee, 'attribute')!))) continue;
      if (constructedBy(child(callee, 'object')!, fn.parent!, resolver) === 'aiohttp.web.RouteTableDef') add(fn, 'loop', via(fn.name));
    }
  }
  for (const cls of resolver.model.classes) {
    if (!derivesFrom(cls, resolver, (b) => b === 'aiohttp.web.View')) continue;
    for (const [name, fns] of cls.methods) if (HTTP_VERBS.has(name)) for (const fn of fns) add(fn, 'loop', via(`${cls.name}.${name}`));
  }
}
