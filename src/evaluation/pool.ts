// Evaluation off the HTTP thread: a pool of worker threads (piscina, the pool Fastify's own ecosystem uses),
// so the server parses requests and writes answers on every core, and health checks answer while the
// pool is busy. With no workers, or for a policy set built from objects rather than files, evaluation
// runs on the calling thread.
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import { compare, type CompareRequest } from '../compare.js'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from '../evaluate.js'
import type { PolicySet } from '../policy/types.js'
import type { Result } from '../problem.js'
import type { Comparison } from '../verdict/compare.js'
import type { Verdict } from '../verdict/verdict.js'
import type { Answer, Task } from './worker.js'

// Run from the TypeScript sources (tests, tsx) the worker is worker.ts; built, worker.js.
const WORKER = fileURLToPath(new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url))

// An evaluation builds many objects that live until its verdict: with V8's default young generation most of them
// are copied once more before they die. 96 MB (a 32 MB semi-space) halved the garbage collection on a 3,000-line file.
const YOUNG_GENERATION_MB = 96

// A worker holds a few tasks at once, so it starts the next as soon as one ends instead of idling while the busy
// HTTP thread takes its answer and sends another (a quarter of each worker's time, profiled under load). The cost:
// a task may wait behind others in its worker while another worker is free.
const TASKS_PER_WORKER = 4

export class EvaluationPool {
  private readonly pool: Piscina | undefined

  /** `workers`: threads to evaluate on, all started now; 0 evaluates on the calling thread. */
  constructor (readonly workers: number) {
    this.pool = workers === 0
      ? undefined
      : new Piscina({
        filename: WORKER,
        minThreads: workers,
        maxThreads: workers,
        idleTimeout: Infinity,
        concurrentTasksPerWorker: TASKS_PER_WORKER,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      })
  }

  evaluate (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions): Promise<Result<Verdict>> {
    return this.run('evaluateTask', set, request, options, () => evaluate(set, request, options))
  }

  compare (set: PolicySet, request: CompareRequest, options: EvaluateOptions): Promise<Result<Comparison>> {
    return this.run('compareTask', set, request, options, () => compare(set, request, options))
  }

  /** Waits for the tasks in flight, then stops the threads. */
  async close (): Promise<void> {
    await this.pool?.close()
  }

  // A worker meets a revision the first time without its sources (they are the size of every policy file),
  // and says so; the task then goes again with them. A reload thus costs each worker one compile.
  private async run<Request, T> (name: string, set: PolicySet, request: Request, options: EvaluateOptions, inline: () => Result<T>): Promise<Result<T>> {
    if (this.pool === undefined || set.sources.length === 0) return inline()
    const task: Task<Request> = { digest: set.digest, request, options }
    let answer = await this.pool.run(task, { name }) as Answer<T>
    if (answer.missing) answer = await this.pool.run({ ...task, sources: set.sources }, { name }) as Answer<T>
    if (answer.missing) throw new Error('a worker lacks the policy revision it was just sent')
    return answer.result
  }
}
