// A comparison as GitHub-flavoured markdown, for a README or a pull-request comment: the variants' facts,
// the rules one passes and another fails, and every rule folded away in <details>.
import { factRows, type Comparison, type RuleComparison, type RuleOutcome } from './compare.js'

const OUTCOMES: Readonly<Record<RuleOutcome, string>> = {
  pass: '✅ pass',
  fail: '❌ fail',
  suppressed: 'suppressed',
  error: '⚠️ error',
  notEvaluated: 'not evaluated',
  notRun: '—',
}

/** Renders a comparison as markdown; returns it, ending in a newline. */
export function renderCompareMarkdown (comparison: Comparison): string {
  const labels = comparison.variants.map((v) => v.label)
  const out = [
    `### Plimsoll: ${labels.map((label) => `\`${code(label)}\``).join(' vs ')}`,
    '',
    ...table(['', ...labels], factRows(comparison).map((row) => [`**${row.name}**`, ...row.cells])),
    '',
  ]
  const differing = comparison.rules.filter((row) => comparison.differences.some((d) => d.ruleId === row.ruleId))
  if (differing.length === 0) out.push('No rule passes on one and fails on another.', '')
  else out.push(`**Passed by one, failed by another (${differing.length})**`, '', ...ruleTable(labels, differing), '')
  out.push(
    `<details><summary>All ${comparison.rules.length} rules that ran</summary>`,
    '',
    ...(comparison.rules.length === 0 ? ['No rule ran.'] : ruleTable(labels, comparison.rules)),
    '',
    '</details>',
  )
  return `${out.join('\n')}\n`
}

function ruleTable (labels: readonly string[], rows: readonly RuleComparison[]): string[] {
  return table(['Rule', 'Severity', ...labels], rows.map((row) => [`\`${row.ruleId}\``, row.severity, ...row.outcomes.map((o) => OUTCOMES[o])]))
}

function table (head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line)]
}

// A pipe would end the cell and a line break the row; a label is the user's text, anything may be in it.
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ')
// Inside a code span a backtick would end it.
const code = (text: string): string => text.replace(/`/g, "'")
