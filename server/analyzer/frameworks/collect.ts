import type { FunctionInfo } from '../model/scope';

/** How a framework module reports what it recognised; async defs are dropped by the caller. */
export type AddEntry = (fn: FunctionInfo, runs: 'loop' | 'thread', via: string, instancePerCall?: boolean) => void;

/** HTTP method names that route decorators and class-based views use. */
export const HTTP_VERBS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace']);
