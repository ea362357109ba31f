import { randomUUID } from 'node:crypto'
import type { Evaluation, Finding, RuleError } from '../policy/engine.js'
import { SEVERITIES, type Policy, type Severity } from '../policy/types.js'

/** The answer to one evaluation request. */
export interface Verdict {
  /** fail: an error finding; warn: a warning finding or a rule that could not be evaluated; else pass. */
  readonly verdict: 'pass' | 'warn' | 'fail'
  readonly summary: {
    readonly error: number
    readonly warning: number
    readonly info: number
    readonly rulesEvaluated: number
    readonly ruleErrors: number
  }
  readonly findings: readonly Finding[]
  readonly ruleErrors: readonly RuleError[]
  readonly policySet: {
    readonly policies: ReadonlyArray<{ readonly name: string, readonly version: string }>
    readonly digest: string
  }
  readonly decisionId: string
  readonly durationMs: number
}

export type FailOn = Severity | 'none'

export function buildVerdict (evaluation: Evaluation, policies: readonly Policy[], digest: string, durationMs: number): Verdict {
  const count = (severity: Severity): number => evaluation.findings.filter((f) => f.severity === severity).length
  const summary = {
    error: count('error'),
    warning: count('warning'),
    info: count('info'),
    rulesEvaluated: evaluation.rulesEvaluated,
    ruleErrors: evaluation.ruleErrors.length,
  }
  const verdict = summary.error > 0 ? 'fail' : summary.warning > 0 || summary.ruleErrors > 0 ? 'warn' : 'pass'
  return {
    verdict,
    summary,
    findings: evaluation.findings,
    ruleErrors: evaluation.ruleErrors,
    policySet: { policies: policies.map((p) => ({ name: p.name, version: p.version })), digest },
    decisionId: randomUUID(),
    durationMs: Math.round(durationMs * 1000) / 1000,
  }
}

/** True when a finding is at or above the threshold: the request should then fail (HTTP 422, exit 1). */
export function reachesThreshold (verdict: Verdict, failOn: FailOn): boolean {
  if (failOn === 'none') return false
  const floor = SEVERITIES.indexOf(failOn)
  return verdict.findings.some((f) => SEVERITIES.indexOf(f.severity) >= floor)
}
