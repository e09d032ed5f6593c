import { child, childrenOf, namedChildren, parameterParts, type SNode } from '../syntax';
import { replayPiece, type ModelParts, type ModelPieces } from './model-pieces';
import type { CallSite, Comment, NodeSite, SemanticModel } from './semantic-model';

/** Node types that node-level rules are handed (calls go to call rules separately). */
export const INSPECTED_TYPES: ReadonlySet<string> = new Set([
  'await', 'with_statement', 'for_statement', 'for_in_clause', 'try_statement', 'while_statement',
  'expression_statement', 'if_statement', 'attribute',
]);
import { addBinding, type Binding, type ClassInfo, type FunctionInfo, type ModuleScope, type Scope } from './scope';

/** Names bound by an assignment target; `value` is kept only for a plain `name = value`. */
function bindTargets(scope: Scope, target: SNode, value: SNode | undefined): void {
  const stack: SNode[] = [target];
  const single = target.type === 'identifier';
  while (stack.length > 0) {
    const t = stack.pop()!;
    switch (t.type) {
      case 'identifier': {
        const binding: Binding = single && value ? { kind: 'assign', value, node: t } : { kind: 'other', node: t };
        bind(scope, sourceName(t), binding);
        break;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'list_splat_pattern':
      case 'parenthesized_expression':
      case 'as_pattern_target':
        for (const c of namedChildren(t)) stack.push(c);
        break;
      default:
        break; // attributes and subscripts bind no name in this scope
    }
  }
}

/**
 * Module-scope bindings made while a top-level statement is walked, in order, so that its piece of
 * the model can be replayed into the next version's module scope (see ModelPiece).
 */
let moduleLog: Array<[string, Binding]> | undefined;
let loggedModule: ModuleScope | undefined;

function bind(scope: Scope, name: string, binding: Binding): void {
  if (moduleLog && scope === loggedModule) moduleLog.push([name, binding]);
  addBinding(scope, name, binding);
}

// The source text of identifiers is needed constantly; this is set per build.
let currentSource = '';
function sourceName(node: SNode): string {
  return currentSource.slice(node.start, node.end);
}

function dottedName(node: SNode): string {
  return currentSource.slice(node.start, node.end).replace(/\s+/g, '');
}

function bindImport(scope: Scope, stmt: SNode): void {
  if (stmt.type === 'import_statement') {
    for (const item of childrenOf(stmt, 'name')) {
      if (item.type === 'aliased_import') {
        const name = child(item, 'name');
        const alias = child(item, 'alias');
        if (name && alias) bind(scope, sourceName(alias), { kind: 'import', qname: dottedName(name), node: item });
      } else {
        // `import a.b.c` binds `a`, and `a.b.c.f` then resolves through attribute access.
        const first = dottedName(item).split('.')[0]!;
        bind(scope, first, { kind: 'import', qname: first, node: item });
      }
    }
    return;
  }
  const moduleNode = child(stmt, 'module_name');
  if (!moduleNode) return;
  const moduleName = dottedName(moduleNode);
  for (const item of childrenOf(stmt, 'name')) {
    const nameNode = item.type === 'aliased_import' ? child(item, 'name') : item;
    const aliasNode = item.type === 'aliased_import' ? child(item, 'alias') : item;
    if (!nameNode || !aliasNode) continue;
    const imported = dottedName(nameNode);
    const local = sourceName(aliasNode);
    bind(scope, local, { kind: 'import', qname: `${moduleName}.${imported}`, node: item });
  }
}

function bindParameters(fn: FunctionInfo, params: SNode | undefined): string | undefined {
  if (!params) return undefined;
  let first: string | undefined;
  for (const p of namedChildren(params)) {
    const { name: nameNode, annotation } = parameterParts(p);
    if (!nameNode) continue;
    const name = sourceName(nameNode);
    first ??= p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' ? undefined : name;
    bind(fn, name, { kind: 'param', annotation, node: nameNode });
  }
  return first;
}

function isAsyncDef(node: SNode): boolean {
  return node.type === 'function_definition' && node.children.some((c) => !c.named && c.type === 'async');
}

/**
 * Builds the semantic model in one pre-order walk with an explicit stack. Given `pieces` (the copy
 * belongs to an open document that is being edited), each top-level statement's part of the model
 * is remembered there, and a statement whose subtree was carried over unchanged from the previous
 * version is replayed instead of walked.
 */
export function buildModel(source: string, root: SNode, pieces?: ModelPieces): SemanticModel {
  currentSource = source;
  const module: ModuleScope = { type: 'module', node: root, parent: undefined, bindings: new Map() };
  const functions: FunctionInfo[] = [];
  const classes: ClassInfo[] = [];
  const calls: CallSite[] = [];
  const comments: Comment[] = [];
  const nodes: NodeSite[] = [];
  const scopeOf = new Map<SNode, Scope>();
  scopeOf.set(root, module);

  const scopeLog: Array<[SNode, Scope]> = [];
  // The last token that is not a comment; its row is only looked up when a comment follows.
  let lastCode: SNode | undefined;
  // Set when a comment's `trailing` depended on code before the statement being walked.
  let leansOnEarlierCode = false;
  let lastCodeBefore: SNode | undefined;

  // Two parallel stacks rather than a {node, scope} object per node: the walk visits every node.
  const nodeStack: SNode[] = [];
  const scopeStack: Scope[] = [];
  const walkFrom = (start: SNode, startScope: Scope): void => {
  nodeStack.push(start);
  scopeStack.push(startScope);
  while (nodeStack.length > 0) {
    const node = nodeStack.pop()!;
    const scope = scopeStack.pop()!;
    let inner: Scope = scope;
    if (node.named && INSPECTED_TYPES.has(node.type)) nodes.push({ node, scope });

    switch (node.type) {
      case 'comment': {
        const text = source.slice(node.start, node.end);
        if (lastCode === lastCodeBefore) leansOnEarlierCode = true;
        comments.push({ node, text, trailing: lastCode !== undefined && lastCode.end <= node.start && lastCode.endRow === node.startRow });
        break;
      }
      case 'function_definition':
      case 'lambda': {
        const isLambda = node.type === 'lambda';
        const nameNode = child(node, 'name');
        const owner = scope.type === 'class' ? scope : undefined;
        const decorated = node.parent?.type === 'decorated_definition' ? node.parent : undefined;
        const fn: FunctionInfo = {
          type: 'function',
          id: functions.length,
          node,
          parent: scope,
          bindings: new Map(),
          name: isLambda ? '<lambda>' : nameNode ? sourceName(nameNode) : '<def>',
          isAsync: isAsyncDef(node),
          isLambda,
          decorators: decorated ? decorated.children.filter((c) => c.type === 'decorator') : [],
          owner,
          receiver: undefined,
          declaredOuter: new Set(),
          hasYield: false,
        };
        functions.push(fn);
        scopeOf.set(node, fn);
        scopeLog.push([node, fn]);
        if (!isLambda && nameNode) {
          bind(scope, fn.name, { kind: 'def', fn });
          if (owner) {
            const list = owner.methods.get(fn.name);
            if (list) list.push(fn);
            else owner.methods.set(fn.name, [fn]);
          }
        }
        const first = bindParameters(fn, child(node, 'parameters'));
        const isStatic = fn.decorators.some((d) => /^@\s*staticmethod\b/.test(source.slice(d.start, d.end)));
        if (owner && !isStatic) fn.receiver = first;
        inner = fn;
        // Parameters' defaults and annotations and decorators belong to the outer scope, but for the
        // rules in this file that difference never matters; the body is what runs in `fn`.
        break;
      }
      case 'class_definition': {
        const nameNode = child(node, 'name');
        const superclasses = child(node, 'superclasses');
        const cls: ClassInfo = {
          type: 'class',
          node,
          parent: scope,
          bindings: new Map(),
          name: nameNode ? sourceName(nameNode) : '<class>',
          // `Base[T]` is the class `Base`, parameterised: its methods and locks are inherited alike.
          bases: superclasses ? namedChildren(superclasses).filter((c) => c.type !== 'keyword_argument').map((b) => (b.type === 'subscript' ? (child(b, 'value') ?? b) : b)) : [],
          methods: new Map(),
          attributes: new Map(),
        };
        classes.push(cls);
        scopeOf.set(node, cls);
        scopeLog.push([node, cls]);
        bind(scope, cls.name, { kind: 'class', cls });
        inner = cls;
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        bindImport(scope, node);
        break;
      case 'assignment': {
        const left = child(node, 'left');
        const right = child(node, 'right');
        if (left) {
          bindTargets(scope, left, right);
          if (right) recordAttribute(scope, left, right);
          // `_lock: threading.RLock` with no value still declares what the attribute holds.
          else if (child(node, 'type')) recordAttribute(scope, left, child(node, 'type')!);
        }
        break;
      }
      case 'augmented_assignment': {
        const left = child(node, 'left');
        if (left?.type === 'identifier') bind(scope, sourceName(left), { kind: 'other', node: left });
        break;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const left = child(node, 'left');
        if (left) bindTargets(scope, left, undefined);
        break;
      }
      case 'with_item': {
        const value = child(node, 'value');
        if (value?.type === 'as_pattern') {
          const target = child(value, 'alias');
          const manager = namedChildren(value).find((c) => c.field !== 'alias');
          const name = target ? namedChildren(target)[0] : undefined;
          if (name?.type === 'identifier' && manager) bind(scope, sourceName(name), { kind: 'assign', value: manager, node: name });
          else if (target) bindTargets(scope, target, undefined);
        }
        break;
      }
      case 'except_clause': {
        const value = child(node, 'value');
        const target = value?.type === 'as_pattern' ? child(value, 'alias') : undefined;
        if (target) bindTargets(scope, target, undefined);
        break;
      }
      case 'named_expression': {
        const name = child(node, 'name');
        const value = child(node, 'value');
        if (name && value) bind(scope, sourceName(name), { kind: 'assign', value, node: name });
        break;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        if (scope.type === 'function') for (const id of namedChildren(node)) scope.declaredOuter.add(sourceName(id));
        break;
      case 'yield':
        if (scope.type === 'function') scope.hasYield = true;
        break;
      case 'call': {
        const callee = child(node, 'function');
        if (callee) calls.push({ node, callee, args: child(node, 'arguments'), scope });
        break;
      }
      default:
        break;
    }

    if (node.type !== 'comment' && node.type !== 'module' && node.children.length === 0) {
      lastCode = node;
    }
    for (let i = node.children.length - 1; i >= 0; i--) {
      const c = node.children[i]!;
      // A function's name and parameter defaults, and a class's bases, are evaluated in the
      // enclosing scope (parameter names are bound in the function by bindParameters).
      const scopeForChild = inner !== scope && (c.field === 'name' || c.field === 'superclasses' || c.field === 'parameters') ? scope : inner;
      nodeStack.push(c);
      scopeStack.push(scopeForChild);
    }
  }
  };

  const parts: ModelParts = { module, functions, classes, calls, comments, nodes, scopeOf, scopeLog };
  if (!pieces || root.type !== 'module') {
    walkFrom(root, module);
  } else {
    // The module node itself adds nothing to the model; its statements are walked or replayed.
    loggedModule = module;
    try {
      for (const stmt of root.children) {
        const piece = pieces.get(stmt);
        if (piece) {
          lastCode = replayPiece(piece, parts) ?? lastCode;
          continue;
        }
        const at = { functions: functions.length, classes: classes.length, calls: calls.length, comments: comments.length, nodes: nodes.length, scopes: scopeLog.length };
        const log: Array<[string, Binding]> = [];
        moduleLog = log;
        lastCodeBefore = lastCode;
        leansOnEarlierCode = false;
        walkFrom(stmt, module);
        moduleLog = undefined;
        if (leansOnEarlierCode) continue;
        pieces.set(stmt, {
          module,
          moduleBindings: log,
          functions: functions.slice(at.functions),
          classes: classes.slice(at.classes),
          calls: calls.slice(at.calls),
          comments: comments.slice(at.comments),
          nodes: nodes.slice(at.nodes),
          scopes: scopeLog.slice(at.scopes),
          lastCode: lastCode === lastCodeBefore ? undefined : lastCode,
        });
      }
    } finally {
      moduleLog = undefined;
      loggedModule = undefined;
      lastCodeBefore = undefined;
    }
  }

  currentSource = '';
  return { source, root, module, functions, classes, calls, comments, nodes, scopeOf };
}

/** `self.x = value` inside a method, or `x = value` in a class body, records an attribute. */
function recordAttribute(scope: Scope, left: SNode, right: SNode): void {
  if (scope.type === 'class' && left.type === 'identifier') {
    pushAttribute(scope, sourceName(left), right);
    return;
  }
  if (scope.type !== 'function' || !scope.owner || !scope.receiver) return;
  if (left.type !== 'attribute') return;
  const object = child(left, 'object');
  const attr = child(left, 'attribute');
  if (object?.type === 'identifier' && attr && sourceName(object) === scope.receiver) {
    pushAttribute(scope.owner, sourceName(attr), right);
  }
}

function pushAttribute(cls: ClassInfo, name: string, value: SNode): void {
  const list = cls.attributes.get(name);
  if (list) list.push(value);
  else cls.attributes.set(name, [value]);
}
