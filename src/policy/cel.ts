import { Environment } from '@marcbachmann/cel-js'
import { ignoredBy } from '../inputs/dockerignore.js'
import { walk, type AstNode } from './cel-ast.js'
import { costProblem } from './cel-cost.js'
import { compareVersions, globMatches, hasFlag, re2Matches } from './cel-functions.js'
import { compileNative, withNative } from './cel-native.js'
import { shellcheck } from './shellcheck.js'
import { regex } from './regex.js'
import type { Program, Scope } from './types.js'

// @marcbachmann/cel-js rather than @bufbuild/cel: on this machine a typical rule (four conditions and
// an `exists` over a list) took 1.1 µs against 4.4 µs, and it reads plain JS objects, so facts need no
// conversion to Maps. What one expression may cost is bounded at compile time: structural limits, and
// its loops (macros, `in`) counted with the scope's own loop over items, so a rule's evaluation is at worst
// quadratic in the input (see cel-cost.ts).
const environment = new Environment({
  limits: { maxAstNodes: 2000, maxDepth: 50, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 },
})
  .registerVariable('dockerfile', 'dyn')
  .registerVariable('stage', 'dyn')
  .registerVariable('instruction', 'dyn')
  .registerVariable('command', 'dyn')
  .registerVariable('file', 'dyn')
  .registerVariable('requirement', 'dyn')
  .registerVariable('params', 'dyn')
  // Image rules: the image's facts, the Dockerfile sent with it (or null), the layer of scope image-layer and the history entry of the history scopes.
  .registerVariable('image', 'dyn')
  .registerVariable('builtFrom', 'dyn')
  .registerVariable('layer', 'dyn')
  .registerVariable('step', 'dyn')
  // Regular expressions with RE2's syntax and meaning, in linear time (see regex.ts): `matches` is rewritten to this at compile time.
  .registerFunction('string.re2Matches(string): bool', (text: string, pattern: string) => re2Matches(text, pattern))
  // Docker's own .dockerignore matching, for probe paths:
  // ignoredBy(dockerfile.context.dockerignore.patterns, "app/__pycache__/x.pyc")
  .registerFunction('ignoredBy(list<string>, string): bool', (patterns: string[], path: string) => ignoredBy(patterns, path))
  // Shell-style globs ("*.py", "app/**"): `"src/app.py".glob("src/*.py")`.
  .registerFunction('string.glob(string): bool', (path: string, pattern: string) => globMatches(path, pattern))
  // Versions compared by number ("3.10" > "3.9"), with missing parts as zero: compareVersions(a, b) is -1, 0 or 1.
  .registerFunction('compareVersions(string, string): int', (a: string, b: string) => BigInt(compareVersions(a, b)))
  // ShellCheck's comments ({code, level, line, message}) on a script: shellcheck(instruction.text, "bash").
  .registerFunction('shellcheck(string, string): list', (script: string, shell: string) => [...shellcheck(script, shell)])
  // A command's flags, normalised per tool: `command.hasFlag("-y")`.
  .registerFunction('dyn.hasFlag(string): bool', (command: { flags?: unknown }, flag: string) => hasFlag(command, flag))

export type Compiled = { ok: true, program: Program } | { ok: false, message: string }

/**
 * Parses and type-checks once; `want` is the type the expression must be able to yield. `engine`: cel-js alone, or
 * the generated JS alone (which throws where cel-js must decide), for tests that compare the two. `scope`: what the
 * expression runs once per, for its cost (a policy's `when` runs once per Dockerfile).
 */
