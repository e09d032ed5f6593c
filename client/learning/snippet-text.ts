// Snippet-file parsing and placeholder expansion: plain text work, kept free of the vscode API
// so tests can run it under node.

/** One snippet of the extension's contributed snippet files. */
export interface Pattern {
  readonly name: string;
  readonly prefix: string;
  readonly description: string;
  readonly body: string;
}

interface SnippetJson {
  prefix?: unknown;
  body?: unknown;
  description?: unknown;
}

/** Removes // and /* comments outside strings: snippet files are JSON with comments. */
function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** Parses a snippet file's text; entries without a prefix or body are skipped, bad JSON gives none. */
export function parseSnippets(text: string): Pattern[] {
  let data: unknown;
  try {
    data = JSON.parse(stripJsonComments(text));
  } catch {
    return [];
  }
  if (!data || typeof data !== 'object') return [];
  const patterns: Pattern[] = [];
  for (const [name, raw] of Object.entries(data as Record<string, SnippetJson>)) {
    const prefixes = Array.isArray(raw?.prefix) ? raw.prefix : [raw?.prefix];
    const prefix = prefixes.find((p): p is string => typeof p === 'string');
    const body = Array.isArray(raw?.body) ? raw.body.filter((l): l is string => typeof l === 'string').join('\n') : raw?.body;
    if (!prefix || typeof body !== 'string') continue;
    patterns.push({ name, prefix, description: typeof raw.description === 'string' ? raw.description : name, body });
  }
  return patterns.sort((a, b) => a.prefix.localeCompare(b.prefix));
}

// ---- The VS Code snippet grammar, enough to expand a body with its default placeholders -------

type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; n: number; children: SnippetNode[] | null }
  | { kind: 'choice'; n: number; options: string[] }
  | { kind: 'variable'; name: string; children: SnippetNode[] | null };

export class SnippetSyntaxError extends Error {}

/** Parses a snippet body (tabstops, placeholders with nested defaults, choices, variables, escapes). */
function parseSnippet(source: string): SnippetNode[] {
  let i = 0;
  const text = (nodes: SnippetNode[], value: string): void => {
    const last = nodes[nodes.length - 1];
    if (last?.kind === 'text') last.value += value;
    else nodes.push({ kind: 'text', value });
  };
  const readInt = (): number | null => {
    const m = /^[0-9]+/.exec(source.slice(i));
    if (!m) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  const readName = (): string | null => {
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(source.slice(i));
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  // Inside a choice, `,` and `|` may be escaped too; everywhere, `$`, `}` and `\`.
  const escapable = (inChoice: boolean): string => (inChoice ? '$}\\,|' : '$}\\');

  const parseChoiceOptions = (): string[] => {
    const options: string[] = [''];
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\' && i + 1 < source.length && escapable(true).includes(source[i + 1]!)) {
        options[options.length - 1] += source[i + 1];
        i += 2;
      } else if (c === ',') {
        options.push('');
        i++;
      } else if (c === '|' && source[i + 1] === '}') {
        i += 2;
        return options;
      } else {
        options[options.length - 1] += c;
        i++;
      }
    }
    throw new SnippetSyntaxError('unterminated choice');
  };

  // Parses `$...` at i (source[i] === '$'); returns false, leaving i alone, when it is literal text.
  const parseDollar = (nodes: SnippetNode[]): boolean => {
    const start = i;
    i++;
    const n = readInt();
    if (n !== null) {
      nodes.push({ kind: 'tabstop', n, children: null });
      return true;
    }
    const bareName = readName();
    if (bareName !== null) {
      nodes.push({ kind: 'variable', name: bareName, children: null });
      return true;
    }
    if (source[i] !== '{') {
      i = start;
      return false;
    }
    i++;
    const num = readInt();
    const name = num === null ? readName() : null;
    if (num === null && name === null) {
      i = start;
      return false;
    }
    const c = source[i];
    if (c === '}') {
      i++;
      nodes.push(num !== null ? { kind: 'tabstop', n: num, children: null } : { kind: 'variable', name: name!, children: null });
      return true;
    }
    if (c === ':') {
      i++;
      const children = parseSequence(true);
      nodes.push(num !== null ? { kind: 'tabstop', n: num, children } : { kind: 'variable', name: name!, children });
      return true;
    }
    if (c === '|' && num !== null) {
      i++;
      nodes.push({ kind: 'choice', n: num, options: parseChoiceOptions() });
      return true;
    }
    if (c === '/') throw new SnippetSyntaxError(`transforms are not supported by this expander (at ${start})`);
    i = start;
    return false;
  };

  function parseSequence(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\' && i + 1 < source.length && escapable(false).includes(source[i + 1]!)) {
        text(nodes, source[i + 1]!);
        i += 2;
      } else if (c === '$' && parseDollar(nodes)) {
        // parsed a tabstop, placeholder, choice or variable
      } else if (c === '}' && nested) {
        i++;
        return nodes;
      } else {
        text(nodes, c);
        i++;
      }
    }
    if (nested) throw new SnippetSyntaxError('unterminated placeholder');
    return nodes;
  }
  return parseSequence(false);
}

/**
 * Expands a body the way VS Code inserts it when every placeholder keeps its default: a tabstop
 * shows the default of its placeholder (mirrors included), a choice its first option. Also
 * checks that a placeholder repeated with a default has the same default everywhere.
 */
export function expandSnippet(body: string, variables: Readonly<Record<string, string>> = {}, unknownAsName = true): string {
  const nodes = parseSnippet(body);
  const defaults = new Map<number, string>();
  const render = (list: SnippetNode[]): string => list.map(renderOne).join('');
  const renderOne = (node: SnippetNode): string => {
    switch (node.kind) {
      case 'text':
        return node.value;
      case 'tabstop':
        return node.children ? render(node.children) : (defaults.get(node.n) ?? '');
      case 'choice':
        return node.options[0] ?? '';
      case 'variable':
        // VS Code inserts an unknown variable as its name and makes it a placeholder.
        return variables[node.name] ?? (node.children ? render(node.children) : unknownAsName ? node.name : '');
    }
  };
  const collect = (list: SnippetNode[]): void => {
    for (const node of list) {
      let value: string | undefined;
      if (node.kind === 'tabstop' && node.children) {
        collect(node.children);
        value = render(node.children);
      } else if (node.kind === 'choice') {
        value = node.options[0] ?? '';
      } else if (node.kind === 'variable' && node.children) {
        collect(node.children);
      }
      if (value === undefined || node.kind === 'text' || node.kind === 'variable') continue;
      const known = defaults.get(node.n);
      if (known !== undefined && known !== value) throw new SnippetSyntaxError(`$${node.n} has the defaults "${known}" and "${value}"`);
      defaults.set(node.n, value);
    }
  };
  collect(nodes);
  return render(nodes);
}

/**
 * The snippet body as the code it expands to with default placeholders, for the preview: unknown
 * variables show as nothing, and a body the expander cannot read is shown as written.
 */
export function expandDefaults(body: string): string {
  try {
    return expandSnippet(body, {}, false);
  } catch {
    return body;
  }
}
