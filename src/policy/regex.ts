// Regular expressions for CEL's `matches`: RE2 syntax and semantics, and linear time whatever the pattern.
// re2js (a pure-JS RE2) is exact but about 20 times slower than V8's own engine, so a pattern runs on V8 when
// it can be written as a JS regex with the same meaning that V8's linear engine accepts: V8 then falls back
// to that engine when backtracking grows (the flags below), so no input makes it backtrack without bound.
// Everything else (Unicode classes, multi-line anchors, case folding beyond ASCII…) stays on re2js.
import { setFlagsFromString } from 'node:v8'
import { RE2JS } from 're2js'
import { BoundedCache } from '../bounded-cache.js'

// `l` (compile for the linear engine) tells whether a pattern is one V8 can run in linear time, and the
// fallback moves a running match to that engine after too many backtracks.
setFlagsFromString('--enable-experimental-regexp-engine')
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks')

/** A compiled pattern: true when it matches anywhere in the text (RE2's `find`). */
export type Matcher = (text: string) => boolean

/** Compiles an RE2 pattern; throws with RE2's message when it is not valid RE2. */
export function compileRegex (pattern: string): Matcher {
  const re2 = RE2JS.compile(pattern)
  const js = toJs(pattern)
  if (js !== undefined) {
    try {
      void new RegExp(js.source, `${js.flags}l`) // compiling is the test
      const regex = new RegExp(js.source, js.flags)
      return (text) => regex.test(text)
    } catch {
      // V8's linear engine cannot run it (counted repetition, case folding…): RE2 does.
    }
  }
  return (text) => re2.matcher(text).find()
}

const compiled = new BoundedCache<Matcher>()
/** compileRegex, cached: patterns built from facts could be endless, so the cache is bounded. */
export const regex = (pattern: string): Matcher => compiled.get(pattern, () => compileRegex(pattern))

/**
 * The same pattern as a JS regex, or undefined where the two would differ. Leading `(?s)` becomes the `s`
 * flag and `(?i)` / `(?i:…)` ASCII case folding written out as classes (the linear engine refuses the `i`
 * flag); `.` is `[^\n]` and `\s` RE2's `[\t\n\f\r ]`, since JS's also take `\r`, `\v` and Unicode spaces.
 */
export function toJs (pattern: string): { source: string, flags: string } | undefined {
  let rest = pattern
  let fold = false
  let dotAll = false
  const leading = /^\(\?([is]+)\)/.exec(rest)
  if (leading !== null) {
    fold = leading[1]?.includes('i') ?? false
    dotAll = leading[1]?.includes('s') ?? false
    rest = rest.slice(leading[0].length)
  }
  const out: string[] = []
  // Case folding scopes: `(?i:` opens one that ends with its group; other groups keep the folding they are in.
  const groups: boolean[] = []
  let folding = fold
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string
    if (c === '\\') {
      const escaped = escape(rest, i, false, folding)
      if (escaped === undefined) return undefined
      out.push(escaped.text)
      i = escaped.end
    } else if (c === '[') {
      const cls = charClass(rest, i, folding)
      if (cls === undefined) return undefined
      out.push(cls.text)
      i = cls.end
    } else if (c === '(') {
      if (rest.startsWith('(?i:', i)) {
        groups.push(folding)
        folding = true
        out.push('(?:')
        i += 3
      } else if (rest.startsWith('(?:', i) || rest[i + 1] !== '?') {
        groups.push(folding)
        out.push(rest.startsWith('(?:', i) ? '(?:' : '(')
        if (rest.startsWith('(?:', i)) i += 2
      } else {
        return undefined // other flags, named groups: left to RE2
      }
    } else if (c === ')') {
      folding = groups.pop() ?? fold
      out.push(')')
    } else if (c === '.') {
      out.push(dotAll ? '[^]' : '[^\\n]')
    } else if (c === '{' && !/^\{\d+(,\d*)?\}/.test(rest.slice(i))) {
      out.push('\\{') // RE2 reads a brace that starts no repetition as a literal
    } else if (/[A-Za-z]/.test(c) && folding) {
      out.push(`[${c.toLowerCase()}${c.toUpperCase()}]`)
    } else if (c.charCodeAt(0) > 0x7f) {
      if (folding) return undefined
      out.push(c)
    } else {
      out.push(c)
    }
  }
  return { source: out.join(''), flags: '' }
}

// Escapes both engines read alike; `\s` written out; what RE2 has and JS does not (\A, \z, \p, \Q, \x{…}) refused.
function escape (pattern: string, at: number, inClass: boolean, folding: boolean): { text: string, end: number } | undefined {
  const next = pattern[at + 1]
  if (next === undefined) return undefined
  if (next === 's') return { text: inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]', end: at + 1 }
  if (next === 'S') return inClass ? undefined : { text: '[^\\t\\n\\f\\r ]', end: at + 1 }
  if ('dDwWbBntrfv'.includes(next)) return { text: `\\${next}`, end: at + 1 }
  if (next === 'x') return /^[0-9A-Fa-f]{2}$/.test(pattern.slice(at + 2, at + 4)) ? { text: pattern.slice(at, at + 4), end: at + 3 } : undefined
  if (/[A-Za-z0-9]/.test(next)) return undefined
  if (folding && /[A-Za-z]/.test(next)) return undefined
  return { text: `\\${next}`, end: at + 1 }
}

// A bracket class: letters and letter ranges get their other case when folding; POSIX classes are RE2's.
function charClass (pattern: string, at: number, folding: boolean): { text: string, end: number } | undefined {
  let i = at + 1
  const parts: string[] = ['[']
  if (pattern[i] === '^') {
    parts.push('^')
    i++
  }
  if (pattern[i] === ']') {
    parts.push('\\]')
    i++
  }
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === ']') {
      parts.push(']')
      return { text: parts.join(''), end: i }
    }
    if (c === '[') {
      if (pattern[i + 1] === ':') return undefined
      parts.push('\\[')
      continue
    }
    if (c === '\\') {
      const escaped = escape(pattern, i, true, folding)
      if (escaped === undefined) return undefined
      parts.push(escaped.text)
      i = escaped.end
      continue
    }
    if (c.charCodeAt(0) > 0x7f && folding) return undefined
    const range = pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']' ? pattern[i + 2] as string : undefined
    if (range !== undefined) {
      if (range === '\\' || range === '[') return undefined
      parts.push(`${c}-${range}`)
      if (folding) {
        const folded = foldRange(c, range)
        if (folded === undefined) return undefined
        parts.push(folded)
      }
      i += 2
      continue
    }
    parts.push(c === '-' || c === '^' ? `\\${c}` : c)
    if (folding && /[A-Za-z]/.test(c)) parts.push(c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())
  }
  return undefined
}

// a-f also takes A-F; a range mixing letters with other characters is left to RE2.
function foldRange (from: string, to: string): string | undefined {
  const lower = /^[a-z]$/
  const upper = /^[A-Z]$/
  if (lower.test(from) && lower.test(to)) return `${from.toUpperCase()}-${to.toUpperCase()}`
  if (upper.test(from) && upper.test(to)) return `${from.toLowerCase()}-${to.toLowerCase()}`
  if (!/[A-Za-z]/.test(from) && !/[A-Za-z]/.test(to) && (to < 'A' || from > 'z' || (from > 'Z' && to < 'a'))) return ''
  return undefined
}
