import type { Finding } from '../analyzer/rules/rule';
import { ChainFinder, syncCallee, type FunctionRef } from './chains';
import { shownRelative, type IndexContext, type IndexRule } from './findings';
import { hoverText } from './hover';
import { LockFinder } from './locks';
import { blockingUnderLockAcrossModules } from './rules/tw404-cross-module';
import { lockOrderAcrossModules } from './rules/tw407-cross-module';
import { reacquireAcrossModules } from './rules/tw408-cross-module';
import type { Layout } from './layout';
import { NameResolver, type Resolved } from './resolve';
import { blockingViaHelperAcrossModules } from './rules/tw107-cross-module';
import { unawaitedCoroutineAcrossModules } from './rules/tw201-cross-module';
import type { ModuleSummary } from './summary';
import type { ProjectFacts, ThreadEntryFact } from '../analyzer/model/project-facts';
import { factsOfModule, privateMethodOwners, takesLocks, threadEntriesByFile, unlockedCallsByFile, type PrivateMethodOwner } from './project-facts';
import { loopOnlyCallsByFile } from './loop-only-callers';

/** The cross-module rules, in the order their findings are listed. */
export const INDEX_RULES: readonly IndexRule[] = [
  blockingViaHelperAcrossModules, unawaitedCoroutineAcrossModules, blockingUnderLockAcrossModules, lockOrderAcrossModules, reacquireAcrossModules,
];

/**
 * The summaries of a project's modules and what follows from them alone: name resolution across
 * modules, blocking chains, cross-module findings and hovers. Nothing here parses a file.
 */
export class ProjectIndex {
  private readonly byFile = new Map<string, ModuleSummary>();
  /** Module name -> files, in the order they were added; the first one wins, as on sys.path. */
  private readonly byModule = new Map<string, string[]>();
  readonly names: NameResolver;
  private readonly chains: ChainFinder;
  private readonly locks: LockFinder;
  private readonly context: IndexContext;
  /** Per file, what the rest of the project tells its own rules; forgotten with the chains. */
  private readonly facts = new Map<string, ProjectFacts>();
  private threadEntries: Map<string, Record<string, ThreadEntryFact>> | undefined;
  private unlockedCalls: Map<string, Record<string, string>> | undefined;
  private loopOnlyCalls: Map<string, Record<string, boolean>> | undefined;

  constructor(readonly layout: Layout) {
    this.names = new NameResolver((name) => {
      const files = this.byModule.get(name);
      return files && files.length > 0 ? this.byFile.get(files[0]!) : undefined;
    });
    this.chains = new ChainFinder(this.names);
    this.locks = new LockFinder(this.names, () => this.byFile.values());
    const root = layout.roots[0]!;
    this.context = { names: this.names, chains: this.chains, locks: this.locks, shown: (file) => shownRelative(root, file), summaries: () => this.byFile.values() };
  }

  moduleNameOf(file: string): string | undefined {
    return this.layout.moduleNameOf(file);
  }

