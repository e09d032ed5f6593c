import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where a project's modules are imported from, as Python's sys.path would list them. */
export interface LayoutOptions {
  /** The project root (the folder holding pyproject.toml, or a workspace folder). */
  readonly root: string;
  /** `src` from `[tool.threadwise]`: more source roots, relative to `root`. */
  readonly src?: readonly string[];
  /** Tests pass a fake file system; the default asks the real one. */
  readonly exists?: (file: string) => boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The source roots of a project and the module name each file gets from them. The name follows
 * the folders: a folder without `__init__.py` is a namespace package, so every folder on the way
 * counts, and `pkg/__init__.py` is the package `pkg` itself. A file under no root takes the
 * parent of its outermost package (the folders with `__init__.py` above it) as its root, which is
 * what running a script from that folder gives.
 */
export class Layout {
  readonly roots: readonly string[];
  private readonly exists: (file: string) => boolean;

  constructor(options: LayoutOptions) {
    this.exists = options.exists ?? ((f) => fs.existsSync(f));
    const root = path.resolve(options.root);
    const roots = [root];
    const src = path.join(root, 'src');
    if (this.exists(src)) roots.push(src);
    for (const extra of options.src ?? []) roots.push(path.resolve(root, extra));
    this.roots = [...new Set(roots)];
  }

  /** The dotted module name Python gives `file`, or undefined when it cannot be imported by name. */
  moduleNameOf(file: string): string | undefined {
    const abs = path.resolve(file);
    if (!abs.endsWith('.py') && !abs.endsWith('.pyi')) return undefined;
    // The innermost root wins: `src/pkg/mod.py` is `pkg.mod`, not `src.pkg.mod`.
    let best: string | undefined;
    for (const r of this.roots) {
      const rel = path.relative(r, abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (best === undefined || r.length > best.length) best = r;
    }
    return nameFrom(best ?? this.packageRoot(abs), abs);
  }

  /** The folder above the outermost package holding `file`. */
  packageRoot(file: string): string {
    return aboveOutermostPackage(path.dirname(path.resolve(file)), this.exists);
  }
}

/** `dir` itself when it is no package, else the folder above the outermost package it is in. */
export function aboveOutermostPackage(dir: string, exists: (file: string) => boolean = (f) => fs.existsSync(f)): string {
  let at = dir;
  while (exists(path.join(at, '__init__.py')) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** How many files `importsItselfByName` reads at most, and how much of each: enough to see a package's imports. */
const FILES_READ = 200;
const HEAD_BYTES = 64 * 1024;

/** The start of a file, where its imports are; a huge file is not read whole. */
function head(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The import root a folder given on the command line stands for. A folder inside a package stands
 * for the folder above its outermost package. A folder that is no package but whose own code
 * imports it by its name (`cylc/` holding `flow/`, whose modules say `from cylc.flow import ...`)
 * is a namespace package, and stands for its parent. Any other folder is a root itself, as running
 * Python there would make it (`app/` holding `pkg/`, imported as `pkg`).
 */
export function rootForFolder(dir: string): string {
  const above = aboveOutermostPackage(dir);
  if (above !== dir) return above;
  const name = path.basename(dir);
  // A project folder named like the package it holds (`myapp/myapp/`) is a root: its files'
  // `import myapp.x` names the inner folder.
  if (!IDENTIFIER.test(name) || fs.existsSync(path.join(dir, name))) return dir;
  return importsItselfByName(dir, name) ? path.dirname(dir) : dir;
}

/**
 * True when a Python file below `dir` imports `name.sub` for a `sub` that is a module or folder
 * right inside `dir` (reads at most FILES_READ files).
 */
function importsItselfByName(dir: string, name: string): boolean {
  const pattern = new RegExp(`^\\s*(?:from|import)\\s+${name}\\.(\\w+)`, 'gm');
  const inside = (sub: string) => fs.existsSync(path.join(dir, sub)) || fs.existsSync(path.join(dir, `${sub}.py`));
  let read = 0;
  const visit = (folder: string, depth: number): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      if (read >= FILES_READ) return false;
      if (!e.isFile() || !e.name.endsWith('.py')) continue;
      read++;
      try {
        for (const m of head(path.join(folder, e.name)).matchAll(pattern)) if (inside(m[1]!)) return true;
      } catch {
        // An unreadable file says nothing about the folder.
      }
    }
    if (depth >= 4) return false;
    return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__pycache__' && visit(path.join(folder, e.name), depth + 1));
  };
  return visit(dir, 0);
}

function nameFrom(root: string, file: string): string | undefined {
  const parts = path.relative(root, file).split(path.sep);
  const last = parts.pop()!.replace(/\.pyi?$/, '');
  if (last !== '__init__') parts.push(last);
  if (parts.length === 0 || !parts.every((p) => IDENTIFIER.test(p))) return undefined;
  return parts.join('.');
}

/** True when the module is a package (`__init__.py`): its own name is the base of its relative imports. */
export function isPackageFile(file: string): boolean {
  return /(^|[\\/])__init__\.pyi?$/.test(file);
}

/**
 * The absolute module a relative import names. `dots` is the number of leading dots, `rest` what
 * follows them: `from ..x import y` in the module `a.b.c` names `a.x`, and so it does in
 * `a/b/__init__.py`, since a package is its own base while a module's base is its package.
 */
export function absoluteModule(module: string, isPackage: boolean, dots: number, rest: string): string | undefined {
  if (dots === 0) return rest;
  const parts = module.split('.');
  // A module's package is its name without the last part; a package is its own.
  const base = isPackage ? parts : parts.slice(0, -1);
  const up = dots - 1;
  if (up > base.length) return undefined;
  const anchor = base.slice(0, base.length - up);
  const joined = [...anchor, ...(rest ? rest.split('.') : [])];
  return joined.length > 0 ? joined.join('.') : undefined;
}
