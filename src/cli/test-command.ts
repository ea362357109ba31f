// `plimsoll test`: every rule's own examples, then the directory's policy test files.
import { basename, resolve } from 'node:path'
import { runExamples } from '../policy/examples.js'
import type { PolicySet } from '../policy/types.js'
import { wantsColor } from './color.js'
import { EXIT, type CliIo, type ExitCode } from './io.js'
import { displayPath, formatProblem, loadPoliciesOrReport, SHIPPED_POLICIES } from './policies.js'
import { findPolicyTestFiles, loadPolicyTests, type PolicyTestFile } from './policy-test-file.js'
import { runPolicyTestCase } from './policy-test-run.js'
import { renderTestReport, type TestEntry } from './test-report.js'

/** Loads the policies in `dir` (the shipped ones when absent) and runs all their tests. */
export async function runTest (dir: string | undefined, io: CliIo): Promise<ExitCode> {
  const policyDir = dir === undefined ? SHIPPED_POLICIES : resolve(io.cwd, dir)
  const set = await loadPoliciesOrReport(policyDir, io)
  if (set === undefined) return EXIT.usage
  const tests = await loadPolicyTests(await findPolicyTestFiles(policyDir))
  if (!tests.ok) {
    io.stderr.write('plimsoll: the policy tests do not load:\n')
    for (const problem of tests.problems) io.stderr.write(`${formatProblem({ ...problem, ...(problem.file !== undefined && { file: displayPath(problem.file, io.cwd) }) })}\n`)
    return EXIT.usage
  }
  const entries = [...exampleEntries(set, policyDir, io.cwd), ...caseEntries(set, tests.value, io.cwd)]
  io.stdout.write(renderTestReport(entries, { color: wantsColor(io.env, io.stdout) }))
  return entries.some((e) => e.failures.length > 0) ? EXIT.findings : EXIT.ok
}

function exampleEntries (set: PolicySet, dir: string, cwd: string): TestEntry[] {
  return set.policies.flatMap((policy) => policy.rules.map((rule): TestEntry => {
    const results = runExamples(rule)
    const file = displayPath(resolve(dir, basename(rule.file)), cwd)
    return {
      group: file,
      name: rule.id,
      at: `${file}:${rule.fileLine}`,
      detail: `${results.length === 1 ? '1 example' : `${results.length} examples`}${fixes(results.filter((r) => r.expect === 'fix').length)}`,
      failures: results.filter((r) => !r.ok).map((r) => ({
        message: `${r.expect} example ${r.index + 1}: ${r.message}`,
        dockerfile: r.example.dockerfile,
      })),
    }
  }))
}

const fixes = (count: number): string => count === 0 ? '' : ` (${count} of its fix)`

function caseEntries (set: PolicySet, files: readonly PolicyTestFile[], cwd: string): TestEntry[] {
  return files.flatMap((file) => file.cases.map((testCase): TestEntry => {
    const shown = displayPath(file.file, cwd)
    const outcome = runPolicyTestCase(set, testCase)
    return {
      group: shown,
      name: testCase.name,
      at: `${shown}:${testCase.line}`,
      detail: '',
      failures: outcome.failures.map((message) => ({ message })),
    }
  }))
}
