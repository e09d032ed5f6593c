import type { Resolver } from './resolve';
import type { FunctionInfo, Scope } from './scope';
import { child, namedChildren, unparenthesize, type SNode } from '../syntax';
import { returnsOf } from './function-returns';

/**
 * The kernel's pseudo-filesystems on Linux: `/proc` and `/sys` files are made in memory when read,
 * and writing one (`/sys/class/gpio/export`) is a call into a driver, so opening, reading or
 * listing them waits for no disk. `/dev` is not among them: a serial port or a terminal can block.
 */
const PSEUDO_ROOT = /^\/(?:proc|sys)(?:\/|$)/;

/** Calls that make a path from their first argument, keeping its start. */
const PATH_MAKERS = new Set(['os.path.join', 'posixpath.join', 'os.fspath', 'pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.PurePosixPath', 'builtins.str']);

/** How far names, attributes and helpers are followed to find where a path starts. */
const MAX_DEPTH = 6;

/**
 * True when the path `expr` denotes starts, on every way it can be made, with `/proc/` or `/sys/`:
 * a literal, an f-string or `%`/`+`/`/` expression whose left end is one, a constant of the module
 * or class assigned only such values (`GPIO_PATH = '/sys/class/gpio'`), `os.path.join` or
 * `Path()` of one, or a helper of the module whose every `return` gives one
 * (`def path(self, name): return os.path.join(self.GPIO_PATH, name)`).
 */
export function pseudoFilePath(expr: SNode, scope: Scope, resolver: Resolver): boolean {
  return startsPseudo(expr, scope, resolver, 0, new Set());
}

function startsPseudo(expr: SNode, scope: Scope, resolver: Resolver, depth: number, seen: Set<SNode>): boolean {
  if (depth > MAX_DEPTH) return false;
  const node = unparenthesize(expr);
  if (seen.has(node)) return false;
  seen.add(node);
  const next = (e: SNode | undefined, s: Scope = scope) => !!e && startsPseudo(e, s, resolver, depth + 1, seen);
  switch (node.type) {
    case 'string': {
      // `f"{PROC}/meminfo"`: the path starts where the first interpolated value does.
      const parts = node.children.filter((c) => c.type === 'string_content' || c.type === 'interpolation');
      if (parts[0]?.type === 'interpolation') {
        const after = parts[1]?.type === 'string_content' ? resolver.text(parts[1]) : '';
        return (after === '' || after.startsWith('/')) && next(child(parts[0], 'expression'));
      }
      return PSEUDO_ROOT.test(leadingText(node, resolver));
    }
    case 'concatenated_string':
      return PSEUDO_ROOT.test(namedChildren(node).map((s) => leadingText(s, resolver)).join(''));
    case 'binary_operator': {
      const op = node.children.find((c) => c.field === 'operator');
      return !!op && ['+', '%', '/'].includes(resolver.text(op)) && next(child(node, 'left'));
    }
    case 'identifier': {
      const found = resolver.lookup(resolver.text(node), scope);
      if (!found || found.bindings.length === 0) return false;
      return found.bindings.every((b) => b.kind === 'assign' && !!b.value && next(b.value, found.scope));
    }
    case 'attribute': {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      const cls = object ? (resolver.receiverClass(object, scope) ?? resolver.classNamed(object, scope)) : undefined;
      const values = cls && attr ? resolver.attributeValues(cls, resolver.text(attr)) : undefined;
      return !!values && values.length > 0 && values.every((v) => next(v.value, v.scope));
    }
    case 'call': {
      const callee = child(node, 'function');
      if (!callee) return false;
      // `'/proc/{}/stat'.format(pid)`
      if (callee.type === 'attribute' && resolver.textIs(child(callee, 'attribute')!, 'format')) return next(child(callee, 'object'));
      const q = resolver.qualifiedName(callee, scope);
      if (q) return PATH_MAKERS.has(q) && next(namedChildren(child(node, 'arguments') ?? node)[0]);
      const fns = resolver.localFunctions(callee, scope);
      return !!fns && fns.length === 1 && returnsPseudo(fns[0]!, resolver, depth, seen);
    }
    default:
      return false;
  }
}

/** The text of a string literal up to its first interpolation. */
function leadingText(node: SNode, resolver: Resolver): string {
  let text = '';
  for (const c of node.children) {
    if (c.type === 'interpolation') break;
    if (c.type === 'string_content') text += resolver.text(c);
  }
  return text;
}

/** Every `return` of the function (not of functions nested in it) gives a pseudo-file path. */
function returnsPseudo(fn: FunctionInfo, resolver: Resolver, depth: number, seen: Set<SNode>): boolean {
  const returns = returnsOf(fn);
  return returns.length > 0 && returns.every((r) => {
    const value = namedChildren(r)[0];
    return !!value && startsPseudo(value, fn, resolver, depth + 1, seen);
  });
}
