import * as fs from 'node:fs';
import * as path from 'node:path';

/** Directories that hold tools, caches or other people's code, never the project's own sources. */
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'dist-packages']);

/** Expands paths into the Python files below them; files named explicitly are always kept. */
export function collectPythonFiles(paths: readonly string[], onMissing: (p: string) => void): string[] {
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
      out.push(p);
      continue;
    }
    const stack = [p];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) subdirs.push(full);
        } else if (e.isFile() && (e.name.endsWith('.py') || e.name.endsWith('.pyi'))) {
          out.push(full);
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
  }
  return out;
}

/** Reads a file as UTF-8 (invalid bytes become U+FFFD) without a byte-order mark. */
export function readSource(file: string): string {
  // A FIFO or device named on the command line would block the read forever.
  if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(fs.readFileSync(file));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
