// Reading mvdan-sh's syntax tree: every simple command of a script (calls, `export`/`declare`, `let`), in source
// order, with its words rendered, its assignments, the `time` keyword around it, and where its output goes (a pipe,
// a file).
import sh from 'mvdan-sh'
import type { Assign, BinaryCmd, CallExpr, DeclClause, GoNode, GoSlice, LetClause, Stmt } from 'mvdan-sh'
import { isNil, items } from './go.js'
import { basename, unwrap } from './wrappers.js'
import { asWritten, renderWord, textOf, type ParsedText } from './words.js'
import { bracketDepth, check } from '../limits.js'

// One parser for the process; Parse resets it and is synchronous. mvdan-sh's bash dialect reads POSIX sh too.
const parser = sh.syntax.NewParser(sh.syntax.KeepComments(false), sh.syntax.Variant(sh.syntax.LangBash))
// Scripts go to the Go parser behind it: the JS Parse wraps the tree it returns (js.MakeFullWrapper), about a
// fifth of the parse of a short RUN script, for a wrapper nothing here reads. One wrapped Parse leaves the
// *strings.Reader to reuse, and gives the nil error a successful Parse returns.
const goParser = parser.__internal_object__.Parser
parser.Parse('', '')
const reader = goParser.src
const NO_ERROR = goParser.Parse(reader, '')[1]

/** The simple commands of a script, in source order, or null when it does not parse. */
export function readScript (script: string): Found[] | null {
  // The parser recurses once a level of brackets and parentheses.
  check('shellDepth', bracketDepth(script, '({', ')}'), 'a shell script')
  const text = textOf(script)
  let file: GoNode
  try {
    // The reader takes a Go string: the script's UTF-8 bytes, as `text.bytes` holds them.
    reader.Reset(text.bytes)
    const [parsed, error] = goParser.Parse(reader, '')
    if (error !== NO_ERROR) return null
    file = parsed
  } catch {
    return null
  }
  // The whole tree is read into plain values before any `sh -c` script is parsed: the parser is reused.
  return simpleCommands(file, text)
}

/** A simple command as it stands in the script, words rendered, wrappers not yet peeled. */
export interface Found {
  readonly words: string[]
  /** Where each word starts and ends in the script; absent for `export` and `let` clauses. */
  readonly spans?: ReadonlyArray<readonly [number, number]>
  readonly env: Array<[string, string]>
  readonly offset: number
  /** Wrappers from the syntax around it: the `time` keyword. */
  readonly wrappers: readonly string[]
  /** The program of the pipeline element its output is piped into; "" when not piped. */
  readonly pipedTo: string
  /** Files its standard output is redirected to, by itself or by an enclosing statement. */
  readonly writesTo: readonly string[]
}

/** What the syntax around a command says about it: wrappers, and where its standard output goes. */
interface Context {
  readonly wrappers: readonly string[]
  readonly pipedTo: string
  readonly writesTo: readonly string[]
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

const NOWHERE: readonly string[] = []
const OUTSIDE: Context = { wrappers: [], pipedTo: '', writesTo: NOWHERE }

// mvdan-sh's token numbers (syntax/tokens.go, pinned with the package): the pipe operators, and the redirections
// that send standard output to a file.
const PIPE = 12
const PIPE_ALL = 13 // |&
const TO_FILE: ReadonlySet<number> = new Set([54, 55, 60]) // >, >>, >|
const ALL_TO_FILE: ReadonlySet<number> = new Set([64, 65]) // &>, &>>

/** Every simple command in the tree, depth first in source order; iterative, so deep nesting cannot overflow. */
function simpleCommands (file: GoNode, text: ParsedText): Found[] {
  const found: Found[] = []
  const stack: Array<[GoNode, Context]> = [[file, OUTSIDE]]
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, context] = top
    const type = node.constructor.string as string
    let inner = context
    switch (type) {
      case '*syntax.CallExpr': {
        const call = callExpr(node as CallExpr, context, text)
        if (call !== null) found.push(call)
        inner = OUTSIDE // a substitution in an argument runs in the outer shell, not under this command's wrappers
        break
      }
      case '*syntax.DeclClause':
        found.push(declClause(node as DeclClause, context, text))
        inner = OUTSIDE
        break
      case '*syntax.LetClause':
        found.push(letClause(node as LetClause, context, text))
        inner = OUTSIDE
        break
      case '*syntax.TimeClause':
        inner = { wrappers: [...context.wrappers, 'time'], pipedTo: context.pipedTo, writesTo: context.writesTo }
        break
      case '*syntax.CmdSubst':
      case '*syntax.ProcSubst':
        inner = OUTSIDE // its output is the substitution's value
        break
      case '*syntax.Stmt': {
        const files = outputFiles(node as Stmt, text)
        if (files.length > 0) inner = { wrappers: context.wrappers, pipedTo: context.pipedTo, writesTo: files }
        break
      }
      case '*syntax.BinaryCmd': {
        const binary = node as BinaryCmd
        if (binary.Op !== PIPE && binary.Op !== PIPE_ALL) break
        // The left side writes into the pipe; the right side writes where the whole pipeline does.
        stack.push([binary.Y, context], [binary.X, { wrappers: context.wrappers, pipedTo: firstProgram(binary.Y, text), writesTo: NOWHERE }])
        continue
      }
    }
    const fields = CHILDREN[type] ?? Object.keys(node).filter((key) => !key.startsWith('$'))
    for (let index = fields.length - 1; index >= 0; index--) {
      pushNodes(stack, (node as unknown as Record<string, unknown>)[fields[index] as string], inner)
    }
  }
  return found
}

