import { answerOnce } from './answer-once';
import { canonicalModuleName } from './module-aliases';
import { methodOrder } from './method-order';
import { child, childrenOf, namedChildren, unparenthesize, walk, type SNode } from '../syntax';
import { BASE_CLASS_KINDS, CONSTRUCTORS, METHOD_RESULTS, type Kind } from './known-types';
import type { SemanticModel } from './semantic-model';
import { inheritedThreadOf } from './inherited-threads';
import { own, projectFactsOf, type ImportedKinds } from './project-facts';
import type { Binding, ClassInfo, FunctionInfo, Scope } from './scope';

const MAX_DEPTH = 8;

/**
 * Name resolution and a small, deliberately incomplete type inference: enough to know that
 * `self._lock` is a `threading.Lock` or that `t` is a Thread. Anything ambiguous is unknown,
 * and rules stay quiet about unknowns.
 */
/**
 * For walks up the bases: true when `cls` has not been searched yet from this depth or a
 * shallower one. Classes whose bases share ancestors would otherwise be searched once per path,
 * exponentially many for a generated hierarchy; a class first reached deep, where the depth
 * limit cut its search short, is searched again when a shorter path reaches it.
 */
export function firstVisit<T>(seen: Map<T, number>, node: T, depth: number): boolean {
  const before = seen.get(node);
  if (before !== undefined && before <= depth) return false;
  seen.set(node, depth);
  return true;
}

export class Resolver {
  private readonly kindCache = new Map<SNode, Kind | 'class-instance' | null>();
  /** Most rules ask for the qualified name of every callee; it depends only on node and scope. */
  private readonly qnameCache = new Map<SNode, { scope: Scope; name: string | undefined }>();

  constructor(readonly model: SemanticModel) {}

  text(node: SNode): string {
    return this.model.source.slice(node.start, node.end);
  }

  /** `text(node) === s`, without slicing a new string: for tests run on every call site. */
  textIs(node: SNode, s: string): boolean {
    return node.end - node.start === s.length && this.model.source.startsWith(s, node.start);
  }

  /** The bindings a name refers to when read in `scope`, following Python's scoping rules. */
  lookup(name: string, scope: Scope): { scope: Scope; bindings: Binding[] } | undefined {
    let s: Scope | undefined = scope;
    let first = true;
    while (s) {
      if (s.type === 'function' && s.declaredOuter.has(name)) {
        s = s.parent;
        first = false;
        continue;
      }
      // Class bodies are visible only to code directly inside them, not to their methods.
      if (s.type !== 'class' || first) {
        const bindings = s.bindings.get(name);
        if (bindings) return { scope: s, bindings };
      }
      s = s.parent;
      first = false;
    }
    return undefined;
  }

  /**
   * The fully qualified name an expression denotes, when it is an imported module member or a
   * builtin: `t.sleep` after `import time as t` is `time.sleep`. Undefined for anything else.
   */
  qualifiedName(expr: SNode, scope: Scope): string | undefined {
    const cached = this.qnameCache.get(expr);
    if (cached && cached.scope === scope) return cached.name;
    const name = this.computeQualifiedName(expr, scope);
    this.qnameCache.set(expr, { scope, name });
    return name;
  }

  private computeQualifiedName(expr: SNode, scope: Scope): string | undefined {
    const node = unparenthesize(expr);
    if (node.type === 'identifier') {
      const name = this.text(node);
      const found = this.lookup(name, scope);
      if (!found) return `builtins.${name}`;
      const first = found.bindings[0]!;
      if (first.kind !== 'import') return undefined;
      // A fallback import of a stand-in (`dummy_threading` for `threading`) binds the same API.
      const qname = canonicalModuleName(first.qname);
      return found.bindings.every((b) => b.kind === 'import' && canonicalModuleName(b.qname) === qname) ? qname : undefined;
    }
    if (node.type === 'attribute') {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      if (!object || !attr) return undefined;
      const base = this.qualifiedName(object, scope);
      return base === undefined || base.startsWith('builtins.') ? undefined : `${base}.${this.text(attr)}`;
    }
    return undefined;
  }

