import { relocate, sharedTargets, targets, type Judged, type Location } from './targets.js'
import type { Rule, Severity } from '../policy/types.js'
import { LimitExceeded, limits } from '../inputs/limits.js'
import { checkDeadline, type Deadline } from './deadline.js'
import type { FixDocument } from '../fix/document.js'
import { resolveFix } from '../fix/resolve.js'
import type { Fix, FixSpec } from '../fix/types.js'

export type { Judged, Location } from './targets.js'

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
  /** The edits that fix it, when the rule declares a fix and it is certain here. */
  readonly fix?: Fix
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

/**
 * Runs rules (each the check for the judged subject) over its facts. A rule that throws becomes a RuleError; only a
 * passed cap (LimitExceeded: facts are built as rules read them) and a passed deadline, checked between rules, throw.
 */
export function evaluateRules (rules: readonly Rule[], judged: Judged, deadline?: Deadline): Evaluation {
  const document = judged.subject === 'dockerfile' ? judged.document : undefined
  const findings: Finding[] = []
  const ruleErrors: RuleError[] = []
  const shared = sharedTargets(judged)
  const cap = limits().findingsPerRule
  for (const rule of rules) {
    checkDeadline(deadline)
    const before = findings.length
    for (const target of targets(rule, judged, shared)) {
      try {
        if (rule.when !== undefined && expectBool(rule.when(target.variables), 'when') === false) continue
        if (expectBool(rule.assert(target.variables), 'assert')) continue
        const fix = rule.fix === undefined || document === undefined ? null : fixFor(rule.fix, target.variables, document)
        findings.push({
          ruleId: rule.id,
          aliases: rule.aliases,
          policy: rule.policy,
          severity: rule.severity,
          title: rule.title,
          message: rule.message(target.variables),
          location: rule.line === undefined || judged.subject === 'image' ? target.location : relocate(target.location, Number(rule.line(target.variables)), judged.facts),
          remediation: rule.remediation,
          ...(fix !== null && { fix }),
        })
        if (findings.length - before > cap) throw new LimitExceeded('findingsPerRule', `rule ${rule.id}`)
      } catch (error) {
        if (error instanceof LimitExceeded) throw error
        ruleErrors.push({ ruleId: rule.id, policy: rule.policy, message: firstLine((error as Error).message), location: target.location })
      }
    }
  }
  findings.sort((a, b) => a.location.line - b.location.line || a.ruleId.localeCompare(b.ruleId))
  return { findings, ruleErrors, rulesEvaluated: rules.length }
}

// A fix that cannot be worked out (its `when` or a template failed) leaves the finding without one: the finding stands.
function fixFor (spec: FixSpec, variables: Record<string, unknown>, document: FixDocument): Fix | null {
  try {
    return resolveFix(spec, variables, document)
  } catch (error) {
    if (error instanceof LimitExceeded) throw error
    return null
  }
}

function expectBool (value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${field} yielded ${value === null ? 'null' : typeof value}, not a boolean`)
  return value
}

const firstLine = (text: string): string => text.split('\n')[0] as string
