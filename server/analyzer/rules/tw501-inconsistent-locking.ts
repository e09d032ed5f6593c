import { lockDiscipline, type Access } from '../model/class-locking';
import { unreadCounter } from '../model/unread-counter';
import { entryState } from '../model/entry-locks';
import { changesStoppedByFlag } from '../model/closed-flag';
import type { FunctionInfo } from '../model/scope';
import { child, namedChildren, outerParens, walk, type SNode } from '../syntax';
import { argument } from '../model/callables';
import { caughtAround } from '../model/caught-around';
import type { Rule, RuleContext } from './rule';

/** Errors a change that lost the race raises: a key or an item that is gone, an empty container. */
const LOOKUP_ERRORS = /^(?:LookupError|KeyError|IndexError|ValueError|Exception|BaseException|queue\.Empty|Empty)$/;

/**
 * `self._thread = threading.Thread(target=self._serve)` in the class, and `self._thread.join()`
 * in `fn` before it first names the attribute: what `_serve` does on that thread is over by then
 * (a `stop()` that clears what the serving thread filled, after joining it). Only the target
 * method itself counts, not what it calls.
 */
function joinsThreadOf(fn: FunctionInfo, target: FunctionInfo, attr: string, ctx: RuleContext): boolean {
  const cls = fn.owner;
  if (!cls || cls !== target.owner) return false;
  // `self._thread = threading.Thread(target=self._serve)`, or a local `t` made so and then stored
  // (`self._thread = t`).
  const threads = new Set<string>();
  const stores: Array<[string, string]> = [];
  walk(cls.node, (n) => {
    if (n.type !== 'assignment') return true;
    const left = child(n, 'left');
    const right = child(n, 'right');
    if (!left || !right) return true;
    const leftText = ctx.resolver.text(left).replace(/\s+/g, '');
    if (right.type === 'identifier') stores.push([leftText, ctx.resolver.text(right)]);
    const callee = right.type === 'call' ? child(right, 'function') : undefined;
    if (!callee || ctx.resolver.qualifiedName(callee, ctx.resolver.scopeAt(n, ctx.model.module)) !== 'threading.Thread') return true;
    const handed = argument(right, 'target', 1, ctx.resolver);
    const method = handed?.type === 'attribute' ? child(handed, 'attribute') : undefined;
    if (method && ctx.resolver.textIs(method, target.name)) threads.add(leftText);
    return true;
  });
  if (threads.size === 0) return false;
  for (const [to, from] of stores) if (threads.has(from)) threads.add(to);
  let joined = false;
  let named = false;
  walk(fn.node, (n) => {
    if (joined || named) return false;
    if (n.type === 'attribute' && ctx.resolver.textIs(child(n, 'attribute')!, attr)) named = true;
    const callee = n.type === 'call' ? child(n, 'function') : undefined;
    const object = callee?.type === 'attribute' ? child(callee, 'object') : undefined;
    // `join(timeout)` may return with the thread still running (multiprocessing's resource sharer
    // warns when it does): only a plain `join()` says the thread is done.
    const args = n.type === 'call' ? child(n, 'arguments') : undefined;
    if (object && args && namedChildren(args).length === 0 && ctx.resolver.textIs(child(callee!, 'attribute')!, 'join') && threads.has(ctx.resolver.text(object).replace(/\s+/g, ''))) joined = true;
    return !joined && !named;
  });
  return joined;
}

/** Where a node or a run of statements lies in the source. */
interface Extent {
  readonly start: number;
  readonly end: number;
}

/** Iterating these views reads the whole container, as iterating it directly does. */
const VIEWS = new Set(['items', 'keys', 'values']);

/** The `for` (statement or comprehension clause) whose iterable is this attribute, or a view of it. */
function iterated(node: SNode, ctx: RuleContext): boolean {
  let n = node;
  const p = n.parent;
  if (p?.type === 'attribute' && n.field === 'object' && p.parent?.type === 'call' && p.field === 'function' && VIEWS.has(ctx.resolver.text(child(p, 'attribute')!))) {
    n = p.parent;
  }
  const q = n.parent;
  return !!q && (q.type === 'for_statement' || q.type === 'for_in_clause') && n.field === 'right';
}

