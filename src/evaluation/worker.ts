// One evaluation worker thread (see pool.ts). It compiles each policy revision it is asked about from the
// revision's sources, once, and keeps the newest few: a reload never mixes two revisions in one request,
// and requests already queued for the older one still find it.
import { compare, type CompareRequest } from '../compare.js'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from '../evaluate.js'
import { compilePolicySet } from '../policy/load.js'
import type { PolicySet, PolicySource } from '../policy/types.js'
import type { Result } from '../problem.js'
import type { Comparison } from '../verdict/compare.js'
import type { Verdict } from '../verdict/verdict.js'

/** A task names its revision by digest; the pool adds the sources when this worker says it lacks them. */
export interface Task<Request> {
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

export function evaluateTask (task: Task<EvaluateRequest>): Answer<Verdict> {
  const set = revision(task.digest, task.sources)
  return set === undefined ? { missing: true } : { missing: false, result: evaluate(set, task.request, task.options) }
}

export function compareTask (task: Task<CompareRequest>): Answer<Comparison> {
  const set = revision(task.digest, task.sources)
  return set === undefined ? { missing: true } : { missing: false, result: compare(set, task.request, task.options) }
}
