import { ignoredBy } from '../inputs/dockerignore.js'
import { MACROS, type AstNode } from './cel-ast.js'
import { hasFlag } from './cel-functions.js'
import { add, bool, celValue, comparable, elementType, equal, field, index, INHERITED, isList, isMap, MAX_SAFE, ORDERS, size, str, STRING_METHODS, subtract, unsure } from './cel-native-values.js'
import { regex } from './regex.js'
import type { Program } from './types.js'

// cel-js walks its tree and resolves every operator's overload at run time (all variables are dyn), about 0.1 µs a
// node, and rules are most of an evaluation. An expression made only of what the policies use (field access,
// comparisons, `in`, logic, macros, string functions) is also compiled to plain JS closures that do what cel-js does
// on well-typed values, and give up (throw UNSURE) on anything else: a missing key, a type cel-js would reject or
// resolve otherwise, an error. cel-js then evaluates the expression, so its value or error stays the answer.

/** A compiled expression's JS version: the value cel-js would give, or a throw where that is not certain. */
type Native = (variables: Record<string, unknown>) => unknown

/** The expression's program: natively where it can, else (or where the native code is unsure) cel-js. */
export function withNative (ast: AstNode, cel: Program): Program {
  const native = compileNative(ast, new Map())
  if (native === undefined) return cel
  return (variables) => {
    try {
      return native(variables)
    } catch {
      return cel(variables)
    }
  }
}

// The variables, each read by a function of its own: a property load of one name on few shapes of object is fast,
// where `variables[name]` for every name is not. cel-js refuses a variable that is absent or of no CEL type.
const variable = (value: unknown): unknown => value === undefined ? unsure() : celValue(value)
const VARIABLES: ReadonlyMap<string, Native> = new Map(Object.entries({
  dockerfile: (variables) => variable(variables.dockerfile),
  stage: (variables) => variable(variables.stage),
  instruction: (variables) => variable(variables.instruction),
  command: (variables) => variable(variables.command),
  file: (variables) => variable(variables.file),
  requirement: (variables) => variable(variables.requirement),
  params: (variables) => variable(variables.params),
  image: (variables) => variable(variables.image),
  builtFrom: (variables) => variable(variables.builtFrom),
  layer: (variables) => variable(variables.layer),
  step: (variables) => variable(variables.step),
} satisfies Record<string, Native>))
// A macro's or cel.bind's variable: set as the evaluation goes (one evaluation runs at a time in a thread).
interface Cell { value: unknown }