  /** Stores a module's summary; true when what other modules can see of it changed. */
  set(summary: ModuleSummary): boolean {
    const old = this.byFile.get(summary.file);
    // What the old text called or handed to a thread may no longer be: those modules' thread
    // entries change too, and dependentsOf names them until the next summary of this file.
    const formerly = old && old !== summary ? () => this.reachedFiles(old) : undefined;
    if (old && old.module !== summary.module) this.unlinkModule(old);
    this.byFile.set(summary.file, summary);
    if (!old || old.module !== summary.module) {
      const files = this.byModule.get(summary.module) ?? [];
      files.push(summary.file);
      this.byModule.set(summary.module, files);
    }
    // The content hash changes with every edit; positions and facts are what others read. A first
    // summary changes what others see by definition: the text to compare with is made only when
    // a second one arrives (a run of the CLI never sets a file twice).
    const facts = (s: ModuleSummary) => JSON.stringify({ ...s, contentHash: '' });
    const changed = !old || (old !== summary && facts(old) !== facts(summary));
    if (changed) {
      // Following calls from every thread entry is the dearest thing derived here; an edit that
      // leaves the module's calls, hand-offs and names as they were leaves it as it was.
      const sameReach = !!old && reachOf(old) === reachOf(summary);
      const entries = sameReach ? this.threadEntries : undefined;
      const privateMethods = old && old.module === summary.module && methodNames(old) === methodNames(summary) ? this.privateMethods : undefined;
      const loopOnly = sameReach ? this.loopOnlyCalls : undefined;
      this.forget();
      this.threadEntries = entries;
      this.privateMethods = privateMethods;
      this.loopOnlyCalls = loopOnly;
    }
    // Set again unchanged (a summary made twice for one text), the record of the change stays.
    if (changed && formerly) this.formerlyReached.set(summary.file, formerly());
    return changed;
  }

  /** Per file, the modules its previous summary called or handed to a thread (see `set`). */
  private readonly formerlyReached = new Map<string, string[]>();

  /** Files of the functions a module calls or hands to a thread, other than its own. */
  private reachedFiles(summary: ModuleSummary): string[] {
    const targets = new Set([...summary.handoffs.map((h) => h.target), ...summary.functions.flatMap((f) => f.calls.map((c) => c.target))]);
    const out = new Set<string>();
    for (const target of targets) {
      const found = this.names.resolve(target);
      // A class too: whether its constructor is only called from coroutines depends on the call.
      if ((found?.kind === 'function' || found?.kind === 'class') && found.summary.file !== summary.file) out.add(found.summary.file);
    }
    // Private methods called by name (`self.sftp._finish_responses()`): their files learn of the call.
    for (const fn of summary.functions) {
      for (const call of fn.calls) {
        const owner = this.privateMethodFiles().get(call.text.slice(call.text.lastIndexOf('.') + 1));
        if (owner && owner.file !== summary.file) out.add(owner.file);
      }
    }
    return [...out];
  }

  delete(file: string): boolean {
    const old = this.byFile.get(file);
    if (!old) return false;
    this.formerlyReached.delete(file);
    this.byFile.delete(file);
    this.unlinkModule(old);
    this.forget();
    return true;
  }

  private privateMethods: Map<string, PrivateMethodOwner | null> | undefined;

  /** Where each private method name that other modules' calls may mean is defined (project-facts.ts). */
  private privateMethodFiles(): Map<string, PrivateMethodOwner | null> {
    return (this.privateMethods ??= privateMethodOwners(this.byFile.values()));
  }

  /** Drops what was derived from the summaries; it is computed again when asked for. */
  private forget(): void {
    this.names.clear();
    this.chains.clear();
    this.locks.clear();
    this.facts.clear();
    this.threadEntries = undefined;
    this.unlockedCalls = undefined;
    this.loopOnlyCalls = undefined;
    this.privateMethods = undefined;
  }

  private unlinkModule(summary: ModuleSummary): void {
    const files = (this.byModule.get(summary.module) ?? []).filter((f) => f !== summary.file);
    if (files.length > 0) this.byModule.set(summary.module, files);
    else this.byModule.delete(summary.module);
  }

  files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  summaryOf(file: string): ModuleSummary | undefined {
    return this.byFile.get(file);
  }

  /** What a qualified name denotes in the project, through re-exports and aliases. */
  resolve(qname: string): Resolved | undefined {
    return this.names.resolve(qname);
  }