  /** The function an identifier or `self.method` names in this module, if unambiguous. */
  localFunctions(callee: SNode, scope: Scope): FunctionInfo[] | undefined {
    const node = unparenthesize(callee);
    if (node.type === 'identifier') {
      const found = this.lookup(this.text(node), scope);
      if (!found) return undefined;
      const fns: FunctionInfo[] = [];
      for (const b of found.bindings) {
        if (b.kind !== 'def') return undefined;
        fns.push(b.fn);
      }
      return fns;
    }
    if (node.type === 'attribute') {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      if (object?.type !== 'identifier' || !attr) return undefined;
      const cls = this.receiverClass(object, scope);
      if (!cls) return undefined;
      // `self.callback(message)` reads a property and calls what its getter returns: the setter
      // (`@callback.setter`) runs on assignment, never here (Mido's input thread calling its
      // callback does not start another thread through the setter).
      return this.methodsOf(cls, this.text(attr))?.filter((fn) => !this.isPropertyWriter(fn));
    }
    return undefined;
  }

  /** A `@name.setter` or `@name.deleter` method. */
  private isPropertyWriter(fn: FunctionInfo): boolean {
    return fn.decorators.some((d) => {
      const expr = namedChildren(d)[0];
      const attr = expr?.type === 'attribute' ? child(expr, 'attribute') : undefined;
      return !!attr && (this.textIs(attr, 'setter') || this.textIs(attr, 'deleter'));
    });
  }

  /** The class `self`/`cls` stands for when read inside one of its methods. */
  receiverClass(object: SNode, scope: Scope): ClassInfo | undefined {
    if (object.type !== 'identifier') return undefined;
    const name = this.text(object);
    let s: Scope | undefined = scope;
    // Lambdas and nested functions inside a method still see the method's `self`.
    while (s && s.type === 'function') {
      if (s.owner && s.receiver === name) return s.owner;
      if (s.bindings.has(name)) return undefined;
      s = s.parent;
    }
    return undefined;
  }

