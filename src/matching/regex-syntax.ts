// The syntax tree of a JavaScript regular expression without flags, as V8 reads one (Annex B's leniencies
// included), for the linear-time matcher in linear-regex.ts. The sources come from glob libraries (picomatch,
// @balena/dockerignore) and have compiled with `new RegExp` first, so only valid syntax arrives here; what
// cannot run in linear time (backreferences, lookbehinds) is refused with Unsupported.

/** `ranges` holds pairs of UTF-16 code units, low then high; `negated` matches every unit outside them. */
export interface CharSet { readonly type: 'chars', readonly ranges: readonly number[], readonly negated: boolean }
export type Node =
  | CharSet
  | { readonly type: 'seq', readonly items: readonly Node[] }
  | { readonly type: 'alt', readonly items: readonly Node[] }
  | { readonly type: 'repeat', readonly item: Node, readonly min: number, readonly max: number }
  | { readonly type: 'assert', readonly kind: Assertion }
  | { readonly type: 'look', readonly item: Node, readonly negated: boolean }
export type Assertion = 'start' | 'end' | 'boundary' | 'non-boundary'

/** A construct the linear matcher does not run. */
export class Unsupported extends Error {
  override readonly name = 'Unsupported'
}

const DIGIT = [0x30, 0x39]
export const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]
const SPACE = [0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff]
// `.` without the `s` flag: anything but a line terminator.
const DOT: CharSet = { type: 'chars', ranges: [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029], negated: true }
const COUNT = /\{(\d+)(?:,(\d*))?\}/y
const DIGITS = /\d+/y

/** Parses a regex source that `new RegExp(source)` accepts. */
export function parseRegex (source: string): Node {
  const parser = new Parser(source)
  const node = parser.alternation()
  if (parser.pos !== source.length) throw new Unsupported(`unexpected "${source[parser.pos]}" at ${parser.pos}`)
  return node
}

// What an escape stands for: one code unit (a range may start or end there) or a class such as \d.
interface Escaped { readonly ranges: readonly number[], readonly code?: number }
const unit = (code: number): Escaped => ({ ranges: [code, code], code })

class Parser {
  pos = 0
  private readonly groups: number
  private readonly named: boolean

  constructor (private readonly src: string) {
    ({ groups: this.groups, named: this.named } = countGroups(src))
  }

  alternation (): Node {
    const items = [this.sequence()]
    while (this.src[this.pos] === '|') {
      this.pos++
      items.push(this.sequence())
    }
    return items.length === 1 ? items[0] as Node : { type: 'alt', items }
  }

  private sequence (): Node {
    const items: Node[] = []
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') items.push(this.quantified())
    return items.length === 1 ? items[0] as Node : { type: 'seq', items }
  }

  private quantified (): Node {
    const item = this.atom()
    const count = this.quantifier()
    if (count === undefined) return item
    if (this.src[this.pos] === '?') this.pos++ // lazy or greedy: whether a match exists is the same
    if (item.type === 'assert') throw new Unsupported('a repeated assertion')
    // Annex B lets a lookahead be repeated: it takes no characters, so it is checked once, or not at all.
    if (item.type === 'look') return count[0] === 0 ? { type: 'seq', items: [] } : item
    return { type: 'repeat', item, min: count[0], max: count[1] }
  }

  private quantifier (): [number, number] | undefined {
    const c = this.src[this.pos]
    if (c === '*' || c === '+' || c === '?') {
      this.pos++
      return [c === '+' ? 1 : 0, c === '?' ? 1 : Infinity]
    }
    if (c !== '{') return undefined
    COUNT.lastIndex = this.pos
    const count = COUNT.exec(this.src)
    if (count === null) return undefined // Annex B: a brace that starts no count is a literal
    this.pos = COUNT.lastIndex
    const min = Number(count[1])
    return [min, count[2] === undefined ? min : count[2] === '' ? Infinity : Number(count[2])]
  }

  private atom (): Node {
    const c = this.src[this.pos++] as string
    if (c === '.') return DOT
    if (c === '^') return { type: 'assert', kind: 'start' }
    if (c === '$') return { type: 'assert', kind: 'end' }
    if (c === '[') return this.charClass()
    if (c === '(') return this.group()
    if (c !== '\\') return chars([c.charCodeAt(0), c.charCodeAt(0)])
    const next = this.src[this.pos]
    if (next === 'b' || next === 'B') {
      this.pos++
      return { type: 'assert', kind: next === 'b' ? 'boundary' : 'non-boundary' }
    }
    if (next !== undefined && next >= '1' && next <= '9') {
      DIGITS.lastIndex = this.pos
      if (Number(DIGITS.exec(this.src)?.[0]) <= this.groups) throw new Unsupported('a backreference')
    }
    if (next === 'k' && this.named) throw new Unsupported('a backreference')
    return chars(this.escape(false).ranges)
  }

