// A comparison for a terminal: the variants' facts in columns, the rules one passes and another fails, then
// every rule that ran, each with its outcome per variant.
import pc from 'picocolors'
import { factRows, type Comparison, type RuleComparison, type RuleOutcome } from './compare.js'

const OUTCOMES: Readonly<Record<RuleOutcome, string>> = {
  pass: 'pass', fail: 'fail', suppressed: 'suppressed', error: 'error', notEvaluated: 'not evaluated', notRun: '-',
}

/** Renders a comparison as text; returns it, ending in a newline, and writes nothing. */
export function renderCompareText (comparison: Comparison, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color)
  const paint: Readonly<Record<RuleOutcome, (text: string) => string>> = {
    pass: c.green, fail: c.red, suppressed: c.dim, error: c.magenta, notEvaluated: c.dim, notRun: c.dim,
  }
  const labels = comparison.variants.map((v) => v.label)
  const ruleRows = (rows: readonly RuleComparison[]): Cell[][] =>
    rows.map((row) => [plain(row.ruleId), plain(row.severity), ...row.outcomes.map((o) => ({ text: OUTCOMES[o], paint: paint[o] }))])
  const differing = comparison.rules.filter((row) => comparison.differences.some((d) => d.ruleId === row.ruleId))

  const out = [
    ...grid([plain(''), ...labels.map((l) => ({ text: l, paint: c.bold }))], factRows(comparison).map((row) => [plain(row.name), ...row.cells.map(plain)])),
    '',
    c.bold(`passed by one, failed by another (${differing.length})`),
    ...(differing.length === 0 ? ['  none'] : grid(header(labels), ruleRows(differing)).map((line) => `  ${line}`)),
    '',
    c.bold(`rules that ran (${comparison.rules.length})`),
    ...(comparison.rules.length === 0 ? ['  none'] : grid(header(labels), ruleRows(comparison.rules)).map((line) => `  ${line}`)),
  ]
  return `${out.join('\n')}\n`
}

interface Cell { readonly text: string, readonly paint: (text: string) => string }

const plain = (text: string): Cell => ({ text, paint: (t) => t })
const header = (labels: readonly string[]): Cell[] => ['rule', 'severity', ...labels].map(plain)

// Widths come from the plain text, so colours do not shift the columns.
function grid (head: readonly Cell[], rows: ReadonlyArray<readonly Cell[]>): string[] {
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]?.text.length ?? 0)))
  const pad = (cell: Cell, width: number): string => cell.paint(cell.text) + ' '.repeat(width - cell.text.length)
  return all.map((row) => row.map((cell, i) => pad(cell, i === row.length - 1 ? cell.text.length : widths[i] ?? 0)).join('  ').trimEnd())
}
