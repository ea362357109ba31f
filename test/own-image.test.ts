import { readFile } from 'node:fs/promises'
import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// The project's own Dockerfile must pass the project's own policies (no engine here to build it).
const root = new URL('../', import.meta.url)
const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8')
const files = { '.dockerignore': await readFile(new URL('.dockerignore', root), 'utf8') }

t.test('the own Dockerfile has no error finding under the shipped policies', async (t) => {
  const set = await loadPolicyDir(POLICY_DIR)
  if (!set.ok) throw new Error('shipped policies do not load')
  const result = evaluate(set.value, { dockerfile, files })
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  t.equal(result.value.summary.error, 0, result.value.findings.map((f) => `${f.location.line}: ${f.ruleId}`).join(', '))
  t.same(result.value.ruleErrors, [])
  t.same(result.value.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId), [], 'nor a warning')
})

t.test('the own image builds in stages and runs as non-root on a minimal base', async (t) => {
  const facts = dockerfileFacts(dockerfile, files)
  t.ok(facts.stages.length >= 2, 'multi-stage')
  const final = facts.stages[facts.finalStage]
  t.match(final, { user: { isRoot: false, name: /^\d+:\d+$/ }, baseImage: { repository: /distroless/ }, env: { HOST: '0.0.0.0' } })
  t.notOk(final?.keywords.includes('RUN'), 'no RUN in the distroless stage: it has no shell')
  t.match(files['.dockerignore'], /^node_modules$/m)
})
