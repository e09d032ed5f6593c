import { isPrivateMethodName, record, type ImportedKinds, type ProjectFacts, type ThreadEntryFact } from '../analyzer/model/project-facts';
import { inheritedThreadsOf } from './inherited-threads';
import type { NameResolver } from './resolve';
import type { FunctionRef } from './chains';
import { kindNamed, type ModuleSummary } from './summary';

/** The dotted path of a qualified name inside its module, or undefined for names in functions. */
export function pathIn(module: string, qname: string): string | undefined {
  const prefix = `${module}.`;
  return qname.startsWith(prefix) && !qname.includes('<locals>') ? qname.slice(prefix.length) : undefined;
}

/**
 * Which functions of which file run on a thread because of another module: file -> function path
 * -> how. A function another module hands to a thread (`Thread(target=jobs.worker)`), and a
 * function that thread code of another module calls (`work()` in `app.worker`, a thread target,
 * calls `state.bump()`): from every thread entry of the project outside its test files
 * (hand-offs, `run` of Thread subclasses, framework routes run on worker threads) calls are
 * followed into any module. A call made while a lock is held does not make its callee an entry
 * (the caller guards what it does), nor does a constructor call (the object is not shared yet).
 * Built once over all summaries (the index keeps it while no summary changes what it follows).
 */
export function threadEntriesByFile(summaries: Iterable<ModuleSummary>, names: NameResolver): Map<string, Record<string, ThreadEntryFact>> {
  const out = new Map<string, Record<string, ThreadEntryFact>>();
  const mark = (ref: FunctionRef, entry: ThreadEntryFact) => {
    const path = pathIn(ref.summary.module, ref.fn.qname);
    if (path === undefined) return;
    let entries = out.get(ref.summary.file);
    if (!entries) out.set(ref.summary.file, (entries = record<ThreadEntryFact>()));
    if (!Object.hasOwn(entries, path)) entries[path] = entry;
  };
  const reached = new Set<string>();
  const queue: Array<{ ref: FunctionRef; via: string }> = [];
  const keyOf = (ref: FunctionRef) => `${ref.summary.file}\u0000${ref.fn.qname}`;
  const reach = (ref: FunctionRef, via: string) => {
    const key = keyOf(ref);
    if (reached.has(key) || ref.fn.isAsync) return;
    reached.add(key);
    queue.push({ ref, via });
  };
  for (const s of summaries) {
    for (const h of s.handoffs) {
      const found = names.resolve(h.target);
      if (found?.kind !== 'function' || found.fn.isAsync) continue;
      const ref = { summary: found.summary, fn: found.fn };
      if (found.summary.file !== s.file) mark(ref, { via: h.via });
      // A test's threads (a test runner, a test that hammers an object from threads) say little
      // about where the product runs the code they reach: only the function handed over counts.
      if (!s.testFile) reach(ref, h.via);
    }
    if (s.testFile) continue;
    for (const fn of s.functions) if (fn.threadEntry) reach({ summary: s, fn }, fn.threadEntry);
    for (const [path, kind] of s.kinds.classes) {
      if (kind !== 'thread') continue;
      const run = names.resolve(`${s.module}.${path}.run`);
      if (run?.kind === 'function') reach({ summary: run.summary, fn: run.fn }, `${path}.run`);
    }
  }
  // Breadth first, so each function keeps the shortest way a thread reaches it.
  for (let i = 0; i < queue.length; i++) {
    const { ref, via } = queue[i]!;
    for (const call of ref.fn.calls) {
      if (call.viaLambda || (call.held && call.held.length > 0)) continue;
      const found = names.resolve(call.target);
      if (found?.kind !== 'function') continue;
      const callee = { summary: found.summary, fn: found.fn };
      const across = callee.summary.file !== ref.summary.file;
      if (!across && reached.has(keyOf(callee))) continue;
      const onward = `${via} → ${ref.fn.qname}()`;
      // A method of an object thread code calls: whether other threads share that object is unknown.
      const method = pathIn(callee.summary.module, callee.fn.qname)?.includes('.') ?? false;
      if (across) mark(callee, method ? { via: onward, instancePerCall: true } : { via: onward });
      reach(callee, onward);
    }
  }
  return out;
}

/** True when the function takes a lock or changes shared state under one: its class locks. */
export function takesLocks(fn: ModuleSummary['functions'][number]): boolean {
  return fn.locks.length > 0 || (fn.writes?.some((w) => w.locks.length > 0) ?? false);
}

/** Where a private method is defined: its file and module, its qualified name and dotted path. */
export interface PrivateMethodOwner {
  readonly file: string;
  readonly module: string;
  readonly qname: string;
  /** `SFTPClient._finish_responses` */
  readonly path: string;
  readonly isAsync: boolean;
}

