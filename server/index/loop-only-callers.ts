import { GET_EVENT_LOOP } from '../analyzer/model/loop-receivers';
import { record } from '../analyzer/model/project-facts';
import { pathIn, privateMethodOwners } from './project-facts';
import type { NameResolver } from './resolve';
import type { ModuleSummary } from './summary';

/**
 * Sync functions and classes that other modules of the project call only from coroutines, by
 * file and dotted path (`Countdown` for its constructor, `Cls.method`): an internal helper
 * (aiormq's `Countdown(timeout)`, built in `async def`s of the package) runs while a loop runs.
 * Left out: what any module calls from plain code, at module level or in a lambda, or hands to a
 * thread; what nobody else calls; and what a package's `__init__` re-exports, the library's
 * public API, which its users may call from anywhere. Test files count like any caller.
 */
export function loopOnlyCallsByFile(summaries: Iterable<ModuleSummary>, names: NameResolver): Map<string, Record<string, boolean>> {
  const all = [...summaries];
  // The files the answer matters for: a `get_event_loop()` call, at module level or in a function.
  const asking = new Set(all.filter((s) => s.calls.some((c) => GET_EVENT_LOOP.has(c.target)) || s.functions.some((fn) => fn.calls.some((c) => GET_EVENT_LOOP.has(c.target)))).map((s) => s.file));
  const exported = new Set<string>();
  for (const s of all) {
    if (!/(?:^|[\\/])__init__\.pyi?$/.test(s.file)) continue;
    for (const imp of s.imports) {
      const found = names.resolve(imp.target);
      if (found?.kind === 'function') exported.add(`${found.summary.file}\u0000${found.fn.qname}`);
      if (found?.kind === 'class') exported.add(`${found.summary.file}\u0000${found.cls.qname}`);
    }
  }
  // A method of a re-exported class is public too, unless its name is private
  // (`MTProtoSender._keepalive_ping`): users are not meant to call that.
  const isExported = (file: string, module: string, qname: string): boolean => {
    if (exported.has(`${file}\u0000${qname}`)) return true;
    if (/(?:^|\.)_(?!_)[^.]*$/.test(qname)) return false;
    for (let q = qname; q.length > module.length; q = q.slice(0, q.lastIndexOf('.'))) if (exported.has(`${file}\u0000${q}`)) return true;
    return false;
  };
  // A private method that one class of the project defines (`_keepalive_ping`): a call of that
  // name on a receiver no module can name (`self._sender._keepalive_ping()`, summarised as
  // `?._keepalive_ping`) is a call of it. A name two classes define stays unknown.
  const privateOwners = privateMethodOwners(all, false);
  const resolve = (target: string): { file: string; module: string; qname: string | undefined } | undefined => {
    const found = target.startsWith('?.') ? undefined : names.resolve(target);
    if (!found) {
      // `?._name`, or a path through an attribute nothing resolves (`pkg.m.C._sender._name`).
      const owner = privateOwners.get(target.slice(target.lastIndexOf('.') + 1));
      return owner ? { file: owner.file, module: owner.module, qname: owner.isAsync ? undefined : owner.qname } : undefined;
    }
    if (found.kind === 'module') return undefined;
    const { file, module } = found.summary;
    return { file, module, qname: found.kind === 'function' ? (found.fn.isAsync ? undefined : found.fn.qname) : found.cls.qname };
  };
  const seen = new Map<string, { file: string; path: string; ok: boolean }>();
  const note = (target: string, fromFile: string, onLoop: boolean) => {
    const found = resolve(target);
    const qname = found?.qname;
    if (!found || qname === undefined || found.file === fromFile) return;
    const path = pathIn(found.module, qname);
    if (path === undefined) return;
    const key = `${found.file}\u0000${qname}`;
    const known = seen.get(key);
    if (known) known.ok &&= onLoop;
    else seen.set(key, { file: found.file, path, ok: onLoop && !isExported(found.file, found.module, qname) });
  };
  for (const s of all) {
    for (const fn of s.functions) for (const call of fn.calls) note(call.target, s.file, !!call.canAwait && !call.viaLambda);
    for (const call of s.calls) note(call.target, s.file, false);
    for (const h of s.handoffs) note(h.target, s.file, false);
  }
  const out = new Map<string, Record<string, boolean>>();
  for (const { file, path, ok } of seen.values()) {
    // A false fact for every function called from plain code would give most files facts, and a
    // file with facts is checked twice by the CLI: only the files that ask get them.
    if (!ok && !asking.has(file)) continue;
    let paths = out.get(file);
    if (!paths) out.set(file, (paths = record<boolean>()));
    paths[path] = ok;
  }
  return out;
}
