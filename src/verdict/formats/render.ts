// One verdict (or a batch of them) in the format a CI system reads: chosen by name (`?format=`, `--format`) or by
// the Accept header, rendered by the format's own module.
import Negotiator from 'negotiator'
import { renderText } from '../text.js'
import { renderCheckstyle } from './checkstyle.js'
import { renderGithub } from './github.js'
import { renderGitlab } from './gitlab.js'
import { renderJunit } from './junit.js'
import type { Format, Report } from './report.js'
import { renderSarif } from './sarif.js'

/** The media type each format is served as. */
export const MEDIA_TYPES: Readonly<Record<Format, string>> = {
  json: 'application/json; charset=utf-8',
  sarif: 'application/sarif+json; charset=utf-8',
  junit: 'application/xml; charset=utf-8',
  gitlab: 'application/json; charset=utf-8',
  checkstyle: 'application/xml; charset=utf-8',
  github: 'text/plain; charset=utf-8',
  text: 'text/plain; charset=utf-8',
}

// What an Accept header can ask for. JSON comes first, so it wins ties, absent headers and wildcards; the XML and
// plain-text types name the commonest report of their kind (JUnit, the text report), and `?format=` names the rest.
const ACCEPTED: ReadonlyArray<readonly [string, Format]> = [
  ['application/json', 'json'],
  ['application/sarif+json', 'sarif'],
  ['application/xml', 'junit'],
  ['text/xml', 'junit'],
  ['text/plain', 'text'],
]

/** The format the Accept header ranks highest; JSON when it names none of them. */
export function formatFromAccept (accept: string | undefined): Format {
  const chosen = new Negotiator({ headers: { accept } }).mediaType(ACCEPTED.map(([type]) => type))
  return ACCEPTED.find(([type]) => type === chosen)?.[1] ?? 'json'
}

/** Renders the report; `color` applies to the text format (a terminal), never to the others. */
export function renderReport (format: Format, report: Report, color = false): string {
  switch (format) {
    case 'json': return `${JSON.stringify(jsonReport(report), null, 2)}\n`
    case 'sarif': return renderSarif(report)
    case 'junit': return renderJunit(report)
    case 'gitlab': return renderGitlab(report)
    case 'checkstyle': return renderCheckstyle(report)
    case 'github': return renderGithub(report)
    case 'text': return report.files.map((file) => renderText(file.verdict, { file: file.path, color })).join('\n')
  }
}

/** One file's verdict as the JSON answer has always been; a batch as `{ summary, results }`, each verdict with its path. */
export function jsonReport (report: Report): unknown {
  const [only] = report.files
  if (report.batch !== true && report.files.length === 1 && only !== undefined) return only.verdict
  return { summary: batchSummary(report), results: report.files.map((file) => ({ path: file.path, ...file.verdict })) }
}

/** The worst verdict over the files, and how many files got each. */
export function batchSummary (report: Report): { verdict: 'pass' | 'warn' | 'fail', files: number, pass: number, warn: number, fail: number, thresholdReached: number } {
  const count = (verdict: string): number => report.files.filter((file) => file.verdict.verdict === verdict).length
  const [pass, warn, fail] = [count('pass'), count('warn'), count('fail')]
  return {
    verdict: fail > 0 ? 'fail' : warn > 0 ? 'warn' : 'pass',
    files: report.files.length,
    pass,
    warn,
    fail,
    thresholdReached: report.files.filter((file) => file.verdict.threshold.reached).length,
  }
}