  private group (): Node {
    const src = this.src
    let look: boolean | undefined
    if (src.startsWith('?<=', this.pos) || src.startsWith('?<!', this.pos)) throw new Unsupported('a lookbehind')
    if (src.startsWith('?=', this.pos) || src.startsWith('?!', this.pos)) {
      look = src[this.pos + 1] === '!'
      this.pos += 2
    } else if (src.startsWith('?:', this.pos)) {
      this.pos += 2
    } else if (src.startsWith('?<', this.pos)) {
      this.pos = src.indexOf('>', this.pos) + 1 // a named group: the name does not matter here
    }
    const item = this.alternation()
    this.pos++ // `)`
    return look === undefined ? item : { type: 'look', item, negated: look }
  }

  private charClass (): CharSet {
    const negated = this.src[this.pos] === '^'
    if (negated) this.pos++
    const ranges: number[] = []
    while (this.src[this.pos] !== ']') {
      const from = this.classAtom()
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']') {
        this.pos++
        const to = this.classAtom()
        // Annex B: next to a class escape such as \d, `-` is itself a member.
        if (from.code !== undefined && to.code !== undefined) ranges.push(from.code, to.code)
        else ranges.push(...from.ranges, 0x2d, 0x2d, ...to.ranges)
      } else {
        ranges.push(...from.ranges)
      }
    }
    this.pos++
    return { type: 'chars', ranges, negated }
  }

  private classAtom (): Escaped {
    const c = this.src[this.pos++] as string
    return c === '\\' ? this.escape(true) : unit(c.charCodeAt(0))
  }

  // After a backslash (a backreference was ruled out by the caller): the character or class it stands for.
  private escape (inClass: boolean): Escaped {
    const c = this.src[this.pos++] as string
    switch (c) {
      case 'd': return { ranges: DIGIT }
      case 'D': return { ranges: complement(DIGIT) }
      case 'w': return { ranges: WORD }
      case 'W': return { ranges: complement(WORD) }
      case 's': return { ranges: SPACE }
      case 'S': return { ranges: complement(SPACE) }
      case 'n': return unit(0x0a)
      case 'r': return unit(0x0d)
      case 't': return unit(0x09)
      case 'v': return unit(0x0b)
      case 'f': return unit(0x0c)
      case 'b': return unit(0x08) // only reached in a class, where \b is a backspace
      case 'c': {
        const letter = this.src[this.pos] ?? ''
        if (/[A-Za-z]/.test(letter) || (inClass && /[0-9_]/.test(letter))) {
          this.pos++
          return unit(letter.charCodeAt(0) % 32)
        }
        this.pos-- // Annex B: the backslash is a literal and `c` is read again
        return unit(0x5c)
      }
      case 'x': return this.hex(2) ?? unit(0x78)
      case 'u': return this.hex(4) ?? unit(0x75)
    }
    if (c >= '0' && c <= '7') return unit(this.octal(c))
    return unit(c.charCodeAt(0)) // an identity escape, `\8` and `\9` included
  }

  private hex (digits: number): Escaped | undefined {
    const text = this.src.slice(this.pos, this.pos + digits)
    if (text.length !== digits || !/^[0-9A-Fa-f]+$/.test(text)) return undefined
    this.pos += digits
    return unit(parseInt(text, 16))
  }

  // Annex B's legacy octal escapes: up to three digits while the value stays below 256 (`\0` alone is NUL).
  private octal (first: string): number {
    let value = Number(first)
    for (let i = 0; i < (first <= '3' ? 2 : 1); i++) {
      const d = this.src[this.pos]
      if (d === undefined || d < '0' || d > '7') break
      value = value * 8 + Number(d)
      this.pos++
    }
    return value
  }
}

function chars (ranges: readonly number[]): CharSet {
  return { type: 'chars', ranges, negated: false }
}

/** The code units outside `ranges`. */
export function complement (ranges: readonly number[]): number[] {
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i] as number, ranges[i + 1] as number])
  pairs.sort((a, b) => a[0] - b[0])
  const out: number[] = []
  let next = 0
  for (const [low, high] of pairs) {
    if (low > next) out.push(next, low - 1)
    next = Math.max(next, high + 1)
  }
  if (next <= 0xffff) out.push(next, 0xffff)
  return out
}

// Capturing groups decide whether `\2` is a backreference or an octal escape, so they are counted first.
function countGroups (src: string): { groups: number, named: boolean } {
  let groups = 0
  let named = false
  let inClass = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]
    if (c === '\\') i++
    else if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '(' && src[i + 1] !== '?') groups++
    else if (c === '(' && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      groups++
      named = true
    }
  }
  return { groups, named }
}