export function compileExpression (expression: string, want: 'bool' | 'int' | 'any', engine: 'native' | 'cel' | 'native-alone' = 'native', scope: Scope = 'dockerfile'): Compiled {
  try {
    const ast = environment.parse(expression).ast as AstNode
    const costly = costProblem(ast, expression, scope)
    if (costly !== undefined) return { ok: false, message: costly }
    const rewritten = useRe2(expression, ast)
    if ('message' in rewritten) return { ok: false, message: rewritten.message }
    const parsed = environment.parse(rewritten.text)
    const checked = parsed.check()
    if (!checked.valid) return { ok: false, message: checked.error?.message ?? 'does not type-check' }
    if (want !== 'any' && checked.type !== want && checked.type !== 'dyn') {
      return { ok: false, message: `must yield ${want}, yields ${checked.type}` }
    }
    const program = parsed as unknown as Program
    if (engine === 'native-alone') {
      const native = compileNative(parsed.ast as AstNode)
      return native === undefined ? { ok: false, message: 'not compiled to JS' } : { ok: true, program: native }
    }
    return { ok: true, program: engine === 'native' ? withNative(parsed.ast as AstNode, program) : program }
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}

// Replaces every `.matches(` with `.re2Matches(`, checking that each literal pattern is valid RE2.
function useRe2 (expression: string, ast: AstNode): { text: string } | { message: string } {
  const calls: number[] = []
  let problem = ''
  walk(ast, (node) => {
    if (node.op !== 'rcall' || !Array.isArray(node.args) || node.args[0] !== 'matches') return
    const receiver = node.args[1] as AstNode
    calls.push(expression.indexOf('matches', receiver.end))
    const pattern = (node.args[2] as AstNode[])[0]
    if (pattern?.op === 'value' && typeof pattern.args === 'string') {
      try {
        regex(pattern.args)
      } catch (error) {
        problem ||= `regular expression ${JSON.stringify(pattern.args)} is not valid RE2: ${(error as Error).message}`
      }
    }
  })
  if (problem !== '') return { message: problem }
  let text = expression
  for (const at of calls.sort((a, b) => b - a)) text = `${text.slice(0, at)}re2Matches${text.slice(at + 'matches'.length)}`
  return { text }
}

/** Values a command's `tool` or `program` must have for a `when` to hold: the engine skips other commands unevaluated. */
export interface CommandGuard { readonly field: 'tool' | 'program', readonly values: readonly string[] }

/**
 * Reads a guard off a `when`: a top-level conjunct `command.tool == "pip"`, `command.tool in ["apt", "apt-get"]`
 * or an `||` of such (or the same on `command.program`). Where that conjunct is false the whole `when` is
 * false (CEL's `&&` is false when any side is, errors included), so skipping those commands changes nothing.
 */
export function commandGuard (expression: string): CommandGuard | undefined {
  const conjuncts = (node: AstNode): AstNode[] => node.op === '&&' ? (node.args as AstNode[]).flatMap(conjuncts) : [node]
  for (const conjunct of conjuncts(environment.parse(expression).ast as AstNode)) {
    const guard = allowed(conjunct)
    if (guard !== undefined) return guard
  }
  return undefined
}

function allowed (node: AstNode): CommandGuard | undefined {
  const args = node.args as AstNode[]
  if (node.op === '||') {
    const sides = args.map(allowed)
    const field = sides[0]?.field
    if (field === undefined || sides.some((side) => side?.field !== field)) return undefined
    return { field, values: sides.flatMap((side) => side?.values ?? []) }
  }
  if (node.op !== '==' && node.op !== 'in') return undefined
  const [left, right] = args
  const field = commandField(left)
  if (field === undefined || right === undefined) return undefined
  const literals = node.op === '==' ? [right] : right.op === 'list' ? right.args as AstNode[] : []
  if (literals.length === 0 || literals.some((literal) => literal.op !== 'value' || typeof literal.args !== 'string')) return undefined
  return { field, values: literals.map((literal) => literal.args as string) }
}

// `command.tool` or `command.program`, as written.
function commandField (node: AstNode | undefined): 'tool' | 'program' | undefined {
  if (node?.op !== '.') return undefined
  const [object, name] = node.args as [AstNode, unknown]
  return object.op === 'id' && object.args === 'command' && (name === 'tool' || name === 'program') ? name : undefined
}
