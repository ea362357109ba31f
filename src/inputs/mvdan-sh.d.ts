// The parts of mvdan-sh (a GopherJS build of mvdan.cc/sh/v3/syntax) that shell.ts uses; the package ships no types.
//
// shell/syntax.ts and shell/words.ts read the Go syntax tree behind `__internal_object__` rather than through the package's JS wrappers:
// every wrapped property access re-wraps the node it returns (syntax.NodeType costs ~27 µs, Pos() ~11 µs, and
// syntax.Walk ~470 µs for one apt-get line), while the Go objects cost a plain property read. Their layout is
// GopherJS's: struct fields under their Go names, Go methods on the prototype, `constructor.string` naming the
// Go type ("*syntax.CallExpr"), slices as { $array, $offset, $length }, nil pointers as `constructor.nil`.
// The version is pinned in package-lock.json; test/shell.test.ts covers every node kind read here.
declare module 'mvdan-sh' {
  /** A position in the parsed text: `offs` is a byte offset into its UTF-8 encoding. */
  export interface GoPos { readonly offs: number }

  /** A Go slice. */
  export interface GoSlice<T> { readonly $array: ArrayLike<T>; readonly $offset: number; readonly $length: number }

  /** A pointer to a syntax tree node (or a typed nil pointer, when `node === node.constructor.nil`). */
  export interface GoNode {
    readonly constructor: { readonly string?: string, readonly nil?: unknown }
    Pos (): GoPos
    End (): GoPos
  }

  /** *syntax.Lit: literal text as written, backslashes kept (the parser drops only backslash-newline). */
  export interface Lit extends GoNode { readonly Value: string }
  /** *syntax.SglQuoted: '...' or, with Dollar, $'...' (escapes not yet decoded). */
  export interface SglQuoted extends GoNode { readonly Value: string, readonly Dollar: boolean }
  /** *syntax.Word and *syntax.DblQuoted: a sequence of word parts. */
  export interface Word extends GoNode { readonly Parts: GoSlice<GoNode> }
  /** *syntax.Assign: NAME=value, NAME+=value, NAME=(array), or in a declaration a bare NAME or word ("Naked"). */
  export interface Assign extends GoNode {
    readonly Append: boolean
    readonly Naked: boolean
    readonly Name: Lit
    readonly Value: Word
    readonly Array: GoNode
  }
  /** *syntax.CallExpr: a simple command, assignments first. */
  export interface CallExpr extends GoNode { readonly Assigns: GoSlice<Assign>, readonly Args: GoSlice<Word> }
  /** *syntax.DeclClause: export, declare, local, readonly, typeset, nameref. */
  export interface DeclClause extends GoNode { readonly Variant: Lit, readonly Args: GoSlice<Assign> }
  /** *syntax.LetClause: let with its arithmetic expressions. */
  export interface LetClause extends GoNode { readonly Exprs: GoSlice<GoNode> }
  /** *syntax.Redirect: `N>word` and the like; Op is a token number (syntax/tokens.go), N nil when no fd is written. */
  export interface Redirect extends GoNode { readonly Op: number, readonly N: Lit, readonly Word: Word }
  /** *syntax.Stmt: a command with its redirections. */
  export interface Stmt extends GoNode { readonly Cmd: GoNode, readonly Redirs: GoSlice<Redirect> }
  /** *syntax.BinaryCmd: `X && Y`, `X || Y`, `X | Y`, `X |& Y`; Op is a token number. */
  export interface BinaryCmd extends GoNode { readonly Op: number, readonly X: Stmt, readonly Y: Stmt }

  /** What Parser.Parse returns: a JS wrapper around the *syntax.File. */
  export interface WrappedFile { readonly __internal_object__: GoNode }

  /** A parser; it may be reused, one Parse at a time. Parse throws (a non-Error object) on a syntax error. */
  export interface Parser { Parse (src: string, name: string): WrappedFile, readonly __internal_object__: { readonly Parser: GoParser } }

  /**
   * The *syntax.Parser behind a Parser. Parse takes a Go io.Reader and a Go string (UTF-8 bytes as char codes), and
   * returns [file, error] as GopherJS returns multiple values; the error is a shared nil value on success.
   */
  export interface GoParser {
    /** The reader of the last Parse: a *strings.Reader when the text came through Parser.Parse. */
    readonly src: GoReader
    Parse (src: GoReader, name: string): [GoNode, unknown]
  }

  /** *strings.Reader. */
  export interface GoReader { Reset (text: string): void }

  /** A constructor option for NewParser. */
  export type ParserOption = (parser: unknown) => void

  export interface Syntax {
    NewParser (...options: ParserOption[]): Parser
    KeepComments (keep: boolean): ParserOption
    Variant (lang: number): ParserOption
    readonly LangBash: number
  }

  const sh: { readonly syntax: Syntax }
  export default sh
}