/**
 * `x in self.d.values()` (or `not in`, or any view) on a weakref mapping: its views are Python
 * generators, so the search runs bytecode by bytecode and another thread's insert or delete in
 * between raises "dictionary changed size during iteration". A plain dict's views are searched in
 * C (or looked up by hash), in one step.
 */
function searchedView(node: SNode, ctx: RuleContext): boolean {
  const p = node.parent;
  const call = p?.type === 'attribute' && node.field === 'object' && p.parent?.type === 'call' && p.field === 'function' ? p.parent : undefined;
  const q = call?.parent;
  if (!call || !VIEWS.has(ctx.resolver.text(child(p!, 'attribute')!)) || q?.type !== 'comparison_operator') return false;
  const operands = namedChildren(q);
  return operands.length === 2 && operands[1] === call && /^(?:not\s+)?in$/.test(ctx.source.slice(operands[0]!.end, call.start).trim());
}

/** The if/elif/while whose condition holds this node, and the block the condition decides. */
function decidedBlock(node: SNode): SNode | undefined {
  let n: SNode = node;
  while (n.parent) {
    const p: SNode = n.parent;
    if ((p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement') && n.field === 'condition') {
      return child(p, p.type === 'while_statement' ? 'body' : 'consequence');
    }
    if (p.type === 'block' || p.type === 'module' || p.type === 'lambda' || p.type === 'function_definition') return undefined;
    n = p;
  }
  return undefined;
}

/** Statements that leave the block: what follows them in it runs only when they were not reached. */
const EXITS = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);

/**
 * After a guard clause (`if not self.x: return`, no `elif`/`else`), the rest of the enclosing block
 * runs only when the check let it through: the check decides it as much as the `if` body, `block`.
 */
function guardedRest(block: SNode | undefined): Extent | undefined {
  const statement = block?.parent;
  if (!block || statement?.type !== 'if_statement' || child(statement, 'alternative')) return undefined;
  const last = namedChildren(block).at(-1);
  const outer = statement.parent;
  if (!last || !EXITS.has(last.type) || outer?.type !== 'block') return undefined;
  return { start: statement.end, end: outer.end };
}

/** The conditions of the if/elif/while statements whose decided blocks hold this node. */
function decidingConditions(node: SNode, fn: FunctionInfo): SNode[] {
  const out: SNode[] = [];
  for (let n: SNode | null = node; n && n !== fn.node; n = n.parent) {
    const p = n.parent;
    if (n.type !== 'block' || !p) continue;
    if ((p.type === 'if_statement' || p.type === 'elif_clause') && n.field === 'consequence') out.push(child(p, 'condition')!);
    else if (p.type === 'while_statement' && n.field === 'body') out.push(child(p, 'condition')!);
  }
  return out.filter(Boolean);
}

/** An access without the lock, why it races, and the change under the lock it races with. */
interface Race {
  readonly a: Access;
  readonly how: string;
  readonly w: Access;
}

const CHECKED_THEN_CHANGED = 'checked and then changed';

/** What the class does with each attribute, over all its methods: the other half of each race. */
interface ClassFacts {
  readonly accesses: readonly Access[];
  /** The methods that iterate each attribute (a `for` over it or over one of its views). */
  readonly iterated: ReadonlyMap<string, ReadonlySet<FunctionInfo>>;
  /** The methods that, holding the lock, check an attribute and then change it: a compound step. */
  readonly checkedThenChanged: ReadonlyMap<string, ReadonlySet<FunctionInfo>>;
  /**
   * Of those, the methods whose every such step only tests that something is there (`while
   * self.q:`, `if k in self.d:`, `len(self.q) > 0`) and then takes it out: an addition made
   * meanwhile without the lock cannot make that test wrong.
   */
  readonly consumedAfterPresence: ReadonlyMap<string, ReadonlySet<FunctionInfo>>;
  /** Read, changed and written back under the lock (`self.n += 1`): a counter or an accumulator. */
  readonly updatedUnderLock: ReadonlySet<string>;
  /** Changed in place under the lock. */
  readonly mutatedUnderLock: ReadonlySet<string>;
  /**
   * Lists (every value the class gives the attribute is one) that are changed under the lock by
   * more than appending. Iterating a list while another thread appends to it is well defined (the
   * loop may or may not see the new items); removing or inserting can skip or repeat one.
   */
  readonly reshapedUnderLock: ReadonlySet<string>;
  readonly lists: ReadonlySet<string>;
  /** weakref mappings (every value the class gives the attribute is one), whose views are generators. */
  readonly weakMappings: ReadonlySet<string>;
  /** Set to None or deleted under the lock: a reader that checked it can then use a stale object. */
  readonly clearedUnderLock: ReadonlySet<string>;
}