function compileNative (node: AstNode, bound: ReadonlyMap<string, Cell>): Native | undefined {
  const sub = (child: unknown): Native | undefined => compileNative(child as AstNode, bound)
  const args = node.args as AstNode[]
  switch (node.op) {
    case 'value': {
      const value = node.args
      return () => value
    }
    case 'id': {
      const name = node.args as string
      const cell = bound.get(name)
      if (cell !== undefined) return () => cell.value
      return VARIABLES.get(name)
    }
    case '.': {
      // `a.b.c` as one walk down the keys.
      const keys: string[] = []
      let inner = node
      for (; inner.op === '.'; inner = (inner.args as [AstNode, string])[0]) keys.unshift((inner.args as [AstNode, string])[1])
      const object = sub(inner)
      const [key] = keys as [string]
      const inherited = keys.some((name) => INHERITED.has(name))
      if (object === undefined) return undefined
      if (keys.length === 1) return (variables) => field(object(variables), key, inherited)
      return (variables) => {
        let value = object(variables)
        for (const key of keys) value = field(value, key, inherited)
        return value
      }
    }
    case '[]': {
      const [object, key] = [sub(args[0]), sub(args[1])]
      return object && key && ((variables) => index(object(variables), key(variables)))
    }
    case '==': case '!=': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      const same = node.op === '=='
      // Against a string, bool or null literal, equal() is ===.
      const literal = [args[1], args[0]].find((side) => side?.op === 'value' && (typeof side.args === 'string' || typeof side.args === 'boolean' || side.args === null))
      if (literal !== undefined && left && right) {
        const [value, other] = [literal.args, literal === args[1] ? left : right]
        return same ? (variables) => other(variables) === value : (variables) => other(variables) !== value
      }
      // Against an int literal, a double (facts' numbers) compares as a double.
      const int = [args[1], args[0]].find((side) => side?.op === 'value' && typeof side.args === 'bigint' && side.args <= MAX_SAFE && side.args >= -MAX_SAFE)
      if (int !== undefined && left && right) {
        const [value, other] = [int.args as bigint, int === args[1] ? left : right]
        const double = Number(value)
        return (variables) => {
          const found = other(variables)
          return (typeof found === 'number' ? found === double : equal(found, value)) === same
        }
      }
      return left && right && ((variables) => equal(left(variables), right(variables)) === same)
    }
    case '<': case '<=': case '>': case '>=': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      const order = ORDERS[node.op] as (a: unknown, b: unknown) => boolean
      return left && right && ((variables) => {
        const a = left(variables)
        const b = right(variables)
        return comparable(a, b) ? order(a, b) : unsure()
      })
    }
    case 'in': return membership(args, bound)
    case '!_': {
      const operand = sub(node.args)
      return operand && ((variables) => !bool(operand(variables)))
    }
    case '-_': {
      const operand = sub(node.args)
      return operand && ((variables) => {
        const value = operand(variables)
        return typeof value === 'bigint' || typeof value === 'number' ? -value : unsure()
      })
    }
    case '&&': case '||': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      const decides = node.op === '||' // the value of the left side that decides alone
      return left && right && ((variables) => bool(left(variables)) === decides ? decides : bool(right(variables)))
    }
    case '?:': {
      const [condition, then, otherwise] = [sub(args[0]), sub(args[1]), sub(args[2])]
      return condition && then && otherwise && ((variables) => bool(condition(variables)) ? then(variables) : otherwise(variables))
    }
    case '+': case '-': {
      const [left, right] = [sub(args[0]), sub(args[1])]
      return left && right && (node.op === '+' ? (variables) => add(left(variables), right(variables)) : (variables) => subtract(left(variables), right(variables)))
    }
    case 'list': {
      const items = args.map(sub)
      if (items.some((item) => item === undefined)) return undefined
      return (variables) => items.map((item) => (item as Native)(variables))
    }
    case 'call': return call(node.args as [string, AstNode[]], bound)
    case 'rcall': return method(node.args as [string, AstNode, AstNode[]], bound)
    default: return undefined
  }
}

// `x in [literals]` against a set when all are strings; `x in list` and `key in map` otherwise.
function membership (args: AstNode[], bound: ReadonlyMap<string, Cell>): Native | undefined {
  const needle = compileNative(args[0] as AstNode, bound)
  const haystack = args[1] as AstNode
  const literals = haystack.op === 'list' ? haystack.args as AstNode[] : []
  if (needle !== undefined && literals.length > 0 && literals.every((literal) => literal.op === 'value' && typeof literal.args === 'string')) {
    const strings = new Set(literals.map((literal) => literal.args as string))
    return (variables) => {
      const value = needle(variables)
      return typeof value === 'string' ? strings.has(value) : literals.some((literal) => equal(value, literal.args))
    }
  }
  const container = compileNative(haystack, bound)
  return needle && container && ((variables) => {
    const value = needle(variables)
    const within = container(variables)
    if (isList(within)) {
      if (typeof value === 'string') return within.includes(value) // equal() to a string is ===
      for (const item of within) if (equal(value, item)) return true
      return false
    }
    return isMap(within) && typeof value === 'string' ? Object.hasOwn(within, value) && within[value] !== undefined : unsure()
  })
}

