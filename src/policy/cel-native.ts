import { ignoredBy } from '../inputs/dockerignore.js'
import { MACROS, type AstNode } from './cel-ast.js'
import { hasFlag } from './cel-functions.js'
import { add, celValue, comparable, divide, elementType, equal, index, INHERITED, isList, isMap, MAX_SAFE, modulo, multiply, size, str, STRING_METHODS, subtract, unsure } from './cel-native-values.js'
import { regex } from './regex.js'
import type { Program } from './types.js'

// cel-js walks its tree and resolves every operator's overload at run time (all variables are dyn), about 0.1 µs a
// node, and rules are most of an evaluation. An expression made only of what the policies use (field access,
// comparisons, `in`, logic, macros, string functions) is also compiled to JavaScript that does what cel-js does on
// well-typed values, and gives up (throws UNSURE) on anything else: a missing key, a type cel-js would reject or
// resolve otherwise, an error. cel-js then evaluates the expression, so its value or error stays the answer.
//
// The JavaScript is generated as text, as ajv does for schemas: each field access then has a property load of its
// own, which V8 specialises to the few shapes of fact it meets (closures share one load for every site, and were
// twice as slow). Nothing from the expression reaches the text but key names, written as JSON string literals;
// every other value (literals, patterns, sets) is passed in an array. Where code cannot be generated (Node run with
// --disallow-code-generation-from-strings), cel-js evaluates alone.

/** A compiled expression's JS version: the value cel-js would give, or a throw where that is not certain. */
type Native = (variables: Record<string, unknown>) => unknown

/** The expression's program: natively where it can, else (or where the native code is unsure) cel-js. */
export function withNative (ast: AstNode, cel: Program): Program {
  const native = compileNative(ast)
  if (native === undefined) return cel
  return (variables) => {
    try {
      return native(variables)
    } catch {
      return cel(variables)
    }
  }
}

// What the generated code calls, by the names it uses.
const HELPERS = {
  U: unsure,
  cv: celValue,
  OBJ: Object,
  hasOwn: Object.hasOwn,
  equal,
  comparable,
  index,
  size,
  add,
  subtract,
  multiply,
  divide,
  modulo,
  hasFlag,
  neg: (value: unknown): unknown => typeof value === 'bigint' || typeof value === 'number' ? -value : unsure(),
  toInt: (value: unknown): bigint => typeof value === 'bigint' ? value : typeof value === 'number' && Number.isFinite(value) ? BigInt(Math.trunc(value)) : unsure(),
  toString: (value: unknown): string => {
    if (typeof value === 'number') return value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : `${value}`
    return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean' ? `${value}` : unsure()
  },
  ignored: (patterns: unknown, path: unknown): boolean =>
    isList(patterns) && (elementType(patterns) === 'string' || elementType(patterns) === 'empty') ? ignoredBy(patterns as string[], str(path)) : unsure(),
  join: (list: unknown, separator: string): string => !isList(list) || list.some((item) => typeof item !== 'string') ? unsure() : list.join(separator),
  // A macro's range: a list's elements or a map's keys.
  each: (range: unknown): unknown[] => isList(range) ? range : isMap(range) ? Object.keys(range) : unsure(),
  // `x in list` and `key in map`; equal() to a string is ===.
  within: (value: unknown, container: unknown): boolean => {
    if (isList(container)) return typeof value === 'string' ? container.includes(value) : container.some((item) => equal(value, item))
    return isMap(container) && typeof value === 'string' ? Object.hasOwn(container, value) && container[value] !== undefined : unsure()
  },
  inLiterals: (value: unknown, literals: unknown[]): boolean => literals.some((literal) => equal(value, literal)),
}

const VARIABLES = new Set(['dockerfile', 'stage', 'instruction', 'command', 'file', 'requirement', 'params', 'image', 'builtFrom', 'layer', 'step'])
const ARITHMETIC: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' }

/** The text of every function an expression needs, and the values its text refers to as `k[i]`. */
class Generated {
  readonly constants: unknown[] = []
  readonly functions: string[] = []
  private names = 0

  constant (value: unknown): string {
    this.constants.push(value)
    return `k[${this.constants.length - 1}]`
  }

  name (prefix: string): string { return `${prefix}${this.names++}` }
}

/** One generated function: the CEL variables bound where it is (JS names, passed in as parameters) and its temporaries. */
class Scope {
  private temps = 0
  constructor (readonly program: Generated, readonly bound: ReadonlyMap<string, string>) {}
  temp (): string { return `t${this.temps++}` }
  declarations (): string { return this.temps === 0 ? '' : `let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(', ')};` }
  get parameters (): string[] { return ['v', ...this.bound.values()] }
}

/** The expression as generated JS alone (it throws where cel-js must decide), or undefined where it cannot be. */
export function compileNative (ast: AstNode): Native | undefined {
  const program = new Generated()
  const scope = new Scope(program, new Map())
  const body = expression(ast, scope)
  if (body === undefined) return undefined
  const text = `"use strict"; const { ${Object.keys(HELPERS).join(', ')} } = h;\n${program.functions.join('\n')}\nreturn (v) => { ${scope.declarations()} return ${body} }`
  try {
    // Generated from the expression's tree only: see the comment at the top.
    return new Function('h', 'k', text)(HELPERS, program.constants) as Native
  } catch {
    return undefined
  }
}