/**
 * The one definition of each private method name in the project (`_finish_responses` -> its
 * file and `SFTPClient._finish_responses`); null for a name two classes define: the receiver
 * would decide, and is not known. With `lockingOnly`, a name that a class without locks defines
 * is null too: only classes that lock have a lock to assume on entry, and facts about the others
 * would change nothing but make their files be checked a second time.
 */
export function privateMethodOwners(summaries: Iterable<ModuleSummary>, lockingOnly = true): Map<string, PrivateMethodOwner | null> {
  const definedBy = new Map<string, PrivateMethodOwner | null>();
  for (const s of summaries) {
    const locking = new Set<string>();
    for (const fn of s.functions) {
      const path = pathIn(s.module, fn.qname);
      if (path !== undefined && path.includes('.') && takesLocks(fn)) locking.add(path.slice(0, path.indexOf('.')));
    }
    for (const fn of s.functions) {
      const path = pathIn(s.module, fn.qname);
      if (path === undefined || path.split('.').length !== 2 || !isPrivateMethodName(fn.name)) continue;
      const known = definedBy.get(fn.name);
      const candidate = !lockingOnly || locking.has(path.slice(0, path.indexOf('.')));
      // Defined twice (two classes, or one class in two files): the receiver decides, and is not known.
      const same = known !== undefined && known !== null && known.file === s.file && known.path === path;
      definedBy.set(fn.name, candidate && (known === undefined || same) ? { file: s.file, module: s.module, qname: fn.qname, path, isAsync: fn.isAsync } : null);
    }
  }
  return definedBy;
}

/**
 * Private methods of each file that another module calls with no lock held: file -> `Cls.method`
 * -> the first such call (for messages). A private helper nobody in its own file calls is taken to
 * be called with its class's lock held (entry-locks.ts); a call like this one says otherwise.
 * Other modules rarely know the receiver's class (`self.sftp._finish_responses()`), so a call is
 * matched by the method's name, and only for a name that one class of the project defines. Test
 * files are left out: a test calls a helper directly, on one thread.
 */
export function unlockedCallsByFile(summaries: Iterable<ModuleSummary>, shown: (file: string) => string): Map<string, Record<string, string>> {
  const all = [...summaries];
  const definedBy = privateMethodOwners(all);
  const out = new Map<string, Record<string, string>>();
  for (const s of all) {
    if (s.testFile) continue;
    for (const fn of s.functions) {
      for (const call of fn.calls) {
        if (call.viaLambda || call.locked || (call.held && call.held.length > 0)) continue;
        const dot = call.text.lastIndexOf('.');
        const def = dot > 0 ? definedBy.get(call.text.slice(dot + 1)) : undefined;
        if (!def || def.file === s.file) continue;
        let calls = out.get(def.file);
        if (!calls) out.set(def.file, (calls = record<string>()));
        if (!Object.hasOwn(calls, def.path)) calls[def.path] = `'${call.text}' in ${shown(s.file)}:${call.span.line + 1}`;
      }
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
      const handoffs = record<{ param: string; position: number }>();
      for (const [method, param, position] of found.summary.kinds.handoffs ?? []) {
        const name = path !== undefined && method.startsWith(`${path}.`) ? method.slice(path.length + 1) : '';
        if (name && !name.includes('.')) handoffs[name] = { param, position };
      }
      const hands = Object.keys(handoffs).length > 0;
      if (kind || hands) kinds = { ...(kind ? { instance: kind } : {}), ...(hands ? { handoffs } : {}) };
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
export function factsOfModule(
  summary: ModuleSummary,
  names: NameResolver,
  entries: Map<string, Record<string, ThreadEntryFact>>,
  unlocked?: Map<string, Record<string, string>>,
  loopOnly?: Map<string, Record<string, boolean>>,
): ProjectFacts {
  const facts: { -readonly [K in keyof ProjectFacts]: ProjectFacts[K] } = {};
  const threads = inheritedThreadsOf(summary, names);
  if (Object.keys(threads).length > 0) facts.threads = threads;
  const mine = entries.get(summary.file);
  if (mine && Object.keys(mine).length > 0) facts.threadEntries = mine;
  const calledUnlocked = unlocked?.get(summary.file);
  if (calledUnlocked && Object.keys(calledUnlocked).length > 0) facts.calledUnlocked = calledUnlocked;
  const onLoop = loopOnly?.get(summary.file);
  if (onLoop && Object.keys(onLoop).length > 0) facts.loopOnly = onLoop;
  const imported = importedKinds(summary, names);
  if (Object.keys(imported).length > 0) facts.imported = imported;
  return facts;
}
