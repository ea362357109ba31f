// Fixes: the edits a rule declares in its policy YAML (`fix:`), and the text edits they become on one finding.
import type { Program } from '../policy/types.js'

/** Text produced per finding: a `{{ CEL }}` template kept exactly as written (no message folding). */
export type TextTemplate = (variables: Record<string, unknown>) => string

/** One declarative edit, as compiled from a rule's `fix.edits`. */
export type EditSpec =
  /**
   * Command: ` <text>` after the subcommand (`pip install`), or after the program when it has none. On an
   * instruction, to each of its commands `commands` (CEL over `command`) holds for.
   */
  | { readonly kind: 'addFlag', readonly text: TextTemplate, readonly commands?: Program }
  /** Command or RUN: ` && <text>` after the RUN's last shell command. */
  | { readonly kind: 'appendCommand', readonly text: TextTemplate }
  /** Command: the command and the `&&` that follows it go (`cd /app && make` keeps `make`). */
  | { readonly kind: 'removeCommand' }
  /** Instruction: the keyword (`ADD` → `COPY`). */
  | { readonly kind: 'replaceKeyword', readonly text: TextTemplate }
  /** Instruction: one argument after the flags, by position from 0. */
  | { readonly kind: 'replaceArgument', readonly index: number, readonly text: TextTemplate }
  /** Instruction: everything after the keyword and its flags. */
  | { readonly kind: 'replaceArguments', readonly text: TextTemplate }
  /** Instruction: the keyword and its arguments (heredoc bodies stay). */
  | { readonly kind: 'replaceInstruction', readonly text: TextTemplate }
  /** CMD, ENTRYPOINT: shell form written as a JSON array, when it is a plain word list. */
  | { readonly kind: 'execForm' }
  /** New lines before or after the instruction (for a stage rule, its FROM), indented as it is. */
  | { readonly kind: 'insertBefore' | 'insertAfter', readonly text: TextTemplate }

export type EditKind = EditSpec['kind']

/** A rule's fix, compiled. */
export interface FixSpec {
  /** What the fix does, for people and for SARIF's `fix.description`. */
  readonly description: string
  /** CEL: the fix is certain only where this holds; otherwise the finding carries no fix. */
  readonly when?: Program
  readonly edits: readonly EditSpec[]
}

/** A Dockerfile the fix must turn into `after` (this rule's fixes only, applied until none is left). */
export interface FixExample {
  readonly before: string
  readonly after: string
  readonly files: Readonly<Record<string, string>>
  readonly params: Readonly<Record<string, unknown>>
}

/**
 * A replacement of the text between two positions (1-based lines and columns; the end column is the one after the
 * last character replaced, as in SARIF). An insertion has the end equal to the start.
 */
export interface TextEdit {
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
  readonly text: string
}

/** A finding's fix: what it does and its edits to the Dockerfile that was judged. */
export interface Fix {
  readonly description: string
  readonly edits: readonly TextEdit[]
}
