// Runs policy test cases through evaluate, the same path as `plimsoll check` and the HTTP API.
import { evaluate } from '../evaluate.js'
import type { Finding } from '../evaluation/engine.js'
import type { PolicySet } from '../policy/types.js'
import type { PolicyTestCase } from './policy-test-file.js'

/** The outcome of one case: ok, or every expectation it missed. */
export interface CaseOutcome {
  readonly ok: boolean
  /** One line per missed expectation; empty when ok. */
  readonly failures: readonly string[]
}

/**
 * Evaluates a case and checks its expectations. A rule is named by id or alias; naming a rule that is not
 * loaded fails the case, so a misspelt id cannot pass by reporting nothing.
 */
export function runPolicyTestCase (set: PolicySet, testCase: PolicyTestCase): CaseOutcome {
  const rules = set.policies.flatMap((p) => p.rules)
  const refs = [...testCase.expect.fail.map((f) => f.rule), ...testCase.expect.pass, ...testCase.expect.suppressed]
  const unknown = [...new Set(refs)].filter((ref) => !rules.some((r) => names(r.id, r.aliases, ref)))
  if (unknown.length > 0) return { ok: false, failures: unknown.map((ref) => `no loaded rule has the id or alias "${ref}"`) }

  const result = evaluate(set, {
    dockerfile: testCase.dockerfile,
    files: testCase.files,
    ...(testCase.policies !== undefined && { policies: testCase.policies }),
    ...(testCase.profile !== undefined && { profile: testCase.profile }),
    ...(testCase.params !== undefined && { params: testCase.params }),
    ...(testCase.include !== undefined && { include: testCase.include }),
    ...(testCase.exclude !== undefined && { exclude: testCase.exclude }),
  }, { defaultFailOn: 'none' })
  if (!result.ok) return { ok: false, failures: result.problems.map((p) => `could not be evaluated: ${p.message}`) }

  const verdict = result.value
  const suppressed = verdict.suppressed
  const of = (ref: string) => (f: Finding): boolean => names(f.ruleId, f.aliases, ref)
  const failures: string[] = []
  const errored = new Set<string>()
  for (const ref of refs) {
    const error = verdict.ruleErrors.find((e) => rules.some((r) => r.id === e.ruleId && names(r.id, r.aliases, ref)))
    if (error !== undefined && !errored.has(ref)) {
      errored.add(ref)
      failures.push(`${ref} errored on line ${error.location.line}: ${error.message}`)
    }
  }
  for (const expected of testCase.expect.fail) {
    if (errored.has(expected.rule)) continue
    const found = verdict.findings.filter(of(expected.rule))
    if (found.length === 0) {
      const hidden = suppressed.some(of(expected.rule))
      failures.push(`expected ${expected.rule} to fail; ${hidden ? 'its finding was suppressed' : 'it reported nothing'}`)
    } else if (expected.line !== undefined && !found.some((f) => f.location.line === expected.line)) {
      failures.push(`expected ${expected.rule} to fail on line ${expected.line}; it reported line ${lineList(found)}`)
    }
  }
  for (const ref of testCase.expect.pass) {
    if (errored.has(ref)) continue
    const found = verdict.findings.filter(of(ref))
    if (found.length > 0) failures.push(`expected ${ref} to pass; it reported line ${lineList(found)}: ${found[0]?.message ?? ''}`)
  }
  for (const ref of testCase.expect.suppressed) {
    if (errored.has(ref)) continue
    if (!suppressed.some(of(ref))) {
      const shown = verdict.findings.filter(of(ref))
      failures.push(`expected ${ref} to be suppressed; ${shown.length > 0 ? `it reported line ${lineList(shown)} unsuppressed` : 'it reported nothing'}`)
    }
  }
  return { ok: failures.length === 0, failures }
}

// Aliases come from other tools (DL3002, CKV_DOCKER_8), where case varies between their docs and configs.
function names (id: string, aliases: readonly string[], ref: string): boolean {
  return id === ref || aliases.some((alias) => alias.toLowerCase() === ref.toLowerCase())
}

const lineList = (findings: readonly Finding[]): string => [...new Set(findings.map((f) => f.location.line))].join(', ')
