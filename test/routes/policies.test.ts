import t from 'tap'
import { build, specErrors } from '../helpers.js'

t.test('GET /v1/policies lists the loaded packs and their rule ids', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/policies' })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/policies', 'GET', res), [])
  t.match(res.json(), { digest: app.policySet.digest })
  const core = res.json().policies.find((p: { name: string }) => p.name === 'docker-best-practices')
  t.match(core, { version: '1.0.0', rules: Array })
  t.ok(core.rules.includes('last-user-not-root'))
  t.equal(res.json().policies.length, app.policySet.policies.length)
})

t.test('GET /v1/policies/{id} shows rules with their expressions and examples', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/policies/docker-best-practices' })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/policies/{id}', 'GET', res), [])
  const rule = res.json().rules.find((r: { id: string }) => r.id === 'last-user-not-root')
  t.match(rule, { severity: 'warning', scope: 'final-stage', aliases: ['DL3002', 'DS-0002', 'CKV_DOCKER_8', 'CIS-DI-0001'], when: 'stage.user.name != ""', assert: /^!stage\.user\.isRoot \|\| cel\.bind\(tools,\n/, examples: { fail: [{ dockerfile: String, files: {}, line: 2 }] } })
  t.equal(res.json().rules.find((r: { id: string }) => r.id === 'workdir-absolute').when, null, 'a rule without when says null')
})

t.test('an unknown policy is a 404 problem', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/policies/nope' })
  t.equal(res.statusCode, 404)
  t.same(specErrors('/v1/policies/{id}', 'GET', res), [])
  t.match(res.json(), { detail: /no policy named "nope"; loaded: .*docker-best-practices/ })
})
