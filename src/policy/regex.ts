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

// The linear engine takes no `u` flag, so V8 reads UTF-16 units where RE2 reads code points: the two agree
// only on text without surrogates, and the rare text with them goes to RE2.
const SURROGATE = /[\uD800-\uDFFF]/
// The linear engine V8 falls back to takes about a microsecond per character for each pattern state alive: a
// shipped 3,400-character secrets pattern took 3.5 s over 30,000 letters there, and 0.02 ms on re2js. Past this
// many text characters × JS pattern characters a text goes to re2js, so the fallback stays under ~0.1 s.
const V8_BUDGET = 1 << 20

/** Compiles an RE2 pattern; throws with RE2's message when it is not valid RE2. */
export function compileRegex (pattern: string): Matcher {
  const re2 = RE2JS.compile(pattern)
  const js = toJs(pattern)
  if (js !== undefined) {
    try {
      void new RegExp(js.source, `${js.flags}l`) // compiling is the test
      const regex = new RegExp(js.source, js.flags)
      const longest = Math.floor(V8_BUDGET / js.source.length)
      return (text) => text.length > longest || SURROGATE.test(text) ? re2.matcher(text).find() : regex.test(text)
    } catch {
      // V8's linear engine cannot run it (a lookaround-like construct, a repetition of an assertion…): RE2 does.
    }
  }
  return (text) => re2.matcher(text).find()
}

const compiled = new BoundedCache<Matcher>()
/** compileRegex, cached: patterns built from facts could be endless, so the cache is bounded. */
export const regex = (pattern: string): Matcher => compiled.get(pattern, () => compileRegex(pattern))

const REPEAT = /^\{(\d+)(,(\d*))?\}/
const FLAGS = /^\(\?([is]+)([:)])/
// Past this, a counted repetition written out is left to RE2 rather than made a huge JS regex.
const MAX_EXPANDED = 20_000

/**
 * The same pattern as a JS regex, or undefined where the two would differ. Flags `(?i)`, `(?s)`, `(?is)` (for
 * the rest of their group) and `(?i:…)` become ASCII case folding written out as classes (the linear engine
 * refuses the `i` flag) and `.` taking `\n`; `.` is otherwise `[^\n]` and `\s` RE2's `[\t\n\f\r ]`, since JS's
 * also take `\r`, `\v` and Unicode spaces; a counted repetition `x{n,m}`, which the linear engine refuses
 * beyond 16, is written out as n copies of x and m-n nested optional ones.
 */
export function toJs (pattern: string): { source: string, flags: string } | undefined {
  const out: string[] = []
  // Flags hold to the end of the group that sets them: an open group keeps the flags to restore, and where it starts.
  const groups: Array<{ fold: boolean, dotAll: boolean, start: number }> = []
  let fold = false
  let dotAll = false
  // Where in `out` the last atom starts, for a count to repeat; -1 after what no count may follow.
  let atom = -1
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    const start = out.length
    let next = start
    if (c === '\\') {
      const escaped = escape(pattern, i, false, fold)
      if (escaped === undefined) return undefined
      out.push(escaped.text)
      i = escaped.end
      if (escaped.text === '\\b' || escaped.text === '\\B') next = -1
    } else if (c === '[') {
      const cls = charClass(pattern, i, fold)
      if (cls === undefined) return undefined
      out.push(cls.text)
      i = cls.end
    } else if (c === '(') {
      const flags = FLAGS.exec(pattern.slice(i, i + 5))
      if (pattern[i + 1] === '?' && flags === null && !pattern.startsWith('(?:', i)) return undefined // other flags, named groups: left to RE2
      next = -1
      if (flags?.[2] === ')') {
        fold ||= flags[1]?.includes('i') ?? false
        dotAll ||= flags[1]?.includes('s') ?? false
        i += flags[0].length - 1
      } else {
        groups.push({ fold, dotAll, start })
        const opening = flags?.[0] ?? (pattern.startsWith('(?:', i) ? '(?:' : '(')
        fold ||= flags?.[1]?.includes('i') ?? false
        dotAll ||= flags?.[1]?.includes('s') ?? false
        out.push('(?:') // captures unread, and V8's linear engine copies them along every thread
        i += opening.length - 1
      }
    } else if (c === ')') {
      const group = groups.pop()
      if (group === undefined) return undefined
      ;({ fold, dotAll } = group)
      out.push(')')
      next = group.start
    } else if (c === '.') {
      out.push(dotAll ? '[^]' : '[^\\n]')
    } else if (c === '{' && REPEAT.test(pattern.slice(i, i + 12))) {
      const [text, min, range, max] = REPEAT.exec(pattern.slice(i)) as unknown as [string, string, string | undefined, string | undefined]
      const copies = atom < 0 ? undefined : repeat(out.splice(atom).join(''), Number(min), range === undefined ? Number(min) : max === '' ? Infinity : Number(max))
      if (copies === undefined) return undefined
      out.push(copies)
      i += text.length - 1
      if (pattern[i + 1] === '?') i++ // lazy or greedy, a match exists or not alike
      next = -1
    } else if (c === '{') {
      out.push('\\{') // RE2 reads a brace that starts no repetition as a literal
    } else if (c === '*' || c === '+' || c === '?') {
      out.push(pattern[i + 1] === '?' ? `${c}?` : c)
      if (pattern[i + 1] === '?') i++
      next = -1
    } else if (c === '|' || c === '^' || c === '$') {
      out.push(c)
      next = -1
    } else if (/[A-Za-z]/.test(c) && fold) {
      out.push(`[${folded(c)}]`)
    } else if (c.charCodeAt(0) > 0x7f) {
      if (fold || SURROGATE.test(c)) return undefined
      out.push(c)
    } else {
      out.push(c)
    }
    atom = next
  }
  if (groups.length > 0) return undefined
  return { source: out.join(''), flags: '' }
}

