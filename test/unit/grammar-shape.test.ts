import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { ANONYMOUS_WITH_CHILDREN, NAMED_LEAF_TYPES, symbolShape, TYPES_WITH_FIELDS } from '../../server/analyzer/grammar-shape';
import { loadPython } from '../../server/analyzer/parser';

// The tree copy skips questions the grammar answers (grammar-shape.ts). These lists must be what
// the grammar in use says; incremental.test.ts then shows the copy equals a node-by-node reading.

interface NodeType {
  type: string;
  named: boolean;
  fields?: Record<string, unknown>;
  children?: unknown;
  subtypes?: unknown;
}

const nodeTypes = JSON.parse(fs.readFileSync(require.resolve('tree-sitter-python/src/node-types.json'), 'utf8')) as NodeType[];
const sorted = (xs: readonly string[]) => [...xs].sort();

test('the named leaf types are the named types the grammar gives no children, fields or subtypes', () => {
  const expected = nodeTypes.filter((n) => n.named && !n.fields && !n.children && !n.subtypes).map((n) => n.type);
  assert.deepEqual(sorted(NAMED_LEAF_TYPES), sorted(expected));
});

test('the types with fields are exactly the named types the grammar gives fields', () => {
  const expected = nodeTypes.filter((n) => n.named && n.fields && Object.keys(n.fields).length > 0).map((n) => n.type);
  assert.deepEqual(sorted(TYPES_WITH_FIELDS), sorted(expected));
});

test('the anonymous types with children are exactly those the grammar lists with children', () => {
  const expected = nodeTypes.filter((n) => !n.named && (n.fields || n.children || n.subtypes)).map((n) => n.type);
  assert.deepEqual(sorted(ANONYMOUS_WITH_CHILDREN), sorted(expected));
  assert.ok(expected.length > 0, 'the grammar has such operators (is not, not in), so this check means something');
});

test('symbol shapes key by symbol, so a keyword spelled like a named node keeps its own answer', async () => {
  const language = await loadPython();
  const shape = symbolShape(language);
  const named = language.idForNodeType('identifier', true)!;
  assert.equal(shape.leaf[named], 1);
  // `type` is a named node with children (a type annotation) and an anonymous keyword token.
  const typeNode = language.idForNodeType('type', true)!;
  const typeKeyword = language.idForNodeType('type', false)!;
  assert.notEqual(typeNode, typeKeyword);
  assert.equal(shape.leaf[typeNode], 0);
  assert.equal(shape.leaf[typeKeyword], 1);
  const isNot = language.idForNodeType('is not', false)!;
  assert.equal(shape.leaf[isNot], 0);
  assert.equal(shape.fieldless[language.idForNodeType('call', true)!], 0);
  assert.equal(shape.fieldless[language.idForNodeType('block', true)!], 0);
  assert.equal(shape.fieldless[language.idForNodeType('argument_list', true)!], 1);
  // ERROR (65535) is never taken for granted.
  assert.equal(shape.leaf[65535], 0);
  assert.equal(shape.fieldless[65535], 0);
});
