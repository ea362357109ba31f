import Fastify from 'fastify'
import t from 'tap'
import { deadlineProblem } from '../../src/evaluation/deadline.js'
import { sendProblems } from '../../src/routes/problem-reply.js'
import { evaluate } from '../../src/evaluate.js'
import { EvaluationPool } from '../../src/evaluation/pool.js'
import { DEFAULT_LIMITS } from '../../src/inputs/limits.js'
import { loadPolicyDir } from '../../src/policy/load.js'
import { build, POLICY_DIR, specErrors } from '../helpers.js'
import { policyYaml } from '../property-arbitraries.js'

// The evaluation deadline (EVALUATION_DEADLINE_MS): checked between rules, and enforced by terminating a worker
// that does not get there, while health checks keep answering. Worker threads start slowly under tap's loader
// (seconds each), so the app with one worker serves every HTTP test of this file.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error('the shipped policies do not load')
const set = loaded.value

// Facts for 200,000 shell commands take minutes, all before the first rule: only terminating the worker stops them.
const STUCK = 'FROM alpine:3.20\n' + ('RUN ' + 'a | '.repeat(1000) + 'b\n').repeat(200)
const UNCAPPED = { ...DEFAULT_LIMITS, commands: 1_000_000, lineLength: 1_000_000 }
const FINE = 'FROM python:3.12-slim\nUSER 10001\nCMD ["python", "app.py"]\n'

t.test('an evaluation past its deadline stops between rules', async (t) => {
  const result = evaluate(set, { dockerfile: FINE }, { defaultFailOn: 'none', deadline: { at: Date.now() - 1, ms: 5 } })
  t.match(result, { ok: false, problems: [{ code: 'evaluation.deadline', message: /longer than its deadline of 5 ms \(EVALUATION_DEADLINE_MS\)/ }] })
})

t.test('a worker stuck past the deadline is terminated and replaced; health answers meanwhile', async (t) => {
  const app = await build(t, { workers: 1, deadlineMs: 300, limits: UNCAPPED, verdictCache: 0 })
  const post = (dockerfile: string) => app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: dockerfile })
  t.equal((await post(FINE)).statusCode, 200, 'the worker is up')

  const order: string[] = []
  const stuck = post(STUCK).then((res) => { order.push('evaluation'); return res })
  const health = app.inject('/healthz').then((res) => { order.push('health'); return res })
  const [slow, healthz] = await Promise.all([stuck, health])
  t.equal(healthz.statusCode, 200)
  t.same(order, ['health', 'evaluation'], '/healthz answered while the worker was busy')
  t.equal(slow.statusCode, 503)
  t.match(slow.json(), { status: 503, errors: [{ code: 'evaluation.deadline', message: /deadline of 300 ms/ }] })
  t.same(specErrors('/v1/evaluate', 'POST', slow), [], 'documented in openapi.yaml')
  // With one worker, an answer now means the stuck one is gone: left running, it would hold the pool for minutes.
  t.equal((await post(FINE)).statusCode, 200, 'a new worker evaluates the next request')
  const parse = await app.inject({ method: 'POST', url: '/v1/parse', headers: { 'content-type': 'text/plain' }, payload: STUCK })
  t.match(parse.json(), { status: 503, errors: [{ code: 'evaluation.deadline' }] }, '/v1/parse has the same deadline')
  const validate = await app.inject({ method: 'POST', url: '/v1/policies/validate', headers: { 'content-type': 'application/yaml' }, payload: policyYaml({ example: STUCK }) })
  t.match(validate.json(), { status: 503, errors: [{ code: 'evaluation.deadline' }] }, 'and /v1/policies/validate, whose examples are the caller\'s')
})

t.test('with every worker busy and the queue full, a request is refused at once, with Retry-After', async (t) => {
  const pool = new EvaluationPool({ workers: 1, deadlineMs: 60_000 })
  t.teardown(() => pool.close())
  const results = await Promise.all(Array.from({ length: 60 }, (_, i) => pool.evaluate(set, { dockerfile: `${FINE}# ${i}\n` }, { defaultFailOn: 'none' })))
  const refused = results.filter((result) => !result.ok)
  t.ok(refused.length >= 60 - 36 && refused.length < 60, `${refused.length} of 60 refused: one worker holds 4 and 32 wait`)
  t.match(refused[0], { ok: false, problems: [{ code: 'evaluation.overloaded', message: /^all 1 evaluation workers are busy/ }] })

  const app = Fastify()
  app.get('/busy', (request, reply) => sendProblems(request, reply, refused[0]?.ok === false ? refused[0].problems : []))
  app.get('/late', (request, reply) => sendProblems(request, reply, [deadlineProblem(300)]))
  const busy = await app.inject('/busy')
  t.match(busy, { statusCode: 503, headers: { 'retry-after': '1', 'content-type': 'application/problem+json; charset=utf-8' } })
  const late = await app.inject('/late')
  t.equal(late.statusCode, 503)
  t.notOk(late.headers['retry-after'], 'the same input would be as slow again: no Retry-After')
})
