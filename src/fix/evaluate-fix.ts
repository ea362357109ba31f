// A verdict with its fixed Dockerfile (`?fix=true`, `plimsoll check --fix`): the Dockerfile as sent is judged, then
// the fixer applies its findings' fixes and judges each new text with the same request, options and deadline.
import { DEADLINE_CODE } from '../evaluation/deadline.js'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from '../evaluate.js'
import type { PolicySet } from '../policy/types.js'
import { failed, ok, type Problem, type Result } from '../problem.js'
import type { Verdict } from '../verdict/verdict.js'
import { fixDockerfile, type Fixed } from './fixer.js'

/** The verdict of the Dockerfile as sent (its findings carry their fixes), and what fixing it gave. */
export type FixedVerdict = Verdict & { readonly fixed: Fixed }

/** Problem code of a fix asked for without a Dockerfile (an image alone has no text to edit). */
export const FIX_NEEDS_DOCKERFILE = 'input.fix-needs-dockerfile'

/**
 * evaluate(), then the fixes of its findings applied until none is left. Suppressed findings are not in
 * `findings`, so they are never fixed. `name` is the file the diff names (`a/<name>`, `b/<name>`).
 * A later pass stopped by the deadline fails the whole request, as a slow evaluation would; a later pass over a
 * cap only ends the fixing (fixer.ts).
 */
export function evaluateAndFix (set: PolicySet, request: EvaluateRequest, options: EvaluateOptions = { defaultFailOn: 'none' }, name = 'Dockerfile'): Result<FixedVerdict> {
  const dockerfile = request.dockerfile
  if (dockerfile === undefined) {
    return failed([{ code: FIX_NEEDS_DOCKERFILE, message: 'only a Dockerfile can be fixed: send one (an image alone has no text to edit)', pointer: '/dockerfile' }])
  }
  const first = evaluate(set, request, options)
  if (!first.ok) return first
  let stopped: readonly Problem[] | undefined
  const judge = (text: string): Result<Verdict['findings']> => {
    const again = evaluate(set, { ...request, dockerfile: text }, options)
    if (!again.ok) {
      if (again.problems.some((problem) => problem.code === DEADLINE_CODE)) stopped = again.problems
      return again
    }
    return ok(again.value.findings)
  }
  const fixed = fixDockerfile(dockerfile, first.value.findings, judge, name)
  if (stopped !== undefined) return failed(stopped)
  return ok({ ...first.value, fixed })
}
