import type { CliFinding } from '../report';

/**
 * Escapes text for XML 1.0 content and attributes. Characters XML 1.0 cannot carry at all (most C0
 * controls, lone surrogates, U+FFFE/U+FFFF) become a visible \uXXXX so nothing is silently lost.
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Attribute values normalise raw line breaks and tabs to spaces; character references survive.
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export interface JunitFile {
  readonly file: string;
  readonly findings: readonly CliFinding[];
  /** The file could not be checked (unreadable, not UTF-8). */
  readonly problem?: string;
}

/** One test suite for the run, one test case per file, one failure per finding. */
export function formatJunit(files: readonly JunitFile[]): string {
  const failures = files.reduce((n, f) => n + f.findings.length, 0);
  const errors = files.filter((f) => f.problem !== undefined).length;
  const counts = `tests="${files.length}" failures="${failures}" errors="${errors}"`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="threadwise" ${counts}>`, `  <testsuite name="threadwise" ${counts} skipped="0">`];
  for (const f of files) {
    const name = escapeXml(f.file);
    const body: string[] = [];
    if (f.problem !== undefined) body.push(`      <error type="unreadable" message="${escapeXml(f.problem)}"/>`);
    for (const x of f.findings) {
      const where = `${x.file}:${x.line}:${x.column}`;
      const also = (x.related ?? []).map((r) => `\n  ${r.file}:${r.line}:${r.column}: ${r.message}`).join('');
      body.push(`      <failure type="${x.code}" message="${escapeXml(`${x.code} ${x.message}`)}">${escapeXml(`${where}: ${x.code} [${x.severity}] ${x.message}${also}`)}</failure>`);
    }
    if (body.length === 0) out.push(`    <testcase name="${name}" classname="${name}" file="${name}"/>`);
    else out.push(`    <testcase name="${name}" classname="${name}" file="${name}">`, ...body, '    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