/** `value` as a bool, else unsure. */
const bool = (value: string, scope: Scope): string => { const t = scope.temp(); return `(typeof (${t} = ${value}) === "boolean" ? ${t} : U())` }
const string = (value: string, scope: Scope): string => { const t = scope.temp(); return `(typeof (${t} = ${value}) === "string" ? ${t} : U())` }

/** cel-js's field access (see field() in cel-native-values.ts), written out at each site. */
function field (object: string, key: string, scope: Scope): string {
  const [o, c, x] = [scope.temp(), scope.temp(), scope.temp()]
  const name = JSON.stringify(key)
  const owned = INHERITED.has(key) ? ` && hasOwn(${o}, ${name})` : ''
  return `(${o} = ${object}, typeof ${o} === "object" && ${o} !== null && ((${c} = ${o}.constructor) === OBJ || ${c} === undefined) && (${x} = ${o}[${name}]) !== undefined${owned} ? cv(${x}) : U())`
}

function expression (node: AstNode, scope: Scope): string | undefined {
  const sub = (child: unknown): string | undefined => expression(child as AstNode, scope)
  const args = node.args as AstNode[]
  switch (node.op) {
    case 'value': {
      const value = node.args
      return typeof value === 'string' || typeof value === 'boolean' || value === null ? JSON.stringify(value) : scope.program.constant(value)
    }
    case 'id': {
      const name = node.args as string
      const bound = scope.bound.get(name)
      if (bound !== undefined) return bound
      if (!VARIABLES.has(name)) return undefined
      const t = scope.temp()
      return `((${t} = v[${JSON.stringify(name)}]) === undefined ? U() : cv(${t}))`
    }
    case '.': {
      const [object, key] = node.args as [AstNode, string]
      const inner = sub(object)
      return inner && field(inner, key, scope)
    }
    case '[]': {
      const [object, key] = [sub(args[0]), sub(args[1])]
      return object && key && `index(${object}, ${key})`
    }
    case '==': case '!=': return equality(node.op, args, scope)
    case '<': case '<=': case '>': case '>=': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      if (left === undefined || right === undefined) return undefined
      const [a, b] = [scope.temp(), scope.temp()]
      return `(${a} = ${left}, ${b} = ${right}, comparable(${a}, ${b}) ? ${a} ${node.op} ${b} : U())`
    }
    case 'in': return membership(args, scope)
    case '!_': {
      const operand = sub(node.args)
      return operand && `!${bool(operand, scope)}`
    }
    case '-_': {
      const operand = sub(node.args)
      return operand && `neg(${operand})`
    }
    case '&&': case '||': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      if (left === undefined || right === undefined) return undefined
      return node.op === '||' ? `(${bool(left, scope)} ? true : ${bool(right, scope)})` : `(${bool(left, scope)} ? ${bool(right, scope)} : false)`
    }
    case '?:': {
      const [condition, then, otherwise] = [sub(args[0]), sub(args[1]), sub(args[2])]
      return condition && then && otherwise && `(${bool(condition, scope)} ? ${then} : ${otherwise})`
    }
    case '+': case '-': case '*': case '/': case '%': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      return left && right && `${ARITHMETIC[node.op]}(${left}, ${right})`
    }
    case 'list': {
      const items = args.map(sub)
      return items.some((item) => item === undefined) ? undefined : `[${items.join(', ')}]`
    }
    case 'call': return call(node.args as [string, AstNode[]], scope)
    case 'rcall': return method(node.args as [string, AstNode, AstNode[]], scope)
    default: return undefined
  }
}

function equality (op: '==' | '!=', args: AstNode[], scope: Scope): string | undefined {
  const [left, right] = [expression(args[0] as AstNode, scope), expression(args[1] as AstNode, scope)]
  if (left === undefined || right === undefined) return undefined
  const js = op === '==' ? '===' : '!=='
  // Against a string, bool or null literal, equal() is ===.
  const literal = [args[1], args[0]].find((side) => side?.op === 'value' && (typeof side.args === 'string' || typeof side.args === 'boolean' || side.args === null))
  if (literal !== undefined) return `(${literal === args[1] ? left : right}) ${js} ${JSON.stringify(literal.args)}`
  // Against an int literal, a double (facts' numbers) compares as a double.
  const int = [args[1], args[0]].find((side) => side?.op === 'value' && typeof side.args === 'bigint' && side.args <= MAX_SAFE && side.args >= -MAX_SAFE)
  if (int !== undefined) {
    const t = scope.temp()
    const other = int === args[1] ? left : right
    return `((typeof (${t} = ${other}) === "number" ? ${t} === ${scope.program.constant(Number(int.args))} : equal(${t}, ${scope.program.constant(int.args)})) ${js} true)`
  }
  return `(equal(${left}, ${right}) ${js} true)`
}

