import * as fs from 'node:fs';
import { ruleDocsPath } from '../analyzer/docs-location';
import { ALL_META } from '../analyzer/rules/registry';

export type RuleDoc = { readonly text: string } | { readonly problem: string };

/** The rule's page from docs/rules, found beside the bundle (package) or at the repo root (source). */
export function ruleDoc(code: string): RuleDoc {
  const normalised = code.trim().toUpperCase();
  if (!ALL_META.some((m) => m.code === normalised)) {
    return { problem: `unknown rule '${code}'; 'threadwise rules' lists them` };
  }
  try {
    return { text: fs.readFileSync(ruleDocsPath(normalised), 'utf8') };
  } catch {
    return { problem: `the page for ${normalised} is missing (looked for ${ruleDocsPath(normalised)})` };
  }
}
