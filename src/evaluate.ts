import { performance } from 'node:perf_hooks'
import { dockerfileFacts } from './inputs/dockerfile.js'
import { evaluateRules } from './policy/engine.js'
import type { PolicySet } from './policy/types.js'
import { failed, ok, type Result } from './problem.js'
import { buildVerdict, type Verdict } from './verdict/verdict.js'

/** What to evaluate: the same fields over HTTP and from the CLI. */
export interface EvaluateRequest {
  readonly dockerfile: string
  readonly files?: Readonly<Record<string, string>>
  /** Policy names to apply; all loaded policies when absent or empty. */
  readonly policies?: readonly string[]
}

/** Dockerfile text in, verdict out: facts, then rules, then the verdict. */
export function evaluateDockerfile (set: PolicySet, request: EvaluateRequest): Result<Verdict> {
  const started = performance.now()
  if (request.dockerfile.trim() === '') {
    return failed([{ code: 'input.empty-dockerfile', message: 'the Dockerfile is empty', pointer: '/dockerfile' }])
  }
  const wanted = request.policies ?? []
  const unknown = wanted.filter((name) => !set.policies.some((p) => p.name === name))
  if (unknown.length > 0) {
    const known = set.policies.map((p) => p.name).join(', ')
    return failed(unknown.map((name) => ({ code: 'input.unknown-policy', message: `unknown policy "${name}"; loaded: ${known}`, pointer: '/policies' })))
  }
  const policies = wanted.length === 0 ? set.policies : set.policies.filter((p) => wanted.includes(p.name))
  const facts = dockerfileFacts(request.dockerfile, request.files ?? {})
  const evaluation = evaluateRules(policies.flatMap((p) => p.rules), facts)
  return ok(buildVerdict(evaluation, policies, set.digest, performance.now() - started))
}
