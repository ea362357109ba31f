// PEP 508 dependency specifiers (name, extras, then a URL or version clauses, then a marker), as packaging's
// tokenizer and parser read them. Spans are kept so `${VAR}` (masked with digits of the same length while
// parsing) comes back as written.
import { parseMarker } from './markers.js'
import { SyntaxFailure, Tokenizer } from './tokenizer.js'

type Pep508 = { ok: true, name: string, extras: string[], url: string, clauses: string[] } | { ok: false, message: string }

// ${VAR} as pip's ENV_VAR_RE sees it, masked with digits: valid wherever a name or version goes.
const ENV_VAR = /\$\{[A-Z0-9_]+\}/g

export function parsePep508 (text: string): Pep508 {
  const masked = text.replace(ENV_VAR, (v) => '0'.repeat(v.length))
  const t = new Tokenizer(masked)
  const slice = ([start, end]: [number, number]): string => text.slice(start, end)
  try {
    t.consume('WS')
    const name = slice(t.expect('IDENTIFIER', 'package name at the start of dependency specifier'))
    t.consume('WS')
    const extras = parseExtras(t).map(slice)
    t.consume('WS')
    let url = ''
    const clauses: string[] = []
    if (t.read('AT') !== null) {
      t.consume('WS')
      url = slice(t.expect('URL', 'URL after @'))
      if (!t.check('END')) {
        t.expect('WS', 'whitespace after URL')
        if (!t.check('END')) parseRequirementMarker(t, 'URL and whitespace')
      }
    } else {
      for (const span of parseSpecifier(t)) clauses.push(slice(span).replace(/\s+/g, ''))
      t.consume('WS')
      if (!t.check('END')) parseRequirementMarker(t, clauses.length > 0 ? 'version specifier' : 'name and no valid version specifier')
    }
    t.expect('END', 'end of dependency specifier')
    return { ok: true, name, extras, url, clauses }
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, message: error.message }
    throw error
  }
}

function parseExtras (t: Tokenizer): Array<[number, number]> {
  if (!t.check('LEFT_BRACKET')) return []
  t.consume('LEFT_BRACKET')
  t.consume('WS')
  const extras: Array<[number, number]> = []
  const first = t.read('IDENTIFIER')
  if (first !== null) {
    extras.push(first)
    for (;;) {
      t.consume('WS')
      if (t.check('IDENTIFIER')) throw new SyntaxFailure('expected comma between extra names')
      if (t.read('COMMA') === null) break
      t.consume('WS')
      extras.push(t.expect('IDENTIFIER', 'extra name after comma'))
    }
  }
  t.consume('WS')
  if (t.read('RIGHT_BRACKET') === null) throw new SyntaxFailure('expected matching ] for [, after extras')
  return extras
}

function parseSpecifier (t: Tokenizer): Array<[number, number]> {
  const parenthesised = t.read('LEFT_PARENTHESIS') !== null
  t.consume('WS')
  const clauses: Array<[number, number]> = []
  for (;;) {
    const clause = t.read('SPECIFIER')
    if (clause === null) break
    clauses.push(clause)
    if (t.check('VERSION_PREFIX_TRAIL')) throw new SyntaxFailure('.* suffix can only be used with == or != operators')
    if (t.check('VERSION_LOCAL_LABEL_TRAIL')) throw new SyntaxFailure('local version label can only be used with == or != operators')
    t.consume('WS')
    if (t.read('COMMA') === null) break
    t.consume('WS')
  }
  t.consume('WS')
  if (parenthesised && t.read('RIGHT_PARENTHESIS') === null) throw new SyntaxFailure('expected matching ) for (, after version specifier')
  return clauses
}

function parseRequirementMarker (t: Tokenizer, after: string): void {
  if (t.read('SEMICOLON') === null) throw new SyntaxFailure(`expected end or semicolon (after ${after})`)
  parseMarker(t, 0)
  t.consume('WS')
}