  /**
   * The files whose cross-module findings can change when `file` changes: every module that
   * imports it, directly or through others (an importer of a package sees its re-exports).
   */
  dependentsOf(file: string): string[] {
    const start = this.byFile.get(file);
    if (!start) return [];
    const importers = new Map<string, string[]>();
    for (const s of this.byFile.values()) {
      for (const dep of s.dependsOn) {
        const list = importers.get(dep);
        if (list) list.push(s.file);
        else importers.set(dep, [s.file]);
      }
    }
    const seen = new Set<string>([file]);
    const queue = [start.module];
    const out: string[] = [];
    // The modules whose functions this one hands to a thread or calls (perhaps from thread code),
    // now or before its last change: their thread entries may come from here.
    for (const reached of [...this.reachedFiles(start), ...(this.formerlyReached.get(file) ?? [])]) {
      if (seen.has(reached)) continue;
      seen.add(reached);
      out.push(reached);
    }
    while (queue.length > 0) {
      const module = queue.shift()!;
      // `import pkg.db` and `from pkg.db import load` both name the module or a name inside it.
      for (const [dep, files] of importers) {
        if (dep !== module && !dep.startsWith(`${module}.`) && !module.startsWith(`${dep}.`)) continue;
        for (const f of files) {
          if (seen.has(f)) continue;
          seen.add(f);
          out.push(f);
          queue.push(this.byFile.get(f)!.module);
        }
      }
    }
    return out.sort();
  }

  /** Cross-module findings for one file, from the summaries alone. */
  findingsFor(file: string, own?: ModuleSummary): Finding[] {
    const summary = own ?? this.byFile.get(file);
    if (!summary) return [];
    return INDEX_RULES.flatMap((r) => r.findings(summary, this.context));
  }

  /** What the rest of the project tells the file's own rules (see analyzer/model/project-facts.ts). */
  factsFor(file: string, withThreadEntries = true): ProjectFacts {
    const summary = this.byFile.get(file);
    if (!withThreadEntries) return summary ? factsOfModule(summary, this.names, new Map()) : {};
    let known = this.facts.get(file);
    if (!known) {
      this.threadEntries ??= threadEntriesByFile(this.byFile.values(), this.names);
      this.unlockedCalls ??= unlockedCallsByFile(this.byFile.values(), this.context.shown);
      this.loopOnlyCalls ??= loopOnlyCallsByFile(this.byFile.values(), this.names);
      known = summary ? factsOfModule(summary, this.names, this.threadEntries, this.unlockedCalls, this.loopOnlyCalls) : {};
      this.facts.set(file, known);
    }
    return known;
  }

  /** Markdown for the `def` name or call at `offset`, from what the index knows; undefined elsewhere. */
  hover(file: string, offset: number): string | undefined {
    const summary = this.byFile.get(file);
    return summary ? hoverText(summary, offset, this.context) : undefined;
  }

  /** The sync function a call of a module runs on the caller's thread, if it is the project's. */
  syncCallee(call: Parameters<typeof syncCallee>[0]): FunctionRef | undefined {
    return syncCallee(call, this.names);
  }
}

/** What of a summary the private-method table depends on: its functions' qualified names, and which lock. */
function methodNames(s: ModuleSummary): string {
  return s.functions.map((f) => `${f.qname}${takesLocks(f) ? '*' : ''}`).join(' ');
}

/**
 * What of a summary the thread entries of the project, and the functions called only from
 * coroutines (loop-only-callers.ts), depend on: where it hands functions to threads, which
 * functions call what (with or without a lock held, from a coroutine or not, or at module level),
 * its entries and thread classes, and the names through which other modules' calls resolve.
 */
function reachOf(s: ModuleSummary): string {
  return JSON.stringify([
    s.module,
    s.testFile ?? false,
    s.imports,
    s.handoffs.map((h) => h.target),
    s.calls.map((c) => c.target),
    s.functions.map((f) => [f.qname, f.isAsync, f.threadEntry ?? '', f.calls.map((c) => [c.target, c.viaLambda ?? false, (c.held?.length ?? 0) > 0, c.canAwait ?? false])]),
    s.classes.map((c) => [c.qname, c.bases, c.methods]),
    s.kinds.classes,
  ]);
}
