import type { Requirement, RequirementsFile } from '../facts/context-types.js'

// pip's requirements-file format, read the way pip 23–25 reads it (src/pip/_internal/req/req_file.py,
// req/constructors.py) with PEP 508 parsed as pypa/packaging ≥ 22 does (_tokenizer.py, _parser.py).
//
// Hand-written rather than the npm package pip-requirements-js (an Ohm PEP 508 grammar, 1.0.3). Measured on
// this machine against 31 lines pip accepts or refuses (bench: see the report of the change that added this
// file): pip-requirements-js got 13 right, this parser 31. Its grammar has no `--hash`, `-e`, long
// `--requirement`/`--constraint`, option lines, `\` continuations, bare URLs or paths, `${VAR}` or CRLF, and it
// throws on the whole file at the first such line, so one `--index-url` loses every package. On a 50-line
// file it took 0.29 ms a parse against 0.05 ms here, and it pulls in ohm-js (~1 MB).

/** A requirements file without its includes resolved: `contextFacts` adds `missingIncludes`. */
export type ParsedRequirements = Omit<RequirementsFile, 'missingIncludes'>

type Problem = { readonly line: number, readonly message: string }
type Fields = Omit<Requirement, 'line' | 'text'>
type LineResult = { ok: true, fields: Fields } | { ok: false, message: string }

/** Parses one requirements or constraints file. Never throws: lines pip would refuse become `problems`. */
export function parseRequirements (name: string, text: string): ParsedRequirements {
  const requirements: Requirement[] = []
  const problems: Problem[] = []
  for (const logical of logicalLines(typeof text === 'string' ? text : '')) {
    const result = parseLine(logical.text)
    if (result.ok) {
      const { kind, name, extras, specifier, version, pinned, marker, hashes, target } = result.fields
      requirements.push({ line: logical.line, text: logical.text, kind, name, extras, specifier, version, pinned, marker, hashes, target })
    }
    else problems.push({ line: logical.line, message: result.message })
  }
  return { name, requirements, problems }
}

// ---------------------------------------------------------------------------------------------------
// preprocess(): splitlines, join_lines, ignore_comments. Environment variables stay as written: they
// are the build's, not ours.

// str.splitlines() also breaks at \v, \f, \x1c–\x1e, \x85, U+2028 and U+2029, and pip numbers lines that way.
// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/

/** pip's logical lines: continuations joined (numbered by their first line), comments and blank lines gone. */
export function logicalLines (text: string): Array<{ line: number, text: string }> {
  const physical = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(LINE_BREAK)
  const joined: Array<{ line: number, text: string }> = []
  let pending: string[] = []
  let first = 0
  physical.forEach((raw, index) => {
    const comment = startsWithComment(raw)
    if (!raw.endsWith('\\') || comment) {
      // A comment line ends a continuation; pip prefixes it with a space so the comment is still removed.
      const line = comment ? ' ' + raw : raw
      if (pending.length > 0) {
        joined.push({ line: first, text: pending.join('') + line })
        pending = []
      } else {
        joined.push({ line: index + 1, text: line })
      }
    } else {
      if (pending.length === 0) first = index + 1
      pending.push(stripBackslashes(raw))
    }
  })
  if (pending.length > 0) joined.push({ line: first, text: pending.join('') })
  // splitlines() yields no empty last line for a trailing newline; the blank-line filter below covers it.
  return joined
    .map(({ line, text }) => ({ line, text: removeComment(text).trim() }))
    .filter(({ text }) => text !== '')
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch)

// COMMENT_RE.match(line): `(^|\s+)#` anchored at the start, so `#…` or whitespace then `#`.
function startsWithComment (line: string): boolean {
  let i = 0
  while (isSpace(line[i])) i++
  return line[i] === '#'
}

// COMMENT_RE.sub('', line) with COMMENT_RE = `(^|\s+)#.*$`: from the first `#` that starts the line or
// follows whitespace (together with that whitespace) to the end. Written as a scan because the regex
// backtracks quadratically on long runs of blanks.
function removeComment (line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '#') continue
    if (i === 0) return ''
    if (!isSpace(line[i - 1])) continue
    let start = i - 1
    while (start > 0 && isSpace(line[start - 1])) start--
    return line.slice(0, start)
  }
  return line
}

