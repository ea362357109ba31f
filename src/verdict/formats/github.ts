// GitHub Actions workflow commands (`::error file=…,line=…::message`): the runner turns each into an annotation
// on the file and line. One per finding and per rule that could not be evaluated; suppressed findings are left
// out. Each file ends with a plain summary line, which the runner prints as log, so a clean file still shows.
// A finding that carries a fix says so in its message, and the summary counts them: annotations cannot hold edits.
import type { Location } from '../../evaluation/engine.js'
import type { Severity } from '../../policy/types.js'
import { fixableNote, fixOf } from '../fix-note.js'
import type { Verdict } from '../verdict.js'
import { artifactPath } from './paths.js'
import type { Report } from './report.js'

const COMMAND: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'notice' }

export function renderGithub (report: Report): string {
  const lines: string[] = []
  for (const file of report.files) {
    const at = (location: Location): Record<string, string> => where(file.path, location)
    for (const f of file.verdict.findings) {
      // The remediation on a line of its own: the annotation then says how to fix it, not only what is wrong; and
      // when the finding carries a fix, that `--fix` applies it (an annotation has no place for the edits).
      const fix = fixOf(f)
      const message = [f.message, ...(f.remediation !== '' ? [f.remediation] : []), ...(fix !== undefined ? [fixableNote(fix)] : [])].join('\n')
      lines.push(command(COMMAND[f.severity], { ...at(f.location), title: `${f.ruleId}: ${f.title}` }, message))
    }
    for (const e of file.verdict.ruleErrors) {
      lines.push(command('error', { ...at(e.location), title: `${e.ruleId} could not be evaluated` }, e.message))
    }
    lines.push(`${file.path}: ${summary(file.verdict)}`)
  }
  return lines.map((line) => `${line}\n`).join('')
}

// Image findings have no lines (0), so they annotate the file as a whole.
function where (path: string, location: Location): Record<string, string> {
  const file = artifactPath(path, location)
  if (location.line < 1) return { file }
  return { file, line: String(location.line), endLine: String(Math.max(location.endLine, location.line)) }
}

function command (name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties).map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',')
  return `::${name} ${props}::${escapeData(message)}`
}

// GitHub's escaping: a newline would end the command, `%` starts an escape; in properties `:` and `,` delimit.
const escapeData = (text: string): string => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
const escapeProperty = (text: string): string => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')

function summary (verdict: Verdict): string {
  const { error, warning, info, suppressed, ruleErrors } = verdict.summary
  const parts = [plural(error, 'error'), plural(warning, 'warning'), `${info} info`]
  if (suppressed > 0) parts.push(`${suppressed} suppressed`)
  if (ruleErrors > 0) parts.push(plural(ruleErrors, 'rule error'))
  const fixable = verdict.findings.filter((f) => fixOf(f) !== undefined).length
  if (fixable > 0) parts.push(`${fixable} fixable`)
  return [verdict.verdict, ...parts].join(' · ')
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`
