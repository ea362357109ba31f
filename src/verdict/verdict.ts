import { randomUUID } from 'node:crypto'
import type { NotEvaluated } from '../evaluation/applicability.js'
import type { Evaluation, Finding, RuleError } from '../evaluation/engine.js'
import type { ExpiredWaiver, SuppressedFinding } from '../policy/suppression-types.js'
import { SEVERITIES, type Policy, type Severity } from '../policy/types.js'

export type FailOn = Severity | 'none'

/** The answer to one evaluation request. */
export interface Verdict {
  /** fail: an error finding; warn: a warning finding or a rule that could not be evaluated; else pass. */
  readonly verdict: 'pass' | 'warn' | 'fail'
  readonly summary: {
    readonly error: number
    readonly warning: number
    readonly info: number
    readonly suppressed: number
    readonly rulesEvaluated: number
    readonly notEvaluated: number
    readonly ruleErrors: number
  }
  readonly findings: readonly Finding[]
  /** Findings hidden by a pragma, a `.hadolint.yaml` or a waiver: reported, never dropped. */
  readonly suppressed: readonly SuppressedFinding[]
  readonly ruleErrors: readonly RuleError[]
  /** Selected rules that did not run on this input, with the reason (no context files sent, pack not applicable). */
  readonly notEvaluated: readonly NotEvaluated[]
  /** Waivers past their date: they no longer suppress anything. */
  readonly expiredWaivers: readonly ExpiredWaiver[]
  /** Problems in context files that did not stop the evaluation, such as a `.hadolint.yaml` key of the wrong type. */
  readonly notices: ReadonlyArray<{ readonly file: string, readonly line: number, readonly message: string }>
  /** The severity that fails the request (HTTP 422, CLI exit 1) and whether a finding (or, at warning and below, a rule error) reached it. */
  readonly threshold: { readonly failOn: FailOn, readonly reached: boolean }
  readonly policySet: {
    readonly policies: ReadonlyArray<{ readonly name: string, readonly version: string }>
    readonly digest: string
  }
  readonly decisionId: string
  readonly durationMs: number
  /** True when an identical earlier request's verdict was answered again (same Dockerfile, files, selectors, policy revision and day). */
  readonly cached: boolean
}

export interface VerdictParts {
  readonly evaluation: Evaluation
  /** The evaluation's findings less the suppressed ones. */
  readonly findings: readonly Finding[]
  readonly suppressed: readonly SuppressedFinding[]
  readonly expiredWaivers: readonly ExpiredWaiver[]
  readonly notEvaluated?: readonly NotEvaluated[]
  readonly notices: Verdict['notices']
  readonly policies: readonly Policy[]
  readonly digest: string
  readonly failOn: FailOn
  readonly durationMs: number
}

export function buildVerdict (parts: VerdictParts): Verdict {
  const count = (severity: Severity): number => parts.findings.filter((f) => f.severity === severity).length
  const summary = {
    error: count('error'),
    warning: count('warning'),
    info: count('info'),
    suppressed: parts.suppressed.length,
    rulesEvaluated: parts.evaluation.rulesEvaluated,
    notEvaluated: parts.notEvaluated?.length ?? 0,
    ruleErrors: parts.evaluation.ruleErrors.length,
  }
  const verdict = summary.error > 0 ? 'fail' : summary.warning > 0 || summary.ruleErrors > 0 ? 'warn' : 'pass'
  return {
    verdict,
    summary,
    findings: parts.findings,
    suppressed: parts.suppressed,
    ruleErrors: parts.evaluation.ruleErrors,
    notEvaluated: parts.notEvaluated ?? [],
    expiredWaivers: parts.expiredWaivers,
    notices: parts.notices,
    // A rule that could not be evaluated counts as a warning: never a silent pass.
    threshold: { failOn: parts.failOn, reached: reachesThreshold(parts.findings, parts.failOn) || (summary.ruleErrors > 0 && (parts.failOn === 'warning' || parts.failOn === 'info')) },
    policySet: { policies: parts.policies.map((p) => ({ name: p.name, version: p.version })), digest: parts.digest },
    decisionId: randomUUID(),
    durationMs: Math.round(parts.durationMs * 1000) / 1000,
    cached: false,
  }
}

/** True when a finding is at or above the threshold. */
export function reachesThreshold (findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false
  const floor = SEVERITIES.indexOf(failOn)
  return findings.some((f) => SEVERITIES.indexOf(f.severity) >= floor)
}
