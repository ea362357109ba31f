// What evaluating a rule may cost, as a power of n, the size of what is judged (the Dockerfile with its context files,
// the image), found at compile time. Each loop (all, exists, exists_one, map, filter, `x in list`, and the helpers
// that walk a list) over a list that can grow with n is a factor n, and so is the rule's scope when it runs once per
// item (per instruction, per command…). A loop over a part of one item is free: over the scope's item
// (`instruction.commands` in scope instruction) or over the element of an enclosing loop (`i.commands` inside
// `dockerfile.instructions.exists(i, …)`), since over all items those parts add up to n once. A part is free once
// along a path: walked again inside, it is a factor (an instruction's commands against its commands can be n²).
// Lists written out and params (the policy's configuration) do not grow with n; nor does `key in map` (a lookup).
import { children, MACROS, type AstNode } from './cel-ast.js'
import type { Scope } from './types.js'

/** The most an expression may cost: quadratic in n. */
export const MAX_DEGREE = 2

/** The variables of the item a scope runs once per (image-history's step and instruction are one item), and what that item is. */
const ITEMS: Partial<Record<Scope, { readonly names: readonly string[], readonly each: string }>> = {
  'stage': { names: ['stage'], each: 'stage' },
  'instruction': { names: ['instruction'], each: 'instruction' },
  'command': { names: ['command'], each: 'shell command' },
  'context-file': { names: ['file'], each: 'context file' },
  'requirement': { names: ['requirement'], each: 'requirement' },
  'image-layer': { names: ['layer'], each: 'layer' },
  'image-file': { names: ['file'], each: 'file of the image' },
  'image-history': { names: ['instruction', 'step'], each: 'history step' },
  'image-command': { names: ['command'], each: 'command of the history' },
}

// A stage's own fields. The others (env, args, labels, exposedPorts, cmd…) are inherited through `FROM <stage>`: every
// stage of a chain holds them, so over all stages they do not add up to n once.
const STAGE_OWN = new Set(['instructions', 'onbuild', 'dependsOn', 'from'])
// The facts' maps (see docs/facts.md), where `in` is a lookup; also a stage's `args` and the context's `files`.
const MAPS = new Set(['env', 'labels', 'annotations', 'options', 'flagValues', 'properties', 'directives', 'globalArgs'])

/**
 * What a list (or a variable) is. `unit`: the part of the input it lies in (a loop over it is free once); `parts`: its
 * elements are disjoint parts of the input (not so for a map's results or a list written out); `short`: its length
 * does not grow with n (a list written out, a param); `param`: nothing in it grows with n; `map`: a map of the facts;
 * `stage`, `stages`: a stage, a list of stages.
 */
interface Value {
  readonly unit?: number, readonly parts: boolean, readonly short?: boolean, readonly param?: boolean, readonly map?: boolean
  readonly stage?: boolean, readonly stages?: boolean
}

/** A cost: the power of n, and the loops over lists that grow with n that make it, outermost first. */
export interface Cost { readonly degree: number, readonly loops: readonly string[] }

const NONE: Cost = { degree: 0, loops: [] }
const worst = (costs: readonly Cost[]): Cost => costs.reduce((a, b) => b.degree > a.degree ? b : a, NONE)

const POWERS = ['constant', 'linear', 'quadratic', 'cubic']
const power = (degree: number): string => POWERS[degree] ?? `n^${degree}`

/** Why the expression (its syntax tree and text) costs more than quadratic with the scope's loop, or undefined when it does not. */
export function costProblem (ast: AstNode, text: string, scope: Scope): string | undefined {
  const item = ITEMS[scope]
  const { degree, loops } = costOf(ast, text, scope)
  if (degree <= MAX_DEGREE) return undefined
  const free = item === undefined ? 'an element of an enclosing loop' : `the ${item.each}'s own fields or an element of an enclosing loop`
  return `${power(degree)} in the size of the input: ${item === undefined ? '' : `runs once per ${item.each} and `}nests ${loops.length} loops over lists that grow with it (${loops.map((l) => `\`${l}\``).join(' › ')}); at most ${power(MAX_DEGREE)} is allowed. A loop over ${free} costs nothing more; a lookup by index (\`dockerfile.instructions[i]\`) is no loop`
}

