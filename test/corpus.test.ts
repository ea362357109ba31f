import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { DEFAULT_LIMITS, type Limits } from '../src/inputs/limits.js'
import { validateFacts } from './facts-validator.js'
import { POLICY_DIR } from './helpers.js'

// Real Dockerfiles nobody on the team wrote (../shared/corpus/real): every one must give facts that match
// their published schema and a verdict with no rule error, and every finding must point inside the file. Each is
// judged under a quarter of every cap (MAX_INSTRUCTIONS…): a cap must leave real files far behind.
const CORPUS = fileURLToPath(new URL('../../shared/corpus/real', import.meta.url))

if (!existsSync(CORPUS)) {
  t.comment(`skipping the real-world corpus: ${CORPUS} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test('real-world corpus', { skip: `${CORPUS} is absent` }, async () => {})
} else {
  const QUARTER = Object.fromEntries(Object.entries(DEFAULT_LIMITS).map(([name, value]) => [name, Math.floor(value / 4)])) as unknown as Limits
  const set = await loadPolicyDir(POLICY_DIR)
  if (!set.ok) throw new Error('shipped policies do not load')
  const names = (await readdir(CORPUS, { recursive: true })).filter((name) => name.endsWith('Dockerfile')).sort()

  t.test('the corpus is there', async (t) => { t.ok(names.length >= 100, `${names.length} Dockerfiles`) })

  for (const name of names) {
    t.test(name, async (t) => {
      const text = await readFile(join(CORPUS, name), 'utf8')
      const lineCount = text.split('\n').length
      t.same(validateFacts(dockerfileFacts(text)), [], 'facts match the published schema')
      const result = evaluate(set.value, { dockerfile: text }, { defaultFailOn: 'none', limits: QUARTER })
      if (!result.ok) {
        t.match(result.problems, [{ code: 'input.empty-dockerfile' }], 'only an empty file is refused')
        return
      }
      t.same(result.value.ruleErrors, [], 'no rule errors')
      t.ok(result.value.findings.every((f) => f.location.line >= 1 && f.location.endLine <= lineCount), 'findings point inside the file')
    })
  }
}
