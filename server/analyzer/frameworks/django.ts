import { argument } from '../model/callables';
import type { Resolver } from '../model/resolve';
import { HTTP_VERBS, type AddEntry } from './collect';
import { decoratorNames, derivesFrom, firstParameter, importsFrom, namedFunctions } from './evidence';

/*
 * Django runs a sync view on the server's request threads (runserver is threaded, and so are most
 * WSGI servers; under ASGI each request's sync code runs in a worker thread). Async views run on
 * the event loop. Recognised from this module alone: class-based views, functions named in its
 * `urlpatterns`, functions with Django's view decorators, and, in a module importing django.http
 * or django.shortcuts, module functions whose first parameter is `request`.
 */

const CLASS_VIEW = (q: string): boolean =>
  q === 'django.views.View' || q.startsWith('django.views.generic.') || q === 'django.views.generic.base.View' ||
  q.startsWith('rest_framework.views.') || q.startsWith('rest_framework.generics.') || q.startsWith('rest_framework.viewsets.');
/** Methods the framework calls on a class-based view, besides the HTTP verbs. */
const VIEW_HOOKS = new Set(['dispatch', 'get_queryset', 'get_object', 'get_context_data', 'form_valid', 'form_invalid',
  'perform_create', 'perform_update', 'perform_destroy', 'list', 'retrieve', 'create', 'update', 'partial_update', 'destroy']);
const URL_FUNCTIONS = new Set(['django.urls.path', 'django.urls.re_path', 'django.conf.urls.url']);
const VIEW_DECORATOR = /^(django\.views\.decorators\.|django\.contrib\.auth\.decorators\.|rest_framework\.decorators\.api_view$)/;

export function collectDjango(resolver: Resolver, add: AddEntry): void {
  if (!importsFrom(resolver, ['django', 'rest_framework'])) return;
  const via = (name: string) => `Django runs view '${name}' on the server's request threads`;
  // as_view() makes a new instance for every request: `self` is not shared between them.
  for (const cls of resolver.model.classes) {
    if (!derivesFrom(cls, resolver, CLASS_VIEW)) continue;
    for (const [name, fns] of cls.methods) {
      if (!HTTP_VERBS.has(name) && !VIEW_HOOKS.has(name)) continue;
      for (const fn of fns) add(fn, 'thread', via(`${cls.name}.${name}`), true);
    }
  }
  for (const site of resolver.model.calls) {
    const q = resolver.qualifiedName(site.callee, site.scope);
    if (!q || !URL_FUNCTIONS.has(q)) continue;
    for (const fn of namedFunctions(argument(site.node, 'view', 1, resolver), site.scope, resolver)) add(fn, 'thread', via(fn.name));
  }
  const viewsModule = importsFrom(resolver, ['django.http', 'django.shortcuts']);
  for (const fn of resolver.model.functions) {
    if (fn.isLambda || fn.owner) continue;
    if (decoratorNames(fn, resolver).some((q) => VIEW_DECORATOR.test(q))) add(fn, 'thread', via(fn.name));
    else if (viewsModule && fn.parent?.type === 'module' && firstParameter(fn, resolver) === 'request') add(fn, 'thread', via(fn.name));
  }
}