const within = (inner: Extent, outer: Extent) => inner.start >= outer.start && inner.end <= outer.end;

/** An unlocked access to the same attribute, in the same method, inside `region`. */
function touches(facts: ClassFacts, a: Access, region: Extent, pred: (b: Access) => boolean): boolean {
  return facts.accesses.some((b) => b !== a && b.fn === a.fn && b.attr === a.attr && (!b.lock || b.bySomeCallers) && within(b.node, region) && pred(b));
}

/**
 * Why an access without the lock takes part in a race, or undefined when it is a single atomic
 * step that needs no lock: one read of a reference, one store of a new value, one call of a
 * container method. Those are atomic in CPython with or without the GIL; what breaks is a
 * compound action whose steps another thread can come between.
 */
function compoundAction(a: Access, facts: ClassFacts, ctx: RuleContext): string | undefined {
  const checkedFirst = decidingConditions(a.node, a.fn).some((c) => touches(facts, a, c, (b) => !b.write));
  switch (a.write) {
    case 'update':
      return unreadCounter(a.attr, ctx.resolver) ? undefined : 'read, changed and written back';
    case 'rebind': {
      // A new value stored after a check (`if self.x is None: self.x = make()`) is lazy
      // initialisation, TW504's business; here only a value computed from the old one counts.
      const assignment = a.node.parent;
      const value = assignment?.type === 'assignment' ? child(assignment, 'right') : undefined;
      if (value && touches(facts, a, value, (b) => !b.write)) return 'recomputed from its old value';
      // Unless other threads accumulate into it under the lock: a stale check then erases their updates.
      return checkedFirst && facts.updatedUnderLock.has(a.attr) ? 'overwritten after a check of it, erasing updates made under the lock' : undefined;
    }
    case 'mutate': {
      if (checkedFirst) return 'changed after a check of it';
      const elsewhere = (m: ReadonlyMap<string, ReadonlySet<FunctionInfo>>) => [...(m.get(a.attr) ?? [])].find((f) => f !== a.fn);
      // A method that first joins the thread `a.fn` runs on iterates after that thread is done.
      const iterating = [...(facts.iterated.get(a.attr) ?? [])].find((f) => f !== a.fn && !joinsThreadOf(f, a.fn, a.attr, ctx));
      if (iterating && !(facts.lists.has(a.attr) && appends(a, ctx))) return `changed in place while '${iterating.name}' may be iterating it`;
      const checking = elsewhere(facts.checkedThenChanged);
      if (!checking) return undefined;
      // Adding to it cannot turn "something is there" false: a taker that checked that still finds it.
      const checkers = [...facts.checkedThenChanged.get(a.attr)!].filter((f) => f !== a.fn);
      if (grows(a, ctx) && checkers.every((f) => facts.consumedAfterPresence.get(a.attr)?.has(f))) return undefined;
      return `changed in place between the check and the change '${checking.name}' makes under the lock`;
    }
    default: {
      if (facts.mutatedUnderLock.has(a.attr) && facts.weakMappings.has(a.attr) && searchedView(a.node, ctx)) return 'searched value by value (a weakref view is a generator)';
      if (facts.mutatedUnderLock.has(a.attr) && iterated(a.node, ctx)) {
        if (!facts.lists.has(a.attr) || facts.reshapedUnderLock.has(a.attr)) return 'iterated';
        // A list others only append to is safe to go through, unless the loop stands for taking
        // everything: cleared or replaced after it, what was appended meanwhile is lost.
        const after = { start: a.node.end, end: a.fn.node.end };
        if (touches(facts, a, after, (b) => b.write === 'rebind' || (b.write === 'mutate' && !appends(b, ctx)))) return 'iterated and then cleared, losing what is appended meanwhile';
      }
      const block = decidedBlock(a.node);
      if (!block) return undefined;
      // A change made ready for the race (`try: d.popleft() except IndexError:`) does not depend on the check.
      const changes = (b: Access) => (b.write === 'mutate' || b.write === 'update' || (b.write === 'rebind' && facts.updatedUnderLock.has(b.attr))) && !caughtAround(b.node, LOOKUP_ERRORS, ctx.resolver);
      const rest = guardedRest(block);
      if (touches(facts, a, block, changes) || (rest && touches(facts, a, rest, changes))) return CHECKED_THEN_CHANGED;
      const used = (b: Access) => !b.write && b.node.parent?.type === 'attribute' && b.node.field === 'object';
      if (facts.clearedUnderLock.has(a.attr) && touches(facts, a, block, used)) return 'checked and then used';
      if (rest && facts.clearedUnderLock.has(a.attr) && touches(facts, a, rest, used)) return 'checked by a guard clause and then used';
      return undefined;
    }
  }
}