// `x in [literals]` against a set when all are strings; `x in list` and `key in map` otherwise.
function membership (args: AstNode[], scope: Scope): string | undefined {
  const needle = expression(args[0] as AstNode, scope)
  const haystack = args[1] as AstNode
  const literals = haystack.op === 'list' ? haystack.args as AstNode[] : []
  if (needle !== undefined && literals.length > 0 && literals.every((literal) => literal.op === 'value' && typeof literal.args === 'string')) {
    const values = literals.map((literal) => literal.args)
    const t = scope.temp()
    return `(typeof (${t} = ${needle}) === "string" ? ${scope.program.constant(new Set(values))}.has(${t}) : inLiterals(${t}, ${scope.program.constant(values)}))`
  }
  const container = expression(haystack, scope)
  return needle && container && `within(${needle}, ${container})`
}

function call ([name, argNodes]: [string, AstNode[]], scope: Scope): string | undefined {
  const args = argNodes.map((node) => expression(node, scope))
  if (args.some((arg) => arg === undefined)) return undefined
  const [first, second] = args
  if (name === 'dyn' && args.length === 1) return first // a type-checking hint: the value as it is
  if (name === 'size' && args.length === 1) return `size(${first})`
  if (name === 'int' && args.length === 1) return `toInt(${first})`
  if (name === 'string' && args.length === 1) return `toString(${first})`
  if (name === 'ignoredBy' && args.length === 2) return `ignored(${first}, ${second})`
  return undefined
}

function method ([name, receiverNode, argNodes]: [string, AstNode, AstNode[]], scope: Scope): string | undefined {
  if (name === 'bind' && receiverNode.op === 'id' && receiverNode.args === 'cel' && argNodes.length === 3) {
    const [variable, init, body] = argNodes as [AstNode, AstNode, AstNode]
    const value = expression(init, scope)
    return value && bound(scope, variable.args as string, body, (_, result) => `return ${result}`, value)
  }
  const receiver = expression(receiverNode, scope)
  if (receiver === undefined) return undefined
  if (MACROS.has(name) && argNodes.length === 2 && argNodes[0]?.op === 'id') {
    const [variable, body] = argNodes as [AstNode, AstNode]
    return bound(scope, variable.args as string, body, (local, result) => loop(name, local, result), `each(${receiver})`)
  }
  const pattern = argNodes[0]
  if (name === 're2Matches' && pattern?.op === 'value' && typeof pattern.args === 'string') {
    // A literal pattern is compiled once, not looked up on every call.
    return `${scope.program.constant(regex(pattern.args))}(${string(receiver, scope)})`
  }
  const args = argNodes.map((node) => expression(node, scope))
  if (args.some((arg) => arg === undefined)) return undefined
  if (name === 'size' && args.length === 0) return `size(${receiver})`
  if (name === 'hasFlag' && args.length === 1) return `hasFlag(${receiver}, ${string(args[0] as string, scope)})`
  if (name === 'join' && args.length <= 1) return `join(${receiver}, ${args.length === 0 ? '""' : string(args[0] as string, scope)})`
  const method = STRING_METHODS[`${name}/${args.length}`]
  if (method === undefined) return undefined
  return `${scope.program.constant(method)}(${[string(receiver, scope), ...args].join(', ')})`
}

/**
 * A function of its own for a body that binds a CEL variable (cel.bind, or a macro's element): it takes the
 * variables, the names bound around it and `argument` (the bound value, or the macro's range). `statements`
 * writes its body from the JS name of the new variable and the body's expression.
 */
function bound (scope: Scope, name: string, body: AstNode, statements: (local: string, result: string) => string, argument: string): string | undefined {
  const program = scope.program
  const local = program.name('b')
  const inner = new Scope(program, new Map(scope.bound).set(name, local))
  const result = expression(body, inner)
  if (result === undefined) return undefined
  const fn = program.name('f')
  program.functions.push(`function ${fn} (${[...scope.parameters, local].join(', ')}) { ${inner.declarations()} ${statements(local, result)} }`)
  return `${fn}(${[...scope.parameters, argument].join(', ')})`
}

// The loop of a macro: `local` arrives as its range and is rebound to each element (as cel-js reads it) in turn.
function loop (name: string, local: string, result: string): string {
  const range = `let r, ${local}_range = ${local};`
  const each = `for (const item of ${local}_range) { ${local} = cv(item);`
  const check = (value: string): string => `(typeof (r = ${value}) === "boolean" ? r : U())`
  switch (name) {
    case 'exists': return `${range} ${each} if (${check(result)}) return true } return false`
    case 'all': return `${range} ${each} if (!${check(result)}) return false } return true`
    case 'exists_one': return `${range} let n = 0; ${each} if (${check(result)}) n++ } return n === 1`
    case 'filter': return `${range} const kept = []; ${each} if (${check(result)}) kept.push(item) } return kept`
    default: return `${range} const out = []; ${each} out.push(${result}) } return out`
  }
}
