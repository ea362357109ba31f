// One evaluation worker thread (see pool.ts). It compiles each policy revision it is asked about from the
// revision's sources, once, and keeps the newest few: a reload never mixes two revisions in one request,
// and requests already queued for the older one still find it.
import { parentPort } from 'node:worker_threads'
import { compare, type CompareRequest } from '../compare.js'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from '../evaluate.js'
import { evaluateAndFix, type FixedVerdict } from '../fix/evaluate-fix.js'
import { compilePolicySet } from '../policy/load.js'
import { deadlineIn } from './deadline.js'
import { withShellcheck } from '../policy/shellcheck.js'
import { validatePolicyText, type PolicyValidation } from '../policy/validate.js'
import { bounded } from './bounded.js'
import type { DockerfileFacts } from '../facts/types.js'
import { dockerfileFacts } from '../inputs/dockerfile.js'
import type { Limits } from '../inputs/limits.js'
import type { PolicySet, PolicySource } from '../policy/types.js'
import { ok, type Result } from '../problem.js'
import type { Comparison } from '../verdict/compare.js'
import type { Verdict } from '../verdict/verdict.js'

/** A task names its revision by digest; the pool adds the sources when this worker says it lacks them. */
export interface Task<Request> {
  /** The pool's id for the task, which this worker names when it starts it. */
  readonly id?: number
  readonly digest: string
  readonly sources?: readonly PolicySource[]
  readonly request: Request
  readonly options: EvaluateOptions
}

/** The answer, or `missing` when the revision is unknown here and the sources were not sent. */
export type Answer<T> = { readonly missing: true } | { readonly missing: false, readonly result: Result<T> }

const KEPT = 3
const revisions = new Map<string, PolicySet>()

function revision (digest: string, sources: readonly PolicySource[] | undefined): PolicySet | undefined {
  const known = revisions.get(digest)
  if (known !== undefined || sources === undefined) return known
  const compiled = compilePolicySet(sources)
  // The main thread compiled the same text before serving it, so this cannot fail short of a bug.
  if (!compiled.ok) throw new Error(`policy revision ${digest} does not compile in a worker: ${compiled.problems[0]?.message ?? ''}`)
  if (compiled.value.digest !== digest) throw new Error(`policy sources hash to ${compiled.value.digest}, not ${digest}`)
  revisions.set(digest, compiled.value)
  for (const old of [...revisions.keys()].slice(0, -KEPT)) revisions.delete(old)
  return compiled.value
}

export async function evaluateTask (task: Task<EvaluateRequest>): Promise<Answer<Verdict>> {
  const set = revision(task.digest, task.sources)
  if (set === undefined) return { missing: true }
  const options = starting(task)
  return { missing: false, result: await withShellcheck(() => evaluate(set, task.request, options), options.deadline) }
}

/** What `?fix=true` asks: the request, and the path the diff names. */
export interface FixRequest {
  readonly request: EvaluateRequest
  readonly path: string
}

export async function fixTask (task: Task<FixRequest>): Promise<Answer<FixedVerdict>> {
  const set = revision(task.digest, task.sources)
  if (set === undefined) return { missing: true }
  const options = starting(task)
  return { missing: false, result: await withShellcheck(() => evaluateAndFix(set, task.request.request, options, task.request.path), options.deadline) }
}

export async function compareTask (task: Task<CompareRequest>): Promise<Answer<Comparison>> {
  const set = revision(task.digest, task.sources)
  if (set === undefined) return { missing: true }
  const options = starting(task)
  return { missing: false, result: await withShellcheck(() => compare(set, task.request, options), options.deadline) }
}

/** What POST /v1/parse asks: a Dockerfile's facts. */
export interface ParseRequest {
  readonly dockerfile: string
  readonly files: Readonly<Record<string, string>>
}

/** A Dockerfile's facts under caps; the deadline only bounds how long the pool waits (facts have no rule loop to check it in). */
export function parseDockerfile (task: ParseRequest & { readonly limits: Limits }): Result<DockerfileFacts> {
  return bounded(task.limits, () => ok(dockerfileFacts(task.dockerfile, task.files)))
}

export function parseTask (task: ParseRequest & { readonly id: number, readonly limits: Limits }): Result<DockerfileFacts> {
  parentPort?.postMessage({ started: task.id })
  return parseDockerfile(task)
}

/** A policy document compiled and its examples run (POST /v1/policies/validate), under caps. */
export function validatePolicy (task: { readonly text: string, readonly limits: Limits }): Result<PolicyValidation> {
  return bounded(task.limits, () => ok(validatePolicyText(task.text)))
}

export function validateTask (task: { readonly id: number, readonly text: string, readonly limits: Limits }): Result<PolicyValidation> {
  parentPort?.postMessage({ started: task.id })
  return validatePolicy(task)
}

// Tells the pool the task starts, so its deadline runs from now (after any compile): here for the rule loop's
// checks, there for the timer that terminates this thread if they are not enough.
function starting (task: Task<unknown>): EvaluateOptions {
  parentPort?.postMessage({ started: task.id })
  const { deadline } = task.options
  return deadline === undefined ? task.options : { ...task.options, deadline: deadlineIn(deadline.ms) }
}
