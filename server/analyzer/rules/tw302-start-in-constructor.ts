import { enclosingFunction } from '../model/scope';
import { methodCall } from '../model/call-context';
import type { Rule } from './rule';

export const startInConstructor: Rule = {
  meta: {
    code: 'TW302',
    name: 'start-in-constructor',
    severity: 'warning',
    fix: 'none',
    summary: 'a Thread subclass starts itself in __init__, before subclasses finish initialising',
    description: '`self.start()` in the `__init__` of a `Thread` or `Process` subclass starts it before subclasses have finished initialising.',
    peerCodes: [],
  },
  onCall(site, ctx) {
    const call = methodCall(site.callee, ctx.resolver);
    if (call?.method !== 'start') return;
    const { object } = call;
    const fn = enclosingFunction(site.scope);
    if (!fn || fn.name !== '__init__' || !fn.owner || fn !== site.scope) return;
    if (object.type !== 'identifier' || ctx.resolver.text(object) !== fn.receiver) return;
    const kind = ctx.resolver.classKind(fn.owner);
    if (kind !== 'thread' && kind !== 'process') return;
    ctx.report({
      start: site.node.start,
      end: site.node.end,
      message: `'${fn.owner.name}.__init__' starts the ${kind} itself: run() may begin before a subclass's __init__ has set its attributes; let the caller call start().`,
    });
  },
};
