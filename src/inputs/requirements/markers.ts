// Environment markers (`python_version < "3.11"`), parsed as packaging's _parser.py parses them: only whether
// and why a marker is refused.
import { SyntaxFailure, Tokenizer } from './tokenizer.js'

// Deeper parentheses than this in a marker are refused instead of recursing (Python would hit its
// recursion limit too, only later).
const MAX_DEPTH = 64

/** Why packaging's Marker() would refuse this environment marker; undefined when it parses. */
export function markerError (text: string): string | undefined {
  const t = new Tokenizer(text)
  try {
    parseMarker(t, 0)
    t.expect('END', 'end of marker expression')
    return undefined
  } catch (error) {
    if (error instanceof SyntaxFailure) return error.message
    throw error
  }
}

export function parseMarker (t: Tokenizer, depth: number): void {
  parseMarkerAtom(t, depth)
  while (t.read('BOOLOP') !== null) parseMarkerAtom(t, depth)
}

function parseMarkerAtom (t: Tokenizer, depth: number): void {
  t.consume('WS')
  if (t.read('LEFT_PARENTHESIS') !== null) {
    if (depth >= MAX_DEPTH) throw new SyntaxFailure('marker nested too deeply')
    t.consume('WS')
    parseMarker(t, depth + 1)
    t.consume('WS')
    if (t.read('RIGHT_PARENTHESIS') === null) throw new SyntaxFailure('expected matching ) for (, after marker expression')
  } else {
    t.consume('WS')
    parseMarkerVariable(t)
    t.consume('WS')
    parseMarkerOperator(t)
    t.consume('WS')
    parseMarkerVariable(t)
    t.consume('WS')
  }
  t.consume('WS')
}

function parseMarkerVariable (t: Tokenizer): void {
  if (t.read('VARIABLE') === null && t.read('QUOTED_STRING') === null) {
    throw new SyntaxFailure('expected a marker variable or quoted string')
  }
}

function parseMarkerOperator (t: Tokenizer): void {
  if (t.read('IN') !== null) return
  if (t.read('NOT') !== null) {
    t.expect('WS', "whitespace after 'not'")
    t.expect('IN', "'in' after 'not'")
    return
  }
  if (t.read('OP') === null) throw new SyntaxFailure('expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in')
}
