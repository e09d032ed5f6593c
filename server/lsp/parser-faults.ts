import type { Parser } from 'web-tree-sitter';

/**
 * Test hook, read once at start: THREADWISE_TEST_BREAK_PARSER=N makes the parser fail from its
 * Nth parse on, the way web-tree-sitter fails when its WebAssembly aborts (a real abort needs tens
 * of megabytes of parsed text and minutes). `N` breaks only the parser of that moment, so a fresh
 * one works; `N,module` breaks every parser from then on, as a dead WebAssembly module would.
 */
const spec = /^(\d+)(,module)?$/.exec(process.env.THREADWISE_TEST_BREAK_PARSER ?? '');
const breakAfter = spec ? Number(spec[1]) : undefined;
const wholeModule = !!spec?.[2];
let parses = 0;
let broken = false;

/** What web-tree-sitter throws on an abort: a WebAssembly RuntimeError saying `Aborted()`. */
function aborted(): Error {
  const err = new Error('Aborted(). Build with -sASSERTIONS for more info. (THREADWISE_TEST_BREAK_PARSER)');
  err.name = 'RuntimeError';
  return err;
}

/** The parser as it is, or, under the test hook, one that starts failing as the hook says. */
export function withTestFaults(parser: Parser): Parser {
  if (breakAfter === undefined || (broken && !wholeModule)) return parser;
  const parse = parser.parse.bind(parser);
  let mine = false;
  parser.parse = ((...args: Parameters<Parser['parse']>) => {
    if (broken && (wholeModule || mine)) throw aborted();
    if (++parses >= breakAfter) {
      broken = true;
      mine = true;
      throw aborted();
    }
    return parse(...args);
  }) as Parser['parse'];
  return parser;
}
