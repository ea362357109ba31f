// `plimsoll validate`: compile policy files (and policy test files) and list every problem with its place.
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { compilePolicySet, loadPolicyDir } from '../policy/load.js'
import type { Problem } from '../problem.js'
import { EXIT, worst, type CliIo, type ExitCode } from './io.js'
import { displayPath, formatProblem, policyDirOf } from './policies.js'
import { compilePolicyTest, findPolicyTestFiles, loadPolicyTests, POLICY_TEST_NAME } from './policy-test-file.js'

// The loader's ways of saying there is nothing to validate: usage errors, not problems in a policy.
const NOTHING_TO_READ = new Set(['policy.dir-unreadable', 'policy.dir-empty'])

/** Validates the given files, or the whole policy directory when none are given. */
export async function runValidate (paths: readonly string[], options: { readonly policies?: string }, io: CliIo): Promise<ExitCode> {
  return paths.length > 0 ? validateFiles(paths, io) : validateDir(policyDirOf(options.policies, io), io)
}

async function validateFiles (paths: readonly string[], io: CliIo): Promise<ExitCode> {
  const policies: Array<{ name: string, text: string }> = []
  const problems: Problem[] = []
  let unreadable = 0
  for (const path of paths) {
    let text: string
    try {
      text = await readFile(resolve(io.cwd, path), 'utf8')
    } catch (error) {
      io.stderr.write(`plimsoll: ${path}: cannot read: ${(error as Error).message}\n`)
      unreadable++
      continue
    }
    if (POLICY_TEST_NAME.test(basename(path))) {
      const compiled = compilePolicyTest(path, text)
      if (!compiled.ok) problems.push(...compiled.problems)
    } else {
      policies.push({ name: path, text })
    }
  }
  if (policies.length > 0) {
    const compiled = compilePolicySet(policies)
    if (!compiled.ok) problems.push(...compiled.problems)
  }
  const read = paths.length - unreadable
  report(problems, read === 1 ? '1 file' : `${read} files`, io)
  return worst([unreadable > 0 ? EXIT.usage : EXIT.ok, problems.length > 0 ? EXIT.findings : EXIT.ok])
}

async function validateDir (dir: string, io: CliIo): Promise<ExitCode> {
  const shown = displayPath(dir, io.cwd)
  const loaded = await loadPolicyDir(dir)
  const problems = loaded.ok ? [] : loaded.problems
  const fatal = problems.filter((p) => NOTHING_TO_READ.has(p.code))
  if (fatal.length > 0) {
    for (const problem of fatal) io.stderr.write(`plimsoll: ${shown}: ${problem.message}\n`)
    return EXIT.usage
  }
  const testFiles = await findPolicyTestFiles(dir)
  const tests = await loadPolicyTests(testFiles)
  const all = [
    ...problems.map((p) => ({ ...p, ...(p.file !== undefined && { file: displayPath(resolve(dir, p.file), io.cwd) }) })),
    ...(tests.ok ? [] : tests.problems.map((p) => ({ ...p, ...(p.file !== undefined && { file: displayPath(p.file, io.cwd) }) }))),
  ]
  report(all, shown, io)
  return all.length > 0 ? EXIT.findings : EXIT.ok
}

// Problems first, one per line for editors and CI annotations; then one line that says how it went.
function report (problems: readonly Problem[], what: string, io: CliIo): void {
  for (const problem of problems) io.stdout.write(`${formatProblem(problem)}\n`)
  if (problems.length === 0) io.stdout.write(`${what}: valid\n`)
  else io.stdout.write(`${what}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}\n`)
}