export const inconsistentLocking: Rule = {
  meta: {
    code: 'TW501',
    name: 'inconsistent-locking',
    severity: 'warning',
    fix: 'none',
    summary: 'an attribute written under a lock in one method and changed, or read to decide a change, without it in another',
    description: "An attribute changed under the class's lock in one method and, in another, changed without it or read as the first step of a compound action (a check that decides a change, an iteration, a read-modify-write).",
    peerCodes: [],
  },
  onFinish(ctx) {
    for (const cls of ctx.model.classes) {
      const discipline = lockDiscipline(cls, ctx.resolver);
      if (!discipline) continue;
      const { accesses, guardedWrites } = discipline;
      const mutatedUnderLock = new Set<string>();
      const reshapedUnderLock = new Set<string>();
      const lists = listAttributes(cls.attributes, ctx);
      const weakMappings = attributesMadeBy(cls.attributes, WEAK_MAPPINGS, ctx);
      const clearedUnderLock = new Set<string>();
      const updatedUnderLock = new Set<string>();
      const iteratedAttrs = new Map<string, Set<FunctionInfo>>();
      const checkedThenChanged = new Map<string, Set<FunctionInfo>>();
      const consumedAfterPresence = new Map<string, Set<FunctionInfo>>();
      const notPresenceOnly = new Map<string, Set<FunctionInfo>>();
      const note = (m: Map<string, Set<FunctionInfo>>, a: Access) => (m.get(a.attr) ?? m.set(a.attr, new Set()).get(a.attr)!).add(a.fn);
      for (const a of accesses) {
        if (!a.write && (iterated(a.node, ctx) || (weakMappings.has(a.attr) && searchedView(a.node, ctx)))) note(iteratedAttrs, a);
        if (!a.write && a.lock) {
          const block = decidedBlock(a.node);
          const changes = block ? accesses.filter((b) => b.fn === a.fn && b.attr === a.attr && b.write && b.lock && within(b.node, block)) : [];
          if (changes.length > 0) {
            note(checkedThenChanged, a);
            note(presenceTest(a.node, ctx) && changes.every((b) => takesOut(b, ctx)) ? consumedAfterPresence : notPresenceOnly, a);
          }
        }
        if (!a.write || !a.lock || a.assumed) continue;
        if (a.write === 'mutate' || a.write === 'update') mutatedUnderLock.add(a.attr);
        if (a.write === 'mutate' && !appends(a, ctx)) reshapedUnderLock.add(a.attr);
        if (a.write === 'update') updatedUnderLock.add(a.attr);
        if (a.write === 'rebind' && clears(a.node)) clearedUnderLock.add(a.attr);
      }
      // A method with any other check-then-change of the attribute is not one that only takes out.
      for (const [attr, fns] of notPresenceOnly) for (const f of fns) consumedAfterPresence.get(attr)?.delete(f);
      const facts: ClassFacts = { accesses, iterated: iteratedAttrs, checkedThenChanged, consumedAfterPresence, updatedUnderLock, mutatedUnderLock, reshapedUnderLock, lists, weakMappings, clearedUnderLock };
      const reported = new Set<string>();
      // Per helper that some calls make with the lock and others without: its first race.
      const helpers = new Map<FunctionInfo, Race>();
      const races: Race[] = [];
      for (const a of accesses) {
        const w = guardedWrites.get(a.attr);
        if (!w || (a.lock && !a.bySomeCallers) || a.fn === w.fn) continue;
        if (accesses.some((b) => b.fn === a.fn && b.attr === a.attr && b.write && b.lock && !b.assumed)) continue;
        const how = compoundAction(a, facts, ctx);
        if (!how || changesStoppedByFlag(a, accesses, ctx.resolver)) continue;
        if (a.bySomeCallers) {
          if (!helpers.has(a.fn)) helpers.set(a.fn, { a, how, w });
          continue;
        }
        // One finding per attribute and line: `self.x.append(self.x[0])` is one race, not two.
        const line = ctx.source.lastIndexOf('\n', a.node.start);
        const key = `${a.attr}@${line}`;
        if (reported.has(key)) continue;
        reported.add(key);
        races.push({ a, how, w });
      }
      // `if k in self.d: del self.d[k]` is one race, found at its check: the change it decides is
      // shown with it rather than reported again a line below. Taking the lock around the whole
      // `if` fixes both.
      const checks = races.filter((r) => !r.a.write && r.how === CHECKED_THEN_CHANGED).map((c) => {
        const block = decidedBlock(c.a.node);
        return { c, regions: [block, guardedRest(block)].filter((x): x is Extent => x !== undefined) };
      });
      const decidedBy = new Map<Race, Race>();
      for (const r of races) {
        if (!r.a.write) continue;
        const check = checks.find(({ c, regions }) => c.a.fn === r.a.fn && c.a.attr === r.a.attr && regions.some((region) => within(r.a.node, region)));
        if (check) decidedBy.set(r, check.c);
      }
      for (const { a, how, w } of races.filter((r) => !decidedBy.has(r))) {
        const text = ctx.resolver.text(a.node);
        const changes = [...decidedBy].filter(([, c]) => c.a === a).map(([r]) => r.a.node);
        const caller = a.lock ? undefined : entryState(a.fn, ctx.resolver).calledUnlocked;
        ctx.report({
          start: a.node.start,
          end: a.node.end,
          message: `'${text}' is ${how}, here in '${a.fn.name}' without '${w.lock}' (which '${w.fn.name}' holds to change it${caller ? `; ${caller} calls '${a.fn.name}' without it` : ''}): another thread can come between these steps and its update is lost or seen half-made; take '${w.lock}' here too${changes.length > 0 ? ', around the check and the change' : ''}.`,
          related: [
            ...changes.map((n) => ({ start: n.start, end: n.end, message: `'${ctx.resolver.text(n)}' is changed here, after the check` })),
            { start: w.node.start, end: w.node.end, message: `'${ctx.resolver.text(w.node)}' is changed under '${w.lock}' here, in '${w.fn.name}'` },
          ],
        });
      }
      // The helper's contract is that its caller holds the lock (most calls do): the race is at a
      // call that does not, and taking the lock there is the fix, so that call is reported once
      // rather than every access inside the helper.
      for (const [fn, { a, how, w }] of helpers) {
        for (const call of entryState(fn, ctx.resolver).unheldCalls ?? []) {
          ctx.report({
            start: call.start,
            end: call.end,
            message: `'${ctx.resolver.text(call)}' runs '${fn.name}' without '${a.lock}', which its other calls hold: there '${ctx.resolver.text(a.node)}' is ${how}, and another thread can come between these steps; take '${a.lock}' here too.`,
            related: [
              { start: a.node.start, end: a.node.end, message: `'${ctx.resolver.text(a.node)}' is ${how} here, in '${fn.name}'` },
              { start: w.node.start, end: w.node.end, message: `'${ctx.resolver.text(w.node)}' is changed under '${w.lock}' here, in '${w.fn.name}'` },
            ],
          });
        }
      }
    }
  },
};


