import t from 'tap'
import { build, specErrors } from '../helpers.js'

// Warnings and infos, and one error (workdir-absolute, line 4) for failOn=error to catch.
const BAD = 'FROM python:latest\nMAINTAINER me\nADD . /app\nWORKDIR app\nRUN cd /app && pip install -r requirements.txt\nCMD python app.py\n'
const GOOD = [
  'FROM python:3.12-slim@sha256:' + 'a'.repeat(64),
  'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH',
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN python -m venv /opt/venv && pip install --no-cache-dir -r requirements.txt',
  'COPY app/ ./app/',
  'USER 10001',
  'EXPOSE 8000',
  'CMD ["gunicorn", "app:app"]',
].join('\n')

const post = (app: Awaited<ReturnType<typeof build>>, options: { url?: string, type?: string, payload: string | object }) => app.inject({
  method: 'POST',
  url: options.url ?? '/v1/evaluate',
  headers: { 'content-type': options.type ?? (typeof options.payload === 'string' ? 'text/plain' : 'application/json') },
  payload: options.payload,
})

t.test('a raw Dockerfile gets a verdict whose findings all carry lines', async (t) => {
  const app = await build(t)
  const res = await post(app, { payload: BAD })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/evaluate', 'POST', res), [])
  const verdict = res.json()
  t.equal(verdict.verdict, 'fail')
  t.ok(verdict.findings.length >= 8)
  t.ok(verdict.findings.every((f: { location: { line: number } }) => f.location.line >= 1 && f.location.line <= 6), 'every finding has a line in the file')
  t.match(verdict.findings.find((f: { ruleId: string }) => f.ruleId === 'copy-not-add'), { aliases: ['DL3020', 'DS-0005', 'CKV_DOCKER_4', 'CIS-DI-0009'], severity: 'warning', location: { line: 3, endLine: 3, stage: '0' } })
  t.match(verdict.findings.find((f: { ruleId: string }) => f.ruleId === 'workdir-absolute'), { severity: 'error', location: { line: 4 } })
  t.match(verdict, { summary: { rulesEvaluated: Number, ruleErrors: 0 }, policySet: { digest: app.policySet.digest } })
  t.ok(verdict.summary.rulesEvaluated > 50, 'the default set is every pack\'s enabled rules')
  t.ok(verdict.policySet.policies.some((p: { name: string }) => p.name === 'docker-best-practices'))
})

t.test('a good Dockerfile passes', async (t) => {
  const app = await build(t)
  const res = await post(app, { payload: GOOD })
  t.match(res.json(), { verdict: 'pass', findings: [], summary: { error: 0, warning: 0, info: 0 } })
})

t.test('JSON requests carry context files, policies and failOn', async (t) => {
  const app = await build(t)
  const res = await post(app, { payload: { dockerfile: BAD, files: { '.dockerignore': '.git\n' }, policies: ['docker-best-practices'], failOn: 'error' } })
  t.equal(res.statusCode, 422, 'an error finding reaches failOn=error')
  t.same(specErrors('/v1/evaluate', 'POST', res), [])
  t.equal(res.json().verdict, 'fail')
  const passing = await post(app, { payload: { dockerfile: GOOD, failOn: 'info' } })
  t.equal(passing.statusCode, 200)
})

t.test('query parameters work for the raw form; the JSON body wins', async (t) => {
  const app = await build(t)
  t.equal((await post(app, { url: '/v1/evaluate?failOn=warning', payload: BAD })).statusCode, 422)
  t.equal((await post(app, { url: '/v1/evaluate?failOn=none', payload: BAD })).statusCode, 200)
  t.equal((await post(app, { url: '/v1/evaluate?failOn=error&policies=docker-best-practices,%20', payload: BAD })).statusCode, 422)
  t.equal((await post(app, { url: '/v1/evaluate?failOn=error', payload: { dockerfile: BAD, failOn: 'none' } })).statusCode, 200)
})

t.test('bad requests are problem documents naming what was wrong', async (t) => {
  const app = await build(t, { bodyLimit: 2048 })
  const cases: Array<[string, Parameters<typeof post>[1], number, RegExp]> = [
    ['empty text', { payload: '  \n' }, 400, /input.empty-dockerfile/],
    ['empty JSON dockerfile', { payload: { dockerfile: '' } }, 400, /input.empty-dockerfile/],
    ['missing dockerfile', { payload: { files: {} } }, 400, /must have required property 'dockerfile'/],
    ['unknown field', { payload: { dockerfile: 'FROM a', colour: 'red' } }, 400, /additional properties: \\"colour\\"/],
    ['unknown policy', { payload: { dockerfile: 'FROM a', policies: ['nope'] } }, 400, /unknown policy \\"nope\\"; loaded: [a-z, -]*docker-best-practices/],
    ['unknown policy in query', { url: '/v1/evaluate?policies=nope', payload: 'FROM a' }, 400, /input.unknown-policy/],
    ['bad failOn', { url: '/v1/evaluate?failOn=sometimes', payload: 'FROM a' }, 400, /querystring\/failOn must be equal to one of the allowed values: error, warning, info, none/],
    ['malformed JSON', { type: 'application/json', payload: '{"dockerfile": ' }, 400, /JSON/],
    ['empty JSON body', { type: 'application/json', payload: '' }, 400, /empty/i],
    ['too large', { payload: 'FROM a\n'.repeat(400) }, 413, /too large/i],
    ['unsupported type', { type: 'application/xml', payload: '<FROM/>' }, 415, /text\/plain/],
  ]
  for (const [name, request, status, detail] of cases) {
    const res = await post(app, request)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${name}: problem+json`)
    t.match(res.body, detail, `${name}: says what was wrong`)
    t.match(res.json(), { status, instance: request.url ?? '/v1/evaluate', errors: [{ code: String }] }, `${name}: problem shape`)
    t.same(specErrors('/v1/evaluate', 'POST', res), [], `${name}: matches the spec`)
  }
})

t.test('unknown routes are 404 problems', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v2/nothing' })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { status: 404, detail: /no route GET \/v2\/nothing/ })
})

t.test('an unexpected failure is a 500 problem without internals', async (t) => {
  const app = await build(t)
  app.policySet = { ...app.policySet, policies: null as never }
  const res = await post(app, { payload: 'FROM a' })
  t.equal(res.statusCode, 500)
  t.match(res.json(), { status: 500, detail: 'the server failed to handle the request; see its log' })
  t.notMatch(res.body, /TypeError|at /)
})
