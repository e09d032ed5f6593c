import { OPTIONS, partitionCodes } from '../project/options';
import { DEFAULT_NOQA_REASON } from './add-noqa';
import type { FixMode } from './check-file';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: threadwise check [OPTIONS] [PATHS...]
       threadwise rule TWnnn
       threadwise rules
       threadwise --version | --help

Checks Python files for threading, asyncio, executor and multiprocessing hazards.
PATHS are files or directories (walked recursively); the default is the current directory.

Options for check:
  --format FORMAT         text (default), json, sarif, github or junit
  --select CODES          run only these codes or prefixes, comma-separated: TW101,TW4
  --ignore CODES          switch these codes or prefixes off; the most specific of select/ignore wins
  --fix                   apply safe fixes in place; report what is left
  --unsafe-fixes          with --fix or --diff, also apply the fixes that change behaviour
  --diff                  print a unified diff of what --fix would change; write nothing
  --statistics            print a count per rule instead of each finding (text or json)
  --stdin-filename NAME   read one file from stdin; NAME is used in reports and for configuration
  --exclude PATTERN       skip files and folders matching a gitignore-style pattern (repeatable)
  --no-respect-gitignore  also check files that .gitignore files exclude
  --jobs N                check files on N threads (default: one per core)
  --no-cache              neither read nor write the cache (.threadwise_cache/)
  --add-noqa[=REASON]     add "# threadwise: ignore[TWnnn]  # REASON" for every finding
                          (default reason "TODO: reason"); other comments are kept
  --baseline FILE         report only findings not recorded in FILE (pyproject.toml: baseline)
  --write-baseline FILE   record every current finding in FILE and report none

Exit status:
  0  no findings (with --diff: nothing to change; with --add-noqa: every finding
     now has a suppression; with --write-baseline: the file was written)
  1  findings (with --diff: there are changes to make; with --add-noqa: findings
     that no comment can silence are left)
  2  usage error, a path that does not exist or cannot be read or decoded, or an internal error
`;

export class UsageError extends Error {}

export interface CheckOptions {
  readonly paths: string[];
  readonly format: Format;
  readonly select?: string[];
  readonly ignore?: string[];
  readonly fixMode: FixMode;
  readonly fix: boolean;
  readonly diff: boolean;
  readonly statistics: boolean;
  readonly stdinFilename?: string;
  readonly exclude: string[];
  readonly respectGitignore: boolean;
  /** `--no-cache`: every file is parsed, and nothing is written to the cache. */
  readonly noCache: boolean;
  /** Undefined: decide from the number of files and cores. */
  readonly jobs?: number;
  /** `--add-noqa`: the reason written after each added suppression (`''`: none). */
  readonly addNoqa?: string;
  /** `--baseline FILE`, used for every file instead of pyproject.toml's `baseline`. */
  readonly baseline?: string;
  readonly writeBaseline?: string;
}

/** Names a command-line value in a message without repeating an arbitrarily long argument. */
function shown(value: string): string {
  return `'${value.length > 24 ? `${value.slice(0, 24)}...` : value}'`;
}

/**
 * A comma-separated list of codes or prefixes, each naming at least one rule, as pyproject.toml
 * and the settings require too: a typo must not silently select nothing (and report no findings).
 */
function codes(value: string, flag: string): string[] {
  const list = value.split(',').map((c) => c.trim()).filter(Boolean);
  const { good, bad } = partitionCodes(list);
  if (bad.length > 0) {
    const many = bad.length > 1;
    const named = bad.slice(0, 5).map((b) => shown(String(b))).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
    throw new UsageError(`${flag}: unknown rule code${many ? 's' : ''} or prefix${many ? 'es' : ''} ${named}; \`threadwise rules\` lists the codes`);
  }
  return good;
}

/** The flags whose values are rule codes, and the option each sets (see options.ts). */
const CODE_FLAGS = new Map(OPTIONS.filter((o) => o.type === 'codes' && o.cliFlag).map((o) => [o.cliFlag!, o.pyproject as 'select' | 'ignore']));

