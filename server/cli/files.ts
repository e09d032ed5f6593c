import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitignoreRules } from './gitignore';
import { declaredEncoding, decodeDeclared, hasUtf8Bom, isUtf8 } from './source-encoding';

/** Directories that hold tools, caches or other people's code, never the project's own sources. */
export const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'dist-packages']);

export interface CollectOptions {
  /** gitignore-style patterns, relative to `base`; they apply to named files too. */
  readonly exclude: readonly string[];
  readonly respectGitignore: boolean;
  /** The directory the patterns are relative to (the working directory). */
  readonly base: string;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** One directory's .gitignore, with the directory its patterns are relative to. */
interface IgnoreLevel {
  readonly dir: string;
  readonly rules: GitignoreRules;
}

function readGitignore(dir: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { dir, rules: new GitignoreRules(text) };
}

/**
 * The deepest .gitignore that has an opinion about a path decides, which is how git lets a nested
 * file re-include (`!keep.py`) what a parent ignored.
 */
function ignoredByGit(levels: readonly IgnoreLevel[], full: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const rel = toPosix(path.relative(level.dir, full));
    if (rel === '' || rel.startsWith('..')) continue;
    const verdict = level.rules.test(rel, isDir);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** The .gitignore files between the repository root (the nearest folder with .git) and `dir`. */
function ancestorGitignores(dir: string): IgnoreLevel[] {
  const chain: string[] = [];
  let current = path.resolve(dir);
  let root: string | undefined;
  for (;;) {
    chain.unshift(current);
    if (fs.existsSync(path.join(current, '.git'))) {
      root = current;
      break;
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  // Outside a repository only the walked folder's own .gitignore files count.
  const dirs = root ? chain : [path.resolve(dir)];
  return dirs.map(readGitignore).filter((l): l is IgnoreLevel => l !== undefined);
}

export class FileCollector {
  private readonly excluded: GitignoreRules;

  constructor(private readonly options: CollectOptions) {
    this.excluded = new GitignoreRules(options.exclude);
  }

  /** Whether --exclude (or a configured exclude) matches the path or one of its parent folders. */
  isExcluded(file: string, isDir = false): boolean {
    if (this.options.exclude.length === 0) return false;
    const rel = toPosix(path.relative(this.options.base, path.resolve(file)));
    if (rel === '') return false;
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      // Outside the base folder patterns can only match by name.
      const name = path.basename(file);
      return this.excluded.test(name, isDir).ignored;
    }
    return this.excluded.test(rel, isDir).ignored;
  }

  /**
   * Expands paths into the Python files below them. Files named explicitly are kept whatever their
   * extension or .gitignore says, but --exclude applies to them (pre-commit passes file names).
   */
  collect(paths: readonly string[], onMissing: (p: string) => void): string[] {
    const out: string[] = [];
    for (const p of paths) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(p);
      } catch {
        onMissing(p);
        continue;
      }
      if (!stat.isDirectory()) {
        if (!this.isExcluded(p)) out.push(p);
        continue;
      }
      if (this.isExcluded(p, true)) continue;
      let levels = this.options.respectGitignore ? ancestorGitignores(p) : [];
      // A folder named explicitly is checked even when a parent's .gitignore covers it (a
      // virtualenv or pyenv tree inside an ignored folder); its own .gitignore files still count.
      if (ignoredByGit(levels, path.resolve(p), true)) levels = levels.filter((l) => l.dir === path.resolve(p));
      this.walk(p, levels, out);
    }
    return out;
  }

  private walk(dir: string, levels: IgnoreLevel[], out: string[]): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const own = this.options.respectGitignore && levels.at(-1)?.dir !== path.resolve(dir) ? readGitignore(path.resolve(dir)) : undefined;
    const here = own ? [...levels, own] : levels;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const abs = path.resolve(full);
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || e.name.startsWith('.')) continue;
        if (this.isExcluded(full, true) || ignoredByGit(here, abs, true)) continue;
        this.walk(full, here, out);
      } else if (e.isFile() && (e.name.endsWith('.py') || e.name.endsWith('.pyi'))) {
        if (this.isExcluded(full) || ignoredByGit(here, abs, false)) continue;
        out.push(full);
      }
    }
  }
}

/** A decoded source; `encoding` is set when it declares one other than UTF-8 (PEP 263). */
export type Decoded = { readonly text: string; readonly encoding?: string } | { readonly problem: string };

/**
 * Decodes a Python source as Python does: UTF-8 (PEP 3120), without a byte-order mark, unless its
 * first or second line declares another encoding (PEP 263). Bytes that the encoding does not
 * allow, or NUL bytes (which CPython refuses too), make the file a reported problem, not a guess.
 */
export function decodeSource(bytes: Uint8Array): Decoded {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { problem: `contains a NUL byte at offset ${nul}; not a Python source file` };
  const declared = declaredEncoding(bytes);
  if (declared && !isUtf8(declared.name)) {
    if (hasUtf8Bom(bytes)) return { problem: `starts with a UTF-8 byte-order mark but line ${declared.line} declares the encoding '${declared.name}'` };
    const decoded = decodeDeclared(bytes, declared);
    return 'problem' in decoded ? decoded : { text: decoded.text, encoding: declared.name };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)}); Python reads sources as UTF-8 unless the first or second line declares another encoding` };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return i;
}


/** Expands paths with the default walk (no excludes, .gitignore respected). */
export function collectPythonFiles(paths: readonly string[], onMissing: (p: string) => void): string[] {
  return new FileCollector({ exclude: [], respectGitignore: true, base: process.cwd() }).collect(paths, onMissing);
}

/** Reads a file as Python would, or leniently (invalid bytes become U+FFFD), for callers that only want text. */
export function readSource(file: string): string {
  // A FIFO or device named on the command line would block the read forever.
  if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
  const bytes = fs.readFileSync(file);
  const decoded = decodeSource(bytes);
  if ('text' in decoded) return decoded.text;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