function call ([name, argNodes]: [string, AstNode[]], bound: ReadonlyMap<string, Cell>): Native | undefined {
  const args = argNodes.map((node) => compileNative(node, bound))
  if (args.some((arg) => arg === undefined)) return undefined
  const [first, second] = args as [Native, Native]
  if (name === 'size' && args.length === 1) return (variables) => size(first(variables))
  if (name === 'int' && args.length === 1) {
    return (variables) => {
      const value = first(variables)
      return typeof value === 'bigint' ? value : typeof value === 'number' && Number.isFinite(value) ? BigInt(Math.trunc(value)) : unsure()
    }
  }
  if (name === 'string' && args.length === 1) {
    return (variables) => {
      const value = first(variables)
      if (typeof value === 'number') return value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : `${value}`
      return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean' ? `${value}` : unsure()
    }
  }
  if (name === 'ignoredBy' && args.length === 2) {
    return (variables) => {
      const patterns = first(variables)
      return isList(patterns) && (elementType(patterns) === 'string' || elementType(patterns) === 'empty') ? ignoredBy(patterns as string[], str(second(variables))) : unsure()
    }
  }
  return undefined
}

function method ([name, receiverNode, argNodes]: [string, AstNode, AstNode[]], bound: ReadonlyMap<string, Cell>): Native | undefined {
  if (name === 'bind' && receiverNode.op === 'id' && receiverNode.args === 'cel' && argNodes.length === 3) {
    const cell: Cell = { value: undefined }
    const [variable, init, body] = argNodes as [AstNode, AstNode, AstNode]
    const value = compileNative(init, bound)
    const result = compileNative(body, new Map(bound).set(variable.args as string, cell))
    return value && result && ((variables) => {
      cell.value = value(variables)
      return result(variables)
    })
  }
  const receiver = compileNative(receiverNode, bound)
  if (receiver === undefined) return undefined
  if (MACROS.has(name) && argNodes.length === 2 && argNodes[0]?.op === 'id') return macro(name, receiver, argNodes as [AstNode, AstNode], bound)
  const pattern = argNodes[0]
  if (name === 're2Matches' && pattern?.op === 'value' && typeof pattern.args === 'string') {
    const matches = regex(pattern.args) // a literal pattern is compiled once, not looked up on every call
    return (variables) => matches(str(receiver(variables)))
  }
  const args = argNodes.map((node) => compileNative(node, bound))
  if (args.some((arg) => arg === undefined)) return undefined
  const [first, second] = args as [Native, Native]
  if (name === 'size' && args.length === 0) return (variables) => size(receiver(variables))
  if (name === 'hasFlag' && args.length === 1) return (variables) => hasFlag(receiver(variables) as { flags?: unknown }, str(first(variables)))
  if (name === 'join' && args.length <= 1) {
    return (variables) => {
      const list = receiver(variables)
      if (!isList(list) || list.some((item) => typeof item !== 'string')) return unsure()
      return list.join(args.length === 0 ? '' : str(first(variables)))
    }
  }
  const string = STRING_METHODS[`${name}/${args.length}`]
  if (string === undefined) return undefined
  return (variables) => string(str(receiver(variables)), first?.(variables), second?.(variables))
}

// exists, all, exists_one, map and filter over a list's elements or a map's keys, with the variable bound to each.
function macro (name: string, receiver: Native, [variable, body]: [AstNode, AstNode], bound: ReadonlyMap<string, Cell>): Native | undefined {
  const cell: Cell = { value: undefined }
  const predicate = compileNative(body, new Map(bound).set(variable.args as string, cell))
  if (predicate === undefined) return undefined
  const each = (variables: Record<string, unknown>): unknown[] => {
    const range = receiver(variables)
    return isList(range) ? range : isMap(range) ? Object.keys(range) : unsure()
  }
  switch (name) {
    case 'exists': case 'all': {
      const decides = name === 'exists' // the predicate's value that decides alone
      return (variables) => {
        for (const item of each(variables)) {
          cell.value = celValue(item)
          if (bool(predicate(variables)) === decides) return decides
        }
        return !decides
      }
    }
    case 'exists_one': case 'filter': {
      const count = name === 'exists_one'
      return (variables) => {
        const kept: unknown[] = []
        for (const item of each(variables)) {
          cell.value = celValue(item)
          if (bool(predicate(variables))) kept.push(item)
        }
        return count ? kept.length === 1 : kept
      }
    }
    default: return (variables) => each(variables).map((item) => {
      cell.value = celValue(item)
      return predicate(variables)
    })
  }
}
