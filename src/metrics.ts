// Prometheus metrics. Each app has its own registry (tests build many apps in one process); the process's own
// metrics (CPU, memory, event-loop lag, GC) are collected once per process and served beside every app's.
import { DEADLINE_CODE } from './evaluation/deadline.js'
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'
import type { ReloadOutcome } from './policy/store.js'
import type { Verdict } from './verdict/verdict.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's metrics, for routes to count what they do. */
    metrics: Metrics
  }
}

/** Problem codes of a request refused by a cap (413 or 422) start with this. */
const LIMIT_PREFIX = 'limit.'

// Created on first use: collectDefaultMetrics starts an event-loop monitor and a GC observer, which must not
// multiply with the apps.
let processRegistry: Registry | undefined
function processMetrics (): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

type VerdictName = Verdict['verdict']
// Indexed by rank: a policy's worst finding (0 info or none, 1 warning or rule error, 2 error).
const VERDICTS: readonly VerdictName[] = ['pass', 'warn', 'fail']

export class Metrics {
  readonly registry = new Registry()

  readonly requestDuration = new Histogram({
    name: 'plimsoll_http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    // Evaluations take milliseconds to seconds; the deadline is seconds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  })

  readonly evaluations = this.counter('plimsoll_evaluations_total', 'Verdicts given (a batch counts each file), by verdict.', ['verdict'] as const)
  readonly policyVerdicts = this.counter('plimsoll_policy_evaluations_total', 'Policies applied in evaluations, by policy and that policy\'s own verdict (fail: an error finding; warn: a warning or a rule error).', ['policy', 'verdict'] as const)
  readonly findings = this.counter('plimsoll_findings_total', 'Findings reported (not suppressed), by rule id and policy.', ['rule', 'policy'] as const)
  readonly reloads = this.counter('plimsoll_policy_reloads_total', 'Policy directory reloads, successful or not.')
  readonly reloadFailures = this.counter('plimsoll_policy_reload_failures_total', 'Policy reloads refused (the last good set kept serving).')
  readonly problems = this.counter('plimsoll_problems_total', 'Problem answers (application/problem+json), by status and first error code.', ['status', 'code'] as const)
  readonly deadlineHits = this.counter('plimsoll_evaluation_deadline_hits_total', 'Evaluations stopped at their deadline (503 evaluation.deadline).')
  readonly limitRefusals = this.counter('plimsoll_limit_refusals_total', 'Requests refused by a cap (413 or 422 limit.*), by code.', ['code'] as const)

  constructor () {
    processMetrics()
    // Every label value at zero, so a rate over them exists before the first evaluation.
    for (const verdict of VERDICTS) this.evaluations.inc({ verdict }, 0)
  }

  /** Counts one verdict: its outcome, each applied policy's outcome, and its findings by rule. */
  countVerdict (verdict: Verdict): void {
    this.evaluations.inc({ verdict: verdict.verdict })
    const worst = new Map<string, number>()
    for (const finding of verdict.findings) {
      this.findings.inc({ rule: finding.ruleId, policy: finding.policy })
      const rank = finding.severity === 'error' ? 2 : finding.severity === 'warning' ? 1 : 0
      if (rank > (worst.get(finding.policy) ?? 0)) worst.set(finding.policy, rank)
    }
    for (const error of verdict.ruleErrors) {
      if ((worst.get(error.policy) ?? 0) < 1) worst.set(error.policy, 1)
    }
    for (const { name } of verdict.policySet.policies) {
      this.policyVerdicts.inc({ policy: name, verdict: VERDICTS[worst.get(name) ?? 0] as VerdictName })
    }
  }

  /**
   * Counts a problem answer by status and (first) code; and a deadline hit or cap refusal when `cause` (the
   * deadline or cap code among its errors, else the first code) is one.
   */
  countProblem (status: number, code: string, cause: string | undefined = code): void {
    this.problems.inc({ status: String(status), code })
    if (cause === DEADLINE_CODE) this.deadlineHits.inc()
    else if (cause?.startsWith(LIMIT_PREFIX) === true) this.limitRefusals.inc({ code: cause })
  }

  countReload (outcome: ReloadOutcome): void {
    this.reloads.inc()
    if (!outcome.ok) this.reloadFailures.inc()
  }

  private counter<Label extends string = never> (name: string, help: string, labelNames: readonly Label[] = []): Counter<Label> {
    return new Counter({ name, help, labelNames, registers: [this.registry] })
  }

  /** The Prometheus text of this app's metrics and the process's. */
  async text (): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics()
  }

  get contentType (): string { return this.registry.contentType }
}
