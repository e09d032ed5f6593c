import type { CliFinding } from '../report';

// GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** The message part of a command: %, CR and LF would end or corrupt it. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: additionally ':' and ',' separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(findings: readonly CliFinding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(f.code)}`,
      ].join(',');
      // One line per annotation: places in other files go into its message.
      const also = (f.related ?? []).map((r) => `\n  ${r.file}:${r.line}:${r.column}: ${r.message}`).join('');
      return `::${LEVEL[f.severity] ?? 'warning'} ${props}::${escapeData(f.message + also)}\n`;
    })
    .join('');
}
