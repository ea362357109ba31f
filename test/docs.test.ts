import { readFile, readdir } from 'node:fs/promises'
import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { runExamples } from '../src/policy/examples.js'
import { hadolintConfig } from '../src/policy/hadolint-config.js'
import { compilePolicySet } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// docs/policies.md shows every feature with an example; this keeps those examples true.
const guide = await readFile(new URL('../docs/policies.md', import.meta.url), 'utf8')
const blocks = (language: string): string[] => [...guide.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string)
const shipped = await Promise.all((await readdir(POLICY_DIR)).filter((name) => name.endsWith('.yaml')).map(async (name) => ({ name, text: await readFile(`${POLICY_DIR}/${name}`, 'utf8') })))
const documents = blocks('yaml').filter((text) => text.startsWith('apiVersion:'))
const set = compilePolicySet([...shipped, ...documents.map((text, i) => ({ name: `guide-${i}.yaml`, text }))])

t.test('every policy, profile and waiver in the guide compiles beside the shipped packs', async (t) => {
  t.same(documents.map((d) => /^kind: (\w+)/m.exec(d)?.[1]), ['Policy', 'Profile', 'Waivers'])
  t.same(set.ok ? [] : set.problems, [])
})

t.test('the guide\'s rule passes its own examples', async (t) => {
  if (!set.ok) return
  const rule = set.value.policies.find((p) => p.name === 'team-rules')?.rules[0]
  t.ok(rule !== undefined)
  if (rule !== undefined) t.same(runExamples(rule).filter((r) => !r.ok).map((r) => r.message), [])
})

t.test('the guide\'s .hadolint.yaml reads without problems', async (t) => {
  const config = blocks('yaml').find((text) => text.startsWith('ignored:')) ?? ''
  t.match(hadolintConfig({ '.hadolint.yaml': config }), { ignored: ['DL3008'], problems: [], failOn: 'warning' })
})

t.test('the guide\'s pragmas suppress what it says, visibly', async (t) => {
  if (!set.ok) return
  const verdict = evaluate(set.value, { dockerfile: blocks('dockerfile')[0] ?? '', policies: ['docker-best-practices'] })
  if (!verdict.ok) throw new Error(JSON.stringify(verdict.problems))
  t.same(verdict.value.suppressed.map((s) => [s.ruleId, s.suppression.kind, s.suppression.reason]).sort(), [
    ['copy-not-add', 'hadolint-inline', ''],
    ['expose-declared', 'global', 'a worker, it listens on nothing'],
    ['pip-no-cache', 'inline', 'the cache is wiped in the next layer'],
  ])
  t.notOk(verdict.value.findings.some((f) => ['copy-not-add', 'expose-declared', 'pip-no-cache'].includes(f.ruleId)))
})
