// From a rule's declared fix to text edits on one finding. Edits are placed by the parsers' own ranges
// (dockerfile-ast's, the shell parser's word offsets), and text they cannot place exactly (a command inside
// `sh -c`, a heredoc body, a comment line in what they would replace, CMD text that is not plain words) gets no
// fix rather than a doubtful one.
import type { Instruction, ShellCommand, Stage } from '../facts/types.js'
import { locateCommand, runScript } from './command-words.js'
import type { FixDocument, Splice } from './document.js'
import type { EditSpec, Fix, FixSpec } from './types.js'

/** The fix for a finding on the target with these CEL variables; null when the fix does not apply or is not certain. */
export function resolveFix (fix: FixSpec, variables: Record<string, unknown>, document: FixDocument): Fix | null {
  if (fix.when !== undefined && fix.when(variables) !== true) return null
  const splices: Splice[] = []
  for (const edit of fix.edits) {
    const splice = edit.kind === 'addFlag' && edit.commands !== undefined ? addFlags(edit, variables, document) : resolveEdit(edit, variables, document)
    if (splice === null) return null
    if (Array.isArray(splice)) splices.push(...splice)
    else splices.push(splice)
  }
  if (splices.length === 0) return null
  return { description: fix.description, edits: splices.map((splice) => document.toTextEdit(splice)) }
}

function resolveEdit (edit: EditSpec, variables: Record<string, unknown>, document: FixDocument): Splice | null {
  const instruction = anchorOf(variables, document)
  if (instruction === null) return null
  const command = variables.command as ShellCommand | undefined
  switch (edit.kind) {
    case 'addFlag': return command === undefined ? null : addFlag(document, instruction, command, edit.text(variables))
    case 'removeCommand': {
      const first = command ?? instruction.commands[0]
      return first === undefined ? null : removeFirstCommand(document, instruction, first)
    }
    case 'appendCommand': return appendCommand(document, instruction, edit.text(variables))
    case 'insertBefore':
    case 'insertAfter': return insertLines(document, instruction, edit.text(variables), edit.kind === 'insertAfter')
    case 'execForm': return execForm(document, instruction)
    default: return replace(edit, variables, document, instruction)
  }
}

/** The instruction edits apply to: the rule's instruction, else its stage's FROM, else the final stage's. */
function anchorOf (variables: Record<string, unknown>, document: FixDocument): Instruction | null {
  if (variables.instruction !== undefined) return variables.instruction as Instruction
  const stage = (variables.stage as Stage | undefined) ?? document.facts.stages[document.facts.finalStage]
  return stage?.instructions[0] ?? null
}

function replace (edit: EditSpec, variables: Record<string, unknown>, document: FixDocument, instruction: Instruction): Splice | null {
  const parts = document.parts(instruction)
  if (parts === null || !('text' in edit)) return null
  const text = edit.text(variables)
  if (edit.kind === 'replaceKeyword') {
    // A keyword written in lower case stays in lower case.
    return { ...parts.keyword, text: parts.keyword.text === parts.keyword.text.toLowerCase() ? text.toLowerCase() : text }
  }
  // Arguments are replaced only where the instruction has no heredoc and no comment among its lines.
  if (instruction.heredocs.length > 0 || document.holdsComment(parts.argsSpan.start, parts.argsSpan.end)) return null
  if (text.includes('\n')) return null
  switch (edit.kind) {
    case 'replaceArgument': {
      const arg = parts.args[edit.index]
      return arg === undefined ? null : { start: arg.start, end: arg.end, text }
    }
    case 'replaceArguments': return { ...parts.argsSpan, text }
    case 'replaceInstruction': return { start: parts.keyword.start, end: parts.argsSpan.end, text }
    default: return null
  }
}

// The flag on each command of the instruction that `commands` selects: every one, or no fix.
function addFlags (edit: Extract<EditSpec, { kind: 'addFlag' }>, variables: Record<string, unknown>, document: FixDocument): Splice[] | null {
  const instruction = variables.instruction as Instruction | undefined
  if (instruction === undefined || edit.commands === undefined) return null
  const splices: Splice[] = []
  for (const command of instruction.commands) {
    const inner = { ...variables, command }
    if (edit.commands(inner) !== true) continue
    const splice = addFlag(document, instruction, command, edit.text(inner))
    if (splice === null) return null
    splices.push(splice)
  }
  return splices
}