// x{min,max} as copies of x: max - min optional ones nested, `(?:x(?:x)?)?`, so none can match in two ways.
function repeat (atom: string, min: number, max: number): string | undefined {
  const optional = max === Infinity ? 1 : max - min
  if (atom.length * (min + optional) > MAX_EXPANDED) return undefined
  const rest = max === Infinity ? `(?:${atom})*` : `(?:${atom}`.repeat(optional) + ')?'.repeat(optional)
  return atom.repeat(min) + rest
}

// RE2's case folding is Unicode's: k and s also fold to the Kelvin sign and the long s.
function folded (letter: string): string {
  const both = letter.toLowerCase() + letter.toUpperCase()
  return both === 'kK' ? 'kK\\u212A' : both === 'sS' ? 'sS\\u017F' : both
}
const WORD = '0-9A-Za-z_'
const FOLDED_WORD = `${WORD}\\u017F\\u212A`

// Escapes both engines read alike; `\s` written out; what RE2 has and JS does not (\A, \z, \p, \Q, \x{…}) refused.
function escape (pattern: string, at: number, inClass: boolean, folding: boolean): { text: string, end: number } | undefined {
  const next = pattern[at + 1]
  if (next === undefined) return undefined
  if (next === 's') return { text: inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]', end: at + 1 }
  if (next === 'S') return inClass ? undefined : { text: '[^\\t\\n\\f\\r ]', end: at + 1 }
  // Folding, \w also takes what k and s fold to; \W is then written out, and refused in a class.
  if (next === 'w' && folding) return { text: inClass ? FOLDED_WORD : `[${FOLDED_WORD}]`, end: at + 1 }
  if (next === 'W' && folding) return inClass ? undefined : { text: `[^${FOLDED_WORD}]`, end: at + 1 }
  if ('dDwWbBntrfv'.includes(next)) return { text: `\\${next}`, end: at + 1 }
  if (next === 'x') {
    const hex = pattern.slice(at + 2, at + 4)
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined
    const char = String.fromCharCode(parseInt(hex, 16))
    if (folding && (/[A-Za-z]/.test(char) || char > '\x7f')) return undefined
    return { text: pattern.slice(at, at + 4), end: at + 3 }
  }
  if (/[A-Za-z0-9]/.test(next) || next > '\x7f') return undefined
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
      if (pattern[i + 1] === '-' && pattern[i + 2] !== ']') return undefined // a range from an escape: left to RE2
      continue
    }
    if (c.charCodeAt(0) > 0x7f && (folding || SURROGATE.test(c))) return undefined
    const range = pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']' ? pattern[i + 2] as string : undefined
    if (range !== undefined) {
      if (range === '\\' || range === '[' || SURROGATE.test(range) || (folding && range > '\x7f')) return undefined
      parts.push(`${c}-${range}`)
      if (folding) {
        const other = foldRange(c, range)
        if (other === undefined) return undefined
        parts.push(other)
      }
      i += 2
      continue
    }
    parts.push(c === '-' || c === '^' ? `\\${c}` : c)
    if (folding && /[A-Za-z]/.test(c)) parts.push(folded(c))
  }
  return undefined
}

// a-f also takes A-F (and a range over k or s what they fold to); a range mixing letters with other characters is left to RE2.
function foldRange (from: string, to: string): string | undefined {
  const lower = /^[a-z]$/
  const upper = /^[A-Z]$/
  const extra = (low: string, high: string): string => (low <= 'k' && 'k' <= high ? '\\u212A' : '') + (low <= 's' && 's' <= high ? '\\u017F' : '')
  if (lower.test(from) && lower.test(to)) return `${from.toUpperCase()}-${to.toUpperCase()}${extra(from, to)}`
  if (upper.test(from) && upper.test(to)) return `${from.toLowerCase()}-${to.toLowerCase()}${extra(from.toLowerCase(), to.toLowerCase())}`
  if (!/[A-Za-z]/.test(from) && !/[A-Za-z]/.test(to) && (to < 'A' || from > 'z' || (from > 'Z' && to < 'a'))) return ''
  return undefined
}