/** The expression's cost with the scope's loop: the power of n, and the loops that count on its costliest path. */
export function costOf (ast: AstNode, text: string, scope: Scope): Cost {
  const item = ITEMS[scope]
  let units = 0
  const vars = new Map<string, Value>([['stage', { parts: true, stage: true }], ['params', { parts: true, short: true, param: true }]])
  for (const name of item?.names ?? []) vars.set(name, { unit: 0, parts: true, stage: name === 'stage' })

  // Walking `list` where the parts in `walked` were walked already: the loop's text when it counts, what its element is, and the parts walked inside.
  const loop = (list: AstNode, vars: ReadonlyMap<string, Value>, walked: ReadonlySet<number>, lookup = false): { counted?: string, element: Value, walked: ReadonlySet<number> } => {
    const over = valueOf(list, vars)
    const element: Value = over.param === true ? over : over.parts ? { unit: ++units, parts: true, stage: over.stages } : { parts: false }
    if (over.short === true || (lookup && over.map === true)) return { element, walked }
    if (over.unit !== undefined && !walked.has(over.unit)) return { element, walked: new Set(walked).add(over.unit) }
    return { counted: text.slice(list.start, list.end).replace(/\s+/g, ' '), element, walked }
  }
  const visit = (node: AstNode, vars: ReadonlyMap<string, Value>, walked: ReadonlySet<number>): Cost => {
    const args = node.args as unknown[]
    const around = (counted: string | undefined, cost: Cost): Cost => counted === undefined ? cost : { degree: cost.degree + 1, loops: [counted, ...cost.loops] }
    if (node.op === 'rcall' && MACROS.has(args[0] as string)) {
      const [, list, [variable, ...body]] = args as [string, AstNode, AstNode[]]
      const { counted, element, walked: within } = loop(list, vars, walked)
      const scope = new Map(vars).set((variable as AstNode).args as string, element)
      return worst([visit(list, vars, walked), around(counted, worst(body.map((part) => visit(part, scope, within))))])
    }
    if (node.op === 'rcall' && args[0] === 'bind') {
      const [variable, value, body] = args[2] as AstNode[]
      const scope = new Map(vars).set((variable as AstNode).args as string, valueOf(value as AstNode, vars))
      return worst([visit(value as AstNode, vars, walked), visit(body as AstNode, scope, walked)])
    }
    const inner = worst(children(node).map((child) => visit(child, vars, walked)))
    // Loops without a macro: `x in list`, `ignoredBy(patterns, path)` (the patterns), `command.hasFlag(flag)` (the command's flags).
    if (node.op === 'in') return worst([inner, around(loop(args[1] as AstNode, vars, walked, true).counted, NONE)])
    if (node.op === 'call' && args[0] === 'ignoredBy') return worst([inner, around(loop((args[1] as AstNode[])[0] as AstNode, vars, walked).counted, NONE)])
    if (node.op === 'rcall' && args[0] === 'hasFlag') return worst([inner, around(loop(args[1] as AstNode, vars, walked).counted, NONE)])
    return inner
  }

  const cost = visit(ast, vars, new Set())
  return { degree: cost.degree + (item === undefined ? 0 : 1), loops: cost.loops }
}

/** What a list or variable is (see Value), read off the expression that yields it. */
function valueOf (node: AstNode, vars: ReadonlyMap<string, Value>): Value {
  const args = node.args as unknown[]
  switch (node.op) {
    case 'id': return vars.get(node.args as string) ?? { parts: true }
    case '.':
    case '.?': {
      const [of, field] = args as [AstNode, string]
      const object = valueOf(of, vars)
      if (object.param === true) return object
      if (object.stage === true && !STAGE_OWN.has(field)) return { parts: true, map: MAPS.has(field) || field === 'args' }
      const map = object.parts && (MAPS.has(field) || (field === 'files' && of.op === '.' && (of.args as unknown[])[1] === 'context'))
      return { unit: object.unit, parts: object.parts, map, stages: field === 'stages' }
    }
    case '[]':
    case '[?]': {
      const object = valueOf(args[0] as AstNode, vars)
      return object.param === true ? object : { unit: object.unit, parts: object.parts, stage: object.stages }
    }
    case 'rcall': return args[0] === 'filter' ? valueOf(args[1] as AstNode, vars) : { parts: false }
    case 'list':
    case 'map': return { parts: false, short: true }
    case '?:': return join(valueOf(args[1] as AstNode, vars), valueOf(args[2] as AstNode, vars), true)
    case '+': return join(valueOf(args[0] as AstNode, vars), valueOf(args[1] as AstNode, vars), false)
    default: return { parts: false }
  }
}

// Either of two lists (`c ? a : b`), or both (`a + b`, whose elements may repeat): within one part when both are, or one is short.
function join (a: Value, b: Value, either: boolean): Value {
  const unit = a.short === true ? b.unit : b.short === true ? a.unit : a.unit === b.unit ? a.unit : undefined
  const both = (flag: keyof Value): boolean => a[flag] === true && b[flag] === true
  return { unit, parts: either && a.parts && b.parts, short: both('short'), param: both('param'), stage: both('stage'), stages: both('stages') }
}
