import type { ImageFacts } from '../facts/image-types.js'
import type { DockerfileFacts, Instruction, ShellCommand, Stage } from '../facts/types.js'
import type { Rule } from '../policy/types.js'
import { imageTargets } from './image-targets.js'

/** What is judged: a Dockerfile, or an image (with the Dockerfile it was built from, when sent). */
export type Judged =
  | { readonly subject: 'dockerfile', readonly facts: DockerfileFacts }
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

/** Everything a rule's scope makes it run on, in file order. */
export function targets (rule: Rule, judged: Judged): Target[] {
  return judged.subject === 'image' ? imageTargets(rule, judged.image, judged.builtFrom) : dockerfileTargets(rule, judged.facts)
}

// Variables are object literals, never spreads: V8 (Node 20) takes a slow path for `{ ...base, stage }`,
// and a request builds thousands of them.
function dockerfileTargets (rule: Rule, facts: DockerfileFacts): Target[] {
  const stageOf = (index: number): Stage | null => facts.stages[index] ?? null
  const dockerfile = facts
  const params = rule.params
  switch (rule.scope) {
    case 'dockerfile': {
      const final = stageOf(facts.finalStage)
      return [{ variables: { dockerfile, params }, location: final === null ? { line: 1, endLine: 1 } : stageLocation(final) }]
    }
    case 'stage':
      return facts.stages.map((stage) => ({ variables: { dockerfile, params, stage }, location: stageLocation(stage) }))
    case 'final-stage': {
      const final = stageOf(facts.finalStage)
      return final === null ? [] : [{ variables: { dockerfile, params, stage: final }, location: stageLocation(final) }]
    }
    case 'instruction':
      return instructionsOf(rule, facts).map(({ instruction, at }) => ({
        variables: { dockerfile, params, stage: stageOf(instruction.stage), instruction },
        location: instructionLocation(at, stageOf(instruction.stage)),
      }))
    case 'command':
      return instructionsOf(rule, facts).flatMap(({ instruction, at }) => guarded(rule, instruction.commands).map((command) => ({
        variables: { dockerfile, params, stage: stageOf(instruction.stage), instruction, command },
        location: instructionLocation(at, stageOf(instruction.stage)),
      })))
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

// Instructions of the wanted keywords, ONBUILD triggers included: a trigger is judged as the
// instruction it will be, and reported on the ONBUILD line.
export function instructionsOf (rule: Rule, facts: DockerfileFacts): readonly Judgeable[] {
  let byKeywords = judgeable.get(facts)
  if (byKeywords === undefined) judgeable.set(facts, byKeywords = new Map())
  const key = rule.keywords.join(',')
  let list = byKeywords.get(key)
  if (list === undefined) {
    const wanted = (instruction: Instruction): boolean => rule.keywords.length === 0 || rule.keywords.includes(instruction.keyword)
    list = facts.instructions.flatMap((instruction) => [
      ...(wanted(instruction) ? [{ instruction, at: instruction }] : []),
      ...(instruction.trigger !== null && wanted(instruction.trigger) ? [{ instruction: instruction.trigger, at: instruction }] : []),
    ])
    byKeywords.set(key, list)
  }
  return list
}

/** The commands whose tool or program the rule's `when` can hold for (all when it names none). */
export function guarded (rule: Rule, commands: readonly ShellCommand[]): readonly ShellCommand[] {
  const guard = rule.commandGuard
  return guard === undefined ? commands : commands.filter((command) => guard.values.includes(command[guard.field]))
}

/** An instruction a rule judges, and the one a finding points at (the ONBUILD line for a trigger). */
interface Judgeable { readonly instruction: Instruction, readonly at: Instruction }
// Each request's facts are new objects: the lists per keyword set are computed once per request, not per rule.
const judgeable = new WeakMap<DockerfileFacts, Map<string, readonly Judgeable[]>>()

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
