// JUnit XML, as Jenkins' junit plugin, GitLab's junit reports and most CI systems read it: one test suite per
// judged file, one test case per rule, so a CI page lists every rule that passed, failed or did not run.
//
// What a test case holds (at most one of error, failure, skipped, as JUnit readers expect):
// - error: the rule could not be evaluated (verdict.ruleErrors); it wins over failure, since the rule's result
//   is then incomplete; its failing findings are listed in the same body.
// - failure: findings at or above the verdict's threshold (`failOn`), i.e. what fails the request; with
//   `failOn: none` nothing fails the request, so errors and warnings count as failures and info does not.
// - skipped: the rule did not run (verdict.notEvaluated), with the reason. Only that: a rule whose findings
//   were all suppressed did run and passes under the suppression, so it stays passed and says so in
//   <system-out>, as do findings below the threshold; "skipped" keeps meaning "did not run".
// A finding that carries a fix is tagged [fixable] on its line, and a failure says what the fix does and that
// `plimsoll check --fix` applies it; JUnit has no place for the edits themselves.
import type { Finding, Location, RuleError } from '../../evaluation/engine.js'
import type { SuppressedFinding } from '../../policy/suppression-types.js'
import { SEVERITIES, type Severity } from '../../policy/types.js'
import { FIXABLE_TAG, fixableNote, fixOf } from '../fix-note.js'
import { describeSuppression } from '../text.js'
import type { FailOn } from '../verdict.js'
import { describePlace } from './paths.js'
import type { JudgedFile, Report, RuleRun } from './report.js'
import { renderXml } from './xml.js'

type Element = Record<string, unknown>

interface Counts { tests: number, failures: number, errors: number, skipped: number }

export function renderJunit (report: Report): string {
  const suites = report.files.map((file) => suite(file, report.version))
  const total = (key: keyof Counts): number => suites.reduce((sum, s) => sum + s.counts[key], 0)
  return renderXml({
    testsuites: {
      '@_name': 'plimsoll',
      '@_tests': total('tests'),
      '@_failures': total('failures'),
      '@_errors': total('errors'),
      '@_skipped': total('skipped'),
      '@_time': seconds(report.files.reduce((sum, file) => sum + file.verdict.durationMs, 0)),
      testsuite: suites.map((s) => s.element),
    },
  })
}

function suite (file: JudgedFile, version: string): { counts: Counts, element: Element } {
  const { verdict } = file
  const findings = byRule(verdict.findings)
  const suppressed = byRule(verdict.suppressed)
  const errors = byRule(verdict.ruleErrors)
  const cases: Element[] = [
    ...file.rules.map((rule) => {
      const key = ruleKey(rule.policy, rule.id)
      return testcase(file, rule, { findings: findings.get(key) ?? [], suppressed: suppressed.get(key) ?? [], errors: errors.get(key) ?? [] })
    }),
    ...verdict.notEvaluated.map((n) => ({ '@_classname': classname(file.path, n.policy), '@_name': n.ruleId, skipped: { '@_message': n.reason } })),
  ]
  const count = (element: string): number => cases.filter((c) => element in c).length
  const counts = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') }
  const property = (name: string, value: string): Element => ({ '@_name': name, '@_value': value })
  return {
    counts,
    element: {
      '@_name': file.path,
      '@_tests': counts.tests,
      '@_failures': counts.failures,
      '@_errors': counts.errors,
      '@_skipped': counts.skipped,
      '@_time': seconds(verdict.durationMs),
      // Ties the suite to the JSON verdict and the policies that judged it.
      properties: {
        property: [
          property('plimsoll.version', version),
          property('verdict', verdict.verdict),
          property('failOn', verdict.threshold.failOn),
          property('decisionId', verdict.decisionId),
          property('policySet.digest', verdict.policySet.digest),
        ],
      },
      testcase: cases,
    },
  }
}

interface RuleResults {
  readonly findings: readonly Finding[]
  readonly suppressed: readonly SuppressedFinding[]
  readonly errors: readonly RuleError[]
}

function testcase (file: JudgedFile, rule: RuleRun, results: RuleResults): Element {
  const at = (location: Location): string => describePlace(file.path, location)
  const failOn = file.verdict.threshold.failOn
  const failures = results.findings.filter((f) => isFailure(f.severity, failOn))
  const tag = (f: Finding): string => fixOf(f) !== undefined ? ` ${FIXABLE_TAG}` : ''
  const failureLines = failures.map((f) => `${at(f.location)} ${f.message}${tag(f)}`)
  const notes = [
    ...results.findings.filter((f) => !isFailure(f.severity, failOn)).map((f) => `${at(f.location)} ${f.severity} (below the threshold): ${f.message}${tag(f)}`),
    ...results.suppressed.map((f) => `${at(f.location)} suppressed: ${f.message} (${describeSuppression(f.suppression)})`),
  ]
  const element: Element = { '@_classname': classname(file.path, rule.policy), '@_name': rule.id }
  const [firstError] = results.errors
  const [firstFailure] = failures
  if (firstError !== undefined) {
    element.error = {
      '@_message': `could not be evaluated: ${firstError.message}`,
      '@_type': 'rule-error',
      '#text': [...results.errors.map((e) => `${at(e.location)} ${e.message}`), ...failureLines, ...fixNotes(failures)].join('\n'),
    }
  } else if (firstFailure !== undefined) {
    element.failure = {
      '@_message': failures.length > 1 ? `${firstFailure.message} (and ${failures.length - 1} more)` : firstFailure.message,
      '@_type': worst(failures.map((f) => f.severity)),
      '#text': [rule.title, ...failureLines, `remediation: ${rule.remediation}`, ...fixNotes(failures)].join('\n'),
    }
  }
  if (notes.length > 0) element['system-out'] = notes.join('\n')
  return element
}

/** One line per distinct fix among the findings (a rule's fixes share their description). */
function fixNotes (findings: readonly Finding[]): string[] {
  return [...new Set(findings.flatMap((f) => {
    const fix = fixOf(f)
    return fix === undefined ? [] : [fixableNote(fix)]
  }))]
}

// Jenkins splits a classname at its last dot into package and class: the file's path, then the policy.
const classname = (path: string, policy: string): string => `${path}.${policy}`

const ruleKey = (policy: string, ruleId: string): string => `${policy}/${ruleId}`

function byRule<T extends { readonly policy: string, readonly ruleId: string }> (items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = ruleKey(item.policy, item.ruleId)
    groups.set(key, [...groups.get(key) ?? [], item])
  }
  return groups
}

function isFailure (severity: Severity, failOn: FailOn): boolean {
  return failOn === 'none' ? severity !== 'info' : SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(failOn)
}

const worst = (severities: readonly Severity[]): Severity => SEVERITIES[Math.max(...severities.map((s) => SEVERITIES.indexOf(s)))] as Severity


const seconds = (ms: number): string => (ms / 1000).toFixed(3)
