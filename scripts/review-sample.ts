// The real-world review's sample of one rule: its error and warning findings (default rules) on the files
// under review (../shared/corpus/real/more-a and more-b), evenly spaced in file order, each with the lines
// it points at, and a docs/review-notes.yaml entry to fill in.
// `node --import=tsx scripts/review-sample.ts <rule-id> [sample size, default 30]`
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadPolicyDir } from '../src/policy/load.js'
import { CORPUS, corpusFindings, reviewSample } from './rules-doc.js'

const [rule, size] = [process.argv[2]!, Number(process.argv[3] ?? 30)]
const set = await loadPolicyDir('policies')
if (!set.ok) throw new Error(JSON.stringify(set.problems))
const all = corpusFindings(set.value).filter((f) => f.ruleId === rule && f.reviewed)
const sample = reviewSample(all, size)
console.log(`# ${rule}: ${all.length} findings on ${new Set(all.map((f) => f.at)).size} lines; sample of ${sample.length} lines`)
for (const at of sample) {
  const [file, line] = [at.slice(0, at.lastIndexOf(':')), Number(at.slice(at.lastIndexOf(':') + 1))]
  const lines = readFileSync(join(CORPUS, file), 'utf8').split('\n')
  console.log(`\n# ${all.find((f) => f.at === at)!.message.slice(0, 300)}`)
  for (let n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 2); n++) console.log(`#${n === line ? '>' : ' '}${String(n).padStart(4)}| ${lines[n - 1]!.slice(0, 160)}`)
  console.log(`- { at: "${at}", verdict: , why: "" }`)
}