  /**
   * Methods named `name` in `cls` or its bases defined in this module, the first along Python's
   * method resolution order (a base of another module is a class without them); depth-first
   * when the bases admit no order.
   */
  methodsOf(cls: ClassInfo, name: string, depth = 0, seen = new Map<ClassInfo, number>()): FunctionInfo[] | undefined {
    const own = cls.methods.get(name);
    if (own) return own;
    if (depth === 0 && cls.bases.length > 0) {
      const order = this.methodOrderOf(cls);
      if (order) {
        for (const c of order) {
          const found = typeof c === 'string' ? undefined : c.methods.get(name);
          if (found) return found;
        }
        return undefined;
      }
    }
    if (depth > MAX_DEPTH || !firstVisit(seen, cls, depth)) return undefined;
    for (const base of cls.bases) {
      const baseClass = this.classNamed(base, cls.parent!);
      if (baseClass) {
        const found = this.methodsOf(baseClass, name, depth + 1, seen);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** The class's method resolution order: its module's classes, and other bases by their text. */
  private methodOrderOf(cls: ClassInfo): Array<ClassInfo | string> | undefined {
    let orders = methodOrders.get(this.model);
    if (!orders) methodOrders.set(this.model, (orders = new Map()));
    let order = orders.get(cls);
    if (order === undefined) {
      order = methodOrder<ClassInfo | string>(cls, (c) =>
        typeof c === 'string' ? [] : c.bases.map((b) => this.classNamed(b, c.parent!) ?? `?${this.text(b)}`),
      ) ?? null;
      orders.set(cls, order);
    }
    return order ?? undefined;
  }

  classNamed(expr: SNode, scope: Scope): ClassInfo | undefined {
    const node = unparenthesize(expr);
    if (node.type !== 'identifier') return undefined;
    const found = this.lookup(this.text(node), scope);
    if (!found || found.bindings.length !== 1) return undefined;
    const b = found.bindings[0]!;
    return b.kind === 'class' ? b.cls : undefined;
  }

  /** What kind of concurrency object a module class's instances are, through its bases. */
  classKind(cls: ClassInfo, depth = 0, seen = new Map<ClassInfo, number>()): Kind | undefined {
    if (depth > MAX_DEPTH || !firstVisit(seen, cls, depth)) return undefined;
    for (const base of cls.bases) {
      const q = this.qualifiedName(base, cls.parent!);
      const k = q ? BASE_CLASS_KINDS.get(q) : undefined;
      if (k) return k;
      const local = this.classNamed(base, cls.parent!);
      if (local) {
        const inherited = this.classKind(local, depth + 1, seen);
        if (inherited) return inherited;
      }
    }
    // A thread through bases in other modules, as the project index found.
    return inheritedThreadOf(cls, this.model) ? 'thread' : undefined;
  }

  /** The kind of object an expression evaluates to, or undefined when not known for sure. */
  kindOf(expr: SNode, scope: Scope, depth = 0): Kind | undefined {
    const node = unparenthesize(expr);
    const cached = this.kindCache.get(node);
    if (cached !== undefined) return cached === null || cached === 'class-instance' ? undefined : cached;
    if (depth > MAX_DEPTH) return undefined;
    const kind = this.computeKind(node, scope, depth);
    this.kindCache.set(node, kind ?? null);
    return kind;
  }

  private computeKind(node: SNode, scope: Scope, depth: number): Kind | undefined {
    switch (node.type) {
      case 'call': {
        const callee = child(node, 'function');
        if (!callee) return undefined;
        const q = this.qualifiedName(callee, scope);
        if (q) {
          const known = CONSTRUCTORS.get(q);
          if (known) return known;
          // A class or factory of another module of the project (`from .workers import Worker`).
          const imported = this.imported(callee, scope);
          return imported?.instance ?? imported?.returns;
        }
        const cls = this.classNamed(callee, scope);
        if (cls) return this.classKind(cls);
        const factories = this.localFunctions(callee, scope);
        if (factories && factories.length > 0) return this.agree(factories.map((f) => this.returnKind(f, depth)));
        if (callee.type === 'attribute') {
          const object = child(callee, 'object');
          const attr = child(callee, 'attribute');
          const receiverKind = object ? this.kindOf(object, scope, depth + 1) : undefined;
          if (receiverKind && attr) return METHOD_RESULTS.get(`${receiverKind}.${this.text(attr)}`);
        }
        return undefined;
      }
      case 'identifier': {
        const found = this.lookup(this.text(node), scope);
        if (!found) return undefined;
        const imported = this.imported(node, scope);
        if (imported) return imported.object;
        return this.agree(found.bindings.map((b) => this.bindingKind(b, found.scope, depth)));
      }
      case 'attribute': {
        const object = child(node, 'object');
        const attr = child(node, 'attribute');
        if (!object || !attr) return undefined;
        const cls = this.receiverClass(object, scope) ?? this.classNamed(object, scope) ?? this.constructedClass(object, scope);
        if (!cls) return undefined;
        const values = this.attributeValues(cls, this.text(attr));
        if (!values) return undefined;
        // `self._lock = None` until it is made (or after it is torn down) says nothing of its kind.
        const made = values.filter((v) => !isNoneLiteral(v.value));
        return this.agree(made.map((v) => this.kindOf(v.value, v.scope, depth + 1) ?? this.declaredKind(v.value, v.scope)));
      }
      case 'boolean_operator': {
        // `lock or threading.RLock()`: whichever operand is taken, a caller-supplied lock or a new
        // one, it is a lock; the operands that are known must agree.
        return this.knownAgree(namedChildren(node).map((c) => this.kindOf(c, scope, depth + 1)));
      }
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = namedChildren(node);
        return whenTrue && whenFalse ? this.knownAgree([this.kindOf(whenTrue, scope, depth + 1), this.kindOf(whenFalse, scope, depth + 1)]) : undefined;
      }
      case 'type':
        return this.annotationKind(node, scope);
      default:
        return undefined;
    }
  }

  /**
   * The kind an annotation declares: `threading.RLock`, `Optional[threading.RLock]`,
   * `threading.RLock | None`, `Union[Lock, None]`, or the same as a string.
   */
  annotationKind(annotation: SNode, scope: Scope, depth = 0): Kind | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let node = unparenthesize(annotation);
    if (node.type === 'type') node = namedChildren(node)[0] ?? node;
    switch (node.type) {
      case 'identifier':
      case 'attribute': {
        const q = this.qualifiedName(node, scope);
        return q ? CONSTRUCTORS.get(q) : undefined;
      }
      case 'string': {
        // A forward reference: resolve the dotted name it spells in this scope's imports.
        const m = /^[rRuU]?["']{1,3}\s*([A-Za-z_][\w.]*)\s*["']{1,3}$/.exec(this.text(node));
        if (!m) return undefined;
        const [head, ...rest] = m[1]!.split('.');
        const found = this.lookup(head!, scope);
        const base = found?.bindings.length === 1 && found.bindings[0]!.kind === 'import' ? found.bindings[0]!.qname : undefined;
        return base ? CONSTRUCTORS.get([base, ...rest].join('.')) : undefined;
      }
      case 'binary_operator':
        // `RLock | None`
        return this.knownAgree(namedChildren(node).filter((c) => !isNoneLiteral(c)).map((c) => this.annotationKind(c, scope, depth + 1)), true);
      case 'subscript':
      case 'generic_type': {
        const value = child(node, 'value') ?? namedChildren(node)[0];
        // An unimported `Optional` still reads as one (`builtins.Optional`).
        const q = value ? (this.qualifiedName(value, scope) ?? this.text(value)).replace(/^builtins\./, '') : undefined;
        if (!q || !/^(?:typing(?:_extensions)?\.)?(?:Optional|Union)$/.test(q)) return undefined;
        const parameters = namedChildren(node).find((c) => c.type === 'type_parameter');
        const args = node.type === 'subscript' ? childrenOf(node, 'subscript') : parameters ? namedChildren(parameters) : [];
        return this.knownAgree(args.filter((c) => !isNoneLiteral(c)).map((c) => this.annotationKind(c, scope, depth + 1)), true);
      }
      default:
        return undefined;
    }
  }

  /** The kind an assignment's own annotation gives its target: `self._lock: RLock = lock`. */
  private declaredKind(value: SNode, scope: Scope): Kind | undefined {
    const assignment = value.parent;
    const annotation = assignment?.type === 'assignment' ? child(assignment, 'type') : undefined;
    return annotation ? this.annotationKind(annotation, scope) : undefined;
  }

  /**
   * What the project index says of a name imported at module level from another module of the
   * project, when every binding of it is that import.
   */
  private imported(node: SNode, scope: Scope): ImportedKinds | undefined {
    if (node.type !== 'identifier') return undefined;
    const facts = projectFactsOf(this.model)?.imported;
    if (!facts) return undefined;
    const name = this.text(node);
    const found = this.lookup(name, scope);
    if (!found || found.scope.type !== 'module' || !found.bindings.every((b) => b.kind === 'import')) return undefined;
    return own(facts, name);
  }

  /** The kind of what a function returns, when every `return` agrees (for the project index). */
  returnKindOf(fn: FunctionInfo): Kind | undefined {
    return this.returnKind(fn, 0);
  }

  /**
   * What a call to a function of this module returns: its return annotation, or else the kind
   * every `return` in its body agrees on (a lock factory).
   */
  private returnKind(fn: FunctionInfo, depth: number): Kind | undefined {
    const annotation = child(fn.node, 'return_type');
    if (annotation) return this.annotationKind(annotation, fn.parent ?? fn, depth + 1);
    const body = child(fn.node, 'body');
    if (!body || fn.isAsync || fn.hasYield || fn.isLambda) return undefined;
    const kinds: Array<Kind | undefined> = [];
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
      if (n.type === 'return_statement') {
        const value = namedChildren(n)[0];
        kinds.push(value ? this.kindOf(value, this.scopeAt(value, fn), depth + 1) : undefined);
        return false;
      }
      return true;
    });
    return kinds.length > 0 ? this.agree(kinds) : undefined;
  }

