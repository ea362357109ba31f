import type { Dockerfile } from 'dockerfile-ast'
import { check } from './limits.js'
import { pointerToken } from '../problem.js'

/**
 * Refuses a line over MAX_LINE_LENGTH before the parser reads the text, its continuations joined: a line ending in
 * either escape character (`\\` or the backtick) is taken to continue, which can only over-count.
 */
export function checkLines (text: string): void {
  let logical = 0
  let first = 1
  eachLine(text, (start, stop, line) => {
    logical += stop - start
    check('lineLength', logical, first === line ? `line ${line}` : `lines ${first}-${line}`)
    const last = text.slice(start, stop).trimEnd().at(-1)
    if (last === '\\' || last === '`') {
      logical++
    } else {
      logical = 0
      first = line + 1
    }
  })
}

/** Refuses a context file over MAX_CONTEXT_FILE, or with a line over MAX_LINE_LENGTH (a `.dockerignore` pattern of a megabyte). */
export function checkContextFile (name: string, text: string): void {
  const pointer = `/files/${pointerToken(name)}`
  check('contextFile', text.length, `the context file ${name}`, pointer)
  eachLine(text, (start, stop, line) => { check('lineLength', stop - start, `line ${line} of the context file ${name}`, pointer) })
}

// Each line's start and end offsets (without its \n) and number, from 1.
function eachLine (text: string, visit: (start: number, stop: number, line: number) => void): void {
  for (let start = 0, line = 1; start < text.length; line++) {
    const end = text.indexOf('\n', start)
    const stop = end < 0 ? text.length : end
    visit(start, stop, line)
    start = stop + 1
  }
}

/** Refuses a parsed Dockerfile over MAX_INSTRUCTIONS, MAX_STAGES, or with an instruction (continuations joined) over MAX_LINE_LENGTH. */
export function checkInstructions (ast: Dockerfile, offset: (position: { line: number, character: number }) => number): void {
  const instructions = ast.getInstructions()
  check('instructions', instructions.length, 'the Dockerfile')
  check('stages', ast.getFROMs().length, 'the Dockerfile')
  for (const instruction of instructions) {
    const { start, end } = instruction.getRange()
    check('lineLength', offset(end) - offset(start), `the instruction on line ${start.line + 1}`)
  }
}
