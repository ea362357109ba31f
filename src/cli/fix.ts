// `plimsoll check --fix`: a Dockerfile's findings fixed, as eslint --fix does (the file rewritten, then the report and
// the exit code are for what is left), or with --dry-run shown as a unified diff, as ruff --diff does (exit 1 when the
// file would change). From standard input the fixed text goes to standard output.
import { writeFile } from 'node:fs/promises'
import { isAbsolute, relative, sep } from 'node:path'
import { evaluate, type EvaluateOptions, type EvaluateRequest } from '../evaluate.js'
import { evaluateAndFix } from '../fix/evaluate-fix.js'
import type { PolicySet } from '../policy/types.js'
import { failed, ok, type Result } from '../problem.js'
import type { Verdict } from '../verdict/verdict.js'
import { EXIT, type CliIo, type ExitCode } from './io.js'

/** The Dockerfile to fix. */
export interface FixTarget {
  /** The file to write back; absent for standard input, whose fixed text is written to standard output. */
  readonly absolute?: string
  /** How messages name it. */
  readonly file: string
  /** How the diff names it: `a/<diffName>`, `b/<diffName>`. */
  readonly diffName: string
}

/** What is left to report (the fixed file's request and verdict), or, for a dry run, the exit code of the diff. */
export type FixOutcome =
  | { readonly evaluated: EvaluateRequest, readonly verdict: Verdict }
  | { readonly exit: ExitCode }

/** The name a diff gives a Dockerfile: its path from the working directory, with `/`, as git names it. */
export function diffName (absolute: string, cwd: string): string {
  const path = relative(cwd, absolute)
  return (path === '' || isAbsolute(path) ? absolute : path).split(sep).join('/')
}

/** Fixes one Dockerfile (`evaluated.dockerfile`); a problem is one of the evaluation, or a file that cannot be written. */
export async function fixDockerfileFile (set: PolicySet, evaluated: EvaluateRequest, target: FixTarget, dryRun: boolean, options: EvaluateOptions, io: CliIo): Promise<Result<FixOutcome>> {
  const result = evaluateAndFix(set, evaluated, options, target.diffName)
  if (!result.ok) return result
  const { fixed, ...verdict } = result.value
  const changed = fixed.dockerfile !== evaluated.dockerfile
  const count = `${fixed.applied.length} finding${fixed.applied.length === 1 ? '' : 's'}`
  if (dryRun) {
    io.stdout.write(fixed.diff)
    if (changed) io.stderr.write(`would fix ${count} in ${target.file}\n`)
    return ok({ exit: changed ? EXIT.findings : EXIT.ok })
  }
  if (target.absolute === undefined) {
    io.stdout.write(fixed.dockerfile)
  } else if (changed) {
    try {
      await writeFile(target.absolute, fixed.dockerfile, 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message
      return failed([{ code: 'input.unwritable', message: `cannot write the fixed Dockerfile: ${reason}`, file: target.file }])
    }
  }
  if (!changed) return ok({ evaluated, verdict })
  io.stderr.write(`fixed ${count} in ${target.file}\n`)
  // The report is on what is left: the fixed file, judged once more.
  const left: EvaluateRequest = { ...evaluated, dockerfile: fixed.dockerfile }
  const again = evaluate(set, left, options)
  return again.ok ? ok({ evaluated: left, verdict: again.value }) : again
}
