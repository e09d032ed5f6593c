import type { FunctionInfo } from '../model/scope';

/**
 * Where a framework runs a function it was handed: on its event loop's thread (`loop`), or on
 * threads of its own, several at a time (`thread`).
 */
export interface FrameworkEntry {
  readonly fn: FunctionInfo;
  readonly runs: 'loop' | 'thread';
  /** For messages: "FastAPI runs def route 'create_item' in a thread pool". */
  readonly via: string;
  /**
   * The framework makes a new instance for every call (a class-based view per request), or never
   * runs one instance's method twice at once: attributes of `self` are not shared between the
   * threads, only module globals and class attributes are.
   */
  readonly instancePerCall?: boolean;
}
