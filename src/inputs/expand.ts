// Docker's word processing for the instructions it expands (ADD, COPY, ENV, EXPOSE, FROM, LABEL,
// STOPSIGNAL, USER, VOLUME, WORKDIR): split on unquoted whitespace, then per word remove quotes,
// apply the escape character and substitute $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word},
// ${VAR+word}, ${VAR:?msg} and ${VAR?msg}. Nothing is expanded inside single quotes. Unset variables
// become "" as in Docker; their names are reported so facts can say what stayed open.

import { bracketDepth, check, countExpansion } from './limits.js'

export interface Expansion {
  readonly value: string
  readonly unresolved: readonly string[]
}

/** Variables in scope: a name maps to its value, or to undefined when declared without one (`ARG X`). */
export type Variables = Readonly<Record<string, string | undefined>>

const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /[A-Za-z0-9_]/
const QUOTE_OR_DOLLAR = /["'$]/

/** Splits on whitespace outside quotes; quotes and escapes stay in the words for processWord. */
export function splitWords (text: string, escape: string): string[] {
  const words: string[] = []
  // Every character of a word is kept, so a word is a slice of the text: from `start` to the whitespace that ends it.
  let start = -1
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === escape && quote !== "'" && i + 1 < text.length) {
      if (start < 0) start = i
      i++
    } else if (quote !== '') {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") {
      quote = c
      if (start < 0) start = i
    } else if (isSpace(c)) {
      if (start >= 0) words.push(text.slice(start, i))
      start = -1
    } else if (start < 0) {
      start = i
    }
  }
  if (start >= 0) words.push(text.slice(start))
  return words
}

// What /\s/ matches, without running a regex on every ASCII character.
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || (c > '~' ? /\s/.test(c) : c === '\v' || c === '\f')

/**
 * What `$NAME` becomes when NAME is declared without a value: "" as in Docker, or, for FROM, a placeholder
 * that keeps the reference open (the value comes with `--build-arg`). `${NAME:-word}` still takes the word.
 */
export type OpenVariable = (name: string) => string

/** Removes quotes, applies escapes and substitutes variables in one word. */
export function processWord (word: string, vars: Variables, escape = '\\', open?: OpenVariable): Expansion {
  // Most words have nothing to process: no quote, escape or variable.
  if (!QUOTE_OR_DOLLAR.test(word) && !word.includes(escape)) return { value: word, unresolved: [] }
  const unresolved: string[] = []
  checkNesting(word)
  const value = scan(word, vars, escape, true, unresolved, open)
  return { value, unresolved }
}

/** Substitutes variables in text that has no quoting (an image reference, an already unquoted value). */
export function expandVariables (text: string, vars: Variables): Expansion {
  const unresolved: string[] = []
  checkNesting(text)
  const value = scan(text, vars, '\u0000', false, unresolved)
  return { value, unresolved }
}

function scan (text: string, vars: Variables, escape: string, quoting: boolean, unresolved: string[], open?: OpenVariable): string {
  let out = ''
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoting && c === escape && quote !== "'" && i + 1 < text.length) {
      const next = text[i + 1] as string
      // In double quotes only the quote, the escape character and $ are escaped, as in Docker.
      if (quote === '"' && next !== '"' && next !== escape && next !== '$') out += c
      out += next
      i++
    } else if (quoting && quote === '' && (c === '"' || c === "'")) {
      quote = c
    } else if (quoting && c === quote) {
      quote = ''
    } else if (c === '$' && quote !== "'") {
      const [replacement, end] = variable(text, i, vars, escape, quoting, unresolved, open)
      out += replacement
      // A value that refers to itself twice doubles with each ENV: 22 lines would make 4 million characters.
      countExpansion(replacement.length)
      i = end
    } else {
      out += c
    }
  }
  return out
}

// Reads the variable reference starting at text[start] === '$'; returns its value and the index of its last character.
function variable (text: string, start: number, vars: Variables, escape: string, quoting: boolean, unresolved: string[], open?: OpenVariable): [string, number] {
  if (text[start + 1] === '{') {
    const close = matchingBrace(text, start + 1)
    if (close < 0) return ['$', start]
    const inner = text.slice(start + 2, close)
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner)
    if (match === null) {
      // A form not modelled here (`${VAR/a/b}`, `${VAR#prefix}`): its value is unknown, so FROM keeps it open.
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner)?.[0]
      if (open === undefined || name === undefined) return [text.slice(start, close + 1), close]
      unresolved.push(name)
      return [open(name), close]
    }
    const [, name = '', op, word = ''] = match
    const value = lookup(vars, name)
    const set = op?.startsWith(':') ? value !== undefined && value !== '' : value !== undefined
    switch (op?.replace(':', '')) {
      case '-': return [set ? value as string : scan(word, vars, escape, quoting, unresolved, open), close]
      case '+': return [set ? scan(word, vars, escape, quoting, unresolved, open) : '', close]
      case '?':
        if (!set) unresolved.push(name)
        return [value ?? unset(vars, name, open), close]
    }
    if (value === undefined) unresolved.push(name)
    return [value ?? unset(vars, name, open), close]
  }
  let end = start + 1
  if (!NAME_START.test(text[end] ?? '')) return ['$', start]
  while (end < text.length && NAME_CHAR.test(text[end] as string)) end++
  const name = text.slice(start + 1, end)
  const value = lookup(vars, name)
  if (value === undefined) unresolved.push(name)
  return [value ?? unset(vars, name, open), end - 1]
}

// Module-level rather than closures in variable(): tsx (the bench, the tests) names every closure it creates.
const lookup = (vars: Variables, name: string): string | undefined => Object.hasOwn(vars, name) ? vars[name] : undefined
// A variable declared without a value: "" in Docker unless a build argument sets it.
const unset = (vars: Variables, name: string, open: OpenVariable | undefined): string => open !== undefined && Object.hasOwn(vars, name) ? open(name) : ''

// `${a:-${b:-…}}` is expanded by recursion, a level a brace: refused past MAX_SHELL_DEPTH before it starts.
function checkNesting (text: string): void {
  if (text.includes('${')) check('shellDepth', bracketDepth(text, '{', '}'), 'a variable expansion')
}

function matchingBrace (text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return -1
}
