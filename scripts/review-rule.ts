// Prints a sample of one rule's findings over ../shared/corpus/real, with the line each points at, for the
// real-world review: `node --import=tsx scripts/review-rule.ts <rule-id> [how many]`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'
const rule = process.argv[2]!
const set = await loadPolicyDir('policies')
if (!set.ok) throw new Error(JSON.stringify(set.problems))
const dir = '../shared/corpus/real'
let n = 0
for (const name of (readdirSync(dir, { recursive: true }) as string[]).filter((x) => x.endsWith('Dockerfile')).sort()) {
  const text = readFileSync(join(dir, name), 'utf8')
  const r = evaluate(set.value, { dockerfile: text, include: [rule] })
  if (!r.ok) continue
  for (const f of r.value.findings.filter((f) => f.ruleId === rule)) {
    if (n++ >= Number(process.argv[3] ?? 6)) process.exit(0)
    const line = text.split('\n')[f.location.line - 1] ?? ''
    console.log(`${name.slice(0, 50)}:${f.location.line}: ${line.slice(0, 110)}\n    -> ${f.message.slice(0, 150)}`)
  }
}
