// The rules that ran on one request, for the formats that list them (SARIF's rules, JUnit's test cases):
// the request's selection, the checks for each subject it sent, less what the verdict says did not run.
import type { EvaluateRequest } from '../../evaluate.js'
import { selectRules } from '../../evaluation/select.js'
import { hadolintConfig } from '../../policy/hadolint-config.js'
import { checkFor } from '../../policy/subject.js'
import type { PolicySet, Rule, Subject } from '../../policy/types.js'
import type { Verdict } from '../verdict.js'
import type { JudgedFile, RuleRun } from './report.js'

/** A judged file whose rules are listed when a format reads them (SARIF, JUnit), so a JSON answer never lists them. */
export function judgedFile (set: PolicySet, request: EvaluateRequest, path: string, verdict: Verdict): JudgedFile {
  return { path, verdict, get rules () { return rulesRun(set, request, verdict) } }
}

export function rulesRun (set: PolicySet, request: EvaluateRequest, verdict: Verdict): RuleRun[] {
  const selection = selectRules(set, request, hadolintConfig(request.files ?? {}))
  // The verdict was given, so the same selection succeeded before.
  if (!selection.ok) return []
  const skipped = new Set(verdict.notEvaluated.map((n) => `${n.policy}/${n.ruleId}`))
  const subjects: Subject[] = [...(request.dockerfile !== undefined ? ['dockerfile' as const] : []), ...(request.image !== undefined ? ['image' as const] : [])]
  const seen = new Set<string>()
  const runs: RuleRun[] = []
  for (const subject of subjects) {
    for (const rule of selection.value.rules) {
      const check = checkFor(rule, subject)
      const key = `${rule.policy}/${rule.id}`
      if (check === undefined || skipped.has(key) || seen.has(key)) continue
      seen.add(key)
      runs.push(ruleRun(check))
    }
  }
  return runs
}

function ruleRun (rule: Rule): RuleRun {
  return {
    id: rule.id,
    policy: rule.policy,
    title: rule.title,
    description: rule.description,
    severity: rule.severity,
    remediation: rule.remediation,
    aliases: rule.aliases,
    ...(rule.references[0] !== undefined && { helpUri: rule.references[0] }),
  }
}
