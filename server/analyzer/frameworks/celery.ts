import type { Resolver } from '../model/resolve';
import { child } from '../syntax';
import type { AddEntry } from './collect';
import { constructedBy, decoratorCallee, importsFrom } from './evidence';

/*
 * A Celery worker's default pool is prefork: each task runs in a child process with its own copy
 * of the module, so module state is not shared and the thread rules have nothing to say. Only a
 * `threads` pool runs tasks concurrently in one process. We count tasks as thread entries only when
 * the module itself configures that pool; gevent and eventlet switch only at I/O, so `x += 1` and
 * the other races the TW5xx rules report cannot interleave there.
 */

const THREAD_POOL = /\bworker_pool["']?\s*[=:]\s*["']threads["']|--pool[= ]threads\b|\s-P\s*threads\b/;
const SHARED_TASK = new Set(['celery.shared_task', 'celery.app.shared_task']);

export function collectCelery(resolver: Resolver, add: AddEntry): void {
  if (!importsFrom(resolver, ['celery']) || !THREAD_POOL.test(resolver.model.source)) return;
  for (const fn of resolver.model.functions) {
    for (const d of fn.decorators) {
      const callee = decoratorCallee(d);
      if (!callee) continue;
      const q = resolver.qualifiedName(callee, fn.parent!);
      const appTask = callee.type === 'attribute' && resolver.text(child(callee, 'attribute')!) === 'task' &&
        (constructedBy(child(callee, 'object')!, fn.parent!, resolver) ?? 'celery.Celery') === 'celery.Celery';
      if ((q && SHARED_TASK.has(q)) || appTask) {
        add(fn, 'thread', `Celery runs task '${fn.name}' in its worker threads (worker_pool 'threads')`);
        break;
      }
    }
  }
}
