import type { Problem } from '../problem.js'

/** Problem code of an evaluation stopped at its deadline (EVALUATION_DEADLINE_MS), answered 503. */
export const DEADLINE_CODE = 'evaluation.deadline'
/** Problem code of an evaluation refused because every worker is busy and the queue is full, answered 503. */
export const OVERLOADED_CODE = 'evaluation.overloaded'

/** Thrown between rules once the evaluation's deadline has passed; evaluate() answers it as a problem. */
export class DeadlineExceeded extends Error {
  constructor (readonly deadlineMs: number) {
    super(`the evaluation took longer than its deadline of ${deadlineMs} ms (EVALUATION_DEADLINE_MS) and was stopped`)
  }
}

export const deadlineProblem = (deadlineMs: number): Problem =>
  ({ code: DEADLINE_CODE, message: new DeadlineExceeded(deadlineMs).message })

/** When an evaluation must end: `at` in Date.now() time, so that it means the same in every worker thread. */
export interface Deadline {
  readonly at: number
  readonly ms: number
}

export const deadlineIn = (ms: number): Deadline => ({ at: Date.now() + ms, ms })

/** Throws DeadlineExceeded once `deadline` has passed. */
export function checkDeadline (deadline: Deadline | undefined): void {
  if (deadline !== undefined && Date.now() > deadline.at) throw new DeadlineExceeded(deadline.ms)
}
