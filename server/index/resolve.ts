import { methodOrder } from '../analyzer/model/method-order';
import { firstVisit } from '../analyzer/model/resolve';
import type { ClassSummary, FunctionSummary, ModuleSummary } from './summary';

/** What a qualified name denotes in the project, once re-exports and aliases are followed. */
export type Resolved =
  | { readonly kind: 'module'; readonly summary: ModuleSummary }
  | { readonly kind: 'function'; readonly summary: ModuleSummary; readonly fn: FunctionSummary }
  | { readonly kind: 'class'; readonly summary: ModuleSummary; readonly cls: ClassSummary };

/** Deeper than any real chain of re-exports or bases; import cycles stop here. */
const MAX_DEPTH = 16;

/** A summary's definitions and imports by name, built once per summary (summaries stay plain data). */
interface Definitions {
  readonly functions: Map<string, FunctionSummary[]>;
  readonly classes: Map<string, ClassSummary[]>;
  readonly imports: Map<string, string>;
}

const tables = new WeakMap<ModuleSummary, Definitions>();

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every resolution asks a module by name; scanning its lists each time made a module's findings quadratic in its size. */
function definitionsOf(summary: ModuleSummary): Definitions {
  let table = tables.get(summary);
  if (!table) {
    const functions = new Map<string, FunctionSummary[]>();
    const classes = new Map<string, ClassSummary[]>();
    const imports = new Map<string, string>();
    for (const f of summary.functions) add(functions, f.qname, f);
    for (const c of summary.classes) add(classes, c.qname, c);
    // The first import of a name wins, as `find` over the list gave.
    for (const i of summary.imports) if (!imports.has(i.local)) imports.set(i.local, i.target);
    table = { functions, classes, imports };
    tables.set(summary, table);
  }
  return table;
}

/**
 * Resolves qualified names over a set of module summaries: the longest module prefix, then its
 * functions, classes (methods through the bases) and imports (re-exports and aliases, followed
 * again from the top). A name defined twice (a `def` in both branches of an `if`) is ambiguous
 * and resolves to nothing, as the single-file rules treat it.
 */
export class NameResolver {
  constructor(readonly moduleNamed: (name: string) => ModuleSummary | undefined) {}

  resolve(qname: string, depth = 0): Resolved | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const parts = qname.split('.');
    for (let i = parts.length; i > 0; i--) {
      const summary = this.moduleNamed(parts.slice(0, i).join('.'));
      if (summary) return this.inModule(summary, parts.slice(i), depth);
    }
    return undefined;
  }

  /**
   * The name a module-level object is defined under, following imports and re-exports: a lock
   * imported as `from .locks import LOCK` in `pkg.a` is `pkg.locks.LOCK` there too.
   */
  canonical(qname: string, depth = 0): string {
    if (depth > MAX_DEPTH) return qname;
    const parts = qname.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const summary = this.moduleNamed(parts.slice(0, i).join('.'));
      if (!summary) continue;
      const imported = definitionsOf(summary).imports.get(parts[i]!);
      return imported !== undefined ? this.canonical([imported, ...parts.slice(i + 1)].join('.'), depth + 1) : qname;
    }
    return qname;
  }

  private inModule(summary: ModuleSummary, rest: readonly string[], depth: number): Resolved | undefined {
    if (rest.length === 0) return { kind: 'module', summary };
    const [name, ...more] = rest as [string, ...string[]];
    const qname = `${summary.module}.${name}`;
    const table = definitionsOf(summary);
    const fns = table.functions.get(qname) ?? [];
    const classes = table.classes.get(qname) ?? [];
    if (fns.length + classes.length > 1) return undefined;
    if (fns.length === 1) return more.length === 0 ? { kind: 'function', summary, fn: fns[0]! } : undefined;
    if (classes.length === 1) return this.inClass(summary, classes[0]!, more, depth);
    const imported = table.imports.get(name);
    if (imported !== undefined) return this.resolve([imported, ...more].join('.'), depth + 1);
    return undefined;
  }

  private inClass(summary: ModuleSummary, cls: ClassSummary, rest: readonly string[], depth: number): Resolved | undefined {
    if (rest.length === 0) return { kind: 'class', summary, cls };
    if (rest.length > 1) return undefined;
    return this.method(summary, cls, rest[0]!, depth);
  }

  /**
   * A method as Python finds it: the first class along the method resolution order that defines
   * it (`class AsyncCheckpoints(FileCheckpoints, AsyncMixin)`, both over `Mixin`, finds
   * `AsyncMixin`'s before `Mixin`'s). Bases outside the project count as classes without the
   * method; with no consistent order, the bases are searched depth-first.
   */
  method(summary: ModuleSummary, cls: ClassSummary, name: string, depth = 0, seen = new Map<ClassSummary, number>()): Resolved | undefined {
    if (depth === 0) {
      const order = this.classOrder(summary, cls);
      if (order) {
        const definer = order.find((c) => c.cls?.methods.includes(name));
        if (!definer) return undefined;
        const fns = definitionsOf(definer.summary!).functions.get(`${definer.cls!.qname}.${name}`) ?? [];
        return fns.length === 1 ? { kind: 'function', summary: definer.summary!, fn: fns[0]! } : undefined;
      }
    }
    if (depth > MAX_DEPTH || !firstVisit(seen, cls, depth)) return undefined;
    if (cls.methods.includes(name)) {
      const fns = definitionsOf(summary).functions.get(`${cls.qname}.${name}`) ?? [];
      return fns.length === 1 ? { kind: 'function', summary, fn: fns[0]! } : undefined;
    }
    for (const base of cls.bases) {
      const b = this.resolve(base, depth + 1);
      if (b?.kind !== 'class') continue;
      const found = this.method(b.summary, b.cls, name, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** Orders found since the summaries last changed (see `clear`); null when there is none. */
  private readonly orders = new Map<ClassSummary, OrderedClass[] | null>();

  /** Forgets the orders found: a summary changed, and a base with it. */
  clear(): void {
    this.orders.clear();
  }

  /** The class's method resolution order; a base outside the project is a class with no known bases. */
  private classOrder(summary: ModuleSummary, cls: ClassSummary): OrderedClass[] | undefined {
    let order = this.orders.get(cls);
    if (order === undefined) this.orders.set(cls, (order = this.classOrderOnce(summary, cls) ?? null));
    return order ?? undefined;
  }

  private classOrderOnce(summary: ModuleSummary, cls: ClassSummary): OrderedClass[] | undefined {
    const byName = new Map<string, OrderedClass>();
    const node = (key: string, found?: { summary: ModuleSummary; cls: ClassSummary }): OrderedClass => {
      let n = byName.get(key);
      if (!n) byName.set(key, (n = { key, ...found }));
      return n;
    };
    const start = node(cls.qname, { summary, cls });
    return methodOrder(start, (c) =>
      (c.cls?.bases ?? []).map((base) => {
        const b = this.resolve(base);
        return b?.kind === 'class' ? node(b.cls.qname, { summary: b.summary, cls: b.cls }) : node(`?${this.canonical(base)}`);
      }),
    );
  }
}

/** A class in a method resolution order: one of the project, or (no summary) one outside it. */
interface OrderedClass {
  readonly key: string;
  readonly summary?: ModuleSummary;
  readonly cls?: ClassSummary;
}
