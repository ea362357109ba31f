import type { ImageFacts } from '../facts/image-types.js'
import type { DockerfileFacts, Instruction, ShellCommand, Stage } from '../facts/types.js'
import type { Rule } from '../policy/types.js'
import { imageTargets } from './image-targets.js'
import type { FixDocument } from '../fix/document.js'

/** What is judged: a Dockerfile, or an image (with the Dockerfile it was built from, when sent). */
export type Judged =
  /** `document`: the Dockerfile as text, when findings should carry their fixes. */
  | { readonly subject: 'dockerfile', readonly facts: DockerfileFacts, readonly document?: FixDocument }
  | { readonly subject: 'image', readonly image: ImageFacts, readonly builtFrom: DockerfileFacts | null }

/** Where a finding points. */
export interface Location {
  /** First line, 1-based: in the Dockerfile, or in `file` when set. */
  readonly line: number
  readonly endLine: number
  /** The stage's name, or its index when unnamed; absent before the first FROM and for context files. */
  readonly stage?: string
  /** The context file the finding is in (scopes context-file and requirement); absent for the Dockerfile. */
  readonly file?: string
  /** Set for a finding on an image (line and endLine are then 0): the history step, layer or file it is on, when one. */
  readonly image?: { readonly history?: number, readonly layer?: number, readonly path?: string }
}

/** One thing a rule runs on: its CEL variables and where a finding on it points. */
export interface Target {
  readonly variables: Record<string, unknown>
  readonly location: Location
}

/**
 * What the targets of every rule share in one evaluation: the Dockerfile's stages and instructions with where
 * findings on them point, computed once rather than per rule. Made per evaluation and handed down, not cached
 * by facts in a WeakMap: one whose keys die young makes every scavenge walk its table (a third of an
 * evaluation's time in the bench).
 */
export class SharedTargets {
  private stageList: ReadonlyArray<{ readonly stage: Stage, readonly location: Location }> | undefined
  private everyInstruction: readonly Judgeable[] | undefined
  private readonly byKeywords = new Map<readonly string[], readonly Judgeable[]>()

  constructor (readonly facts: DockerfileFacts) {}

  get stages (): ReadonlyArray<{ readonly stage: Stage, readonly location: Location }> {
    return this.stageList ??= this.facts.stages.map((stage) => ({ stage, location: stageLocation(stage) }))
  }

  /** Instructions of the rule's keywords, ONBUILD triggers included: a trigger is judged as the instruction it will be, and reported on the ONBUILD line. */
  instructionsOf (rule: Rule): readonly Judgeable[] {
    // Keyed by the rule's own list, which rules with the same keywords share (see compile-policy.ts).
    let list = this.byKeywords.get(rule.keywords)
    if (list === undefined) {
      const every = this.everyInstruction ??= this.facts.instructions.flatMap((at) => {
        const judge = (instruction: Instruction): Judgeable => {
          const stage = this.facts.stages[instruction.stage] ?? null
          return { instruction, at, stage, location: instructionLocation(at, stage) }
        }
        return at.trigger === null ? [judge(at)] : [judge(at), judge(at.trigger)]
      })
      list = rule.keywords.length === 0 ? every : every.filter(({ instruction }) => rule.keywords.includes(instruction.keyword))
      this.byKeywords.set(rule.keywords, list)
    }
    return list
  }
}

/** What `targets` shares across the rules of one evaluation of the judged subject. */
export const sharedTargets = (judged: Judged): SharedTargets => new SharedTargets(judged.subject === 'image' ? judged.image.historyDockerfile : judged.facts)

/** Everything a rule's scope makes it run on, in file order. */
export function targets (rule: Rule, judged: Judged, shared: SharedTargets): Target[] {
  return judged.subject === 'image' ? imageTargets(rule, judged.image, judged.builtFrom, shared) : dockerfileTargets(rule, shared)
}

// Variables are object literals, never spreads: V8 (Node 20) takes a slow path for `{ ...base, stage }`,
// and a request builds thousands of them.
function dockerfileTargets (rule: Rule, shared: SharedTargets): Target[] {
  const facts = shared.facts
  const dockerfile = facts
  const params = rule.params
  switch (rule.scope) {
    case 'dockerfile': {
      const final = shared.stages[facts.finalStage]
      return [{ variables: { dockerfile, params }, location: final === undefined ? { line: 1, endLine: 1 } : final.location }]
    }
    case 'stage':
      return shared.stages.map(({ stage, location }) => ({ variables: { dockerfile, params, stage }, location }))
    case 'final-stage': {
      const final = shared.stages[facts.finalStage]
      return final === undefined ? [] : [{ variables: { dockerfile, params, stage: final.stage }, location: final.location }]
    }
    case 'instruction':
      return shared.instructionsOf(rule).map(({ instruction, stage, location }) => ({ variables: { dockerfile, params, stage, instruction }, location }))
    case 'command': {
      const found: Target[] = []
      for (const { instruction, stage, location } of shared.instructionsOf(rule)) {
        for (const command of guarded(rule, instruction.commands)) found.push({ variables: { dockerfile, params, stage, instruction, command }, location })
      }
      return found
    }
    case 'context-file':
      return facts.context.names.map((name) => ({
        variables: { dockerfile, params, file: { name, text: facts.context.files[name] ?? '', requirements: facts.context.requirements.find((r) => r.name === name) ?? null } },
        location: { line: 1, endLine: 1, file: name },
      }))
    case 'requirement':
      return facts.context.requirements.flatMap((file) => file.requirements.map((requirement) => ({
        variables: { dockerfile, params, file, requirement },
        location: { line: requirement.line, endLine: requirement.line, file: file.name },
      })))
    default:
      return []
  }
}

/** An instruction a rule judges, its stage, and the one a finding points at (the ONBUILD line for a trigger). */
interface Judgeable { readonly instruction: Instruction, readonly at: Instruction, readonly stage: Stage | null, readonly location: Location }

/** The commands whose tool or program the rule's `when` can hold for (all when it names none). */
export function guarded (rule: Rule, commands: readonly ShellCommand[]): readonly ShellCommand[] {
  const guard = rule.commandGuard
  return guard === undefined ? commands : commands.filter((command) => guard.values.includes(command[guard.field]))
}

function stageLocation (stage: Stage): Location {
  const from = stage.instructions[0] as Instruction
  return { line: from.line, endLine: from.endLine, stage: stageLabel(stage) }
}

function instructionLocation (instruction: Instruction, stage: Stage | null): Location {
  return stage === null ? { line: instruction.line, endLine: instruction.endLine } : { line: instruction.line, endLine: instruction.endLine, stage: stageLabel(stage) }
}

const stageLabel = (stage: Stage): string => stage.name === '' ? String(stage.index) : stage.name

/** A rule's `line` expression names a line: in a context file, that line; in the Dockerfile, the instruction on it. */
export function relocate (fallback: Location, line: number, facts: DockerfileFacts): Location {
  if (fallback.file !== undefined) return { ...fallback, line, endLine: line }
  const instruction = facts.instructions.find((i) => i.line <= line && line <= i.endLine)
  if (instruction === undefined) return fallback
  return instructionLocation(instruction, facts.stages[instruction.stage] ?? null)
}
