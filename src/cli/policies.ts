import { isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadPolicyDir } from '../policy/load.js'
import type { PolicySet } from '../policy/types.js'
import type { Problem } from '../problem.js'
import type { CliIo } from './io.js'

/** The policies shipped with the package; `../../policies` from both src/cli/ and dist/cli/. */
export const SHIPPED_POLICIES = fileURLToPath(new URL('../../policies', import.meta.url))

/** The policy directory to use: the one given (relative to the working directory), else the shipped one. */
export function policyDirOf (given: string | undefined, io: CliIo): string {
  return given === undefined ? SHIPPED_POLICIES : resolve(io.cwd, given)
}

/** A path as a person reads it: relative to the working directory when inside it, else absolute. */
export function displayPath (path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/**
 * `file:line:column: message`, as compilers print, so editors and CI annotations can jump to it. Loader
 * problems name files relative to their directory; `dir` puts them back where the user can open them.
 */
export function formatProblem (problem: Problem, dir?: string): string {
  const file = problem.file === undefined ? '' : dir === undefined || isAbsolute(problem.file) || problem.file === dir ? problem.file : join(dir, problem.file)
  const where = [file, problem.line, problem.line === undefined ? undefined : problem.column].filter((part) => part !== undefined && part !== '').join(':')
  // CEL errors carry a snippet with a caret on the lines after the first; indented, every line that starts
  // at the margin is still one `file:line:column: message`.
  const message = problem.message.split('\n').filter((line) => line.trim() !== '').join('\n    ')
  return where === '' ? message : `${where}: ${message}`
}

/** Loads a policy directory, printing every problem to stderr when it does not load. */
export async function loadPoliciesOrReport (dir: string, io: CliIo): Promise<PolicySet | undefined> {
  const loaded = await loadPolicyDir(dir)
  if (loaded.ok) return loaded.value
  const shown = displayPath(dir, io.cwd)
  io.stderr.write(`plimsoll: the policies in ${shown} do not load:\n`)
  for (const problem of loaded.problems) io.stderr.write(`${formatProblem(problem.file === dir ? { ...problem, file: shown } : problem, shown)}\n`)
  return undefined
}
