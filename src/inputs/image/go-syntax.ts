// Go's text forms, as the builders print them into `created_by` (fmt's %q and %v) and as Docker stores
// durations (nanoseconds, which Go prints as "1m30s").

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" }
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }

/**
 * Reads a Go-quoted string ("…") or rune ('…') starting at text[start]; returns its value and the index after
 * its closing quote, or undefined when there is none there.
 */
export function readGoQuoted (text: string, start: number): [string, number] | undefined {
  const quote = text[start]
  if (quote !== '"' && quote !== "'") return undefined
  let value = ''
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string
    if (c === quote) return [value, i + 1]
    if (c !== '\\') {
      value += c
      continue
    }
    const next = text[++i] ?? ''
    const digits = HEX_DIGITS[next]
    if (SIMPLE_ESCAPES[next] !== undefined) {
      value += SIMPLE_ESCAPES[next]
    } else if (digits !== undefined || /[0-7]/.test(next)) {
      const code = digits === undefined ? text.slice(i, i + 3) : text.slice(i + 1, i + 1 + digits)
      const point = Number.parseInt(code, digits === undefined ? 8 : 16)
      const valid = digits === undefined ? /^[0-7]{3}$/.test(code) : code.length === digits && /^[0-9a-fA-F]+$/.test(code)
      if (!valid || point > 0x10FFFF) return undefined
      value += String.fromCodePoint(point)
      i += digits ?? 2
    } else {
      return undefined
    }
  }
  return undefined
}

/** Reads Go's %q of a []string, `["a" "b c"]`, starting at text[start]; returns the strings and the index after `]`. */
export function readGoQuotedList (text: string, start = 0): [string[], number] | undefined {
  if (text[start] !== '[') return undefined
  const items: string[] = []
  let i = start + 1
  while (text[i] !== ']') {
    if (items.length > 0 && text[i++] !== ' ') return undefined
    const item = readGoQuoted(text, i)
    if (item === undefined) return undefined
    items.push(item[0])
    i = item[1]
  }
  return [items, i + 1]
}

/** The whole text as %q of a []string; undefined when it is something else. */
export function goQuotedList (text: string): string[] | undefined {
  const list = readGoQuotedList(text)
  return list !== undefined && list[1] === text.length ? list[0] : undefined
}

/** The whole text as %v of a []string, `[/bin/sh -c]` (items cannot hold spaces in this form); undefined otherwise. */
export function goPlainList (text: string): string[] | undefined {
  const inner = /^\[([^\]]*)\]$/.exec(text)?.[1]
  return inner?.split(' ').filter((item) => item !== '')
}

/** A duration in nanoseconds as Go's time.Duration.String() writes it: "30s", "1m30s", "1h0m0s", "500ms". */
export function goDuration (nanoseconds: number): string {
  const sign = nanoseconds < 0 ? '-' : ''
  const ns = Math.abs(Math.trunc(nanoseconds))
  if (ns === 0) return '0s'
  if (ns < 1e3) return `${sign}${ns}ns`
  if (ns < 1e6) return `${sign}${decimal(ns, 1e3)}µs`
  if (ns < 1e9) return `${sign}${decimal(ns, 1e6)}ms`
  const hours = Math.floor(ns / 3600e9)
  const minutes = Math.floor((ns % 3600e9) / 60e9)
  const seconds = `${decimal(ns % 60e9, 1e9)}s`
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`
  return minutes > 0 ? `${sign}${minutes}m${seconds}` : `${sign}${seconds}`
}

// value / unit with the fraction Go keeps (no trailing zeros).
function decimal (value: number, unit: number): string {
  const whole = Math.floor(value / unit)
  const fraction = String(Math.round(value % unit)).padStart(String(unit).length - 1, '0').replace(/0+$/, '')
  return fraction === '' ? String(whole) : `${whole}.${fraction}`
}
