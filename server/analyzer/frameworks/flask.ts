import { argument } from '../model/callables';
import type { Resolver } from '../model/resolve';
import { child } from '../syntax';
import { HTTP_VERBS, type AddEntry } from './collect';
import { constructedBy, decoratorCallee, derivesFrom, importsFrom, namedFunctions } from './evidence';

/*
 * Flask calls views on the WSGI server's request threads: the development server is threaded by
 * default, and so are waitress, mod_wsgi and gunicorn's gthread workers. Two requests run the same
 * view at once; module globals are shared between them.
 */

const APP_CONSTRUCTORS = new Set(['flask.Flask', 'flask.Blueprint', 'flask.app.Flask', 'flask.blueprints.Blueprint']);
/** Decorators that register per-request code on an app or blueprint. */
const REGISTRARS = new Set(['route', ...HTTP_VERBS, 'before_request', 'after_request', 'teardown_request', 'errorhandler', 'before_app_request', 'after_app_request']);
const CLASS_VIEWS = new Set(['flask.views.View', 'flask.views.MethodView']);

export function collectFlask(resolver: Resolver, add: AddEntry): void {
  if (!importsFrom(resolver, ['flask'])) return;
  for (const fn of resolver.model.functions) {
    for (const d of fn.decorators) {
      const callee = decoratorCallee(d);
      if (callee?.type !== 'attribute' || !REGISTRARS.has(resolver.text(child(callee, 'attribute')!))) continue;
      const receiver = child(callee, 'object')!;
      const built = constructedBy(receiver, fn.parent!, resolver);
      // A blueprint made in another module is still one when this module imports flask and says `.route`.
      if (built ? APP_CONSTRUCTORS.has(built) : resolver.text(child(callee, 'attribute')!) === 'route') {
        add(fn, 'thread', `Flask runs view '${fn.name}' on the server's request threads`);
        break;
      }
    }
  }
  for (const site of resolver.model.calls) {
    if (site.callee.type !== 'attribute' || resolver.text(child(site.callee, 'attribute')!) !== 'add_url_rule') continue;
    for (const fn of namedFunctions(argument(site.node, 'view_func', 2, resolver), site.scope, resolver)) {
      add(fn, 'thread', `Flask runs view '${fn.name}' on the server's request threads`);
    }
  }
  // Class-based views: Flask makes an instance per request (init_every_request), so `self` is not shared.
  for (const cls of resolver.model.classes) {
    if (!derivesFrom(cls, resolver, (b) => CLASS_VIEWS.has(b))) continue;
    for (const [name, fns] of cls.methods) {
      if (!HTTP_VERBS.has(name) && name !== 'dispatch_request') continue;
      for (const fn of fns) add(fn, 'thread', `Flask runs view '${cls.name}.${name}' on the server's request threads`, true);
    }
  }
}
