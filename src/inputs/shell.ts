// RUN scripts into simple commands: a real shell parse (mvdan-sh, bash dialect, which also reads POSIX sh), with
// wrappers peeled off, `sh -c` scripts parsed in turn, and each command's Dockerfile line.
import { Buffer } from 'node:buffer'
import { LRUCache } from 'lru-cache'
import sh from 'mvdan-sh'
import type { Assign, CallExpr, DeclClause, GoNode, GoSlice, LetClause, Lit, SglQuoted, Word } from 'mvdan-sh'
import type { ShellCommand } from '../facts/shell-types.js'
import { describeCommand, type RawCommand } from './commands/index.js'

/** A RUN script with a way back to Dockerfile lines. */
export interface ShellSource {
  /** The shell text, as the shell would receive it. */
  readonly script: string
  /** The Dockerfile line of the character at `offset` in `script`. */
  readonly lineAt: (offset: number) => number
}

/**
 * Joins Docker continuation lines (escape char + newline; comment lines and empty lines inside a continuation are
 * dropped, as Docker does) into one script, keeping a map from offsets in the script to Dockerfile lines.
 * `firstLine` is the Dockerfile line of the instruction's first argument.
 */
export function joinContinuations (raw: string, escape: string, firstLine: number): ShellSource {
  // Docker's own rule (buildkit's parser): the escape character then only spaces or tabs ends a continued line;
  // it and the newline are removed, nothing is put in their place.
  const continued = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \\t]*$`)
  const lines = raw.split('\n')
  const starts: number[] = []
  const lineNumbers: number[] = []
  let script = ''
  let continuing = false
  lines.forEach((text, index) => {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text
    if (continuing && (line.trim() === '' || line.trimStart().startsWith('#'))) return
    starts.push(script.length)
    lineNumbers.push(firstLine + index)
    const match = continued.exec(line)
    continuing = match !== null
    script += match !== null ? line.slice(0, match.index) : line
    // A line that does not continue ends the instruction in a plain Dockerfile; text after it (heredoc bodies)
    // keeps its newlines so that it parses as shell and maps line by line.
    if (match === null && index < lines.length - 1) script += '\n'
  })
  return { script, lineAt: (offset) => lineNumbers[lastAtOrBefore(starts, offset)] ?? firstLine }
}

/** A heredoc body or other multi-line script that is shell text already: lines map 1:1 from firstLine. */
export function scriptSource (script: string, firstLine: number): ShellSource {
  const starts = [0]
  for (let at = script.indexOf('\n'); at !== -1; at = script.indexOf('\n', at + 1)) starts.push(at + 1)
  return { script, lineAt: (offset) => firstLine + lastAtOrBefore(starts, offset) }
}

/**
 * Parses POSIX/bash shell into simple commands, in source order: across lists, pipelines, subshells, groups,
 * if/for/while/case, function bodies and command substitutions. Never throws on its input: text that does not
 * parse yields []. Words are unquoted with expansions (`$HOME`, `${X:-y}`, `$(…)`) and globs kept as written, so
 * facts describe the Dockerfile rather than one build. Wrappers (`sudo`, `env`, `exec`, `nice`, `nohup`, `time`,
 * `command`) are peeled off into `wrappers`; `sh -c '…'` and the like are parsed in turn, their commands on the
 * line of the `sh`. Results are cached by script text (describeCommand's too, so it must not depend on `line`);
 * each call returns new command objects whose arrays and records are frozen and shared.
 */
export function parseShell (source: ShellSource): ShellCommand[] {
  let templates = cache.get(source.script)
  if (templates === undefined) {
    templates = Object.freeze((commandsOf(source.script, 0) ?? []).map((command) => template(command, source)))
    cache.set(source.script, templates)
  }
  // Lines are mapped on every call: the same script can stand on different lines, or in other Dockerfiles.
  return templates.map(({ command, offset }) => ({ ...command, line: source.lineAt(offset) }))
}

// ---- Cache --------------------------------------------------------------------------------------------------------

/** A parsed command and where it starts in the script; frozen throughout, so callers share it. Its `line` is
 * the first caller's and is replaced on every call. */
interface Template {
  readonly offset: number
  readonly command: ShellCommand
}

// Bounded in entries and in script text held, so a few huge RUN lines cannot pin much memory.
const cache = new LRUCache<string, readonly Template[]>({
  max: 2000,
  maxSize: 8_000_000,
  sizeCalculation: (templates, script) => script.length + 256 * templates.length + 1,
})

function template (command: Command, source: ShellSource): Template {
  const raw: RawCommand = {
    name: command.name,
    program: command.program,
    args: Object.freeze(command.args),
    env: Object.freeze(command.env),
    text: command.text,
    line: source.lineAt(command.offset),
    wrappers: Object.freeze(command.wrappers),
  }
  // Object.assign rather than `{ ...raw, ...semantics }`: V8 takes a slow path for two spreads (~8 µs a command).
  const described: ShellCommand = deepFreeze(Object.assign({}, raw, describeCommand(raw)))
  return Object.freeze({ offset: command.offset, command: described })
}

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

// ---- From script to commands ---------------------------------------------------------------------------------------

/** A simple command after wrappers are peeled; `offset` is where it starts in the top-level script. */
interface Command {
  readonly name: string
  readonly program: string
  readonly args: string[]
  readonly env: Record<string, string>
  readonly text: string
  readonly wrappers: string[]
  readonly offset: number
}

// `sh -c "sh -c '…'"` is parsed level by level; past this depth the innermost shell stays a plain command.
const MAX_SHELL_DEPTH = 8

/** The commands of a script, or null when it does not parse. */
function commandsOf (script: string, depth: number): Command[] | null {
  const text = textOf(script)
  let file: GoNode
  try {
    file = parser.Parse(text.script, '').__internal_object__
  } catch {
    return null
  }
  // The whole tree is read into plain values before any `sh -c` script is parsed: the parser is reused.
  const out: Command[] = []
  for (const found of simpleCommands(file, text)) peel(found, depth, out)
  return out
}

/** A simple command as it stands in the script, words rendered, wrappers not yet peeled. */
interface Found {
  readonly words: string[]
  readonly env: Array<[string, string]>
  readonly offset: number
  /** Wrappers from the syntax around it: the `time` keyword. */
  readonly wrappers: readonly string[]
}

function peel (found: Found, depth: number, out: Command[]): void {
  const env: Record<string, string> = {}
  for (const [name, value] of found.env) env[name] = value
  const wrappers = [...found.wrappers]
  let words = found.words
  for (let step = unwrap(words); step !== null; step = unwrap(words)) {
    if ('script' in step) {
      const inner = depth < MAX_SHELL_DEPTH ? commandsOf(step.script, depth + 1) : null
      // A script that does not parse leaves the shell command itself as the fact.
      if (inner === null) break
      for (const command of inner) {
        const merged = Object.assign({}, env, command.env) // the outer environment reaches the inner commands
        out.push({ ...command, env: merged, wrappers: [...wrappers, step.wrapper, ...command.wrappers], offset: found.offset })
      }
      return
    }
    for (const [name, value] of step.assigns) env[name] = value
    wrappers.push(step.wrapper)
    words = step.rest
  }
  const [name = '', ...args] = words
  out.push({ name, program: basename(name), args, env, text: words.join(' '), wrappers, offset: found.offset })
}

function basename (path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

// ---- Wrappers -----------------------------------------------------------------------------------------------------

/** One wrapper peeled: the command that remains, or for a shell with -c, the script it runs. */
type Step =
  | { readonly wrapper: string, readonly rest: string[], readonly assigns: Array<[string, string]> }
  | { readonly wrapper: string, readonly script: string }

/** How a wrapper's options are read: which take a value, and whether NAME=value words may follow them. */
interface WrapperOptions {
  /** Short options that take a value, attached (`-uapp`) or as the next word (`-u app`). */
  readonly short: string
  /** Long options that take a value as the next word when not given with `=`. */
  readonly long: readonly string[]
  /** NAME=value words after the options set the command's environment (env, sudo). */
  readonly assignments: boolean
  /** A lone `-` is an option (`env -` is `env -i`) rather than the command. */
  readonly dashOption?: boolean
}

const WRAPPERS: Readonly<Record<string, WrapperOptions>> = {
  command: { short: '', long: [], assignments: false },
  env: { short: 'uCS', long: ['unset', 'chdir', 'split-string'], assignments: true, dashOption: true },
  exec: { short: 'a', long: [], assignments: false },
  nice: { short: 'n', long: ['adjustment'], assignments: false },
  nohup: { short: '', long: [], assignments: false },
  sudo: {
    short: 'CDgprRtTuU',
    long: ['chdir', 'chroot', 'close-from', 'command-timeout', 'group', 'other-user', 'prompt', 'role', 'type', 'user'],
    assignments: true,
  },
  // GNU time, when `time` is a program rather than bash's keyword (after `sudo`, or as /usr/bin/time).
  time: { short: 'fo', long: ['format', 'output'], assignments: false },
}

const SHELLS = new Set(['ash', 'bash', 'dash', 'ksh', 'mksh', 'sh', 'zsh'])
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s

function unwrap (words: readonly string[]): Step | null {
  const program = basename(words[0] ?? '')
  if (SHELLS.has(program)) return shellScript(words, program)
  const options = WRAPPERS[program]
  if (options === undefined) return null
  let at = skipOptions(words, options)
  // `command -v curl` asks where curl is; it does not run it.
  if (program === 'command' && words.slice(1, at).some((word) => /^-[a-zA-Z]*[vV]/.test(word))) return null
  const assigns: Array<[string, string]> = []
  while (options.assignments && at < words.length) {
    const match = ASSIGNMENT.exec(words[at] as string)
    if (match === null) break
    assigns.push([match[1] as string, match[2] as string])
    at++
  }
  // A wrapper with nothing to run (`sudo -v`, `env`, `exec 3>&1`) is the command itself.
  if (at >= words.length) return null
  return { wrapper: program, rest: words.slice(at), assigns }
}

/** The index of the first word after a wrapper's options. */
function skipOptions (words: readonly string[], options: WrapperOptions): number {
  let at = 1
  while (at < words.length) {
    const word = words[at] as string
    if (word === '--') return at + 1
    if (word === '-' && options.dashOption === true) {
      at++
      continue
    }
    if (!word.startsWith('-') || word === '-') return at
    if (word.startsWith('--')) {
      at += !word.includes('=') && options.long.includes(word.slice(2)) ? 2 : 1
      continue
    }
    // In a cluster (`-Eu app`), the first option that takes a value takes the rest of the word, or the next word.
    let takesNext = false
    for (let index = 1; index < word.length; index++) {
      if (options.short.includes(word.charAt(index))) {
        takesNext = index === word.length - 1
        break
      }
    }
    at += takesNext ? 2 : 1
  }
  return at
}

/** `sh -c 'script'` with options before it (`-e`, `-ex`, `-o pipefail`, `-ec`, `--login`): the script. */
function shellScript (words: readonly string[], program: string): Step | null {
  let hasScript = false
  let at = 1
  while (at < words.length) {
    const word = words[at] as string
    if (word === '-' || word === '--') {
      at++
      break
    }
    if (word.startsWith('--')) {
      at += word === '--rcfile' || word === '--init-file' ? 2 : 1
      continue
    }
    if (!/^[-+][A-Za-z]+$/.test(word)) break
    if (word.startsWith('-') && word.includes('c')) hasScript = true
    // -o and -O take an option name each: `-eo pipefail`, `-O extglob`.
    at += 1 + word.replace(/[^oO]/g, '').length
  }
  const script = words[at]
  // Without -c the shell runs a file (`sh ./install.sh`): that is the command.
  if (!hasScript || script === undefined) return null
  return { wrapper: `${program} -c`, script }
}

// ---- Reading mvdan-sh's syntax tree ---------------------------------------------------------------------------------

// One parser for the process; Parse resets it and is synchronous. mvdan-sh's bash dialect reads POSIX sh too.
const parser = sh.syntax.NewParser(sh.syntax.KeepComments(false), sh.syntax.Variant(sh.syntax.LangBash))

/** A script as the parser sees it: UTF-8 bytes, one per char code, with byte offsets mapped back to string offsets. */
interface ParsedText {
  /** The script handed to the parser (lone surrogates replaced, which keeps every offset). */
  readonly script: string
  /** The same text with each UTF-8 byte as one char code, as the parser's Lit values and offsets are. */
  readonly bytes: string
  readonly offsetOf: (byteOffset: number) => number
}

const NON_ASCII = /[\u0080-\uffff]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function textOf (original: string): ParsedText {
  if (!NON_ASCII.test(original)) return { script: original, bytes: original, offsetOf: (byteOffset) => byteOffset }
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

// The fields of each node type that can hold nodes, in source order. A type missing here (a newer mvdan-sh) has its
// fields scanned instead, so no command is lost.
const CHILDREN: Readonly<Record<string, readonly string[]>> = {
  '*syntax.ArithmCmd': ['X'],
  '*syntax.ArithmExp': ['X'],
  '*syntax.ArrayElem': ['Index', 'Value'],
  '*syntax.ArrayExpr': ['Elems'],
  '*syntax.Assign': ['Index', 'Value', 'Array'],
  '*syntax.BinaryArithm': ['X', 'Y'],
  '*syntax.BinaryCmd': ['X', 'Y'],
  '*syntax.BinaryTest': ['X', 'Y'],
  '*syntax.Block': ['Stmts'],
  '*syntax.BraceExp': ['Elems'],
  '*syntax.CStyleLoop': ['Init', 'Cond', 'Post'],
  '*syntax.CallExpr': ['Assigns', 'Args'],
  '*syntax.CaseClause': ['Word', 'Items'],
  '*syntax.CaseItem': ['Patterns', 'Stmts'],
  '*syntax.CmdSubst': ['Stmts'],
  '*syntax.Comment': [],
  '*syntax.CoprocClause': ['Name', 'Stmt'],
  '*syntax.DblQuoted': ['Parts'],
  '*syntax.DeclClause': ['Args'],
  '*syntax.Expansion': ['Word'],
  '*syntax.ExtGlob': [],
  '*syntax.File': ['Stmts'],
  '*syntax.ForClause': ['Loop', 'Do'],
  '*syntax.FuncDecl': ['Body'],
  '*syntax.IfClause': ['Cond', 'Then', 'Else'],
  '*syntax.LetClause': ['Exprs'],
  '*syntax.Lit': [],
  '*syntax.ParamExp': ['Index', 'Slice', 'Repl', 'Exp'],
  '*syntax.ParenArithm': ['X'],
  '*syntax.ParenTest': ['X'],
  '*syntax.Pos': [],
  '*syntax.ProcSubst': ['Stmts'],
  '*syntax.Redirect': ['Word', 'Hdoc'],
  '*syntax.Replace': ['Orig', 'With'],
  '*syntax.SglQuoted': [],
  '*syntax.Slice': ['Offset', 'Length'],
  '*syntax.Stmt': ['Cmd', 'Redirs'],
  '*syntax.Subshell': ['Stmts'],
  '*syntax.TestClause': ['X'],
  '*syntax.TestDecl': ['Description', 'Body'],
  '*syntax.TimeClause': ['Stmt'],
  '*syntax.UnaryArithm': ['X'],
  '*syntax.UnaryTest': ['X'],
  '*syntax.WhileClause': ['Cond', 'Do'],
  '*syntax.Word': ['Parts'],
  '*syntax.WordIter': ['Items'],
}

const NO_WRAPPERS: readonly string[] = []

/** Every simple command in the tree, depth first in source order; iterative, so deep nesting cannot overflow. */
function simpleCommands (file: GoNode, text: ParsedText): Found[] {
  const found: Found[] = []
  const stack: Array<[GoNode, readonly string[]]> = [[file, NO_WRAPPERS]]
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, wrappers] = top
    const type = node.constructor.string as string
    let inner = wrappers
    switch (type) {
      case '*syntax.CallExpr': {
        const call = callExpr(node as CallExpr, wrappers, text)
        if (call !== null) found.push(call)
        inner = NO_WRAPPERS // a substitution in an argument runs in the outer shell, not under this command's wrappers
        break
      }
      case '*syntax.DeclClause':
        found.push(declClause(node as DeclClause, wrappers, text))
        inner = NO_WRAPPERS
        break
      case '*syntax.LetClause':
        found.push(letClause(node as LetClause, wrappers, text))
        inner = NO_WRAPPERS
        break
      case '*syntax.TimeClause':
        inner = [...wrappers, 'time']
        break
      case '*syntax.CmdSubst':
      case '*syntax.ProcSubst':
        inner = NO_WRAPPERS
        break
    }
    const fields = CHILDREN[type] ?? Object.keys(node).filter((key) => !key.startsWith('$'))
    for (let index = fields.length - 1; index >= 0; index--) {
      pushNodes(stack, (node as unknown as Record<string, unknown>)[fields[index] as string], inner)
    }
  }
  return found
}

/** Pushes a field's nodes (a node, or a slice of them) so that they pop in source order. Skips nils and values. */
function pushNodes (stack: Array<[GoNode, readonly string[]]>, value: unknown, wrappers: readonly string[]): void {
  if (typeof value !== 'object' || value === null) return
  if ('$array' in value) {
    const slice = value as GoSlice<unknown>
    for (let index = slice.$length - 1; index >= 0; index--) pushNodes(stack, slice.$array[slice.$offset + index], wrappers)
    return
  }
  const node = value as GoNode
  if (node.constructor.string?.startsWith('*syntax.') === true && !isNil(node)) stack.push([node, wrappers])
}

function isNil (node: GoNode): boolean {
  return node === node.constructor.nil
}

function items<T> (slice: GoSlice<T>): T[] {
  const out: T[] = []
  for (let index = 0; index < slice.$length; index++) out.push(slice.$array[slice.$offset + index] as T)
  return out
}

function callExpr (call: CallExpr, wrappers: readonly string[], text: ParsedText): Found | null {
  // Assignments alone (`A=1`) set shell variables: no command runs.
  if (call.Args.$length === 0) return null
  return {
    words: items(call.Args).map((word) => renderWord(word, text)),
    env: items(call.Assigns).map((assign) => [assign.Name.Value, assignedValue(assign, text)]),
    offset: text.offsetOf(call.Pos().offs),
    wrappers,
  }
}

// `export A=1`, `declare -x B`: builtins that bash parses as their own clause; they are simple commands all the same.
function declClause (decl: DeclClause, wrappers: readonly string[], text: ParsedText): Found {
  const args = items(decl.Args).map((assign) => {
    if (!assign.Naked) return `${assign.Name.Value}${assign.Append ? '+=' : '='}${assignedValue(assign, text)}`
    return isNil(assign.Name) ? renderWord(assign.Value, text) : assign.Name.Value
  })
  return { words: [decl.Variant.Value, ...args], env: [], offset: text.offsetOf(decl.Pos().offs), wrappers }
}

function letClause (clause: LetClause, wrappers: readonly string[], text: ParsedText): Found {
  const args = items(clause.Exprs).map((expr) => asWritten(expr, text))
  return { words: ['let', ...args], env: [], offset: text.offsetOf(clause.Pos().offs), wrappers }
}

function assignedValue (assign: Assign, text: ParsedText): string {
  if (!isNil(assign.Value)) return renderWord(assign.Value, text)
  return isNil(assign.Array) ? '' : asWritten(assign.Array, text)
}

/** A word with quotes removed and escapes resolved; expansions and globs as written. */
function renderWord (word: Word, text: ParsedText): string {
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

function asWritten (node: GoNode, text: ParsedText): string {
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

/** The index of the last entry of ascending `starts` that is at or before `offset` (0 when none is). */
function lastAtOrBefore (starts: readonly number[], offset: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((starts[middle] as number) <= offset) low = middle
    else high = middle - 1
  }
  return low
}
