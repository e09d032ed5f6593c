// The syntax tree as the analyzer sees it; rules import from here.
export { RowIndex, SNode, type CopiedTree } from './syntax-tree';
export { copySyntax, copyTree } from './tree-copy';
export { caughtTypes, child, childrenOf, docstringOf, isStatement, lastChildStartingAt, namedChildren, nextStatement, outerParens, parameterParts, textOf, unparenthesize, walk } from './syntax-helpers';