  /** The kinds that are known agree (at least one known; unknown ones, if allowed, are ignored). */
  private knownAgree(kinds: Array<Kind | undefined>, allKnown = false): Kind | undefined {
    const known = kinds.filter((k): k is Kind => k !== undefined);
    if (known.length === 0 || (allKnown && known.length !== kinds.length)) return undefined;
    return this.agree(known);
  }

  /** The module class whose instance an expression is or names, built here once (`_Wrap()`, `_wn = _Wrap()`). */
  constructedClass(expr: SNode, scope: Scope): ClassInfo | undefined {
    const made = this.constructionOf(expr, scope);
    const callee = made ? child(made, 'function') : undefined;
    return callee ? this.classNamed(callee, scope) : undefined;
  }

  /** The call that built the object an expression names (`q = Queue(5)` gives `Queue(5)`), if unique. */
  constructionOf(expr: SNode, scope: Scope): SNode | undefined {
    const node = unparenthesize(expr);
    if (node.type === 'call') return node;
    let values: SNode[] = [];
    if (node.type === 'identifier') {
      const found = this.lookup(this.text(node), scope);
      values = found?.bindings.map((b) => (b.kind === 'assign' ? b.value : undefined)).filter((v): v is SNode => !!v) ?? [];
      if (found && values.length !== found.bindings.length) return undefined;
    } else if (node.type === 'attribute') {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      const cls = object ? (this.receiverClass(object, scope) ?? this.classNamed(object, scope)) : undefined;
      values = cls && attr ? (this.attributeValues(cls, this.text(attr)) ?? []).map((v) => v.value) : [];
    }
    const calls = values.map((v) => unparenthesize(v)).filter((v) => v.type === 'call');
    return calls.length === 1 && values.length === 1 ? calls[0] : undefined;
  }

