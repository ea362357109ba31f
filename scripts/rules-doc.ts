// Writes docs/rules.md from the shipped policies: every rule with its severity, aliases, what it checks and
// one failing and one passing example, and the real-world review: findings per rule over
// ../shared/corpus/real (Dockerfiles nobody here wrote) beside the reviewers' verdicts and notes
// (docs/review-notes.yaml) and each rule's false-positive rate. `npm run rules:doc`;
// test/rules-doc.test.ts fails when the file is stale or the verdicts name lines no longer reported.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'
import type { Example, PolicySet, Rule } from '../src/policy/types.js'

const root = new URL('../', import.meta.url)
export const RULES_DOC = fileURLToPath(new URL('docs/rules.md', root))
export const CORPUS = fileURLToPath(new URL('../shared/corpus/real', root))
const NOTES = fileURLToPath(new URL('docs/review-notes.yaml', root))

/** One finding on a real Dockerfile; `at` is its path under the corpus and line. */
export interface CorpusFinding {
  readonly ruleId: string
  readonly at: string
  readonly severity: string
  readonly message: string
  /** Under review: a default rule's error or warning on the files added for the review (more-a/, more-b/). */
  readonly reviewed: boolean
}

/** Every rule's findings over every real Dockerfile, with every rule enabled. */
export function corpusFindings (set: PolicySet): CorpusFinding[] {
  const rules = set.policies.flatMap((p) => p.rules)
  // ShellCheck's rule is left out: its counts would depend on the shellcheck program being installed.
  const all = rules.filter((r) => !r.tags.includes('shellcheck')).map((r) => r.id)
  const byDefault = new Set(rules.filter((r) => r.enabled).map((r) => r.id))
  const found: CorpusFinding[] = []
  for (const name of corpusFiles()) {
    const dockerfile = readFileSync(join(CORPUS, name), 'utf8')
    const result = evaluate(set, { dockerfile, include: all })
    if (!result.ok) continue
    const underReview = /^more-[ab]\//.test(name)
    for (const f of result.value.findings) {
      const reviewed = underReview && byDefault.has(f.ruleId) && f.severity !== 'info'
      found.push({ ruleId: f.ruleId, at: `${name}:${f.location.line}`, severity: f.severity, message: f.message, reviewed })
    }
  }
  return found
}

const corpusFiles = (): string[] => (readdirSync(CORPUS, { recursive: true }) as string[]).filter((n) => n.endsWith('Dockerfile')).sort()

/** The lines a review reads: all of them up to `size`, else `size` evenly spaced in file order. */
export function reviewSample (findings: readonly CorpusFinding[], size: number): string[] {
  const lines = [...new Set(findings.map((f) => f.at))]
  if (lines.length <= size) return lines
  return Array.from({ length: size }, (_, i) => lines[Math.floor(i * lines.length / size)]!)
}

/** A reviewer's verdict on one finding line: `right`, `wrong` (a false positive) or `debatable`. */
export interface ReviewVerdict { readonly at: string, readonly verdict: 'right' | 'wrong' | 'debatable', readonly why?: string }
export interface RuleReview { readonly note: string, readonly reviewed: readonly ReviewVerdict[] }

/** Lines a rule's review reads at least: all of them, or this many evenly spaced. */
export const REVIEW_SAMPLE = 30

/** docs/review-notes.yaml: per rule, a note and the verdicts (a plain string is a note alone). */
export function readReviews (): Map<string, RuleReview> {
  const raw = existsSync(NOTES) ? (parse(readFileSync(NOTES, 'utf8')) as Record<string, string | Partial<RuleReview>> | null) ?? {} : {}
  return new Map(Object.entries(raw).map(([id, entry]) => [id, typeof entry === 'string'
    ? { note: entry, reviewed: [] }
    : { note: entry.note ?? '', reviewed: entry.reviewed ?? [] }]))
}

