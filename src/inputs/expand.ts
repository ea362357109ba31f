// Docker's word processing for the instructions it expands (ADD, COPY, ENV, EXPOSE, FROM, LABEL,
// STOPSIGNAL, USER, VOLUME, WORKDIR): split on unquoted whitespace, then per word remove quotes,
// apply the escape character and substitute $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word},
// ${VAR+word}, ${VAR:?msg} and ${VAR?msg}. Nothing is expanded inside single quotes. Unset variables
// become "" as in Docker; their names are reported so facts can say what stayed open.

export interface Expansion {
  readonly value: string
  readonly unresolved: readonly string[]
}

/** Variables in scope: a name maps to its value, or to undefined when declared without one (`ARG X`). */
export type Variables = Readonly<Record<string, string | undefined>>

const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /[A-Za-z0-9_]/

/** Splits on whitespace outside quotes; quotes and escapes stay in the words for processWord. */
export function splitWords (text: string, escape: string): string[] {
  const words: string[] = []
  let word = ''
  let quote = ''
  let started = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === escape && quote !== "'" && i + 1 < text.length) {
      word += c + (text[++i] as string)
      started = true
    } else if (quote !== '') {
      word += c
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") {
      word += c
      quote = c
      started = true
    } else if (/\s/.test(c)) {
      if (started) words.push(word)
      word = ''
      started = false
    } else {
      word += c
      started = true
    }
  }
  if (started) words.push(word)
  return words
}

/**
 * What `$NAME` becomes when NAME is declared without a value: "" as in Docker, or, for FROM, a placeholder
 * that keeps the reference open (the value comes with `--build-arg`). `${NAME:-word}` still takes the word.
 */
export type OpenVariable = (name: string) => string

/** Removes quotes, applies escapes and substitutes variables in one word. */
export function processWord (word: string, vars: Variables, escape = '\\', open?: OpenVariable): Expansion {
  const unresolved: string[] = []
  const value = scan(word, vars, escape, true, unresolved, open)
  return { value, unresolved }
}

/** Substitutes variables in text that has no quoting (an image reference, an already unquoted value). */
export function expandVariables (text: string, vars: Variables): Expansion {
  const unresolved: string[] = []
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
      i = end
    } else {
      out += c
    }
  }
  return out
}

// Reads the variable reference starting at text[start] === '$'; returns its value and the index of its last character.
function variable (text: string, start: number, vars: Variables, escape: string, quoting: boolean, unresolved: string[], open?: OpenVariable): [string, number] {
  const lookup = (name: string): string | undefined => Object.hasOwn(vars, name) ? vars[name] : undefined
  // A variable declared without a value: "" in Docker unless a build argument sets it.
  const unset = (name: string): string => open !== undefined && Object.hasOwn(vars, name) ? open(name) : ''
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
    const value = lookup(name)
    const set = op?.startsWith(':') ? value !== undefined && value !== '' : value !== undefined
    const alternative = (): string => scan(word, vars, escape, quoting, unresolved, open)
    switch (op?.replace(':', '')) {
      case '-': return [set ? value as string : alternative(), close]
      case '+': return [set ? alternative() : '', close]
      case '?':
        if (!set) unresolved.push(name)
        return [value ?? unset(name), close]
    }
    if (value === undefined) unresolved.push(name)
    return [value ?? unset(name), close]
  }
  let end = start + 1
  if (!NAME_START.test(text[end] ?? '')) return ['$', start]
  while (end < text.length && NAME_CHAR.test(text[end] as string)) end++
  const name = text.slice(start + 1, end)
  const value = lookup(name)
  if (value === undefined) unresolved.push(name)
  return [value ?? unset(name), end - 1]
}

function matchingBrace (text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return -1
}
