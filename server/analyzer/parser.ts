import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

let languagePromise: Promise<Language> | undefined;

// Bundled builds keep the .wasm files beside the script; tests run from source and find them in
// node_modules instead.
function locateWasm(file: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  if (file === 'tree-sitter-python.wasm') return require.resolve('tree-sitter-python/tree-sitter-python.wasm');
  return require.resolve('web-tree-sitter/web-tree-sitter.wasm');
}

export function loadPython(): Promise<Language> {
  languagePromise ??= (async () => {
    await Parser.init({ locateFile: (name: string) => locateWasm(name) });
    return Language.load(locateWasm('tree-sitter-python.wasm'));
  })();
  return languagePromise;
}

export async function createParser(): Promise<Parser> {
  return parserFor(await loadPython());
}

/** A parser for a language already loaded: the server makes a fresh one if its parser fails. */
export function parserFor(language: Language): Parser {
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * The text handed to tree-sitter for a whole-file parse. Python ends a line at a lone `\r` as well
 * as at `\n` and `\r\n`, but tree-sitter-python only at `\n`; turning each lone `\r` into `\n`
 * keeps every offset, so findings still point into the original text.
 */
export function parserText(source: string): string {
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}