/** What makes the review out of date: verdicts on lines no longer reported, rules read less than the sample. */
export function reviewProblems (findings: readonly CorpusFinding[], reviews: Map<string, RuleReview>): string[] {
  const problems: string[] = []
  const underReview = reviewLines(findings)
  for (const [id, review] of reviews) {
    const lines = new Set(underReview.get(id) ?? [])
    for (const v of review.reviewed) {
      if (!['right', 'wrong', 'debatable'].includes(v.verdict)) problems.push(`${id}: ${v.at}: verdict must be right, wrong or debatable`)
      if (!lines.has(v.at)) problems.push(`${id}: ${v.at} is no longer reported: review the rule again`)
    }
  }
  for (const [id, lines] of underReview) {
    const read = reviews.get(id)?.reviewed.length ?? 0
    if (read < Math.min(lines.length, REVIEW_SAMPLE)) problems.push(`${id}: ${read} of ${lines.length} lines read, fewer than ${Math.min(lines.length, REVIEW_SAMPLE)}`)
  }
  return problems
}

/** The distinct lines under review, per rule. */
function reviewLines (findings: readonly CorpusFinding[]): Map<string, string[]> {
  const lines = new Map<string, string[]>()
  for (const f of findings.filter((f) => f.reviewed)) {
    const list = lines.get(f.ruleId) ?? []
    if (!list.includes(f.at)) list.push(f.at)
    lines.set(f.ruleId, list)
  }
  return lines
}

export function generateRulesDoc (set: PolicySet, findings: readonly CorpusFinding[] | null): string {
  const out = [
    '# Rules',
    '',
    '<!-- Generated by `npm run rules:doc` from policies/ and docs/review-notes.yaml; do not edit by hand. -->',
    '',
    `${set.policies.reduce((n, p) => n + p.rules.length, 0)} rules in ${set.policies.length} packs. Opt-in rules (off by default) run when a profile or request names them`,
    '(`include`, or the `strict` and `hadolint` profiles). Every example below is run by the test suite.',
    '',
  ]
  for (const policy of set.policies) {
    out.push(`## ${policy.title} (\`${policy.name}\` ${policy.version})`, '', policy.description.trim(), '')
    if (policy.whenSource !== '') out.push(`Applies where: \`${policy.whenSource}\``, '')
    out.push('| Rule | Severity | Aliases | What it checks | On images | Fix | Fails on | Passes |', '|---|---|---|---|---|---|---|---|')
    for (const rule of policy.rules) out.push(ruleRow(rule))
    out.push('')
  }
  out.push('## Real-world review', '')
  if (findings === null) out.push('The corpus (../shared/corpus/real) was absent when this was generated.')
  else out.push(...reviewSection(set, findings, readReviews()), '', ...digestSection(findings))
  return out.join('\n') + '\n'
}

