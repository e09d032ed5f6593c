/**
 * PEP 263: a Python source may declare its encoding in a comment on its first or second line
 * (`# -*- coding: latin-1 -*-`). Python reads such a file in that encoding, so the CLI does too,
 * and writes fixes back in it. Only what Python accepts is accepted: the declaration is looked
 * for where Python's tokenizer looks, and a UTF-8 byte-order mark with another declared encoding
 * is refused, as Python refuses it.
 */

/** The encoding a source declares, as written, and the line (1 or 2) that declares it. */
export interface Declaration {
  readonly name: string;
  readonly line: number;
}

// Python's tokenizer: the cookie, and the lines after which the second line is still looked at.
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:[#\r\n]|$)/;

function lineAt(bytes: Uint8Array, start: number): { text: string; next: number } {
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x0a) end++;
  // Only ASCII matters to the cookie; other bytes become U+FFFD and match nothing.
  return { text: new TextDecoder('utf-8').decode(bytes.subarray(start, Math.min(end + 1, bytes.length))), next: end + 1 };
}

export function declaredEncoding(bytes: Uint8Array): Declaration | undefined {
  const first = lineAt(bytes, hasUtf8Bom(bytes) ? 3 : 0);
  const m1 = COOKIE.exec(first.text);
  if (m1) return { name: m1[1]!, line: 1 };
  if (!BLANK_OR_COMMENT.test(first.text) || first.next >= bytes.length) return undefined;
  const m2 = COOKIE.exec(lineAt(bytes, first.next).text);
  return m2 ? { name: m2[1]!, line: 2 } : undefined;
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Python's spelling of an encoding, normalised as its tokenizer does before looking it up. */
function normalName(name: string): string {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (n === 'utf-8' || n.startsWith('utf-8-') || n === 'utf8') return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(n)) return 'iso-8859-1';
  return n;
}

export function isUtf8(name: string): boolean {
  return normalName(name) === 'utf-8';
}

/**
 * The WHATWG label that decodes what Python calls `name`, or undefined when Node has no decoder
 * for it. Python's codec names mostly are WHATWG labels already; the rest are spelt differently.
 */
function decoderLabel(name: string): string | undefined {
  let n = normalName(name);
  const iso = /^iso-?8859-?(\d+)$/.exec(n);
  if (iso) n = `iso-8859-${iso[1]}`;
  const windows = /^(?:cp|windows-?)(12\d\d)$/.exec(n);
  if (windows) n = `windows-${windows[1]}`;
  if (/^(?:shift-?jis|sjis|s-jis)$/.test(n)) n = 'shift_jis';
  if (n === 'eucjp') n = 'euc-jp';
  if (n === 'euckr') n = 'euc-kr';
  if (n === 'cp936') n = 'gbk';
  // Sources are read a byte at a time as ASCII by Python's tokenizer: UTF-16 and UTF-32 never work.
  if (/^utf-(16|32)/.test(n)) return undefined;
  try {
    const decoder = new TextDecoder(n);
    return decoder.encoding.startsWith('utf-16') ? undefined : n;
  } catch {
    return undefined;
  }
}

export type DecodedDeclared = { readonly text: string } | { readonly problem: string };

/** Decodes a source that declares an encoding other than UTF-8 (and has no byte-order mark). */
export function decodeDeclared(bytes: Uint8Array, declared: Declaration): DecodedDeclared {
  const n = normalName(declared.name);
  if (n === 'ascii' || n === 'us-ascii') {
    const bad = bytes.findIndex((b) => b >= 0x80);
    if (bad >= 0) return { problem: `is not valid ASCII, as line ${declared.line} declares (first bad byte at offset ${bad})` };
    return { text: new TextDecoder('utf-8').decode(bytes) };
  }
  const label = decoderLabel(declared.name);
  if (!label) return { problem: `declares the encoding '${declared.name}' on line ${declared.line}, which Threadwise cannot read; save it as UTF-8` };
  try {
    return { text: new TextDecoder(label, { fatal: true }).decode(bytes) };
  } catch {
    return { problem: `is not valid ${declared.name}, as line ${declared.line} declares` };
  }
}

/** Byte for each character of an encoding that gives every character one byte, built once per encoding. */
const tables = new Map<string, Map<string, number> | undefined>();

function singleByteTable(name: string): Map<string, number> | undefined {
  const label = normalName(name) === 'ascii' || normalName(name) === 'us-ascii' ? 'ascii' : decoderLabel(name);
  if (!label) return undefined;
  if (tables.has(label)) return tables.get(label);
  const table = new Map<string, number>();
  const decoder = new TextDecoder(label === 'ascii' ? 'utf-8' : label, { fatal: true });
  for (let b = 0; b < (label === 'ascii' ? 0x80 : 0x100); b++) {
    let ch: string;
    try {
      ch = decoder.decode(Uint8Array.of(b));
    } catch {
      // Undefined here, or the first byte of a longer sequence: never the whole of a character.
      continue;
    }
    if (ch.length === 1 && !table.has(ch)) table.set(ch, b);
  }
  tables.set(label, table);
  return table;
}

/**
 * The text in the declared encoding, for writing a fixed file back, or undefined when a character
 * has no single byte in it (always so for the characters of multi-byte encodings such as
 * Shift JIS, which are then not written rather than written wrongly).
 */
export function encodeDeclared(text: string, name: string): Uint8Array | undefined {
  const table = singleByteTable(name);
  if (!table) return undefined;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = table.get(text[i]!);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}