  /**
   * Values assigned to an attribute of `cls` (or of a base class in this module). Once per class
   * and name: an attribute every subclass sets (`self.type` in a compiler's hundreds of node
   * classes) is asked about at each of its uses.
   */
  attributeValues(cls: ClassInfo, name: string): ReadonlyArray<{ value: SNode; scope: Scope }> | undefined {
    return answerOnce(this.attributeValueCache, cls, name, () => {
      const owner = this.attributeOwner(cls, name);
      return owner?.attributes.get(name)!.map((value) => ({ value, scope: this.scopeAt(value, owner) })) ?? null;
    }) ?? undefined;
  }

  private readonly attributeValueCache = new WeakMap<ClassInfo, Map<string, ReadonlyArray<{ value: SNode; scope: Scope }> | null>>();

  /** The class (this one or a base in this module) whose methods or body assign attribute `name`. */
  attributeOwner(cls: ClassInfo, name: string, depth = 0, seen = new Map<ClassInfo, number>()): ClassInfo | undefined {
    if (cls.attributes.has(name)) return cls;
    if (depth > MAX_DEPTH || !firstVisit(seen, cls, depth)) return undefined;
    for (const base of cls.bases) {
      const baseClass = this.classNamed(base, cls.parent!);
      const found = baseClass ? this.attributeOwner(baseClass, name, depth + 1, seen) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The innermost scope containing a node, found by walking up to a scope-opening node. */
  scopeAt(node: SNode, fallback: Scope): Scope {
    let n: SNode | null = node.parent;
    while (n) {
      const s = this.model.scopeOf.get(n);
      if (s) return s;
      n = n.parent;
    }
    return fallback;
  }

  private bindingKind(b: Binding, scope: Scope, depth: number): Kind | undefined {
    switch (b.kind) {
      case 'assign':
        return this.kindOf(b.value, this.scopeAt(b.value, scope), depth + 1);
      case 'param':
        return b.annotation ? this.annotationKind(b.annotation, scope, depth + 1) : undefined;
      default:
        return undefined;
    }
  }

  private agree(kinds: Array<Kind | undefined>): Kind | undefined {
    const first = kinds[0];
    return first !== undefined && kinds.every((k) => k === first) ? first : undefined;
  }
}

/**
 * Per model and class, each class ordered once. By model, not by class alone: an edit may carry a
 * class over into the next model while a base of it changed.
 */
const methodOrders = new WeakMap<object, Map<ClassInfo, Array<ClassInfo | string> | null>>();

function isNoneLiteral(node: SNode): boolean {
  return unparenthesize(node).type === 'none';
}
