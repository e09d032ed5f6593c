import { record } from '../analyzer/model/project-facts';
import { pathIn } from './project-facts';
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
export function loopOnlyCallsByFile(summaries: Iterable<ModuleSummary>, names: NameResolver): Map<string, Record<string, true>> {
  const all = [...summaries];
  const exported = new Set<string>();
  for (const s of all) {
    if (!/(?:^|[\\/])__init__\.pyi?$/.test(s.file)) continue;
    for (const imp of s.imports) {
      const found = names.resolve(imp.target);
      if (found?.kind === 'function') exported.add(`${found.summary.file}\u0000${found.fn.qname}`);
      if (found?.kind === 'class') exported.add(`${found.summary.file}\u0000${found.cls.qname}`);
    }
  }
  // A method of a re-exported class is public too.
  const isExported = (file: string, module: string, qname: string): boolean => {
    for (let q = qname; q.length > module.length; q = q.slice(0, q.lastIndexOf('.'))) if (exported.has(`${file}\u0000${q}`)) return true;
    return false;
  };
  const seen = new Map<string, { file: string; path: string; ok: boolean }>();
  const note = (target: string, fromFile: string, onLoop: boolean) => {
    const found = names.resolve(target);
    const qname = found?.kind === 'function' ? (found.fn.isAsync ? undefined : found.fn.qname) : found?.kind === 'class' ? found.cls.qname : undefined;
    if (!found || found.kind === 'module' || qname === undefined || found.summary.file === fromFile) return;
    const path = pathIn(found.summary.module, qname);
    if (path === undefined) return;
    const key = `${found.summary.file}\u0000${qname}`;
    const known = seen.get(key);
    if (known) known.ok &&= onLoop;
    else seen.set(key, { file: found.summary.file, path, ok: onLoop && !isExported(found.summary.file, found.summary.module, qname) });
  };
  for (const s of all) {
    for (const fn of s.functions) for (const call of fn.calls) note(call.target, s.file, !!call.canAwait && !call.viaLambda);
    for (const call of s.calls) note(call.target, s.file, false);
    for (const h of s.handoffs) note(h.target, s.file, false);
  }
  const out = new Map<string, Record<string, true>>();
  for (const { file, path, ok } of seen.values()) {
    if (!ok) continue;
    let paths = out.get(file);
    if (!paths) out.set(file, (paths = record<true>()));
    paths[path] = true;
  }
  return out;
}
