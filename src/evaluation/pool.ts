// Evaluation off the HTTP thread: a pool of worker threads (piscina, the pool Fastify's own ecosystem uses),
// so the server parses requests and writes answers on every core, and health checks answer while the
// pool is busy. With no workers, or for a policy set built from objects rather than files, evaluation
// runs on the calling thread. Every task has a deadline from when a worker starts it (a worker says so): a worker
// still busy with it after that is terminated (piscina replaces it) and the task answers `evaluation.deadline`.
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import { compare, type CompareRequest } from '../compare.js'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from '../evaluate.js'
import { evaluateAndFix, type FixedVerdict } from '../fix/evaluate-fix.js'
import type { DockerfileFacts } from '../facts/types.js'
import { DEFAULT_LIMITS, type Limits } from '../inputs/limits.js'
import type { PolicySet } from '../policy/types.js'
import { failed, type Result } from '../problem.js'
import type { Comparison } from '../verdict/compare.js'
import type { Verdict } from '../verdict/verdict.js'
import { DeadlineExceeded, deadlineIn, deadlineProblem, OVERLOADED_CODE } from './deadline.js'
import { withShellcheck } from '../policy/shellcheck.js'
import { parseDockerfile, validatePolicy, type Answer, type FixRequest, type ParseRequest, type Task } from './worker.js'
import type { PolicyValidation } from '../policy/validate.js'

// Run from the TypeScript sources (tests, tsx) the worker is worker.ts; built, worker.js.
const WORKER = fileURLToPath(new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url))

// An evaluation builds many objects that live until its verdict: with V8's default young generation most of them
// are copied once more before they die. 96 MB (a 32 MB semi-space) halved the garbage collection on a 3,000-line file.
const YOUNG_GENERATION_MB = 96

// A worker holds a few tasks at once, so it starts the next as soon as one ends instead of idling while the busy
// HTTP thread takes its answer and sends another (a quarter of each worker's time, profiled under load). The cost:
// a task may wait behind others in its worker while another worker is free.
const TASKS_PER_WORKER = 4

// Tasks waiting for a worker beyond those the workers hold: past it a request is refused (503) at once rather than
// queued for ever. Counted here: piscina's own maxQueue does not count tasks that carry an abort signal.
const QUEUED_PER_WORKER = 32

// A worker gets this long past the deadline to stop by itself (evaluate() checks between rules) before it is terminated.
const STOP_GRACE_MS = 100

/** EVALUATION_DEADLINE_MS's default. */
export const DEFAULT_DEADLINE_MS = 2000

export interface PoolOptions {
  /** Threads to evaluate on, all started now; 0 evaluates on the calling thread. */
  readonly workers: number
  /** How long an evaluation may take from the moment it is asked for (EVALUATION_DEADLINE_MS). */
  readonly deadlineMs?: number
  /** Caps on the work of each evaluation. */
  readonly limits?: Limits
  /** Told of what goes wrong in the pool outside any task (the app logs it); never thrown. */
  readonly onError?: (error: Error) => void
}

export class EvaluationPool {
  private readonly pool: Piscina | undefined
  // Tasks sent to the workers, by id: started by a worker, each gets a timer that stops it at its deadline.
  private readonly running = new Map<number, { readonly stop: AbortController, timer?: NodeJS.Timeout }>()
  private nextId = 0
  // Requests given to the workers and not answered yet.
  private waiting = 0
  readonly workers: number
  readonly deadlineMs: number
  readonly limits: Limits

  constructor (options: PoolOptions) {
    this.workers = options.workers
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS
    this.limits = options.limits ?? DEFAULT_LIMITS
    this.pool = this.workers === 0
      ? undefined
      : new Piscina({
        filename: WORKER,
        minThreads: this.workers,
        maxThreads: this.workers,
        idleTimeout: Infinity,
        concurrentTasksPerWorker: TASKS_PER_WORKER,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      })
    this.pool?.on('message', (message: { started?: number }) => { this.started(message.started) })
    // piscina emits 'error' outside any task: a worker that stopped holding no task, or the answer of a task stopped
    // at its deadline that arrived as its worker was being terminated (seen under `npm run bench`). Unheard, an
    // 'error' event ends the process; the request it belonged to has its answer already.
    this.pool?.on('error', (error: Error) => { options.onError?.(error) })
  }

  /** How many evaluations can run or wait in a worker at once: a batch sends no more than this at a time. */
  get capacity (): number {
    return Math.max(1, this.workers * TASKS_PER_WORKER)
  }