/** Pushes a field's nodes (a node, or a slice of them) so that they pop in source order. Skips nils and values. */
function pushNodes<T> (stack: Array<[GoNode, T]>, value: unknown, tag: T): void {
  if (typeof value !== 'object' || value === null) return
  if ('$array' in value) {
    const slice = value as GoSlice<unknown>
    for (let index = slice.$length - 1; index >= 0; index--) pushNodes(stack, slice.$array[slice.$offset + index], tag)
    return
  }
  const node = value as GoNode
  if (node.constructor.string?.startsWith('*syntax.') === true && !isNil(node)) stack.push([node, tag])
}

/** The files a statement's own redirections send standard output to (`> f`, `1>> f`, `&> f`), as written. */
function outputFiles (stmt: Stmt, text: ParsedText): string[] {
  const files: string[] = []
  for (const redirect of items(stmt.Redirs)) {
    const fd = isNil(redirect.N) ? '' : redirect.N.Value
    if ((TO_FILE.has(redirect.Op) && (fd === '' || fd === '1')) || (ALL_TO_FILE.has(redirect.Op) && fd === '')) {
      files.push(renderWord(redirect.Word, text))
    }
  }
  return files
}

/** The program of the first simple command in a pipeline element, wrappers peeled (`sudo tee f` gives "tee"). */
function firstProgram (stmt: Stmt, text: ParsedText): string {
  const stack: GoNode[] = [stmt]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const type = node.constructor.string as string
    if (type === '*syntax.CallExpr' && (node as CallExpr).Args.$length > 0) {
      let words = items((node as CallExpr).Args).map((word) => renderWord(word, text))
      for (let step = unwrap(words); step !== null && 'rest' in step; step = unwrap(words)) words = step.rest
      return basename(words[0] ?? '')
    }
    if (type === '*syntax.DeclClause' || type === '*syntax.LetClause') break
    const fields = CHILDREN[type] ?? []
    const children: Array<[GoNode, null]> = []
    for (let index = fields.length - 1; index >= 0; index--) pushNodes(children, (node as unknown as Record<string, unknown>)[fields[index] as string], null)
    for (const [child] of children) stack.push(child)
  }
  // No simple command to name (`| [[ … ]]`, `| export`): the element's first word as written.
  return asWritten(stmt, text).trim().split(/\s+/)[0] ?? '|'
}

function callExpr (call: CallExpr, context: Context, text: ParsedText): Found | null {
  // Assignments alone (`A=1`) set shell variables: no command runs.
  if (call.Args.$length === 0) return null
  return {
    words: items(call.Args).map((word) => renderWord(word, text)),
    spans: items(call.Args).map((word) => [text.offsetOf(word.Pos().offs), text.offsetOf(word.End().offs)] as const),
    env: items(call.Assigns).map((assign) => [assign.Name.Value, assignedValue(assign, text)]),
    offset: text.offsetOf(call.Pos().offs),
    wrappers: context.wrappers,
    pipedTo: context.pipedTo,
    writesTo: context.writesTo,
  }
}

// `export A=1`, `declare -x B`: builtins that bash parses as their own clause; they are simple commands all the same.
function declClause (decl: DeclClause, context: Context, text: ParsedText): Found {
  const args = items(decl.Args).map((assign) => {
    if (!assign.Naked) return `${assign.Name.Value}${assign.Append ? '+=' : '='}${assignedValue(assign, text)}`
    return isNil(assign.Name) ? renderWord(assign.Value, text) : assign.Name.Value
  })
  return { words: [decl.Variant.Value, ...args], env: [], offset: text.offsetOf(decl.Pos().offs), wrappers: context.wrappers, pipedTo: context.pipedTo, writesTo: context.writesTo }
}

function letClause (clause: LetClause, context: Context, text: ParsedText): Found {
  const args = items(clause.Exprs).map((expr) => asWritten(expr, text))
  return { words: ['let', ...args], env: [], offset: text.offsetOf(clause.Pos().offs), wrappers: context.wrappers, pipedTo: context.pipedTo, writesTo: context.writesTo }
}

function assignedValue (assign: Assign, text: ParsedText): string {
  if (!isNil(assign.Value)) return renderWord(assign.Value, text)
  return isNil(assign.Array) ? '' : asWritten(assign.Array, text)
}
