import { parse as tokenize } from 'shell-quote'
import type { ShellCommand } from '../facts/types.js'

// shell-quote is a tokenizer with shell quoting and operators: enough to split a RUN line into
// simple commands at `&&`, `||`, `;`, `|` and `&`. Redirections are dropped with their targets.
const SEPARATORS = new Set(['&&', '||', ';', ';;', '|', '|&', '&', '(', ')'])
const REDIRECTS = new Set(['<', '>', '>>', '>&', '<(', '<&'])
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s

/** Joins continuation lines (the escape character before a newline) and drops comment lines inside them. */
export function joinContinuations (raw: string, escape: string): string {
  const lines = raw.split(/\r?\n/)
  const kept = lines.filter((line, index) => index === 0 || !line.trimStart().startsWith('#'))
  let joined = ''
  for (const line of kept) {
    const trimmed = line.replace(/\s+$/, '')
    joined += trimmed.endsWith(escape) ? trimmed.slice(0, -escape.length) + ' ' : line + '\n'
  }
  return joined.trim()
}

export function parseShell (script: string): ShellCommand[] {
  const commands: ShellCommand[] = []
  let words: string[] = []
  let skipNext = false
  const flush = (): void => {
    const env: Record<string, string> = {}
    let start = 0
    for (; start < words.length; start++) {
      const match = ASSIGNMENT.exec(words[start] as string)
      if (match === null) break
      env[match[1] as string] = match[2] as string
    }
    const [name, ...args] = words.slice(start)
    if (name !== undefined) {
      commands.push({ name, program: name.slice(name.lastIndexOf('/') + 1), args, env, text: [name, ...args].join(' ') })
    }
    words = []
  }
  for (const token of tokens(script)) {
    if (typeof token === 'string') {
      if (skipNext) skipNext = false
      else words.push(token)
    } else if ('op' in token) {
      if (token.op === 'glob') words.push(token.pattern)
      else if (REDIRECTS.has(token.op)) {
        // shell-quote splits `2>&1` into "2", ">&", "1": the descriptor is not an argument.
        if (/^[0-9]$/.test(words.at(-1) ?? '')) words.pop()
        skipNext = true
      }
      else if (SEPARATORS.has(token.op)) flush()
    } else if ('comment' in token) {
      break
    }
  }
  flush()
  return commands
}

// Keeps $VAR as written: facts describe the Dockerfile, not one build's environment. Text that is not
// POSIX shell (PowerShell's ${Env:X} in Windows images) makes shell-quote throw: it yields no commands.
function tokens (script: string): ReturnType<typeof tokenize> {
  try {
    return tokenize(script, (key) => '$' + key)
  } catch {
    return []
  }
}