  evaluate (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions): Promise<Result<Verdict>> {
    return this.run('evaluateTask', set, request, options, (timed) => evaluate(set, request, timed))
  }

  /** evaluate() with the fixed Dockerfile (`?fix=true`): every fixing pass in the worker, under the one deadline. */
  evaluateAndFix (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions, path: string): Promise<Result<FixedVerdict>> {
    const task: FixRequest = { request, path }
    return this.run('fixTask', set, task, options, (timed) => evaluateAndFix(set, request, timed, path))
  }

  compare (set: PolicySet, request: CompareRequest, options: EvaluateOptions): Promise<Result<Comparison>> {
    return this.run('compareTask', set, request, options, (timed) => compare(set, request, timed))
  }

  /** A Dockerfile's facts (POST /v1/parse), under the same caps and deadline. */
  async parse (request: ParseRequest): Promise<Result<DockerfileFacts>> {
    const task = { ...request, limits: this.limits }
    if (this.pool === undefined) return parseDockerfile(task)
    return this.submit(() => this.attempt<Result<DockerfileFacts>>(task, 'parseTask'))
  }

  /** A policy document compiled and its examples run (POST /v1/policies/validate): policy text from the caller. */
  async validate (text: string): Promise<Result<PolicyValidation>> {
    const task = { text, limits: this.limits }
    if (this.pool === undefined) return validatePolicy(task)
    return this.submit(() => this.attempt<Result<PolicyValidation>>(task, 'validateTask'))
  }

  /** Waits for the tasks in flight, then stops the threads. */
  async close (): Promise<void> {
    await this.pool?.close()
  }

  // A worker meets a revision the first time without its sources (they are the size of every policy file),
  // and says so; the task then goes again with them. A reload thus costs each worker one compile.
  private async run<Request, T> (name: string, set: PolicySet, request: Request, options: EvaluateOptions, inline: (options: EvaluateOptions) => Result<T>): Promise<Result<T>> {
    const timed = { ...options, limits: this.limits, deadline: deadlineIn(this.deadlineMs) }
    if (this.pool === undefined || set.sources.length === 0) return withShellcheck(() => inline(timed), timed.deadline)
    const task: Task<Request> = { digest: set.digest, request, options: timed }
    return this.submit(async () => {
      let answer = await this.attempt<Answer<T>>(task, name)
      // A worker compiles the sources before it says it starts, so the compile is not held against the deadline.
      if (answer.missing) answer = await this.attempt<Answer<T>>({ ...task, sources: set.sources }, name)
      if (answer.missing) throw new Error('a worker lacks the policy revision it was just sent')
      return answer.result
    })
  }

  // A deadline passed and a full queue are answers, not errors.
  private async submit<T> (work: () => Promise<Result<T>>): Promise<Result<T>> {
    if (this.waiting >= this.capacity + this.workers * QUEUED_PER_WORKER) {
      return failed([{ code: OVERLOADED_CODE, message: `all ${this.workers} evaluation workers are busy and ${this.workers * QUEUED_PER_WORKER} requests wait; try again shortly` }])
    }
    this.waiting++
    try {
      return await work()
    } catch (error) {
      if (error instanceof DeadlineExceeded) return failed([deadlineProblem(this.deadlineMs)])
      throw error
    } finally {
      this.waiting--
    }
  }

  // A worker terminated for another task's deadline takes the tasks it held with it: those go again, once, with a
  // deadline of their own (not again: a task that itself ends its worker, out of memory, would end one after another).
  private async attempt<T> (task: object, name: string, again = true): Promise<T> {
    const pool = this.pool as Piscina
    const id = this.nextId++
    const stop = new AbortController()
    this.running.set(id, { stop })
    try {
      return await pool.run({ ...task, id }, { name, signal: stop.signal }) as T
    } catch (error) {
      if (again && !stop.signal.aborted && /^worker exited/.test((error as Error).message)) return await this.attempt(task, name, false)
      throw stop.signal.aborted ? new DeadlineExceeded(this.deadlineMs) : error
    } finally {
      clearTimeout(this.running.get(id)?.timer)
      this.running.delete(id)
    }
  }

  // A worker began task `id`: its clock starts now, not while it waited for a worker (a full queue is refused instead).
  private started (id: number | undefined): void {
    const task = id === undefined ? undefined : this.running.get(id)
    if (task === undefined) return
    task.timer = setTimeout(() => { task.stop.abort() }, this.deadlineMs + STOP_GRACE_MS)
    task.timer.unref()
  }
}
