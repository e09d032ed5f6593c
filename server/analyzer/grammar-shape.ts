// What tree-sitter-python's grammar says about the shape of its nodes, so the tree copy can skip
// questions whose answer it already knows. Each question crosses into WebAssembly; a copy of the
// standard library asks millions of them. test/unit/grammar-shape.test.ts checks both lists
// against the grammar's node-types.json, so a grammar upgrade that changes them fails there.

/**
 * Named node types that never have children (tokens). Several names are also keywords (`type`,
 * `await`): only the named symbols count here, so the copier keys these by symbol id, not by name.
 */
export const NAMED_LEAF_TYPES: readonly string[] = [
  'comment', 'ellipsis', 'escape_interpolation', 'escape_sequence', 'false', 'float', 'identifier', 'integer',
  'line_continuation', 'none', 'string_end', 'string_start', 'true', 'type_conversion',
];

/**
 * Anonymous node types that have children: operators the grammar spells as two keywords. Every
 * other anonymous node is a token.
 */
export const ANONYMOUS_WITH_CHILDREN: readonly string[] = ['is not', 'not in'];

/** Named node types some of whose children have a field name; children of any other named type have none. */
export const TYPES_WITH_FIELDS: readonly string[] = [
  'aliased_import', 'as_pattern', 'assignment', 'attribute', 'augmented_assignment', 'binary_operator', 'block',
  'boolean_operator', 'call', 'case_clause', 'class_definition', 'comparison_operator', 'decorated_definition',
  'default_parameter', 'dict_pattern', 'dictionary_comprehension', 'elif_clause', 'else_clause', 'except_clause',
  'exec_statement', 'for_in_clause', 'for_statement', 'format_expression', 'function_definition',
  'future_import_statement', 'generator_expression', 'if_statement', 'import_from_statement', 'import_statement',
  'interpolation', 'keyword_argument', 'lambda', 'list_comprehension', 'match_statement', 'named_expression',
  'not_operator', 'pair', 'print_statement', 'raise_statement', 'set_comprehension', 'subscript', 'try_statement',
  'type_alias_statement', 'typed_default_parameter', 'typed_parameter', 'unary_operator', 'while_statement',
  'with_item', 'with_statement',
];

/** Per symbol id of a language: what the copier may take for granted about nodes of that symbol. */
export interface SymbolShape {
  /** 1: a node of this symbol never has children. */
  readonly leaf: Uint8Array;
  /** 1: no child of a node of this symbol has a field name. */
  readonly fieldless: Uint8Array;
}

/** Just what a language must answer to build the shape table (web-tree-sitter's Language does). */
export interface SymbolTable {
  readonly nodeTypeCount: number;
  readonly types: readonly (string | null | undefined)[];
  nodeTypeIsNamed(id: number): boolean;
}

/**
 * Symbol ids are 16-bit; ids the table does not list (ERROR is 65535) are neither leaf nor
 * fieldless, so the copier asks for them as before.
 */
export function symbolShape(language: SymbolTable): SymbolShape {
  const leaf = new Uint8Array(65536);
  const fieldless = new Uint8Array(65536);
  const namedLeaves = new Set(NAMED_LEAF_TYPES);
  const withFields = new Set(TYPES_WITH_FIELDS);
  const anonymousParents = new Set(ANONYMOUS_WITH_CHILDREN);
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const name = language.types[id];
    // Hidden symbols have no name (or a leading underscore) and can stand for anything.
    if (typeof name !== 'string' || name === '' || name.startsWith('_')) continue;
    if (!language.nodeTypeIsNamed(id)) {
      if (!anonymousParents.has(name)) leaf[id] = 1;
      fieldless[id] = 1;
    } else {
      if (namedLeaves.has(name)) leaf[id] = 1;
      if (!withFields.has(name)) fieldless[id] = 1;
    }
  }
  return { leaf, fieldless };
}
