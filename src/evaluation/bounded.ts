import { DEFAULT_LIMITS, LimitExceeded, limitProblem, withLimits, type Limits } from '../inputs/limits.js'
import { failed, type Result } from '../problem.js'
import { DeadlineExceeded, deadlineProblem } from './deadline.js'

/** Runs `work` under `limits` (DEFAULT_LIMITS when absent); a passed cap or deadline is its problem, not an exception. */
export function bounded<T> (limits: Limits | undefined, work: () => Result<T>): Result<T> {
  try {
    return withLimits(limits ?? DEFAULT_LIMITS, work)
  } catch (error) {
    if (error instanceof LimitExceeded) return failed([limitProblem(error)])
    if (error instanceof DeadlineExceeded) return failed([deadlineProblem(error.deadlineMs)])
    throw error
  }
}
