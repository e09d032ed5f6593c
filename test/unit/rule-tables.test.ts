import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderedTables } from '../../scripts/rule-tables';

test('the rule tables in README.md and docs/rules/README.md match the rules\' metadata (npm run docs:rules)', () => {
  for (const t of renderedTables()) assert.equal(t.current, t.expected, `${t.file} is stale: run npm run docs:rules`);
});
