import type { FindingKey } from './fingerprint';

/** What an entry needs to be matched: the rest of a BaselineEntry is for people. */
export interface EntryKey {
  readonly code: string;
  readonly fingerprint: string;
}

export interface BaselineMatch {
  /** Indexes of the findings no entry accounts for: the ones to report. */
  readonly fresh: number[];
  /** Indexes of the entries that matched a finding; the others are stale. */
  readonly matched: number[];
}

/**
 * Pairs one file's findings with its baseline entries by code and fingerprint. Each entry accounts
 * for at most one finding, so a second copy of a recorded hazard is still reported.
 */
export function matchBaseline(keys: readonly FindingKey[], entries: readonly EntryKey[]): BaselineMatch {
  const waiting = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const k = `${e.code} ${e.fingerprint}`;
    const list = waiting.get(k);
    if (list) list.push(i);
    else waiting.set(k, [i]);
  });
  const fresh: number[] = [];
  const matched: number[] = [];
  keys.forEach((key, i) => {
    const entry = waiting.get(`${key.code} ${key.fingerprint}`)?.shift();
    if (entry === undefined) fresh.push(i);
    else matched.push(entry);
  });
  matched.sort((a, b) => a - b);
  return { fresh, matched };
}
