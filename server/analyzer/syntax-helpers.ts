// Small questions about copied nodes that rules and the model ask everywhere.
import type { SNode } from './syntax-tree';

export function child(node: SNode, field: string): SNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

/**
 * The name and annotation of one child of a `parameters` node (`x`, `x: int`, `x=1`,
 * `x: int = 1`, `*args`, `**kw`); separators (`*`, `/`) have neither.
 */
export function parameterParts(p: SNode): { name?: SNode; annotation?: SNode } {
  switch (p.type) {
    case 'identifier':
      return { name: p };
    case 'typed_parameter':
      return { name: namedChildren(p).find((c) => c.type === 'identifier' && c.field !== 'type'), annotation: child(p, 'type') };
    case 'default_parameter':
    case 'typed_default_parameter':
      return { name: child(p, 'name'), annotation: child(p, 'type') };
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return { name: namedChildren(p).find((c) => c.type === 'identifier') };
    default:
      return {};
  }
}

/** The docstring node of a `def` or `class` (the string its body starts with), if it has one. */
export function docstringOf(definition: SNode): SNode | undefined {
  const body = child(definition, 'body');
  const first = body?.children.find((c) => c.named && c.type !== 'comment');
  const expr = first?.type === 'expression_statement' ? first.children.find((c) => c.named) : undefined;
  return expr?.type === 'string' ? expr : undefined;
}

/** The statement after this one in its block, comments skipped. */
export function nextStatement(stmt: SNode): SNode | undefined {
  const siblings = stmt.parent?.children ?? [];
  for (let i = siblings.indexOf(stmt) + 1; i < siblings.length; i++) {
    const s = siblings[i]!;
    if (s.named && s.type !== 'comment') return s;
  }
  return undefined;
}

/**
 * The exception classes an `except` clause names, as written (`except (KeyError, ValueError) as e`
 * gives both); undefined for a bare `except:`, which catches everything.
 */
export function caughtTypes(clause: SNode): SNode[] | undefined {
  let value = child(clause, 'value');
  if (!value) return undefined;
  if (value.type === 'as_pattern') value = namedChildren(value).find((c) => c.field !== 'alias');
  if (!value) return [];
  return value.type === 'tuple' || value.type === 'parenthesized_expression' ? namedChildren(value) : [value];
}

export function childrenOf(node: SNode, field: string): SNode[] {
  return node.children.filter((c) => c.field === field);
}

export function namedChildren(node: SNode): SNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

export function textOf(source: string, node: SNode): string {
  return source.slice(node.start, node.end);
}

/** Pre-order traversal without recursion. Return false from visit to skip a node's children. */
export function walk(root: SNode, visit: (node: SNode) => boolean | void): void {
  const stack: SNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** Skips parentheses around an expression: `(f())` is the call `f()`. */
export function unparenthesize(node: SNode): SNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** The expression that contains `node` once parentheses around it are taken into account. */
export function outerParens(node: SNode): SNode {
  let n = node;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  return n;
}

export function isStatement(node: SNode): boolean {
  return node.type.endsWith('_statement') || node.type === 'function_definition' ||
    node.type === 'class_definition' || node.type === 'decorated_definition';
}

/**
 * The index of the last child of `node` that starts at or before `offset` (children are in source
 * order), or -1: the only child that can hold `offset`, found by binary search.
 */
export function lastChildStartingAt(node: SNode, offset: number): number {
  const kids = node.children;
  let lo = 0;
  let hi = kids.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (kids[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
