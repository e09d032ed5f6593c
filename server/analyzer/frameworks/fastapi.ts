import { argument } from '../model/callables';
import type { Resolver } from '../model/resolve';
import type { FunctionInfo } from '../model/scope';
import { child, type SNode } from '../syntax';
import { HTTP_VERBS, type AddEntry } from './collect';
import { constructedBy, decoratorCallee, decoratorExpression, derivesFrom, firstStringArgument, importsFrom, namedFunctions } from './evidence';

/*
 * FastAPI and Starlette call a path operation, dependency or endpoint declared `async def` on the
 * event loop, and one declared `def` through `run_in_threadpool` (anyio's worker threads): many
 * requests run such functions at once, on different threads, sharing the module's globals.
 */

const APP_CONSTRUCTORS = new Set(['fastapi.FastAPI', 'fastapi.APIRouter', 'fastapi.routing.APIRouter', 'fastapi.applications.FastAPI']);
const ROUTE_DECORATORS = new Set([...HTTP_VERBS, 'api_route']);
const DEPENDS = new Set(['fastapi.Depends', 'fastapi.Security', 'fastapi.params.Depends', 'fastapi.params.Security', 'fastapi.param_functions.Depends']);
const STARLETTE_ROUTES = new Set(['starlette.routing.Route', 'fastapi.routing.APIRoute']);
const HTTP_ENDPOINT = new Set(['starlette.endpoints.HTTPEndpoint']);

/** `@app.get("/items")`: a FastAPI app or router built here, or, in a module importing fastapi, any receiver given a path. */
function isRouteDecorator(decorator: SNode, scope: FunctionInfo['parent'], resolver: Resolver, fastapi: boolean): boolean {
  const callee = decoratorCallee(decorator);
  const expr = decoratorExpression(decorator);
  if (callee?.type !== 'attribute' || expr?.type !== 'call') return false;
  const method = resolver.text(child(callee, 'attribute')!);
  if (!ROUTE_DECORATORS.has(method)) return false;
  const receiver = child(callee, 'object')!;
  const built = constructedBy(receiver, scope!, resolver);
  if (built) return APP_CONSTRUCTORS.has(built);
  return fastapi && (firstStringArgument(expr, resolver)?.startsWith('/') ?? false);
}

export function collectFastApi(resolver: Resolver, add: AddEntry): void {
  const fastapi = importsFrom(resolver, ['fastapi']);
  const starlette = fastapi || importsFrom(resolver, ['starlette']);
  if (!starlette) return;
  const framework = fastapi ? 'FastAPI' : 'Starlette';
  for (const fn of resolver.model.functions) {
    if (fn.decorators.some((d) => isRouteDecorator(d, fn.parent, resolver, fastapi))) add(fn, 'thread', `FastAPI runs def route '${fn.name}' in a thread pool`);
  }
  for (const site of resolver.model.calls) {
    const q = resolver.qualifiedName(site.callee, site.scope);
    if (q && DEPENDS.has(q)) {
      for (const fn of namedFunctions(argument(site.node, 'dependency', 0, resolver), site.scope, resolver)) {
        add(fn, 'thread', `FastAPI runs def dependency '${fn.name}' in a thread pool`);
      }
      continue;
    }
    if (q && STARLETTE_ROUTES.has(q)) {
      for (const fn of namedFunctions(argument(site.node, 'endpoint', 1, resolver), site.scope, resolver)) {
        add(fn, 'thread', `${framework} runs def endpoint '${fn.name}' in a thread pool`);
      }
      continue;
    }
    if (site.callee.type !== 'attribute') continue;
    const method = resolver.text(child(site.callee, 'attribute')!);
    if (method === 'add_api_route') {
      for (const fn of namedFunctions(argument(site.node, 'endpoint', 1, resolver), site.scope, resolver)) {
        add(fn, 'thread', `FastAPI runs def route '${fn.name}' in a thread pool`);
      }
    } else if (method === 'add_task') {
      // BackgroundTasks.add_task: a `def` task runs in the thread pool after the response is sent.
      for (const fn of namedFunctions(argument(site.node, 'func', 0, resolver), site.scope, resolver)) {
        add(fn, 'thread', `${framework} runs def background task '${fn.name}' in a thread pool`);
      }
    }
  }
  // Starlette's HTTPEndpoint: a new instance per request, its `def` handlers in the thread pool.
  for (const cls of resolver.model.classes) {
    if (!derivesFrom(cls, resolver, (b) => HTTP_ENDPOINT.has(b))) continue;
    for (const [name, fns] of cls.methods) {
      if (!HTTP_VERBS.has(name)) continue;
      for (const fn of fns) add(fn, 'thread', `${framework} runs def endpoint '${cls.name}.${name}' in a thread pool`, true);
    }
  }
}
