import t from 'tap'
import { build, specErrors } from '../helpers.js'
import { validateFacts } from '../facts-validator.js'

const DOCKERFILE = 'ARG PY=3.12\nFROM python:${PY}-slim\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install flask==3.0.3\nUSER app\n'

t.test('POST /v1/parse answers the facts for a raw Dockerfile', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/parse', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/parse', 'POST', res), [])
  const facts = res.json()
  t.same(validateFacts(facts), [], 'the answer matches the published facts schema')
  t.match(facts, { finalStage: 0, stages: [{ from: { text: 'python:3.12-slim', tag: '3.12-slim' }, user: { name: 'app' } }] })
  t.match(facts.instructions[2], { keyword: 'RUN', line: 3, endLine: 4, flags: [{ name: 'mount', options: { type: 'cache' } }], commands: [{ program: 'pip', line: 4 }] })
})

t.test('POST /v1/parse takes context files as JSON', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/parse', payload: { dockerfile: 'FROM a:1', files: { '.dockerignore': '.git\n', 'requirements.txt': 'flask==3.0.3\n' } } })
  t.equal(res.statusCode, 200)
  t.match(res.json().context, { provided: true, names: ['.dockerignore', 'requirements.txt'], dockerignore: { present: true, patterns: ['.git'] } })
})

t.test('POST /v1/parse refuses what /v1/evaluate refuses', async (t) => {
  const app = await build(t)
  for (const [payload, type, status] of [['  ', 'text/plain', 400], [{ dockerfile: 'FROM a', policies: [] }, 'application/json', 400], ['<x/>', 'application/xml', 415]] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/parse', headers: { 'content-type': type }, payload: payload as never })
    t.equal(res.statusCode, status)
    t.same(specErrors('/v1/parse', 'POST', res), [])
  }
})

t.test('GET /v1/schema/facts serves the facts JSON Schema', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/schema/facts' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/schema\+json/)
  t.match(res.json(), { $id: 'https://plimsoll.dev/schemas/facts-v1.json', definitions: { DockerfileFacts: Object, ShellCommand: Object } })
  t.same(specErrors('/v1/schema/facts', 'GET', res), [])
})

t.test('GET /v1/schema/policy serves the policy format\'s JSON Schema', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/schema/policy' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { $id: 'https://plimsoll.dev/schemas/policy-v1.json', properties: { kind: { const: 'Policy' } } })
  t.same(specErrors('/v1/schema/policy', 'GET', res), [])
})
