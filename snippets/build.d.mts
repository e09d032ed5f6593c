// Types for the generator, so that the TypeScript tests can regenerate the snippet file in memory.
export interface Program {
  readonly prefix: string;
  readonly title: string;
  readonly description: string;
  /** The program's lines between the markers, `$0` marker lines reduced to their indentation. */
  readonly region: string[];
  /** The snippet body's lines in the VS Code snippet grammar. */
  readonly body: string[];
  /** Placeholder default -> tabstop number. */
  readonly placeholders: Map<string, number>;
}
export const PROGRAMS_DIR: string;
export const SNIPPETS_FILE: string;
export const HEADER: string;
export function parseProgram(fileName: string, text: string): Program;
export function buildSnippets(programsDir?: string): string;
