// Reading mvdan-sh's syntax tree: every simple command of a script (calls, `export`/`declare`, `let`), in source
// order, with its words rendered, its assignments and the `time` keyword around it.
import sh from 'mvdan-sh'
import type { Assign, CallExpr, DeclClause, GoNode, GoSlice, LetClause } from 'mvdan-sh'
import { isNil, items } from './go.js'
import { asWritten, renderWord, textOf, type ParsedText } from './words.js'

// One parser for the process; Parse resets it and is synchronous. mvdan-sh's bash dialect reads POSIX sh too.
const parser = sh.syntax.NewParser(sh.syntax.KeepComments(false), sh.syntax.Variant(sh.syntax.LangBash))

/** The simple commands of a script, in source order, or null when it does not parse. */
export function readScript (script: string): Found[] | null {
  const text = textOf(script)
  let file: GoNode
  try {
    file = parser.Parse(text.script, '').__internal_object__
  } catch {
    return null
  }
  // The whole tree is read into plain values before any `sh -c` script is parsed: the parser is reused.
  return simpleCommands(file, text)
}

/** A simple command as it stands in the script, words rendered, wrappers not yet peeled. */
export interface Found {
  readonly words: string[]
  readonly env: Array<[string, string]>
  readonly offset: number
  /** Wrappers from the syntax around it: the `time` keyword. */
  readonly wrappers: readonly string[]
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
