// Where a shell command of a RUN stands in the Dockerfile text, word by word: the shell facts keep only a
// command's line, so its RUN script is read again, with the same continuation joining and the same parser.
import type { Instruction, ShellCommand } from '../facts/types.js'
import { joinContinuations, type ShellSource } from '../inputs/shell/source.js'
import { readScript, type Found } from '../inputs/shell/syntax.js'
import { unwrap } from '../inputs/shell/wrappers.js'
import type { FixDocument } from './document.js'

/** A RUN's script and where it stands in the text. */
export interface RunScript {
  readonly source: ShellSource
  /** Offset in the text of an offset in the script (`end`: of one that ends a word). */
  readonly at: (offset: number, end?: boolean) => number
}

/** A command of a RUN, located. */
export interface LocatedCommand {
  readonly script: RunScript
  /** The command's words from its program on (wrappers such as `sudo` before it), as script offsets. */
  readonly words: ReadonlyArray<readonly [number, number]>
  /** Where the command starts in the script: its first word, wrappers and `NAME=value` included. */
  readonly start: number
}

/**
 * The script of a shell-form RUN with no heredocs, in which every character is the text's own. Null for other
 * instructions: exec form, heredoc bodies and HEALTHCHECK are not edited.
 */
export function runScript (document: FixDocument, instruction: Instruction): RunScript | null {
  if (instruction.keyword !== 'RUN' || instruction.form !== 'shell' || instruction.heredocs.length > 0) return null
  const parts = document.parts(instruction)
  if (parts === null || parts.args.length === 0) return null
  const start = document.source.position(parts.argsSpan.start)
  const text = document.text.slice(parts.argsSpan.start, parts.argsSpan.end)
  const source = joinContinuations(text, document.facts.escape, start.line + 1, start.character)
  const at = (offset: number, end = false): number => {
    const position = source.positionAt(offset, end)
    return document.source.offset({ line: position.line - 1, character: position.column })
  }
  return { source, at }
}

/** The command's words in its RUN; null when it is not one the text holds word for word (in `sh -c '…'`, say). */
export function locateCommand (document: FixDocument, instruction: Instruction, command: ShellCommand): LocatedCommand | null {
  const read = readRun(document, instruction)
  if (read === null) return null
  const { script, found } = read
  const same = (candidate: ShellCommand): boolean => candidate.line === command.line && candidate.name === command.name && sameWords(candidate.args, command.args)
  // Identical commands on one line are told apart by their order.
  const wanted = instruction.commands.filter(same).indexOf(command)
  let seen = 0
  for (const simple of found) {
    if (simple.spans === undefined) continue
    let words = simple.words
    for (let step = unwrap(words); step !== null && 'rest' in step; step = unwrap(words)) words = step.rest
    const spans = simple.spans.slice(simple.words.length - words.length)
    if (script.source.lineAt(simple.offset) !== command.line || words[0] !== command.name || !sameWords(words.slice(1), command.args)) continue
    if (seen++ === wanted) return { script, words: spans, start: simple.offset }
  }
  return null
}

// Each RUN is read once per document, however many of its commands have findings.
function readRun (document: FixDocument, instruction: Instruction): { script: RunScript, found: readonly Found[] } | null {
  let read = document.scripts.get(instruction) as { script: RunScript, found: readonly Found[] } | null | undefined
  if (read === undefined) {
    const script = runScript(document, instruction)
    read = script === null ? null : { script, found: readScript(script.source.script) ?? [] }
    document.scripts.set(instruction, read)
  }
  return read
}

const sameWords = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((word, index) => word === b[index])