/** `self.x = None` or `del self.x`. */
function clears(attrNode: SNode): boolean {
  const p = attrNode.parent;
  if (p?.type === 'delete_statement') return true;
  const value = p?.type === 'assignment' ? child(p, 'right') : undefined;
  return value?.type === 'none';
}

/** `self.x.append(v)`, `self.x.extend(vs)`: the list only grows at its end. */
/** The method called on the attribute (`self.q.pop()` gives `pop`), if the access is such a call. */
function methodCalled(a: Access, ctx: RuleContext): string | undefined {
  const p = a.node.parent;
  const method = p?.type === 'attribute' && a.node.field === 'object' ? child(p, 'attribute') : undefined;
  return method && p?.parent?.type === 'call' && p.field === 'function' ? ctx.resolver.text(method) : undefined;
}

const GROWERS = new Set(['append', 'appendleft', 'extend', 'extendleft', 'add', 'put', 'put_nowait']);
const TAKERS = new Set(['pop', 'popleft', 'popitem', 'remove', 'discard', 'get', 'get_nowait']);

/** `self.q.append(x)`, `self.s.add(x)`, `self.d[k] = v`: nothing is taken out of the container. */
function grows(a: Access, ctx: RuleContext): boolean {
  if (GROWERS.has(methodCalled(a, ctx) ?? '')) return true;
  const sub = a.node.parent;
  return sub?.type === 'subscript' && a.node.field === 'value' && sub.parent?.type === 'assignment' && sub.field === 'left';
}

