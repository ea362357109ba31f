// What fixing does to the real corpus (../shared/corpus/real), for the issue's note: findings, those with a fix and
// fixes applied per rule, files changed, files whose stages stay the same, passes needed, and the guarantees of
// test/fix-corpus.test.ts. `node --import=tsx scripts/fix-corpus.ts [--profile strict]` (default selection without).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { selectRules } from '../src/evaluation/select.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { checkGuarantees, fixFile, stageShape, type Failures } from '../test/fix-guarantees.js'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/real', import.meta.url))
const { values } = parseArgs({ options: { profile: { type: 'string' } } })
if (!existsSync(CORPUS)) {
  console.error(`${CORPUS} is absent: it ships beside the repo in CI, not in a clone`)
  process.exit(1)
}

const started = performance.now()
const loaded = await loadPolicyDir(fileURLToPath(new URL('../policies', import.meta.url)))
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
const selection = values.profile === undefined ? {} : { profile: values.profile }
const selected = selectRules(loaded.value, selection, null)
if (!selected.ok) throw new Error(JSON.stringify(selected.problems))
const fixable = selected.value.rules.filter((rule) => rule.fix !== undefined).map((rule) => rule.id)
const names = readdirSync(CORPUS, { recursive: true }).map(String).filter((name) => name.endsWith('Dockerfile')).sort()

const count = (map: Map<string, number>, key: string): void => { map.set(key, (map.get(key) ?? 0) + 1) }
const withFix = new Map<string, number>()
const applied = new Map<string, number>()
const failed = new Map<string, number>()
let findings = 0
let refused = 0
let changed = 0
let sameStages = 0
let maxPasses = 0
const passFiles = new Map<string, number>()
let fixingMs = 0
let checkingMs = 0

for (const name of names) {
  const dockerfile = readFileSync(join(CORPUS, name), 'utf8')
  const t0 = performance.now()
  const run = fixFile(loaded.value, { dockerfile, ...selection }, name)
  fixingMs += performance.now() - t0
  if (run === null) { refused++; continue }
  const first = run.steps[0]?.verdict
  if (first?.ok !== true) continue
  findings += first.value.findings.length
  for (const finding of first.value.findings) if (finding.fix !== undefined) count(withFix, finding.ruleId)
  for (const fix of run.fixed.applied) count(applied, fix.ruleId)
  const passes = Math.max(0, ...run.fixed.applied.map((fix) => fix.pass))
  maxPasses = Math.max(maxPasses, passes)
  count(passFiles, String(passes))
  if (run.fixed.dockerfile !== dockerfile) changed++
  // Same stages: count, names, from.text, dependsOn and isFinal all equal (the tag too).
  const stages = (text: string): unknown => dockerfileFacts(text).stages.map(stageShape)
  if (isDeepStrictEqual(stages(dockerfile), stages(run.fixed.dockerfile))) sameStages++
  const t1 = performance.now()
  const failures: Failures = checkGuarantees(run)
  checkingMs += performance.now() - t1
  for (const [guarantee, list] of Object.entries(failures) as Array<[string, string[]]>) {
    if (list.length > 0) count(failed, guarantee)
    for (const failure of list) console.log(`${name}: ${guarantee}: ${failure}\n`)
  }
}

const total = (map: Map<string, number>): number => [...map.values()].reduce((a, b) => a + b, 0)
const table = (map: Map<string, number>): string => [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key, n]) => `  ${String(n).padStart(6)}  ${key}`).join('\n')
const judged = names.length - refused
console.log(`Selection: ${values.profile === undefined ? 'default' : `profile ${values.profile}`}; no context files`)
console.log(`Dockerfiles: ${names.length} (${refused} refused: empty)`)
console.log(`Findings (suppressed ones not counted): ${findings}`)
console.log(`Rules with a fix: ${fixable.length}; with no finding carrying one: ${fixable.filter((id) => !withFix.has(id)).sort().join(', ') || 'none'}`)
console.log(`Findings with a fix: ${total(withFix)}\n${table(withFix)}`)
console.log(`Fixes applied: ${total(applied)}\n${table(applied)}`)
console.log(`Files changed: ${changed} of ${judged}`)
console.log(`Files whose stages are the same after fixing: ${sameStages} of ${judged}`)
console.log(`Passes needed: max ${maxPasses}; files by passes: ${[...passFiles].sort().map(([p, n]) => `${p}: ${n}`).join(', ')}`)
console.log(`Files failing a guarantee: ${total(failed) === 0 ? 'none' : [...failed].map(([g, n]) => `${g} ${n}`).join(', ')}`)
console.log(`Time: ${((performance.now() - started) / 1000).toFixed(1)} s (judging and fixing ${(fixingMs / 1000).toFixed(1)} s, checking the guarantees ${(checkingMs / 1000).toFixed(1)} s)`)
