// Verdicts remembered by what decided them: a CI job run again sends the same Dockerfile, context files and
// selectors against the same policies, and is answered without evaluating. The answer says it was cached,
// and keeps a decision id of its own.
import { createHash, randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { LRUCache } from 'lru-cache'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from './evaluate.js'
import { evaluateAndFix, type FixedVerdict } from './fix/evaluate-fix.js'
import type { PolicySet } from './policy/types.js'
import type { Result } from './problem.js'
import type { Verdict } from './verdict/verdict.js'

/** What the cache asks on a miss: evaluate() here, or in a worker (EvaluationPool). */
export type Evaluator = (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions) => Promise<Result<Verdict>>

/** What the cache asks on a miss for `?fix=true`; `path` is the file the diff names. */
export type Fixer = (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions, path: string) => Promise<Result<FixedVerdict>>

const onThisThread: Evaluator = async (set, request, options) => evaluate(set, request, options)
const fixOnThisThread: Fixer = async (set, request, options, path) => evaluateAndFix(set, request, options, path)

export class VerdictCache {
  private readonly verdicts: LRUCache<string, Verdict>

  /** `size`: how many verdicts are kept, the least recently used dropped first; 0 keeps none. */
  constructor (readonly size: number, private readonly evaluator: Evaluator = onThisThread, private readonly fixer: Fixer = fixOnThisThread) {
    this.verdicts = new LRUCache({ max: Math.max(size, 1) })
  }

  /**
   * evaluate(), or the verdict an identical request got: the same Dockerfile, context files, selectors and
   * threshold, on the same policy revision and day (waivers expire by date). Images are not cached: their
   * facts come from documents and archives this key does not cover.
   */
  async evaluate (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions = { defaultFailOn: 'none' }): Promise<Result<Verdict>> {
    return this.remembered(['verdict'], set, request, options, (timed) => this.evaluator(set, request, timed))
  }

  /** evaluateAndFix() through the same cache: a fixed verdict is remembered apart from a plain one, and by the path its diff names. */
  async evaluateAndFix (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions = { defaultFailOn: 'none' }, path = 'Dockerfile'): Promise<Result<FixedVerdict>> {
    return this.remembered(['fixed', path], set, request, options, (timed) => this.fixer(set, request, timed, path))
  }

  // `kind` keeps a plain verdict from answering a fix request, and a fixed one from answering a plain request.
  private async remembered<T extends Verdict> (kind: readonly string[], set: PolicySet, request: EvaluateRequest, options: EvaluateOptions, miss: (options: EvaluateOptions) => Promise<Result<T>>): Promise<Result<T>> {
    if (this.size === 0 || request.image !== undefined) return miss(options)
    const started = performance.now()
    const today = options.today ?? new Date().toISOString().slice(0, 10)
    const key = createHash('sha256').update(JSON.stringify([
      ...kind, set.digest, today, options.defaultFailOn, request.dockerfile, request.files ?? {}, request.policies, request.profile,
      request.params, request.include, request.exclude, request.failOn,
    ])).digest('hex')
    const known = this.verdicts.get(key) as T | undefined
    if (known !== undefined) return { ok: true, value: { ...known, cached: true, decisionId: randomUUID(), durationMs: Math.round((performance.now() - started) * 1000) / 1000 } }
    const result = await miss({ ...options, today })
    if (result.ok) this.verdicts.set(key, result.value)
    return result
  }
}
