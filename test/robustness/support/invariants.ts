import type { AnalysisResult } from '../../../server/analyzer/analyze';
import { applyEdits } from '../../../server/analyzer/fixes/apply';
import type { TextEdit } from '../../../server/analyzer/rules/rule';
import { ALL_META } from '../../../server/analyzer/rules/registry';

const CODES = new Set(ALL_META.map((m) => m.code));
const SEVERITIES = new Set(['error', 'warning', 'information']);

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A UTF-16 range inside the text that does not cut a surrogate pair in half. */
function checkRange(source: string, start: number, end: number, what: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new Error(`${what}: non-integer range [${start}, ${end})`);
  if (start < 0 || end < start || end > source.length) throw new Error(`${what}: range [${start}, ${end}) outside a ${source.length}-unit text`);
  for (const o of [start, end]) {
    if (o > 0 && o < source.length && isHighSurrogate(source.charCodeAt(o - 1)) && isLowSurrogate(source.charCodeAt(o))) {
      throw new Error(`${what}: offset ${o} splits a surrogate pair`);
    }
  }
}

/** Edits are in range and pairwise disjoint (two insertions at one point would have no order). */
export function checkEdits(source: string, edits: readonly TextEdit[], what: string): void {
  edits.forEach((e, i) => {
    checkRange(source, e.start, e.end, `${what} edit ${i}`);
    if (typeof e.newText !== 'string') throw new Error(`${what} edit ${i}: newText is not a string`);
  });
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.start < a.end || (a.start === b.start && a.end === a.start && b.end === b.start)) {
      throw new Error(`${what}: edits overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    }
  }
}

/**
 * What every analysis of every text must satisfy: no rule threw, every finding is a known code
 * with a message and a well-formed range, and every fix applies cleanly. Returns the fixed texts,
 * so a caller can check that they analyse cleanly too.
 */
export function checkResult(source: string, result: AnalysisResult): string[] {
  if (result.ruleErrors.length > 0) throw new Error(`rules threw:\n${result.ruleErrors.join('\n')}`);
  const fixed: string[] = [];
  for (const f of result.findings) {
    const what = `${f.code} at [${f.start}, ${f.end})`;
    if (!CODES.has(f.code)) throw new Error(`${what}: unknown code`);
    if (!SEVERITIES.has(f.severity)) throw new Error(`${what}: severity ${f.severity}`);
    if (typeof f.message !== 'string' || f.message.trim() === '') throw new Error(`${what}: empty message`);
    checkRange(source, f.start, f.end, what);
    for (const r of f.related ?? []) checkRange(source, r.start, r.end, `${what} related`);
    if (f.fix) {
      if (f.fix.edits.length === 0) throw new Error(`${what}: fix '${f.fix.title}' has no edits`);
      checkEdits(source, f.fix.edits, `${what} fix '${f.fix.title}'`);
      fixed.push(applyEdits(source, f.fix.edits));
    }
  }
  for (let i = 1; i < result.findings.length; i++) {
    const a = result.findings[i - 1]!;
    const b = result.findings[i]!;
    if (a.start > b.start) throw new Error('findings are not sorted by position');
  }
  return fixed;
}