// line.strip('\\'): every backslash at either end.
function stripBackslashes (line: string): string {
  let start = 0
  let end = line.length
  while (start < end && line[start] === '\\') start++
  while (end > start && line[end - 1] === '\\') end--
  return line.slice(start, end)
}

// ---------------------------------------------------------------------------------------------------
// One logical line: break_args_options, shlex + optparse over the options, then the requirement.

function parseLine (line: string): LineResult {
  const { args, options } = breakArgsOptions(line)
  const words = shlexSplit(options)
  if (words === null) return { ok: false, message: `could not split options: ${options}` }
  const opts = parseOptions(words)
  if (typeof opts === 'string') return { ok: false, message: opts }
  const base = { name: '', extras: [], specifier: '', version: '', pinned: false, marker: '', hashes: opts.hashes, target: '' }
  if (args !== '') return requirementFields(args.trim(), opts.hashes)
  const editable = opts.editables[0]
  if (editable !== undefined) return editableFields(editable, opts.hashes)
  // pip follows only the first -r (else the first -c) of a line.
  const include = opts.requirements[0]
  if (include !== undefined) return { ok: true, fields: { ...base, kind: 'include', target: include } }
  const constraint = opts.constraints[0]
  if (constraint !== undefined) return { ok: true, fields: { ...base, kind: 'constraint', target: constraint } }
  return { ok: true, fields: { ...base, kind: 'option', target: options } }
}

// The requirement is every space-separated token before the first one starting with `-`.
function breakArgsOptions (line: string): { args: string, options: string } {
  const tokens = line.split(' ')
  const at = tokens.findIndex((token) => token.startsWith('-'))
  if (at < 0) return { args: line, options: '' }
  return { args: tokens.slice(0, at).join(' '), options: tokens.slice(at).join(' ') }
}

/** Python's shlex.split (POSIX mode, no comments); null where it raises ValueError. */
function shlexSplit (text: string): string[] | null {
  const words: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return null
      word += text[++i]
      inWord = true
    } else if (ch === '\'' || ch === '"') {
      const close = ch
      inWord = true
      for (i++; ; i++) {
        if (i >= text.length) return null
        const c = text[i] as string
        if (c === close) break
        // Inside double quotes a backslash escapes only `"` and itself; elsewhere it is kept.
        if (close === '"' && c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          word += text[++i]
        } else {
          word += c
        }
      }
    } else {
      word += ch
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}

interface Options {
  readonly requirements: string[]
  readonly constraints: string[]
  readonly editables: string[]
  readonly hashes: string[]
}

// SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ across pip 23–25 (--install-option went in 23.1, --all-releases
// and --only-final came later): long name → whether it takes a value.
const LONG_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ['--index-url', true], ['--pypi-url', true], ['--extra-index-url', true], ['--no-index', false],
  ['--constraint', true], ['--requirement', true], ['--editable', true], ['--find-links', true],
  ['--no-binary', true], ['--only-binary', true], ['--prefer-binary', false], ['--require-hashes', false],
  ['--pre', false], ['--trusted-host', true], ['--use-feature', true], ['--global-option', true],
  ['--install-option', true], ['--hash', true], ['--config-settings', true], ['--all-releases', true],
  ['--only-final', true],
])
const SHORT_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['-i', '--index-url'], ['-c', '--constraint'], ['-r', '--requirement'], ['-e', '--editable'],
  ['-f', '--find-links'], ['-C', '--config-settings'],
])
const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512'])

