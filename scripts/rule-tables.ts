// Rewrites the rule tables of README.md and docs/rules/README.md from the rules' metadata.
// Run with `npm run docs:rules`; test/unit/rule-tables.test.ts fails when a table is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_META } from '../server/analyzer/rules/registry';
import { indexRuleTable, readmeRuleTable, withTable } from '../server/analyzer/rules/tables';

export const ROOT = path.join(__dirname, '..');

/** Each table file with the text it should have. */
export function renderedTables(): Array<{ file: string; current: string; expected: string }> {
  return [
    { file: 'README.md', table: readmeRuleTable(ALL_META) },
    { file: path.join('docs', 'rules', 'README.md'), table: indexRuleTable(ALL_META) },
  ].map(({ file, table }) => {
    const current = fs.readFileSync(path.join(ROOT, file), 'utf8');
    return { file, current, expected: withTable(current, table, file) };
  });
}

if (require.main === module) {
  for (const t of renderedTables()) {
    if (t.current === t.expected) continue;
    fs.writeFileSync(path.join(ROOT, t.file), t.expected);
    console.log(`updated ${t.file}`);
  }
}