/** `self.q.pop()`, `del self.d[k]`: something is taken out. */
function takesOut(a: Access, ctx: RuleContext): boolean {
  if (TAKERS.has(methodCalled(a, ctx) ?? '')) return true;
  const sub = a.node.parent;
  return sub?.type === 'subscript' && a.node.field === 'value' && sub.parent?.type === 'delete_statement';
}

/**
 * The read is the whole test that something is there: `while self.q:`, `if self.d:`, `k in self.d`,
 * `len(self.q) > 0` (or `>= 1`, `!= 0`, or `len(self.q)` alone).
 */
function presenceTest(read: SNode, ctx: RuleContext): boolean {
  let n = outerParens(read);
  // `len(self.q)`: the call stands for the attribute.
  const args = n.parent;
  if (args?.type === 'argument_list' && namedChildren(args).length === 1 && args.parent?.type === 'call' && ctx.resolver.textIs(child(args.parent, 'function') ?? args, 'len')) {
    const call = outerParens(args.parent);
    const cmp = call.parent;
    if (cmp?.type === 'comparison_operator') {
      const [left, right] = namedChildren(cmp);
      const op = ctx.source.slice(left!.end, right!.start).trim();
      const bound = right ? ctx.resolver.text(right) : '';
      if (left !== call || !((op === '>' && bound === '0') || (op === '>=' && bound === '1') || (op === '!=' && bound === '0'))) return false;
      n = outerParens(cmp);
    } else {
      n = call;
    }
  } else if (n.parent?.type === 'comparison_operator') {
    const [left, right] = namedChildren(n.parent);
    if (right !== n || namedChildren(n.parent).length !== 2 || ctx.source.slice(left!.end, right.start).trim() !== 'in') return false;
    n = outerParens(n.parent);
  }
  const p = n.parent;
  return !!p && (p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement') && n.field === 'condition';
}

function appends(a: Access, ctx: RuleContext): boolean {
  const method = methodCalled(a, ctx);
  return method === 'append' || method === 'extend';
}

const WEAK_MAPPINGS = new Set(['weakref.WeakValueDictionary', 'weakref.WeakKeyDictionary']);

/** Attributes the class only ever sets to a call of one of `makers` (by qualified name). */
function attributesMadeBy(attributes: ReadonlyMap<string, readonly SNode[]>, makers: ReadonlySet<string>, ctx: RuleContext): Set<string> {
  const made = (v: SNode) => {
    const callee = v.type === 'call' ? child(v, 'function') : undefined;
    const q = callee ? ctx.resolver.qualifiedName(callee, ctx.resolver.scopeAt(v, ctx.model.module)) : undefined;
    return q !== undefined && makers.has(q);
  };
  const out = new Set<string>();
  for (const [name, values] of attributes) if (values.length > 0 && values.every(made)) out.add(name);
  return out;
}

/** Attributes the class only ever sets to a list (`[]`, `[...]`, a list comprehension, `list(...)`). */
function listAttributes(attributes: ReadonlyMap<string, readonly SNode[]>, ctx: RuleContext): Set<string> {
  const isList = (v: SNode) => {
    const callee = v.type === 'call' ? child(v, 'function') : undefined;
    return v.type === 'list' || v.type === 'list_comprehension' || (callee?.type === 'identifier' && ctx.resolver.textIs(callee, 'list'));
  };
  const out = new Set<string>();
  for (const [name, values] of attributes) if (values.length > 0 && values.every(isList)) out.add(name);
  return out;
}
