import { performance } from 'node:perf_hooks'
import { dockerfileFacts } from './inputs/dockerfile.js'
import { applicableRules } from './evaluation/applicability.js'
import { evaluateRules } from './evaluation/engine.js'
import { hadolintConfig } from './policy/hadolint-config.js'
import { selectRules } from './evaluation/select.js'
import { applySuppressions } from './evaluation/suppress.js'
import type { PolicySet } from './policy/types.js'
import { failed, ok, type Result } from './problem.js'
import { buildVerdict, type FailOn, type Verdict } from './verdict/verdict.js'

/** What to evaluate: the same fields over HTTP and from the CLI. */
export interface EvaluateRequest {
  readonly dockerfile: string
  readonly files?: Readonly<Record<string, string>>
  /** Policy names to apply; all loaded policies when absent or empty. */
  readonly policies?: readonly string[]
  /** A loaded `kind: Profile` by name: selects packs and rules, overrides severities and params. */
  readonly profile?: string
  /** Parameter values by name, over the profile's and the policies' defaults. */
  readonly params?: Readonly<Record<string, unknown>>
  /** Rule ids, aliases or tags (globs allowed: `DL30*`) to run in addition; names opt-in rules too. */
  readonly include?: readonly string[]
  /** Rule ids, aliases or tags (globs allowed) not to run. */
  readonly exclude?: readonly string[]
  /** Threshold for `threshold.reached`; else the profile's, else `.hadolint.yaml`'s, else the caller's default. */
  readonly failOn?: FailOn
}

/** How the caller runs: the HTTP API never fails a request by default, the CLI fails on warnings. */
export interface EvaluateOptions {
  readonly defaultFailOn: FailOn
  /** Today (UTC, YYYY-MM-DD) for waiver expiry; tests pin it. */
  readonly today?: string
}

/** Dockerfile text in, verdict out: facts, then the selected rules, then suppressions, then the verdict. */
export function evaluateDockerfile (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions = { defaultFailOn: 'none' }): Result<Verdict> {
  const started = performance.now()
  if (request.dockerfile.trim() === '') {
    return failed([{ code: 'input.empty-dockerfile', message: 'the Dockerfile is empty', pointer: '/dockerfile' }])
  }
  const files = request.files ?? {}
  const hadolint = hadolintConfig(files)
  const selection = selectRules(set, request, hadolint)
  if (!selection.ok) return selection
  const facts = dockerfileFacts(request.dockerfile, files)
  const applicable = applicableRules(selection.value.policies, selection.value.rules, facts)
  const evaluated = evaluateRules(applicable.rules, facts)
  const evaluation = { ...evaluated, ruleErrors: [...applicable.ruleErrors, ...evaluated.ruleErrors] }
  const today = options.today ?? new Date().toISOString().slice(0, 10)
  const outcome = applySuppressions({ findings: evaluation.findings, facts, rules: selection.value.rules, hadolint, waivers: set.waivers, today })
  return ok(buildVerdict({
    evaluation,
    findings: outcome.findings,
    suppressed: outcome.suppressed,
    expiredWaivers: outcome.expiredWaivers,
    notEvaluated: applicable.notEvaluated,
    notices: (hadolint?.problems ?? []).map((problem) => ({ file: hadolint?.file ?? '.hadolint.yaml', ...problem })),
    policies: selection.value.policies,
    digest: set.digest,
    failOn: request.failOn ?? selection.value.failOn ?? options.defaultFailOn,
    durationMs: performance.now() - started,
  }))
}
