// PEP 508's tokens, as pypa/packaging's _tokenizer.py defines them, and a tokenizer over them that yields spans.

const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?'
const POST = '(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?'
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?'
const RELEASE = 'v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*'

const RULES = {
  LEFT_PARENTHESIS: /\(/y,
  RIGHT_PARENTHESIS: /\)/y,
  LEFT_BRACKET: /\[/y,
  RIGHT_BRACKET: /\]/y,
  SEMICOLON: /;/y,
  COMMA: /,/y,
  QUOTED_STRING: /'[^']*'|"[^"]*"/y,
  OP: /===|==|~=|!=|<=|>=|<|>/y,
  BOOLOP: /\b(?:or|and)\b/y,
  IN: /\bin\b/y,
  NOT: /\bnot\b/y,
  VARIABLE: /\b(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|extras?|dependency_groups)\b/y,
  SPECIFIER: new RegExp(
    '===\\s*[^\\s;)]*' +
    `|(?:==|!=)\\s*${RELEASE}(?:\\.\\*|${PRE}${POST}${DEV}(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)` +
    `|~=\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV}` +
    `|(?:<=|>=|<|>)\\s*${RELEASE}${PRE}${POST}${DEV}`,
    'iy'),
  AT: /@/y,
  URL: /[^ \t]+/y,
  IDENTIFIER: /\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b/y,
  VERSION_PREFIX_TRAIL: /\.\*/y,
  VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y,
  WS: /[ \t]+/y,
  END: /$/y,
} as const
export type TokenName = keyof typeof RULES

export class SyntaxFailure {
  constructor (readonly message: string) {}
}

export class Tokenizer {
  position = 0
  constructor (readonly source: string) {}

  /** Length of the token at the current position, or -1. (test() and lastIndex: no match array to allocate.) */
  peek (name: TokenName): number {
    const rule = RULES[name]
    rule.lastIndex = this.position
    return rule.test(this.source) ? rule.lastIndex - this.position : -1
  }

  check (name: TokenName): boolean { return this.peek(name) >= 0 }

  /** Reads the token and returns its span, or null when it is not there. */
  read (name: TokenName): [number, number] | null {
    const length = this.peek(name)
    if (length < 0) return null
    const start = this.position
    this.position += length
    return [start, this.position]
  }

  consume (name: TokenName): void { this.read(name) }

  expect (name: TokenName, expected: string): [number, number] {
    const span = this.read(name)
    if (span === null) throw new SyntaxFailure(`expected ${expected}`)
    return span
  }
}
