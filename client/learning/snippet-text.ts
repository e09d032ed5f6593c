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

/**
 * The snippet body as the code it expands to with default placeholders: ${1:x} → x,
 * ${1|a,b|} → a, $1 / ${1} / variables → nothing, \$ → $. Used for the preview only.
 */
export function expandDefaults(body: string): string {
  let text = body;
  // Innermost placeholders first, until none is left (placeholders nest).
  for (let guard = 0; guard < 20; guard++) {
    const next = text
      .replace(/\$\{\d+:((?:[^${}\\]|\\.)*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)(?:,[^|]*)?\|\}/g, '$1')
      .replace(/\$\{[A-Z_]+(?::((?:[^${}\\]|\\.)*))?\}/g, (_m, d: string | undefined) => d ?? '')
      .replace(/\$\{\d+\}/g, '');
    if (next === text) break;
    text = next;
  }
  // One pass, so an escaped \$ is unescaped rather than read as the start of a variable.
  return text.replace(/\\([$}\\])|\$(?:\d+|[A-Z_]+)/g, (_m, escaped: string | undefined) => escaped ?? '');
}
