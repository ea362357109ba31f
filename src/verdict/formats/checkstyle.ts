// Checkstyle XML, as hadolint's `-f checkstyle` writes it and Jenkins warnings-ng, reviewdog and the GitLab and
// Bitbucket plugins read it: one <file> per file with problems, one <error> per problem.
//
// Choices:
// - Every judged file gets a <file>, even with no errors: readers show it was checked. A finding in a build-context
//   file (requirements.txt) goes under that file, beside its Dockerfile, where a reviewer would fix it; two
//   Dockerfiles in one folder share it.
// - Suppressed findings are left out rather than written at severity "ignore": checkstyle has no notion of a
//   suppression, and readers treat "ignore" unevenly (reviewdog comments on it). JSON and SARIF carry them.
// - A rule that could not be evaluated is written as a warning, as the verdict counts it: never silent.
// - No column: findings point at lines, and a made-up column would claim a precision they lack. An image finding
//   (line 0) has no line either.
// - No fix: an <error> has no place for one, and the message stays the finding's alone, as hadolint writes it.
//   SARIF carries the edits; the text report, GitHub and JUnit say which findings `plimsoll check --fix` fixes.
import type { Location } from '../../evaluation/engine.js'
import type { Severity } from '../../policy/types.js'
import { artifactPath } from './paths.js'
import type { Report } from './report.js'
import { renderXml } from './xml.js'

interface Problem {
  readonly ruleId: string
  readonly severity: Severity
  readonly message: string
  readonly location: Location
}

export function renderCheckstyle (report: Report): string {
  const files = new Map<string, Array<Record<string, unknown>>>()
  const errorsOf = (name: string): Array<Record<string, unknown>> => {
    const errors = files.get(name) ?? []
    files.set(name, errors)
    return errors
  }
  for (const file of report.files) {
    errorsOf(file.path)
    const problems: Problem[] = [
      ...file.verdict.findings,
      ...file.verdict.ruleErrors.map((e) => ({ ...e, severity: 'warning' as const, message: `could not be evaluated: ${e.message}` })),
    ]
    for (const problem of problems) errorsOf(artifactPath(file.path, problem.location)).push(error(problem))
  }
  return renderXml({
    checkstyle: {
      '@_version': '4.3',
      file: [...files].map(([name, errors]) => ({ '@_name': name, error: errors })),
    },
  })
}

function error (problem: Problem): Record<string, unknown> {
  const line = problem.location.image === undefined && problem.location.line > 0 ? { '@_line': problem.location.line } : {}
  // Like hadolint, which writes its rule code as the source.
  return { ...line, '@_severity': problem.severity, '@_message': problem.message, '@_source': `plimsoll.${problem.ruleId}` }
}
