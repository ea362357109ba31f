import { compileExpression } from './cel.js'
import type { Program } from './types.js'

/** A message with `{{ expression }}` placeholders, compiled once. */
export type Template = (variables: Record<string, unknown>) => string

const PLACEHOLDER = /\{\{(.+?)\}\}/g

export function compileTemplate (text: string): { ok: true, template: Template } | { ok: false, message: string } {
  const parts: Array<string | Program> = []
  let last = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    const compiled = compileExpression((match[1] as string).trim(), 'any')
    if (!compiled.ok) return { ok: false, message: `placeholder {{${match[1]}}}: ${compiled.message}` }
    parts.push(text.slice(last, match.index), compiled.program)
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  const template: Template = (variables) =>
    oneLine(parts.map((part) => typeof part === 'string' ? part : quote(show(part(variables)))).join(''))
  return { ok: true, template }
}

// Messages quote instructions, which may span lines: a finding reads as one line. A long quote is cut, not
// the message, so the words after it, which say what is wrong, are always there.
const QUOTE_LIMIT = 120
const oneLine = (text: string): string => text.replace(/[\\`]?[ \t]*\r?\n\s*/g, ' ').replace(/\s{2,}/g, ' ')
function quote (value: string): string {
  const text = oneLine(value)
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text
}

function show (value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value, (_key, v: unknown) => typeof v === 'bigint' ? Number(v) : v)
}