function reviewSection (set: PolicySet, findings: readonly CorpusFinding[], reviews: Map<string, RuleReview>): string[] {
  const underReview = reviewLines(findings)
  const rows: string[] = []
  const total = { lines: 0, read: 0, wrong: 0, debatable: 0, expectedWrong: 0 }
  for (const rule of set.policies.flatMap((p) => p.rules)) {
    const own = findings.filter((f) => f.ruleId === rule.id)
    const review = reviews.get(rule.id) ?? { note: '', reviewed: [] }
    const lines = underReview.get(rule.id)?.length ?? 0
    const read = review.reviewed.length
    const wrong = review.reviewed.filter((v) => v.verdict === 'wrong').length
    const debatable = review.reviewed.filter((v) => v.verdict === 'debatable').length
    total.lines += lines
    total.read += read
    total.wrong += wrong
    total.debatable += debatable
    if (read > 0) total.expectedWrong += lines * wrong / read
    const rate = read === 0 ? '' : `${percent(wrong, read)}`
    rows.push(`| \`${rule.id}\` | ${own.length} | ${new Set(own.map((f) => f.at.slice(0, f.at.lastIndexOf(':')))).size} | ${lines} | ${read === 0 ? '' : read} | ${read === 0 ? '' : wrong} | ${read === 0 ? '' : debatable} | ${rate} | ${cell(review.note)} |`)
  }
  return [
    `Every rule enabled (but shell-script-quality, which needs the ShellCheck program), over the ${corpusFiles().length} real Dockerfiles in`,
    '../shared/corpus/real. "Findings" and "Files" count every finding; "Lines" counts the distinct lines with an error or warning',
    'of a default rule on the 456 files added for this review (more-a/, more-b/). Each such line was read, or',
    `${REVIEW_SAMPLE} of them evenly spaced in file order (\`node --import=tsx scripts/review-sample.ts <rule>\`), and judged`,
    '`right`, `wrong` (a false positive) or `debatable` in docs/review-notes.yaml; "FP" is wrong / read. The test suite fails when',
    'a verdict names a line no longer reported or a rule is read less than that. The rules were fixed on these files during the',
    'review, so these rates are in-sample: [review.md](review.md) gives the rate before the fixes and a blind check on',
    'Dockerfiles outside the corpus.',
    '',
    `Overall: ${total.read} of ${total.lines} lines read, ${total.wrong} wrong (${percent(total.wrong, total.read)}), ${total.debatable} debatable;`,
    `weighting each rule's rate by its lines, about ${percent(total.expectedWrong, total.lines)} of all ${total.lines} error and warning lines are wrong.`,
    '',
    '| Rule | Findings | Files | Lines | Read | Wrong | Debatable | FP | Review |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ]
}

// Every finding on the corpus in one digest: a change that alters any verdict (a rule's logic, or the engine
// made faster) changes this line, and the test comparing this file with a fresh one fails.
function digestSection (findings: readonly CorpusFinding[]): string[] {
  const lines = findings.map((f) => `${f.at} ${f.ruleId} ${f.severity} ${f.message}`).sort()
  return [
    `Verdicts: ${findings.length} findings over the corpus (every rule, info included), digest`,
    `\`sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}\` over each finding's file, line, rule, severity and message.`,
  ]
}

const percent = (part: number, whole: number): string => whole === 0 ? '0%' : `${(100 * part / whole).toFixed(1)}%`

function ruleRow (rule: Rule): string {
  const state = rule.enabled ? '' : ' (opt-in)'
  const what = cell((rule.description || rule.title).replace(/\s+/g, ' ').trim())
  const image = rule.subject === 'image' ? `only: \`${rule.scope}\`` : rule.image === undefined ? '' : `\`${rule.image.scope}\``
  return `| \`${rule.id}\`${state} | ${rule.severity} | ${rule.aliases.map((a) => `\`${a}\``).join(' ')} | ${what} | ${image} | ${rule.fix === undefined ? '' : cell(rule.fix.description)} | ${example(rule.examples.fail[0])} | ${example(rule.examples.pass[0])} |`
}

const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\|/g, '&#124;').replace(/\n/g, '<br>')
// Context files show under the Dockerfile, as `+ name: content`.
// An image example shows its document as compact JSON, then its listing.
const imageExample = (image: NonNullable<Example['image']>): string =>
  `<code>${html(short(JSON.stringify(image.document)))}</code>${(image.listing ?? []).map((line) => `<br>+ <code>${html(line)}</code>`).join('')}`
const short = (text: string): string => text.length > 160 ? `${text.slice(0, 157)}…` : text
const example = (e: Example | undefined): string => e === undefined
  ? ''
  : e.image !== undefined ? imageExample(e.image) : `<code>${html(e.dockerfile)}</code>${Object.entries(e.files).map(([name, text]) => `<br>+ <code>${html(name)}</code>: <code>${html(text.trimEnd())}</code>`).join('')}`
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const loaded = await loadPolicyDir(fileURLToPath(new URL('policies', root)))
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2))
  writeFileSync(RULES_DOC, generateRulesDoc(loaded.value, existsSync(CORPUS) ? corpusFindings(loaded.value) : null))
  console.log(`wrote ${RULES_DOC}`)
}