// ` <flag>` after the subcommand's last word as written (`install` of `pip install`), or after the program.
function addFlag (document: FixDocument, instruction: Instruction, command: ShellCommand, flag: string): Splice | null {
  const located = locateCommand(document, instruction, command)
  if (located === null) return null
  const last = command.subcommand.split(' ').pop() as string
  const index = last === '' ? 0 : command.args.indexOf(last) + 1
  const span = located.words[index]
  if (span === undefined || (last !== '' && index === 0)) return null
  const at = located.script.at(span[1], true)
  return { start: at, end: at, text: ` ${flag}` }
}

// `cd /app && make` → `make`: the RUN's first command and the `&&` after it, up to the next command.
function removeFirstCommand (document: FixDocument, instruction: Instruction, command: ShellCommand): Splice | null {
  const located = locateCommand(document, instruction, command)
  if (located === null) return null
  const script = located.script.source.script
  const last = located.words[located.words.length - 1]
  if (last === undefined || script.slice(0, located.start).trim() !== '') return null
  const and = /^[ \t]*&&[ \t\n]*/.exec(script.slice(last[1]))
  if (and === null || script.slice(last[1] + and[0].length).trim() === '') return null
  const start = located.script.at(located.start)
  const end = located.script.at(last[1] + and[0].length)
  return document.holdsComment(start, end) ? null : { start, end, text: '' }
}

// ` && <command>` after the last command of a RUN; on a line of its own when the RUN already spans lines.
function appendCommand (document: FixDocument, instruction: Instruction, text: string): Splice | null {
  const script = runScript(document, instruction)
  if (script === null) return null
  const body = script.source.script.trimEnd()
  // A script ending in `;`, `&`, `|` or a comment would not take `&& …` after it.
  if (body === '' || /[;&|#\\]/.test(body.slice(-1)) || body.includes('#')) return null
  const at = script.at(body.length, true)
  if (instruction.endLine === instruction.line) return { start: at, end: at, text: ` && ${text}` }
  const indent = document.indentOf(instruction.endLine)
  return { start: at, end: at, text: ` ${document.facts.escape}${document.newline}${indent === '' ? '    ' : indent}&& ${text}` }
}

// Whole lines before or after the instruction, at its indentation.
function insertLines (document: FixDocument, instruction: Instruction, text: string, after: boolean): Splice | null {
  if (instruction.isTrigger) return null
  const indent = document.indentOf(instruction.line)
  const lines = text.split('\n').map((line) => indent + line).join(document.newline)
  if (after) {
    const at = document.lineEnd(instruction.endLine)
    return { start: at, end: at, text: document.newline + lines }
  }
  // Above the comment lines that lead into the instruction: they (a pragma such as `# hadolint ignore=…`) belong to it.
  let line = instruction.line
  while (document.facts.comments.some((comment) => comment.line === line - 1)) line--
  const at = document.lineStart(line)
  return { start: at, end: at, text: lines + document.newline }
}

// A shell-form CMD or ENTRYPOINT that is only plain words: written as the JSON array Docker would run.
const PLAIN_WORDS = /^[A-Za-z0-9_/.,:=@%+-]+([ \t]+[A-Za-z0-9_/.,:=@%+-]+)*$/
function execForm (document: FixDocument, instruction: Instruction): Splice | null {
  if (!['CMD', 'ENTRYPOINT'].includes(instruction.keyword) || instruction.form !== 'shell') return null
  const parts = document.parts(instruction)
  if (parts === null || parts.args.length === 0 || document.holdsComment(parts.argsSpan.start, parts.argsSpan.end)) return null
  const words = instruction.args
  if (!PLAIN_WORDS.test(words.join(' '))) return null
  return { ...parts.argsSpan, text: `[${words.map((word) => JSON.stringify(word)).join(', ')}]` }
}
