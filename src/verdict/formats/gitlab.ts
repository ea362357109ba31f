// GitLab Code Quality (the `codequality` report artifact): a JSON array of Code Climate issues, one per finding
// and per rule that could not be evaluated. Suppressed findings are left out: the MR widget has no place for them.
// Fixes are left out too: a Code Climate issue has no field for edits, and GitLab reads only the fields written here.
import { createHash } from 'node:crypto'
import type { Location } from '../../evaluation/engine.js'
import type { Severity } from '../../policy/types.js'
import { artifactPath } from './paths.js'
import type { Report } from './report.js'

type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker'

interface Issue {
  readonly type: 'issue'
  readonly check_name: string
  readonly description: string
  readonly categories: readonly string[]
  readonly severity: CodeQualitySeverity
  readonly fingerprint: string
  readonly location: { readonly path: string, readonly lines: { readonly begin: number, readonly end: number } }
}

// hadolint's gitlab_codeclimate mapping, so a pipeline moving from hadolint keeps its severities.
const SEVERITY: Readonly<Record<Severity, CodeQualitySeverity>> = { error: 'blocker', warning: 'major', info: 'info' }
// What hadolint files its issues under too; GitLab shows no category, so one is enough.
const CATEGORIES = ['Bug Risk'] as const

export function renderGitlab (report: Report): string {
  const fingerprint = fingerprints()
  const issues: Issue[] = []
  for (const file of report.files) {
    const issue = (ruleId: string, policy: string, severity: CodeQualitySeverity, description: string, key: string, location: Location): Issue => {
      const path = artifactPath(file.path, location)
      return {
        type: 'issue',
        check_name: ruleId,
        description,
        categories: CATEGORIES,
        severity,
        fingerprint: fingerprint([path, policy, ruleId, key]),
        location: { path, lines: lines(location) },
      }
    }
    for (const f of file.verdict.findings) {
      // The id names the rule to look up or suppress; the widget shows no check_name.
      issues.push(issue(f.ruleId, f.policy, SEVERITY[f.severity], `${f.message} (${f.ruleId})`, f.message, f.location))
    }
    for (const e of file.verdict.ruleErrors) {
      // The verdict counts a rule that could not run as a warning.
      issues.push(issue(e.ruleId, e.policy, SEVERITY.warning, `${e.ruleId} could not be evaluated: ${e.message}`, `rule error: ${e.message}`, e.location))
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`
}

// Image findings have no lines (0); GitLab needs a line, so they point at the first.
function lines (location: Location): { begin: number, end: number } {
  const begin = Math.max(location.line, 1)
  return { begin, end: Math.max(location.endLine, begin) }
}

/**
 * GitLab tells new issues from resolved ones by fingerprint, so it leaves the line out: a finding keeps its
 * fingerprint when lines above it move. Findings alike in everything else get an occurrence number, in file order.
 */
function fingerprints (): (parts: readonly string[]) => string {
  const seen = new Map<string, number>()
  return (parts) => {
    const key = parts.join('\0')
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    return createHash('sha256').update(n === 0 ? key : `${key}\0${n}`).digest('hex')
  }
}
