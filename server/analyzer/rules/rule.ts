import type { Resolver } from '../model/resolve';
import type { CallSite, NodeSite, SemanticModel } from '../model/semantic-model';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A replacement of source[start, end) by newText; offsets are UTF-16 code units. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** `safe` fixes keep behaviour and may run in fix-all; `quick` ones change behaviour. */
export type FixSafety = 'safe' | 'quick';

export interface Fix {
  readonly title: string;
  readonly safety: FixSafety;
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  /** Offsets in the finding's file, or in `file` when that is set. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** Absolute path of another file the location is in (cross-module findings); absent: the finding's own file. */
  readonly file?: string;
  /** 0-based line and UTF-16 character of both ends, given with `file`, whose text the reader may not have. */
  readonly position?: { readonly line: number; readonly character: number; readonly endLine: number; readonly endCharacter: number };
}

export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
  readonly start: number;
  readonly end: number;
  readonly fix?: Fix;
  readonly related?: readonly RelatedLocation[];
}

export interface RuleMeta {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly fix: FixSafety | 'none';
  /** One line for tables and the CLI. */
  readonly summary: string;
  /** One sentence for the rule index in docs/rules/README.md. */
  readonly description: string;
  /** A second severity some of the rule's findings are reported at, for the rule tables. */
  readonly alsoReports?: Severity;
  /**
   * Not reported in test files (`test-files` in pyproject.toml): the hazard harms only the test
   * itself there, or tests commit it on purpose. docs/configuration.md#test-files lists them.
   */
  readonly skipsTestFiles?: boolean;
  /** Codes of other tools whose `# noqa` also silences this rule. */
  readonly peerCodes: readonly string[];
}

/** What a rule reports; `severity` overrides the rule's default where one rule has two levels. */
export type Report = Omit<Finding, 'code' | 'severity'> & { readonly severity?: Severity };

export interface RuleContext {
  readonly model: SemanticModel;
  readonly resolver: Resolver;
  readonly source: string;
  /** The oldest Python 3 minor version the code must run on (11 for 3.11); undefined when not configured. */
  readonly targetVersion: number | undefined;
  report(finding: Report): void;
}

/**
 * A rule is its metadata plus handlers the single analysis pass calls. Handlers get the shared
 * model; no rule walks the tree on its own.
 */
export interface Rule {
  readonly meta: RuleMeta;
  onCall?(site: CallSite, ctx: RuleContext): void;
  /** Node types (from INSPECTED_TYPES) this rule's onNode wants to see. */
  readonly nodeTypes?: readonly string[];
  onNode?(site: NodeSite, ctx: RuleContext): void;
  onFinish?(ctx: RuleContext): void;
}
