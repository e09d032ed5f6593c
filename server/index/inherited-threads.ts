import { CONSTRUCTION } from '../analyzer/model/entry-locks';
import type { InheritedThread, InheritedThreads } from '../analyzer/model/inherited-threads';
import { record } from '../analyzer/model/project-facts';
import type { NameResolver } from './resolve';
import type { ClassSummary, FunctionSummary, ModuleSummary } from './summary';

/** Bases that make a class a thread, by the name the standard library defines them under. */
const THREAD_BASES = new Set(['threading.Thread', 'threading.Timer']);
/** Deeper than any real class hierarchy; cycles stop here. */
const MAX_DEPTH = 16;

interface Ancestor {
  readonly summary: ModuleSummary;
  readonly cls: ClassSummary;
}

/** The classes a class inherits from in the project, depth-first, and whether one of them is a thread. */
function ancestry(cls: ClassSummary, names: NameResolver): { ancestors: Ancestor[]; thread: boolean } {
  const ancestors: Ancestor[] = [];
  const seen = new Set<string>([cls.qname]);
  let thread = false;
  const visit = (of: ClassSummary, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const base of of.bases) {
      if (THREAD_BASES.has(names.canonical(base))) thread = true;
      const found = names.resolve(base);
      if (found?.kind !== 'class' || seen.has(found.cls.qname)) continue;
      seen.add(found.cls.qname);
      ancestors.push({ summary: found.summary, cls: found.cls });
      visit(found.cls, depth + 1);
    }
  };
  visit(cls, 0);
  return { ancestors, thread };
}

/** The methods a function calls on its own object: calls whose target is a method of the class or of one of its ancestors. */
function selfCalls(fn: FunctionSummary, owners: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const call of fn.calls) {
    const dot = call.target.lastIndexOf('.');
    if (dot > 0 && owners.has(call.target.slice(0, dot))) out.push(call.target.slice(dot + 1));
  }
  return out;
}

/**
 * For each class of the module that is a thread through a base class in another module: what the
 * inherited `run()` calls on the object, and what the bases' other methods call and lock. The
 * single-file rules take these facts as their own (`setInheritedThreads`), so a subclass's
 * `queue_events()` run only by an inherited `run()` is known to be the thread's alone.
 */
export function inheritedThreadsOf(summary: ModuleSummary, names: NameResolver): InheritedThreads {
  const out = record<InheritedThread>();
  for (const cls of summary.classes) {
    if (cls.bases.length === 0 || cls.qname.includes('<locals>') || !cls.qname.startsWith(`${summary.module}.`)) continue;
    const { ancestors, thread } = ancestry(cls, names);
    if (!thread || !ancestors.some((a) => a.summary.file !== summary.file)) continue;
    const owners = new Set([cls.qname, ...ancestors.map((a) => a.cls.qname)]);
    /** A method of an ancestor the class does not override, as Python finds it. */
    const inherited = (name: string): FunctionSummary | undefined => {
      if (cls.methods.includes(name)) return undefined;
      const found = names.method(summary, cls, name);
      return found?.kind === 'function' ? found.fn : undefined;
    };
    const runCalls = new Set<string>();
    const inRun = new Set<FunctionSummary>();
    const run = inherited('run');
    if (run) {
      const queue = [run];
      inRun.add(run);
      while (queue.length > 0) {
        for (const name of selfCalls(queue.shift()!, owners)) {
          runCalls.add(name);
          const next = inherited(name);
          if (next && !inRun.has(next)) {
            inRun.add(next);
            queue.push(next);
          }
        }
      }
    }
    const otherCalls = new Set<string>();
    const otherLocks = new Set<string>();
    for (const { summary: s, cls: a } of ancestors) {
      const prefix = `${a.qname}.`;
      for (const fn of s.functions) {
        const name = fn.qname.startsWith(prefix) ? fn.qname.slice(prefix.length) : undefined;
        if (name === undefined || !a.methods.includes(name) || CONSTRUCTION.has(name) || inRun.has(fn)) continue;
        for (const called of selfCalls(fn, owners)) otherCalls.add(called);
        for (const lock of fn.locks) {
          const dot = lock.id.lastIndexOf('.');
          if (owners.has(lock.id.slice(0, dot))) otherLocks.add(lock.id.slice(dot + 1));
        }
      }
    }
    const runsWork = !!run || ancestors.some((a) => a.cls.methods.includes('__init__'));
    out[cls.qname.slice(summary.module.length + 1)] = { runCalls: [...runCalls].sort(), otherCalls: [...otherCalls].sort(), otherLocks: [...otherLocks].sort(), runsWork };
  }
  return out;
}