/** optparse over pip's requirement-file options; a string is the error pip would stop with. */
function parseOptions (words: readonly string[]): Options | string {
  const opts: Options = { requirements: [], constraints: [], editables: [], hashes: [] }
  const rest = [...words]
  const take = (option: string, value: string): string | undefined => {
    if (option === '--requirement') opts.requirements.push(value)
    else if (option === '--constraint') opts.constraints.push(value)
    else if (option === '--editable') opts.editables.push(value)
    else if (option === '--hash') {
      const colon = value.indexOf(':')
      if (colon < 0) return `arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde…, not "${value}"`
      if (!STRONG_HASHES.has(value.slice(0, colon))) return `allowed hash algorithms for --hash are sha256, sha384, sha512, not "${value.slice(0, colon)}"`
      opts.hashes.push(value)
    } else if (option === '--config-settings' && !value.includes('=')) {
      return `arguments to ${option} must be of the form KEY=VAL`
    } else if ((option === '--no-binary' || option === '--only-binary') && value.startsWith('-')) {
      return '--no-binary / --only-binary option requires 1 argument'
    }
    return undefined
  }
  while (rest.length > 0) {
    const arg = rest.shift() as string
    if (arg === '--') break
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const written = eq >= 0 ? arg.slice(0, eq) : arg
      const option = matchLongOption(written)
      if (option.startsWith('!')) return option.slice(1)
      if (LONG_OPTIONS.get(option) === true) {
        const value = eq >= 0 ? arg.slice(eq + 1) : rest.shift()
        if (value === undefined) return `${option} option requires 1 argument`
        const error = take(option, value)
        if (error !== undefined) return error
      } else if (eq >= 0) {
        return `${option} option does not take a value`
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      // Clustered short options: `-rbase.txt` is `-r base.txt`.
      for (let i = 1; i < arg.length; i++) {
        const option = SHORT_OPTIONS.get('-' + arg[i])
        if (option === undefined) return `no such option: -${arg[i]}`
        const value = i + 1 < arg.length ? arg.slice(i + 1) : rest.shift()
        if (value === undefined) return `-${arg[i]} option requires 1 argument`
        const error = take(option, value)
        if (error !== undefined) return error
        break
      }
    }
    // Anything else is a positional argument, which pip's option parser silently drops.
  }
  return opts
}

// optparse accepts any unambiguous prefix of a long option. "!…" is an error message.
function matchLongOption (written: string): string {
  if (LONG_OPTIONS.has(written)) return written
  const candidates = [...LONG_OPTIONS.keys()].filter((name) => name.startsWith(written)).sort()
  if (candidates.length === 1) return candidates[0] as string
  if (candidates.length === 0) return `!no such option: ${written}`
  return `!ambiguous option: ${written} (${candidates.join(', ')}?)`
}

// ---------------------------------------------------------------------------------------------------
// The requirement itself: parse_req_from_line and parse_editable.

