// The verdict for people: findings grouped by severity, then what was suppressed, then one summary line, and a line
// saying how many findings `--fix` can fix when some can.
import pc from 'picocolors'
import type { Finding, Location, RuleError } from '../evaluation/engine.js'
import type { ExpiredWaiver, Suppression } from '../policy/suppression-types.js'
import type { Severity } from '../policy/types.js'
import { FIXABLE_TAG, fixableSummary, fixOf } from './fix-note.js'
import { describePlace } from './formats/paths.js'
import type { Verdict } from './verdict.js'

/** How to render: the name findings are reported against, and whether to use ANSI colours. */
export interface TextOptions {
  /** Shown before each line number: the path as the user gave it, or `<stdin>`. */
  readonly file: string
  /** Shown for findings on an image: its path as the user gave it; "image" when absent. */
  readonly image?: string
  readonly color: boolean
}

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info']
const HEADINGS: Readonly<Record<Severity, string>> = { error: 'errors', warning: 'warnings', info: 'info' }

interface Row { readonly at: string, readonly rule: string, readonly text: string, readonly below?: string, readonly fixable?: boolean }

/** Renders one verdict as text; returns it, ending in a newline, and writes nothing. */
export function renderText (verdict: Verdict, options: TextOptions): string {
  const c = pc.createColors(options.color)
  const tint: Readonly<Record<Severity, (text: string) => string>> = { error: c.red, warning: c.yellow, info: c.cyan }
  // A context-file finding names that file beside the Dockerfile; one on an image names the place in it.
  const at = (location: Location): string => describePlace(options.file, location, options.image ?? 'image')

  const sections: Array<{ heading: string, rows: Row[], paint: (text: string) => string, dim: boolean }> = []
  for (const severity of SEVERITY_ORDER) {
    const rows = verdict.findings.filter((f) => f.severity === severity).map((f) => findingRow(f, at))
    sections.push({ heading: HEADINGS[severity], rows, paint: tint[severity], dim: false })
  }
  sections.push({ heading: 'could not be evaluated', rows: verdict.ruleErrors.map((e) => ruleErrorRow(e, at)), paint: c.magenta, dim: false })
  sections.push({ heading: 'expired waivers', rows: verdict.expiredWaivers.map(expiredRow), paint: c.yellow, dim: false })
  sections.push({ heading: 'notices', rows: verdict.notices.map((n) => ({ at: `${n.file}:${n.line}`, rule: 'config', text: n.message })), paint: c.yellow, dim: false })
  // A suppressed finding is not fixed by `--fix`, so it is not marked fixable.
  const suppressedRow = (f: Verdict['suppressed'][number]): Row => ({ ...findingRow(f, at), below: describeSuppression(f.suppression), fixable: false })
  sections.push({ heading: 'suppressed', rows: verdict.suppressed.map(suppressedRow), paint: (text) => text, dim: true })

  // Columns line up across sections, so the eye can run down rule ids; widths come from the plain text.
  const shown = sections.filter((s) => s.rows.length > 0)
  const all = shown.flatMap((s) => s.rows)
  const atWidth = Math.max(0, ...all.map((r) => r.at.length))
  const ruleWidth = Math.max(0, ...all.map((r) => r.rule.length))
  const indent = ' '.repeat(2 + atWidth + 2)

  const out: string[] = []
  for (const section of shown) {
    const dim = section.dim ? c.dim : (text: string) => text
    out.push(dim(c.bold(section.paint(`${section.heading} (${section.rows.length})`))))
    for (const row of section.rows) {
      const tag = row.fixable === true ? ` ${c.green(FIXABLE_TAG)}` : ''
      out.push(dim(`  ${row.at.padEnd(atWidth)}  ${section.paint(row.rule.padEnd(ruleWidth))}  ${row.text}${tag}`))
      if (row.below !== undefined && row.below !== '') out.push(dim(`${indent}${row.below}`))
    }
    out.push('')
  }
  out.push(summaryLine(verdict, options.file, c))
  const fixable = fixableSummary(verdict.findings)
  if (fixable !== undefined) out.push(fixable)
  return `${out.join('\n')}\n`
}

function findingRow (finding: Finding, at: (location: Location) => string): Row {
  return { at: at(finding.location), rule: finding.ruleId, text: finding.message, below: finding.remediation, fixable: fixOf(finding) !== undefined }
}

function ruleErrorRow (error: RuleError, at: (location: Location) => string): Row {
  return { at: at(error.location), rule: error.ruleId, text: error.message }
}

function expiredRow (waiver: ExpiredWaiver): Row {
  const owner = waiver.owner === '' ? '' : ` (owner ${waiver.owner})`
  const hidden = waiver.findings === 1 ? '1 finding' : `${waiver.findings} findings`
  return {
    at: `${waiver.file}:${waiver.line}`,
    rule: waiver.rule,
    text: `expired on ${waiver.expires}${owner}; it no longer hides ${hidden}`,
    ...(waiver.reason !== '' && { below: `reason: ${waiver.reason}` }),
  }
}

/** Says what hid a finding and why, in the words of the pragma or file that did it. */
export function describeSuppression (s: Suppression): string {
  const reason = s.reason === '' ? '' : `: ${s.reason}`
  switch (s.kind) {
    case 'inline': return `ignored by \`# plimsoll ignore\` on line ${s.line}${reason}`
    case 'global': return `ignored by \`# plimsoll global ignore\` on line ${s.line}${reason}`
    case 'stage': return `ignored by \`# plimsoll stage ignore\` on line ${s.line}${reason}`
    case 'hadolint-stage': return `ignored by \`# hadolint stage ignore\` on line ${s.line}${reason}`
    case 'hadolint-inline': return `ignored by \`# hadolint ignore\` on line ${s.line}${reason}`
    case 'hadolint-global': return `ignored by \`# hadolint global ignore\` on line ${s.line}${reason}`
    case 'hadolint-config': return `ignored in ${s.file === '' ? '.hadolint.yaml' : s.file}${reason}`
    case 'waiver': {
      const owner = s.owner === '' ? '' : ` for ${s.owner}`
      const until = s.expires === '' ? '' : ` until ${s.expires}`
      return `waived in ${s.file}${owner}${until}${reason}`
    }
  }
}

function summaryLine (verdict: Verdict, file: string, c: ReturnType<typeof pc.createColors>): string {
  const paint = verdict.verdict === 'fail' ? c.red : verdict.verdict === 'warn' ? c.yellow : c.green
  const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
  const parts = [
    count(verdict.summary.error, 'error'),
    count(verdict.summary.warning, 'warning'),
    `${verdict.summary.info} info`,
  ]
  if (verdict.summary.suppressed > 0) parts.push(`${verdict.summary.suppressed} suppressed`)
  if (verdict.summary.ruleErrors > 0) parts.push(count(verdict.summary.ruleErrors, 'rule error'))
  parts.push(count(verdict.summary.rulesEvaluated, 'rule') + ' evaluated')
  if (verdict.summary.notEvaluated > 0) parts.push(`${verdict.summary.notEvaluated} not evaluated`)
  const { failOn, reached } = verdict.threshold
  parts.push(failOn === 'none' ? 'fail-on none' : `fail-on ${failOn} ${reached ? 'reached' : 'not reached'}`)
  return `${file}: ${c.bold(paint(verdict.verdict))} · ${parts.join(' · ')}`
}
