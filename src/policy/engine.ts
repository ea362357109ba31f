import type { DockerfileFacts, Instruction, Stage } from '../facts/types.js'
import type { Rule, Severity } from './types.js'

/** Where a finding points. */
export interface Location {
  readonly line: number
  readonly endLine: number
  /** The stage's name, or its index when unnamed; absent before the first FROM. */
  readonly stage?: string
}

/** A rule the subject breaks. */
export interface Finding {
  readonly ruleId: string
  readonly aliases: readonly string[]
  readonly policy: string
  readonly severity: Severity
  readonly title: string
  readonly message: string
  readonly location: Location
  readonly remediation: string
}

/** A rule that could not be evaluated (its expression failed or did not yield a boolean). */
export interface RuleError {
  readonly ruleId: string
  readonly policy: string
  readonly message: string
  readonly location: Location
}

export interface Evaluation {
  readonly findings: Finding[]
  readonly ruleErrors: RuleError[]
  readonly rulesEvaluated: number
}

interface Target {
  readonly variables: Record<string, unknown>
  readonly location: Location
}

/** Runs rules over facts. Pure: a rule that throws becomes a RuleError, never an exception. */
export function evaluateRules (rules: readonly Rule[], facts: DockerfileFacts): Evaluation {
  const findings: Finding[] = []
  const ruleErrors: RuleError[] = []
  for (const rule of rules) {
    for (const target of targets(rule, facts)) {
      try {
        if (rule.when !== undefined && expectBool(rule.when(target.variables), 'when') === false) continue
        if (expectBool(rule.assert(target.variables), 'assert')) continue
        findings.push({
          ruleId: rule.id,
          aliases: rule.aliases,
          policy: rule.policy,
          severity: rule.severity,
          title: rule.title,
          message: rule.message(target.variables),
          location: rule.line === undefined ? target.location : relocate(target.location, Number(rule.line(target.variables)), facts),
          remediation: rule.remediation,
        })
      } catch (error) {
        ruleErrors.push({ ruleId: rule.id, policy: rule.policy, message: firstLine((error as Error).message), location: target.location })
      }
    }
  }
  findings.sort((a, b) => a.location.line - b.location.line || a.ruleId.localeCompare(b.ruleId))
  return { findings, ruleErrors, rulesEvaluated: rules.length }
}

function targets (rule: Rule, facts: DockerfileFacts): Target[] {
  const stageOf = (index: number): Stage | null => facts.stages[index] ?? null
  switch (rule.scope) {
    case 'dockerfile': {
      const final = stageOf(facts.finalStage)
      return [{ variables: { dockerfile: facts }, location: final === null ? { line: 1, endLine: 1 } : stageLocation(final) }]
    }
    case 'stage':
      return facts.stages.map((stage) => ({ variables: { dockerfile: facts, stage }, location: stageLocation(stage) }))
    case 'final-stage': {
      const final = stageOf(facts.finalStage)
      return final === null ? [] : [{ variables: { dockerfile: facts, stage: final }, location: stageLocation(final) }]
    }
    case 'instruction':
      return facts.instructions
        .filter((instruction) => rule.keywords.length === 0 || rule.keywords.includes(instruction.keyword))
        .map((instruction) => ({
          variables: { dockerfile: facts, stage: stageOf(instruction.stage), instruction },
          location: instructionLocation(instruction, stageOf(instruction.stage)),
        }))
  }
}

function stageLocation (stage: Stage): Location {
  const from = stage.instructions[0] as Instruction
  return { line: from.line, endLine: from.endLine, stage: stageLabel(stage) }
}

function instructionLocation (instruction: Instruction, stage: Stage | null): Location {
  return { line: instruction.line, endLine: instruction.endLine, ...(stage !== null && { stage: stageLabel(stage) }) }
}

const stageLabel = (stage: Stage): string => stage.name === '' ? String(stage.index) : stage.name

// A rule's `line` expression names a line; the finding spans the instruction on it.
function relocate (fallback: Location, line: number, facts: DockerfileFacts): Location {
  const instruction = facts.instructions.find((i) => i.line <= line && line <= i.endLine)
  if (instruction === undefined) return fallback
  return instructionLocation(instruction, facts.stages[instruction.stage] ?? null)
}

function expectBool (value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${field} yielded ${value === null ? 'null' : typeof value}, not a boolean`)
  return value
}

const firstLine = (text: string): string => text.split('\n')[0] as string
