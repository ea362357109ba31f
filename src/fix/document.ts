// The judged Dockerfile as text to edit: dockerfile-ast's ranges of each instruction's keyword and arguments, and
// offsets in the text. Parsed once per evaluation, and only when a finding has a fix.
import type { Instruction as AstInstruction } from 'dockerfile-ast'
import { parseDockerfile } from '../inputs/dockerfile.js'
import type { DockerfileFacts, Instruction } from '../facts/types.js'
import { SourceText } from '../inputs/source-text.js'
import type { TextEdit } from './types.js'

/** An edit as offsets in the text: replace [start, end) with `text`. */
export interface Splice {
  readonly start: number
  readonly end: number
  readonly text: string
}

/** Where an instruction's parts stand in the text, as offsets. */
export interface InstructionParts {
  readonly node: AstInstruction
  /** The keyword. */
  readonly keyword: Splice
  /** Each argument after the flags, up to the first heredoc body. */
  readonly args: ReadonlyArray<{ readonly start: number, readonly end: number }>
  /** From the first argument to the end of the last; empty at the keyword's end when there is none. */
  readonly argsSpan: { readonly start: number, readonly end: number }
}

// Made for every evaluation of a Dockerfile, used only when a finding has a fix: everything is worked out on first use.
export class FixDocument {
  private lines: SourceText | undefined
  private nodes: readonly AstInstruction[] | undefined
  /** RUN scripts read again for their words (command-words.ts), once per instruction. */
  readonly scripts = new Map<Instruction, unknown>()

  constructor (readonly text: string, readonly facts: DockerfileFacts) {}

  get source (): SourceText {
    return this.lines ??= new SourceText(this.text)
  }

  /** The line break the file uses, for inserted lines. */
  get newline (): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n'
  }

  /** The instruction's parts; null for an ONBUILD trigger or one dockerfile-ast reads otherwise than the facts. */
  parts (instruction: Instruction): InstructionParts | null {
    if (instruction.isTrigger) return null
    this.nodes ??= parseDockerfile(this.text).getInstructions()
    const node = this.nodes[instruction.index]
    if (node === undefined || node.getRange().start.line + 1 !== instruction.line) return null
    const keyword = node.getInstructionRange()
    const offset = (position: { line: number, character: number }): number => this.source.offset(position)
    // Heredoc bodies start on the line after their opener: arguments past the instruction's first heredoc line are its bodies.
    const lastHeaderLine = instruction.heredocs.length > 0 ? (instruction.heredocs[0] as { line: number }).line - 1 : Infinity
    const args = node.getArguments()
      .filter((arg) => arg.getRange().start.line + 1 <= lastHeaderLine)
      .map((arg) => ({ start: offset(arg.getRange().start), end: offset(arg.getRange().end) }))
    const keywordEnd = offset(keyword.end)
    return {
      node,
      keyword: { start: offset(keyword.start), end: keywordEnd, text: this.text.slice(offset(keyword.start), keywordEnd) },
      args,
      argsSpan: args.length === 0 ? { start: keywordEnd, end: keywordEnd } : { start: (args[0] as { start: number }).start, end: (args[args.length - 1] as { end: number }).end },
    }
  }

  /** The whitespace a line starts with (line from 1). */
  indentOf (line: number): string {
    const start = this.source.offset({ line: line - 1, character: 0 })
    return /^[ \t]*/.exec(this.text.slice(start, this.source.lineEnd(line - 1)))?.[0] ?? ''
  }

  /** Where a line (from 1) starts and ends, line break excluded. */
  lineStart (line: number): number { return this.source.offset({ line: line - 1, character: 0 }) }
  lineEnd (line: number): number { return this.source.lineEnd(line - 1) }

  /** True when the text in [start, end) holds a comment line (a continuation can carry one): an edit there would drop it. */
  holdsComment (start: number, end: number): boolean {
    return /(^|\n)[ \t]*#/.test(this.text.slice(start, end))
  }

  /** A splice as the finding's edit: 1-based lines and columns, the end column after the last character replaced. */
  toTextEdit (splice: Splice): TextEdit {
    const start = this.source.position(splice.start)
    const end = this.source.position(splice.end)
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1, text: splice.text }
  }
}
