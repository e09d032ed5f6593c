// What the model keeps of each top-level statement so the next version of an edited document can
// replay it instead of walking it again. Apart from the binder (build.ts), which only records.
import type { SNode } from '../syntax';
import type { Binding, ClassInfo, FunctionInfo, ModuleScope, Scope } from './scope';
import { addBinding } from './scope';
import type { CallSite, Comment, NodeSite } from './semantic-model';

/**
 * What walking one top-level statement added to the model, kept while its copied subtree is reused
 * by the next version of the document (the same SNode objects, moved), so that statement is not
 * walked again: its scopes, calls, inspected nodes and comments are the same objects, and only
 * their links to the module scope and the function numbering are updated on replay.
 */
export interface ModelPiece {
  module: ModuleScope;
  readonly moduleBindings: Array<[string, Binding]>;
  readonly functions: FunctionInfo[];
  readonly classes: ClassInfo[];
  readonly calls: CallSite[];
  readonly comments: Comment[];
  readonly nodes: NodeSite[];
  readonly scopes: Array<[SNode, Scope]>;
  readonly lastCode: SNode | undefined;
}

/** The model under construction, as a replay appends to it. */
export interface ModelParts {
  readonly module: ModuleScope;
  readonly functions: FunctionInfo[];
  readonly classes: ClassInfo[];
  readonly calls: CallSite[];
  readonly comments: Comment[];
  readonly nodes: NodeSite[];
  readonly scopeOf: Map<SNode, Scope>;
  readonly scopeLog: Array<[SNode, Scope]>;
}

/** Writable views for replaying a piece into a new model. */
type Relinkable = { parent: Scope | undefined };
type Renumberable = { id: number };
type Rescopable = { scope: Scope };

/**
 * The pieces of one document's model, by top-level statement node. Owned by that document's
 * incremental state: a statement node belongs to one document's copy only.
 */
export class ModelPieces {
  private readonly byStatement = new WeakMap<SNode, ModelPiece>();

  get(statement: SNode): ModelPiece | undefined {
    return this.byStatement.get(statement);
  }

  set(statement: SNode, piece: ModelPiece): void {
    this.byStatement.set(statement, piece);
  }
}

/** Appends a remembered statement's part of the model to `parts`; returns its last code token, if any. */
export function replayPiece(piece: ModelPiece, parts: ModelParts): SNode | undefined {
  const old = piece.module;
  const module = parts.module;
  for (const [name, binding] of piece.moduleBindings) addBinding(module, name, binding);
  for (const fn of piece.functions) {
    (fn as Renumberable).id = parts.functions.length;
    if (fn.parent === old) (fn as Relinkable).parent = module;
    parts.functions.push(fn);
  }
  for (const cls of piece.classes) {
    if (cls.parent === old) (cls as Relinkable).parent = module;
    parts.classes.push(cls);
  }
  for (const site of piece.calls) {
    if (site.scope === old) (site as Rescopable).scope = module;
    parts.calls.push(site);
  }
  for (const site of piece.nodes) {
    if (site.scope === old) (site as Rescopable).scope = module;
    parts.nodes.push(site);
  }
  for (const c of piece.comments) parts.comments.push(c);
  for (const [node, scope] of piece.scopes) {
    parts.scopeOf.set(node, scope);
    parts.scopeLog.push([node, scope]);
  }
  piece.module = module;
  return piece.lastCode;
}
