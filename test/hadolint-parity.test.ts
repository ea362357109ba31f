import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { stringify } from 'yaml'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// hadolint's own test cases (../shared/corpus/hadolint-cases.json) through the `hadolint` profile, with the
// case's config sent as .hadolint.yaml: agreement per DL code. A code with no rule aliased to it yet is
// listed as not covered, not counted as agreement.
const CASES = fileURLToPath(new URL('../../shared/corpus/hadolint-cases.json', import.meta.url))

interface Case { rule: string, dockerfile: string, expect: 'fail' | 'pass', count?: number, config?: Record<string, unknown>, name: string, line: number }

if (!existsSync(CASES)) {
  t.test('hadolint parity', { skip: `${CASES} is absent (it ships beside the repo in CI, not in a clone)` }, async () => {})
} else {
  const loaded = await loadPolicyDir(POLICY_DIR)
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
  const set = loaded.value
  const aliased = new Set(set.policies.flatMap((p) => p.rules.flatMap((r) => r.aliases)))
  const cases = (JSON.parse(readFileSync(CASES, 'utf8')) as Case[]).filter((c) => /^DL\d{4}$/.test(c.rule))

  // hadolint's snippets often have no FROM, which Docker refuses; the harness puts one before them so that
  // their instructions belong to a stage (agreement counts findings, so the shifted lines do not matter).
  // Not where the snippet names stages by index (`COPY --from=0`): an added stage would change what it means.
  const withFrom = (text: string): string => /^\s*from\s/im.test(text) || /--from=\d/.test(text) ? `${text}\n` : `FROM scratch AS hadolint-case\n${text}\n`

  /** True when the engine agrees with hadolint on this case. */
  const agrees = (c: Case): boolean => {
    const files: Record<string, string> = c.config === undefined ? {} : { '.hadolint.yaml': stringify(c.config) }
    const result = evaluate(set, { dockerfile: withFrom(c.dockerfile), files, profile: 'hadolint' })
    if (!result.ok) return false
    const hits = result.value.findings.filter((f) => f.aliases.includes(c.rule)).length
    if (c.expect === 'pass') return hits === 0
    return c.count === undefined ? hits > 0 : hits === c.count
  }

  const byCode = new Map<string, Case[]>()
  for (const c of cases) byCode.set(c.rule, [...byCode.get(c.rule) ?? [], c])
  const table: string[] = []
  let agreed = 0
  let run = 0
  const uncovered: string[] = []
  for (const [code, list] of [...byCode.entries()].sort()) {
    if (!aliased.has(code)) {
      uncovered.push(code)
      continue
    }
    const ok = list.filter(agrees)
    agreed += ok.length
    run += list.length
    table.push(`${code} ${ok.length}/${list.length}`)
    t.test(`${code}: agreement with hadolint's own cases`, async (t) => {
      const disagreeing = list.filter((c) => !ok.includes(c)).map((c) => `${c.expect} "${c.name}" (${JSON.stringify(c.dockerfile)})`)
      t.comment(`${ok.length}/${list.length} agree${disagreeing.length > 0 ? `; disagree: ${disagreeing.join('; ')}` : ''}`)
      // The shipped rules may differ from hadolint on purpose (each difference is in the rule's description),
      // never by much: below 80% on a code means a rule is wrong.
      t.ok(ok.length / list.length >= 0.8, `${code}: ${ok.length}/${list.length}`)
    })
  }
  t.comment(`hadolint parity: ${agreed}/${run} cases agree (${run === 0 ? 0 : (100 * agreed / run).toFixed(1)}%) over ${table.length} covered DL codes`)
  t.comment(`per code: ${table.join(', ')}`)
  t.comment(`DL codes with no rule yet (${uncovered.length}): ${uncovered.join(', ')}`)
  t.test('the covered codes agree overall', async (t) => {
    t.ok(run > 0 && agreed / run >= 0.97, `${agreed}/${run}`)
  })
}