export function parseCheckArgs(args: readonly string[]): CheckOptions {
  const paths: string[] = [];
  const exclude: string[] = [];
  let format: Format = 'text';
  let select: string[] | undefined;
  let ignore: string[] | undefined;
  let fix = false;
  let unsafe = false;
  let diff = false;
  let statistics = false;
  let stdinFilename: string | undefined;
  let respectGitignore = true;
  let noCache = false;
  let jobs: number | undefined;
  let addNoqa: string | undefined;
  let baseline: string | undefined;
  let writeBaseline: string | undefined;
  let onlyPaths = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    };
    const codeOption = CODE_FLAGS.get(flag);
    if (codeOption !== undefined) {
      const list = codes(value(), flag);
      if (codeOption === 'select') select = list;
      else ignore = list;
      continue;
    }
    switch (flag) {
      case '--':
        onlyPaths = true;
        break;
      case '--format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${f}'`);
        format = f as Format;
        break;
      }
      case '--fix':
        noValue();
        fix = true;
        break;
      case '--unsafe-fixes':
        noValue();
        unsafe = true;
        break;
      case '--diff':
        noValue();
        diff = true;
        break;
      case '--statistics':
        noValue();
        statistics = true;
        break;
      case '--stdin-filename': {
        const name = value();
        if (name === '') throw new UsageError('--stdin-filename needs a non-empty name');
        stdinFilename = name;
        break;
      }
      case '--exclude':
        exclude.push(value());
        break;
      case '--no-cache':
        noValue();
        noCache = true;
        break;
      case '--no-respect-gitignore':
        noValue();
        respectGitignore = false;
        break;
      case '--jobs': {
        const v = value();
        if (!/^[1-9]\d{0,3}$/.test(v)) throw new UsageError(`--jobs needs a positive whole number, not '${v}'`);
        jobs = Number(v);
        break;
      }
      case '--add-noqa':
        // The reason is optional, so it can only be given inline: `--add-noqa PATH` stays a path.
        if (inline !== undefined && /[\r\n]/.test(inline)) throw new UsageError('--add-noqa: the reason must be one line');
        addNoqa = inline === undefined ? DEFAULT_NOQA_REASON : inline.trim();
        break;
      case '--baseline':
      case '--write-baseline': {
        const file = value();
        if (file === '') throw new UsageError(`${flag} needs a file name`);
        if (flag === '--baseline') baseline = file;
        else writeBaseline = file;
        break;
      }
      default:
        throw new UsageError(`unknown option '${flag}'`);
    }
  }
  if (unsafe && !fix && !diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if (fix && diff) throw new UsageError('--fix and --diff cannot be combined: --diff writes nothing');
  if (statistics && format !== 'text' && format !== 'json') throw new UsageError('--statistics prints text or json only');
  if (diff && format !== 'text') throw new UsageError('--diff prints a unified diff; --format does not apply');
  if (stdinFilename !== undefined && paths.length > 0) throw new UsageError('--stdin-filename reads stdin; do not pass PATHS as well');
  const rewrites = [fix && '--fix', diff && '--diff', addNoqa !== undefined && '--add-noqa', writeBaseline !== undefined && '--write-baseline'].filter((f): f is string => typeof f === 'string');
  if (rewrites.length > 1) throw new UsageError(`${rewrites.join(' and ')} cannot be combined`);
  for (const [given, name] of [[addNoqa, '--add-noqa'], [writeBaseline, '--write-baseline']] as const) {
    if (given === undefined) continue;
    if (stdinFilename !== undefined) throw new UsageError(`${name} works on files; it cannot be combined with --stdin-filename`);
    if (format !== 'text' || statistics) throw new UsageError(`${name} prints a summary; --format and --statistics do not apply`);
  }
  if (writeBaseline !== undefined && baseline !== undefined) throw new UsageError('--write-baseline records every finding; it cannot be combined with --baseline');
  return {
    paths: paths.length > 0 ? paths : ['.'],
    format,
    select,
    ignore,
    fixMode: fix || diff ? (unsafe ? 'unsafe' : 'safe') : 'none',
    fix,
    diff,
    statistics,
    stdinFilename,
    exclude,
    respectGitignore,
    noCache,
    jobs,
    ...(addNoqa !== undefined ? { addNoqa } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(writeBaseline !== undefined ? { writeBaseline } : {}),
  };
}
