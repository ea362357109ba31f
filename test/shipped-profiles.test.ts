import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { selectRules } from '../src/evaluation/select.js'
import { POLICY_DIR } from './helpers.js'

// The shipped profiles and the default set, as a bare `curl` of a Dockerfile meets them.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
const set = loaded.value
const all = set.policies.flatMap((p) => p.rules)

t.test('the default set runs every enabled rule and no opt-in one', async (t) => {
  const selection = selectRules(set, {}, null)
  if (!selection.ok) throw new Error('refused')
  t.same(selection.value.rules.map((r) => r.id).sort(), all.filter((r) => r.enabled).map((r) => r.id).sort())
  t.ok(all.some((r) => !r.enabled), 'some rules are opt-in')
})

t.test('the hadolint profile runs exactly the rules aliased to DL codes, at hadolint severities', async (t) => {
  const selection = selectRules(set, { profile: 'hadolint' }, null)
  if (!selection.ok) throw new Error('refused')
  t.same(selection.value.rules.map((r) => r.id).sort(), all.filter((r) => r.aliases.some((a) => /^DL\d{4}$/.test(a))).map((r) => r.id).sort())
  t.equal(selection.value.rules.find((r) => r.id === 'last-user-not-root')?.severity, 'warning', 'DL3002 is a warning in hadolint')
})

t.test('the strict profile adds the opt-in rules tagged strict and fails on warnings', async (t) => {
  const selection = selectRules(set, { profile: 'strict' }, null)
  if (!selection.ok) throw new Error('refused')
  const strict = all.filter((r) => r.tags.includes('strict')).map((r) => r.id)
  t.ok(strict.length > 0)
  t.ok(strict.every((id) => selection.value.rules.some((r) => r.id === id)))
  t.equal(selection.value.failOn, 'warning')
})

t.test('a bare Dockerfile is not judged by context-file rules, and a Node image not by Python ones', async (t) => {
  const result = evaluate(set, { dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n' })
  if (!result.ok) throw new Error('refused')
  const notEvaluated = result.value.notEvaluated.map((n) => n.ruleId)
  t.ok(notEvaluated.includes('dockerignore-present'), 'needs context')
  t.ok(notEvaluated.includes('python-unbuffered'), 'the python pack does not apply')
  t.notOk(result.value.findings.some((f) => f.policy === 'python'))
})

t.test('the hadolint profile keeps DL3004 an error and DL3025 on HEALTHCHECK', async (t) => {
  const selection = selectRules(set, { profile: 'hadolint' }, null)
  if (!selection.ok) throw new Error('refused')
  t.equal(selection.value.rules.find((r) => r.id === 'no-sudo')?.severity, 'error')
  t.equal(selection.value.rules.find((r) => r.id === 'exec-form-cmd-entrypoint')?.params.execFormHealthcheck, true)
  const plain = evaluate(set, { dockerfile: 'FROM alpine:3.20\nHEALTHCHECK CMD wget -q localhost || exit 1\n' })
  const hadolint = evaluate(set, { dockerfile: 'FROM alpine:3.20\nHEALTHCHECK CMD wget -q localhost || exit 1\n', profile: 'hadolint' })
  if (!plain.ok || !hadolint.ok) throw new Error('refused')
  t.notOk(plain.value.findings.some((f) => f.ruleId === 'exec-form-cmd-entrypoint'), 'a probe may use the shell')
  t.ok(hadolint.value.findings.some((f) => f.ruleId === 'exec-form-cmd-entrypoint'), 'hadolint reports it')
})

t.test('a param that several packs declare has the same default in each (one request value sets them all)', async (t) => {
  const seen = new Map<string, { policy: string, value: unknown }>()
  for (const policy of set.policies) {
    for (const [name, spec] of Object.entries(policy.params)) {
      const first = seen.get(name)
      if (first === undefined) seen.set(name, { policy: policy.name, value: spec.default })
      else t.same(spec.default, first.value, `${name}: ${policy.name} and ${first.policy} agree`)
    }
  }
})
