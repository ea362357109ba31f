// Words as the parser's text holds them: the script's UTF-8 byte view with offsets mapped back, and words rendered
// into strings with quotes removed and escapes resolved (bash's $'…' included).
import { Buffer } from 'node:buffer'
import type { GoNode, Lit, SglQuoted, Word } from 'mvdan-sh'
import { items } from './go.js'

/** A script as the parser sees it: UTF-8 bytes, one per char code, with byte offsets mapped back to string offsets. */
export interface ParsedText {
  /** The script handed to the parser (lone surrogates replaced, which keeps every offset). */
  readonly script: string
  /** The same text with each UTF-8 byte as one char code, as the parser's Lit values and offsets are. */
  readonly bytes: string
  readonly offsetOf: (byteOffset: number) => number
}

const NON_ASCII = /[\u0080-\uffff]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

// ASCII text is its own byte view. One function for all such texts rather than a closure per script.
const sameOffset = (byteOffset: number): number => byteOffset

export function textOf (original: string): ParsedText {
  if (!NON_ASCII.test(original)) return { script: original, bytes: original, offsetOf: sameOffset }
  // GopherJS encodes a lone surrogate together with whatever follows it; U+FFFD keeps the encoding standard.
  const script = original.replace(LONE_SURROGATE, '\ufffd')
  const bytes = Buffer.from(script, 'utf8').toString('latin1')
  const offsets = new Uint32Array(bytes.length + 1)
  let byte = 0
  for (let index = 0; index < script.length; index++) {
    const code = script.charCodeAt(index)
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3
    offsets.fill(index, byte, byte + size)
    byte += size
    if (size === 4) index++
  }
  offsets[byte] = script.length
  return { script, bytes, offsetOf: (byteOffset) => offsets[byteOffset] ?? script.length }
}

/** Decodes parser text (UTF-8 bytes as char codes) into a JS string. */
function decode (bytes: string): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes
}

/** A word with quotes removed and escapes resolved; expansions and globs as written. */
export function renderWord (word: Word, text: ParsedText): string {
  return decode(renderParts(word, text, false))
}

function renderParts (word: Word, text: ParsedText, quoted: boolean): string {
  let out = ''
  for (const part of items(word.Parts)) {
    switch (part.constructor.string) {
      case '*syntax.Lit': {
        const value = (part as Lit).Value
        if (!value.includes('\\')) out += value
        // Inside double quotes a backslash escapes only $ ` " \ and newline; elsewhere it escapes any character.
        else out += quoted ? value.replace(/\\([$`"\\\n])/g, (_, char: string) => char === '\n' ? '' : char) : value.replace(/\\(.)/gs, '$1')
        break
      }
      case '*syntax.SglQuoted':
        out += (part as SglQuoted).Dollar ? ansiC((part as SglQuoted).Value) : (part as SglQuoted).Value
        break
      case '*syntax.DblQuoted':
        out += renderParts(part as Word, text, true)
        break
      default:
        out += text.bytes.slice(part.Pos().offs, part.End().offs)
    }
  }
  return out
}

export function asWritten (node: GoNode, text: ParsedText): string {
  return decode(text.bytes.slice(node.Pos().offs, node.End().offs))
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
}
const ANSI_C_ESCAPE = /\\(?:([abeEfnrtv\\'"?])|([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|c([\s\S]))/g

/** Decodes bash's $'…' escapes into UTF-8 bytes as char codes, like the rest of the parser's text. */
function ansiC (value: string): string {
  return value.replace(ANSI_C_ESCAPE, (match, simple?: string, octal?: string, hex?: string, u4?: string, u8?: string, control?: string) => {
    if (simple !== undefined) return SIMPLE_ESCAPES[simple] ?? match
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff)
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16))
    if (control !== undefined) return String.fromCharCode(control.charCodeAt(0) & 0x1f)
    const codePoint = parseInt(u4 ?? u8 ?? '', 16)
    if (codePoint > 0x10ffff) return match
    return Buffer.from(String.fromCodePoint(codePoint), 'utf8').toString('latin1')
  })
}