const VCS_SCHEMES = new Set([
  'git', 'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file',
  'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http',
  'svn', 'svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file',
  'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp', 'bzr+file',
])
const URL_SCHEMES = new Set(['http', 'https', 'file', 'ftp', ...VCS_SCHEMES])
const ARCHIVE = /\.(?:zip|whl|tar\.bz2|tbz|tar\.xz|txz|tlz|tar\.lz|tar\.lzma|tar\.gz|tgz|tar)$/i
// pip's wheel_file_re: name-version(-build)?-python-abi-platform.whl
const WHEEL = /^([^\s-]+?)-([^\s-]*?)(?:-\d[^-]*?)?-[^\s-]+?-[^\s-]+?-[^\s-]+?\.whl$/i
const EGG = /[#&]egg=([^&]*)/

const schemeOf = (text: string): string => text.includes(':') ? text.slice(0, text.indexOf(':')).toLowerCase() : ''
const isUrl = (text: string): boolean => URL_SCHEMES.has(schemeOf(text))
const looksLikePath = (text: string): boolean => text.includes('/') || text.startsWith('.')
const kindOfUrl = (url: string): 'url' | 'vcs' => VCS_SCHEMES.has(schemeOf(url)) ? 'vcs' : 'url'

// The last path segment of a URL or path, without query or fragment.
function fileNameOf (target: string): string {
  const path = target.replace(/[?#].*$/, '')
  return path.slice(path.lastIndexOf('/') + 1)
}

// `#egg=name` (an old spelling may carry `[extras]`, which is not part of the name).
function eggName (url: string): string {
  const egg = EGG.exec(url)?.[1] ?? ''
  return egg.replace(/\[.*$/, '')
}

// _strip_extras: a path may end in `[extras]`.
function stripExtras (text: string): { path: string, extras: string[] } {
  const match = /^(.+)\[([^\]]+)\]$/.exec(text)
  if (match === null) return { path: text, extras: [] }
  return { path: match[1] as string, extras: (match[2] as string).split(',').map((e) => e.trim()).filter((e) => e !== '') }
}

function requirementFields (text: string, hashes: string[]): LineResult {
  const url = isUrl(text)
  // pip cuts the marker off first: at "; " after a URL (which may itself hold ";"), else at the first ";".
  const separator = url ? '; ' : ';'
  const cut = text.indexOf(separator)
  const head = (cut >= 0 ? text.slice(0, cut) : text).trim()
  const marker = cut >= 0 ? text.slice(cut + separator.length).trim() : ''
  if (marker !== '') {
    const error = markerError(marker)
    if (error !== undefined) return { ok: false, message: `invalid environment marker "${marker}": ${error}` }
  }
  const none = { name: '', extras: [] as string[], specifier: '', version: '', pinned: false, marker, hashes, target: '' }

  if (url) return archiveOrLink(head, kindOfUrl(head), none)

  const { path, extras } = stripExtras(head)
  const at = head.indexOf('@')
  const pep508First = at >= 0 && !looksLikePath(head.slice(0, at))
  if (ARCHIVE.test(path) && !pep508First) return archiveOrLink(path, 'url', { ...none, extras })

  const parsed = parsePep508(head)
  if (parsed.ok) {
    const { name, extras, url, clauses } = parsed
    if (url !== '') return { ok: true, fields: { ...none, kind: kindOfUrl(url), name, extras, target: url } }
    const specifier = clauses.join(',')
    const only = clauses.length === 1 ? clauses[0] as string : ''
    const exact = /^===?/.exec(only)
    const version = exact !== null ? only.slice(exact[0].length) : ''
    const pinned = version !== '' && !version.includes('*') && !version.includes('${')
    return { ok: true, fields: { ...none, kind: 'package', name, extras, specifier, version: pinned ? version : '', pinned } }
  }
  // A directory pip would install from. pip checks the disk; from here a single path-looking word passes
  // (`./pkg`, `../libs/core`), while `name @ url junk` stays the PEP 508 error pip reports for it.
  if (looksLikePath(head) && !pep508First && !/\s/.test(head)) return { ok: true, fields: { ...none, kind: 'url', extras, target: path } }
  return { ok: false, message: `invalid requirement "${head}": ${parsed.message}${operatorHint(head)}` }
}

// A URL or archive path. A wheel's file name carries the project name, and pip refuses one that does not.
function archiveOrLink (target: string, kind: 'url' | 'vcs', base: Omit<Fields, 'kind'>): LineResult {
  const file = fileNameOf(target)
  if (kind === 'url' && /\.whl$/i.test(file)) {
    const wheel = WHEEL.exec(file)
    if (wheel === null) return { ok: false, message: `${file} is not a valid wheel file name` }
    return { ok: true, fields: { ...base, kind, name: wheel[1] as string, target } }
  }
  return { ok: true, fields: { ...base, kind, name: eggName(target), target } }
}

// pip's hint for `flask=1.0`.
function operatorHint (text: string): string {
  if (!text.includes('=')) return ''
  if (['~=', '==', '!=', '<=', '>=', '<', '>'].some((op) => text.includes(op))) return ''
  return ' (= is not a valid operator; did you mean ==?)'
}

function editableFields (editable: string, hashes: string[]): LineResult {
  const none = { name: '', extras: [] as string[], specifier: '', version: '', pinned: false, marker: '', hashes }
  const scheme = schemeOf(editable)
  if (isUrl(editable) && scheme !== 'file') {
    if (!VCS_SCHEMES.has(scheme)) {
      return { ok: false, message: `${editable} is not a valid editable requirement: it should be a path to a local project or a VCS URL (git+https://…)` }
    }
    return { ok: true, fields: { ...none, kind: 'editable', name: eggName(editable), target: editable } }
  }
  // A local project (pip checks that it is a directory) or a file: URL, either may end in [extras].
  const { path, extras } = stripExtras(editable)
  return { ok: true, fields: { ...none, kind: 'editable', name: eggName(path), extras, target: path } }
}

// ---------------------------------------------------------------------------------------------------
// PEP 508, as packaging's tokenizer and parser read it. Spans are kept so `${VAR}` (masked with digits of
// the same length while parsing) comes back as written.

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
type TokenName = keyof typeof RULES

class SyntaxFailure {
  constructor (readonly message: string) {}
}

// Deeper parentheses than this in a marker are refused instead of recursing (Python would hit its
// recursion limit too, only later).
const MAX_DEPTH = 64

class Tokenizer {
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

type Pep508 = { ok: true, name: string, extras: string[], url: string, clauses: string[] } | { ok: false, message: string }

// ${VAR} as pip's ENV_VAR_RE sees it, masked with digits: valid wherever a name or version goes.
const ENV_VAR = /\$\{[A-Z0-9_]+\}/g

function parsePep508 (text: string): Pep508 {
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

function parseMarker (t: Tokenizer, depth: number): void {
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
