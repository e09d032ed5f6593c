import { record, type ImportedKinds, type ProjectFacts } from '../analyzer/model/project-facts';
import { inheritedThreadsOf } from './inherited-threads';
import type { NameResolver } from './resolve';
import { kindNamed, type ModuleSummary } from './summary';

/** The dotted path of a qualified name inside its module, or undefined for names in functions. */
function pathIn(module: string, qname: string): string | undefined {
  const prefix = `${module}.`;
  return qname.startsWith(prefix) && !qname.includes('<locals>') ? qname.slice(prefix.length) : undefined;
}

/**
 * Which functions of which file other modules hand to a thread: file -> function path -> how.
 * Built once over all summaries (the index forgets it when any summary changes).
 */
export function threadEntriesByFile(summaries: Iterable<ModuleSummary>, names: NameResolver): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const s of summaries) {
    for (const h of s.handoffs) {
      const found = names.resolve(h.target);
      if (found?.kind !== 'function' || found.summary.file === s.file || found.fn.isAsync) continue;
      const path = pathIn(found.summary.module, found.fn.qname);
      if (path === undefined) continue;
      let entries = out.get(found.summary.file);
      if (!entries) out.set(found.summary.file, (entries = record<string>()));
      if (!Object.hasOwn(entries, path)) entries[path] = h.via;
    }
  }
  return out;
}

/** What the names a module imports from other modules of the project are, by local name. */
function importedKinds(summary: ModuleSummary, names: NameResolver): Record<string, ImportedKinds> {
  const out = record<ImportedKinds>();
  for (const { local, target } of summary.imports) {
    let kinds: ImportedKinds | undefined;
    const found = names.resolve(target);
    if (found?.kind === 'class' && found.summary.file !== summary.file) {
      const path = pathIn(found.summary.module, found.cls.qname);
      const kind = path !== undefined ? kindNamed(found.summary.kinds.classes, path) : undefined;
      if (kind) kinds = { instance: kind };
    } else if (found?.kind === 'function' && found.summary.file !== summary.file) {
      const path = pathIn(found.summary.module, found.fn.qname);
      const kind = path !== undefined ? kindNamed(found.summary.kinds.returns, path) : undefined;
      const makes = path !== undefined ? found.summary.kinds.makes?.find(([n]) => n === path)?.[1] : undefined;
      if (kind || makes) kinds = { ...(kind ? { returns: kind } : {}), ...(makes ? { makes } : {}) };
    } else if (!found) {
      // A module-level object: `pkg.pools.POOL` is the name `POOL` of the module `pkg.pools`.
      const canonical = names.canonical(target);
      const dot = canonical.lastIndexOf('.');
      const module = dot > 0 ? names.moduleNamed(canonical.slice(0, dot)) : undefined;
      const name = canonical.slice(dot + 1);
      const kind = module && module.file !== summary.file ? kindNamed(module.kinds.objects, name) : undefined;
      if (kind) kinds = { object: kind };
    }
    if (kinds) out[local] = kinds;
  }
  return out;
}

/** What the rest of the project tells one module's own rules (see analyzer/model/project-facts.ts). */
export function factsOfModule(summary: ModuleSummary, names: NameResolver, entries: Map<string, Record<string, string>>): ProjectFacts {
  const facts: { -readonly [K in keyof ProjectFacts]: ProjectFacts[K] } = {};
  const threads = inheritedThreadsOf(summary, names);
  if (Object.keys(threads).length > 0) facts.threads = threads;
  const mine = entries.get(summary.file);
  if (mine && Object.keys(mine).length > 0) facts.threadEntries = mine;
  const imported = importedKinds(summary, names);
  if (Object.keys(imported).length > 0) facts.imported = imported;
  return facts;
}
