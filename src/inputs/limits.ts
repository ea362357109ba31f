// Caps on the work one evaluation may cause, whatever its input: each bounds a cost that would otherwise grow
// faster than the request (a doubling ENV, a deep `${a:-${a:-…}}`, a line of 200,000 pipes). Facts are built
// deep inside the parsers, so the caps of the evaluation running now are held here, set by withLimits().
import type { Problem } from '../problem.js'

export interface Limits {
  /** Instructions in a Dockerfile. */
  readonly instructions: number
  /** Stages (FROM lines) in a Dockerfile. */
  readonly stages: number
  /** Characters in a line of a context file, or of the Dockerfile with its continuations joined. */
  readonly lineLength: number
  /** Shell commands in all RUN instructions together. */
  readonly commands: number
  /** Characters variable expansions may produce in one Dockerfile, all together. */
  readonly expansion: number
  /** Nesting of brackets, parentheses and `${…}` in a shell script or a variable expansion. */
  readonly shellDepth: number
  /** Findings one rule may report. */
  readonly findingsPerRule: number
  /** Characters in one context file (`.dockerignore`, `requirements.txt`…). */
  readonly contextFile: number
  /** Aliases in a context file's YAML (`.hadolint.yaml`). */
  readonly yamlAliases: number
  /** Nesting of a context file's YAML. */
  readonly yamlDepth: number
  /** Entries in one param's list or map, from the request, a profile or `.hadolint.yaml`. */
  readonly paramEntries: number
}

/** Each cap's environment variable and HTTP status: 413 for input that is too large as sent, 422 for input whose processing would be. */
export const LIMIT_SETTINGS: { readonly [K in keyof Limits]: { readonly setting: string, readonly status: 413 | 422, readonly what: string, readonly fallback: number } } = {
  instructions: { setting: 'MAX_INSTRUCTIONS', status: 413, what: 'instructions', fallback: 2000 },
  stages: { setting: 'MAX_STAGES', status: 413, what: 'stages', fallback: 200 },
  lineLength: { setting: 'MAX_LINE_LENGTH', status: 413, what: 'characters', fallback: 32 * 1024 },
  commands: { setting: 'MAX_COMMANDS', status: 413, what: 'shell commands', fallback: 5000 },
  expansion: { setting: 'MAX_EXPANSION', status: 422, what: 'characters', fallback: 64 * 1024 },
  shellDepth: { setting: 'MAX_SHELL_DEPTH', status: 422, what: 'levels of nesting', fallback: 64 },
  findingsPerRule: { setting: 'MAX_FINDINGS_PER_RULE', status: 422, what: 'findings of one rule', fallback: 5000 },
  contextFile: { setting: 'MAX_CONTEXT_FILE', status: 413, what: 'characters', fallback: 1024 * 1024 },
  yamlAliases: { setting: 'MAX_YAML_ALIASES', status: 422, what: 'YAML aliases', fallback: 100 },
  yamlDepth: { setting: 'MAX_YAML_DEPTH', status: 422, what: 'levels of YAML nesting', fallback: 64 },
  // The policy compiler takes params as fixed in size (cel-cost.ts): a rule may loop over one inside its scope's loop.
  paramEntries: { setting: 'MAX_PARAM_ENTRIES', status: 413, what: 'entries', fallback: 1000 },
}

/** The caps the server starts with. The largest Dockerfile of the real corpus (633 files) has 254 instructions, 49 stages, a 7,253-character instruction, 167 commands and nesting 5. */
export const DEFAULT_LIMITS: Limits = Object.fromEntries(Object.entries(LIMIT_SETTINGS).map(([name, each]) => [name, each.fallback])) as unknown as Limits

/** Thrown where a cap is passed; evaluate() answers it as a problem (limitProblem). */
export class LimitExceeded extends Error {
  /** `where`: the part of the input, as a sentence's subject; `pointer`: the same as a JSON Pointer into the request. */
  constructor (readonly limit: keyof Limits, readonly where: string, readonly pointer = '/dockerfile') {
    const { what, setting } = LIMIT_SETTINGS[limit]
    super(`${where}: more than ${current.limits[limit]} ${what}, the cap set by ${setting}`)
  }
}

/** The problem a passed cap answers with: code `limit.<setting>`, e.g. `limit.max-instructions`. */
export function limitProblem (error: LimitExceeded): Problem {
  return { code: limitCode(error.limit), message: error.message, pointer: error.pointer }
}

export const limitCode = (limit: keyof Limits): string => `limit.${LIMIT_SETTINGS[limit].setting.toLowerCase().replaceAll('_', '-')}`

// The caps of the evaluation running now, and what the Dockerfile being read has used of them (counted only while
// one is: see countingFor). Evaluations are synchronous, so one at a time per thread.
const current = { limits: DEFAULT_LIMITS, counting: false, commands: 0, expanded: 0 }

/** Runs `work` under `limits`. */
export function withLimits<T> (limits: Limits, work: () => T): T {
  const outer = current.limits
  current.limits = limits
  try {
    return work()
  } finally {
    current.limits = outer
  }
}

/** Runs `work`, the reading of one Dockerfile, counting its commands and expansions from zero. */
export function countingFor<T> (work: () => T): T {
  const outer = { ...current }
  Object.assign(current, { counting: true, commands: 0, expanded: 0 })
  try {
    return work()
  } finally {
    Object.assign(current, outer)
  }
}

/** The caps in force. */
export const limits = (): Limits => current.limits

/** Counts shell commands against MAX_COMMANDS. */
export function countCommands (count: number, where: string): void {
  if (!current.counting) return
  current.commands += count
  if (current.commands > current.limits.commands) throw new LimitExceeded('commands', where)
}

/** Counts characters produced by a variable expansion against MAX_EXPANSION. */
export function countExpansion (length: number): void {
  if (!current.counting) return
  current.expanded += length
  if (current.expanded > current.limits.expansion) throw new LimitExceeded('expansion', 'variable expansions in the Dockerfile')
}

/** How deep the `opens`/`closes` characters nest in `text`, quotes ignored (an over-count, never an under-count). */
export function bracketDepth (text: string, opens: string, closes: string): number {
  let depth = 0
  let deepest = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (opens.includes(c)) deepest = Math.max(deepest, ++depth)
    else if (depth > 0 && closes.includes(c)) depth--
  }
  return deepest
}

/** Throws when `size` is over the cap `limit`. */
export function check (limit: Exclude<keyof Limits, 'commands' | 'expansion'>, size: number, where: string, pointer?: string): void {
  if (size > current.limits[limit]) throw new LimitExceeded(limit, where, pointer)
}
