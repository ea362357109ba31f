import { compileExpression } from './cel.js'
import type { Program, Scope } from './types.js'

/** A message with `{{ expression }}` placeholders, compiled once; `scope`: what the rule runs once per, for their cost. */
export type Template = (variables: Record<string, unknown>) => string

// A placeholder may span lines: YAML keeps the line breaks of a more-indented continuation.
const PLACEHOLDER = /\{\{([\s\S]+?)\}\}/g

export function compileTemplate (text: string, scope: Scope = 'dockerfile'): { ok: true, template: Template } | { ok: false, message: string } {
  const compiled = compileParts(text, scope)
  if (!compiled.ok) return compiled
  const { parts } = compiled
  const template: Template = (variables) => cut(oneLine(parts.map((part) => {
    if (typeof part === 'string') return part
    const value = oneLine(show(part.program(variables)))
    return part.quoted ? cut(value, QUOTE_LIMIT) : value
  }).join('')), MESSAGE_LIMIT)
  return { ok: true, template }
}

/** A template whose text is kept exactly as filled in: a fix's new Dockerfile text. */
export function compileTextTemplate (text: string, scope: Scope): { ok: true, template: Template } | { ok: false, message: string } {
  const compiled = compileParts(text, scope)
  if (!compiled.ok) return compiled
  const { parts } = compiled
  return { ok: true, template: (variables) => parts.map((part) => typeof part === 'string' ? part : show(part.program(variables))).join('') }
}

type Part = string | { program: Program, quoted: boolean }

function compileParts (text: string, scope: Scope): { ok: true, parts: Part[] } | { ok: false, message: string } {
  const parts: Part[] = []
  let last = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    const compiled = compileExpression((match[1] as string).trim(), 'any', 'native', scope)
    if (!compiled.ok) return { ok: false, message: `placeholder {{${match[1]}}}: ${compiled.message}` }
    const before = text.slice(0, match.index).replace(PLACEHOLDER, '')
    parts.push(text.slice(last, match.index), { program: compiled.program, quoted: before.split('`').length % 2 === 0 })
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  return { ok: true, parts }
}

// Messages quote instructions, which may span lines: a finding reads as one line. A long quote (a
// placeholder inside a `code span`) is cut, not the message, so the words that say what is wrong are always
// there; a placeholder that is prose is kept whole, and only a runaway message is cut at its end.
const QUOTE_LIMIT = 120
const MESSAGE_LIMIT = 1000
const oneLine = (text: string): string => text.replace(/[\\`]?[ \t]*\r?\n\s*/g, ' ').replace(/\s{2,}/g, ' ')
const cut = (text: string, limit: number): string => text.length > limit ? `${text.slice(0, limit - 1)}…` : text

function show (value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value, (_key, v: unknown) => typeof v === 'bigint' ? Number(v) : v)
}
