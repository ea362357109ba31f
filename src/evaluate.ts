import { performance } from 'node:perf_hooks'
import type { ImageFacts } from './facts/image-types.js'
import type { DockerfileFacts } from './facts/types.js'
import { dockerfileFacts } from './inputs/dockerfile.js'
import { applicableRules } from './evaluation/applicability.js'
import { evaluateRules, type Judged } from './evaluation/engine.js'
import { FixDocument } from './fix/document.js'
import { hadolintConfig } from './policy/hadolint-config.js'
import { selectRules } from './evaluation/select.js'
import { applySuppressions } from './evaluation/suppress.js'
import { bounded } from './evaluation/bounded.js'
import type { Deadline } from './evaluation/deadline.js'
import { checkContextFile } from './inputs/dockerfile-limits.js'
import type { Limits } from './inputs/limits.js'
import { checkFor } from './policy/subject.js'
import type { ExpiredWaiver } from './policy/suppression-types.js'
import type { PolicySet, Rule } from './policy/types.js'
import { failed, ok, type Result } from './problem.js'
import { buildVerdict, type FailOn, type Verdict } from './verdict/verdict.js'

/** What to evaluate: the same fields over HTTP and from the CLI. A Dockerfile, an image, or both. */
export interface EvaluateRequest {
  readonly dockerfile?: string
  readonly files?: Readonly<Record<string, string>>
  /** The image's facts, read by the caller from its document or archive. */
  readonly image?: ImageFacts
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
  /** Caps on the work of one evaluation; DEFAULT_LIMITS when absent. */
  readonly limits?: Limits
  /** When to stop: checked between rules (EvaluationPool also stops a worker that does not). */
  readonly deadline?: Deadline
}

/**
 * A Dockerfile, an image, or both in, one verdict out: facts, then for each subject the selected rules'
 * checks for it, then suppressions, then the verdict. With both, image rules see the Dockerfile as `builtFrom`.
 * Input over a cap, or an evaluation past its deadline, is a problem (limit.*, evaluation.deadline).
 */
export function evaluate (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions = { defaultFailOn: 'none' }): Result<Verdict> {
  return bounded(options.limits, () => judge(set, request, options))
}

function judge (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions): Result<Verdict> {
  const started = performance.now()
  if (request.dockerfile === undefined && request.image === undefined) {
    return failed([{ code: 'input.no-subject', message: 'send a Dockerfile, an image, or both', pointer: '/dockerfile' }])
  }
  if (request.dockerfile?.trim() === '') {
    return failed([{ code: 'input.empty-dockerfile', message: 'the Dockerfile is empty', pointer: '/dockerfile' }])
  }
  const files = request.files ?? {}
  for (const [name, text] of Object.entries(files)) checkContextFile(name, text)
  const hadolint = hadolintConfig(files)
  const selection = selectRules(set, request, hadolint)
  if (!selection.ok) return selection
  const { policies, rules } = selection.value
  const dockerfile = request.dockerfile === undefined ? null : dockerfileFacts(request.dockerfile, files)
  const judged: Judged[] = [
    ...(dockerfile !== null ? [{ subject: 'dockerfile' as const, facts: dockerfile, document: new FixDocument(request.dockerfile as string, dockerfile) }] : []),
    ...(request.image !== undefined ? [{ subject: 'image' as const, image: request.image, builtFrom: dockerfile }] : []),
  ]
  const today = options.today ?? new Date().toISOString().slice(0, 10)
  const passes = judged.map((subject) => {
    // A loop, not flatMap: V8's flatMap cost about 9 µs of each evaluation here.
    const checks: Rule[] = []
    for (const rule of rules) {
      const check = checkFor(rule, subject.subject)
      if (check !== undefined) checks.push(check)
    }
    const applicable = applicableRules(policies, checks, subject)
    const evaluated = evaluateRules(applicable.rules, subject, options.deadline)
    const facts: DockerfileFacts = subject.subject === 'dockerfile' ? subject.facts : subject.builtFrom ?? subject.image.historyDockerfile
    const outcome = applySuppressions({ findings: evaluated.findings, facts, rules, hadolint, waivers: set.waivers, today })
    return { applicable, evaluated, outcome }
  })
  const all = <T>(pick: (pass: typeof passes[number]) => readonly T[]): T[] => passes.flatMap(pick)
  const evaluation = {
    findings: all((p) => p.evaluated.findings),
    ruleErrors: all((p) => [...p.applicable.ruleErrors, ...p.evaluated.ruleErrors]),
    rulesEvaluated: passes.reduce((sum, p) => sum + p.evaluated.rulesEvaluated, 0),
  }
  return ok(buildVerdict({
    evaluation,
    findings: all((p) => p.outcome.findings),
    suppressed: all((p) => p.outcome.suppressed),
    // A waiver's lapse is counted once, over both subjects.
    expiredWaivers: mergeExpired(passes.map((p) => p.outcome.expiredWaivers)),
    notEvaluated: all((p) => p.applicable.notEvaluated),
    notices: (hadolint?.problems ?? []).map((problem) => ({ file: hadolint?.file ?? '.hadolint.yaml', ...problem })),
    policies,
    digest: set.digest,
    failOn: request.failOn ?? selection.value.failOn ?? options.defaultFailOn,
    durationMs: performance.now() - started,
  }))
}

function mergeExpired (lists: ReadonlyArray<readonly ExpiredWaiver[]>): ExpiredWaiver[] {
  const [first = [], ...rest] = lists
  return first.map((waiver, index) => ({ ...waiver, findings: waiver.findings + rest.reduce((sum, list) => sum + (list[index]?.findings ?? 0), 0) }))
}
