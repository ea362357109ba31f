import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { sendProblem } from '../../src/routes/problem-reply.js'
import { build, POLICY_DIR, specErrors } from '../helpers.js'

// GET /metrics: Prometheus text, with what the app did counted in it.
const LATEST = 'FROM alpine:latest\nUSER 10001\nCMD ["true"]\n'

interface Sample { name: string, labels: Record<string, string>, value: number }
interface Exposition { types: Map<string, string>, samples: Sample[], bad: string[] }

// The text format as Prometheus (and prom-client's own tests) read it: `# HELP`/`# TYPE` comments, then
// `name{label="value",...} number` lines.
function parseExposition (text: string): Exposition {
  const types = new Map<string, string>()
  const samples: Sample[] = []
  const bad: string[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type !== null) { types.set(type[1] as string, type[2] as string); continue }
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    const value = parseValue(sample?.[3] ?? '')
    if (sample === null || value === undefined) { bad.push(line); continue }
    const labels: Record<string, string> = {}
    for (const [, key, raw] of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = raw as string
    samples.push({ name: sample[1] as string, labels, value })
  }
  return { types, samples, bad }
}

// Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any case (prom-client writes "Nan").
function parseValue (text: string): number | undefined {
  if (/^nan$/i.test(text)) return NaN
  if (/^[+-]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity
  const value = Number(text)
  return text !== '' && !Number.isNaN(value) ? value : undefined
}

async function scrape (app: Awaited<ReturnType<typeof build>>): Promise<Exposition & { value: (name: string, labels?: Record<string, string>) => number }> {
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`)
  const parsed = parseExposition(res.body)
  const value = (name: string, labels: Record<string, string> = {}): number => parsed.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0)
  return { ...parsed, value }
}

t.test('answers the Prometheus text format, with types for every metric', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.same(specErrors('/metrics', 'GET', res), [])
  const { types, bad, samples } = await scrape(app)
  t.same(bad, [], 'every line parses')
  t.ok(samples.length > 0)
  t.same({
    requests: types.get('plimsoll_http_request_duration_seconds'),
    evaluations: types.get('plimsoll_evaluations_total'),
    policies: types.get('plimsoll_policy_evaluations_total'),
    findings: types.get('plimsoll_findings_total'),
    reloads: types.get('plimsoll_policy_reloads_total'),
    reloadFailures: types.get('plimsoll_policy_reload_failures_total'),
    problems: types.get('plimsoll_problems_total'),
    deadlines: types.get('plimsoll_evaluation_deadline_hits_total'),
    limits: types.get('plimsoll_limit_refusals_total'),
    lag: types.get('nodejs_eventloop_lag_seconds'),
    cpu: types.get('process_cpu_seconds_total'),
  }, {
    requests: 'histogram',
    evaluations: 'counter',
    policies: 'counter',
    findings: 'counter',
    reloads: 'counter',
    reloadFailures: 'counter',
    problems: 'counter',
    deadlines: 'counter',
    limits: 'counter',
    lag: 'gauge',
    cpu: 'counter',
  })
  for (const name of new Set(samples.map((s) => s.name))) {
    t.ok(types.has(name.replace(/_(bucket|sum|count)$/, '')) || types.has(name), `${name} has a # TYPE`)
  }
})

t.test('each app counts its own evaluations, verdicts, findings and request durations', async (t) => {
  const app = await build(t)
  const other = await build(t)
  const before = await scrape(app)
  t.equal(before.value('plimsoll_evaluations_total', { verdict: 'warn' }), 0, 'every verdict is listed from the start')
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: LATEST })
  t.equal(res.statusCode, 200)
  const verdict = res.json()
  const batch = await app.inject({ method: 'POST', url: '/v1/evaluate/batch', payload: { files: [{ path: 'a/Dockerfile', dockerfile: LATEST }, { path: 'b/Dockerfile', dockerfile: LATEST }] } })
  t.equal(batch.statusCode, 200)
  await app.inject({ method: 'GET', url: '/v1/policies/docker-best-practices' })

  const after = await scrape(app)
  t.equal(after.value('plimsoll_evaluations_total', { verdict: verdict.verdict }), 3, 'one evaluation and two batch files')
  t.equal(after.value('plimsoll_evaluations_total'), 3)
  t.equal(after.value('plimsoll_findings_total', { rule: 'base-image-not-latest', policy: 'docker-best-practices' }), 3)
  t.equal(after.value('plimsoll_findings_total'), 3 * verdict.findings.length, 'every finding, by rule')
  t.equal(after.value('plimsoll_policy_evaluations_total', { policy: 'docker-best-practices', verdict: 'warn' }), 3, 'the policy\'s own verdict: a warning')
  t.equal(after.value('plimsoll_policy_evaluations_total'), 3 * verdict.policySet.policies.length, 'each applied policy once per evaluation')
  t.equal(after.value('plimsoll_http_request_duration_seconds_count', { method: 'POST', route: '/v1/evaluate', status_code: '200' }), 1)
  t.equal(after.value('plimsoll_http_request_duration_seconds_count', { method: 'POST', route: '/v1/evaluate/batch', status_code: '200' }), 1)
  t.equal(after.value('plimsoll_http_request_duration_seconds_count', { route: '/v1/policies/:id' }), 1, 'the route pattern, not the URL')
  t.notOk(after.samples.some((s) => s.labels.route === '/v1/policies/docker-best-practices'))
  t.ok(after.value('plimsoll_http_request_duration_seconds_sum', { route: '/v1/evaluate' }) > 0)
  t.equal(after.value('plimsoll_http_request_duration_seconds_bucket', { route: '/v1/evaluate', le: '+Inf' }), 1)

  t.equal((await scrape(other)).value('plimsoll_evaluations_total'), 0, 'another app\'s registry is its own')
})

t.test('reloads and failed reloads are counted', async (t) => {
  const dir = t.testdir()
  copyFileSync(join(POLICY_DIR, 'docker-best-practices.yaml'), join(dir, 'docker-best-practices.yaml'))
  const app = await build(t, { policyDir: dir })
  t.match(await app.policyStore.reload(), { ok: true })
  writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: plimsoll/v1\nkind: Policy\nmetadata: [not, a, map\n')
  t.match(await app.policyStore.reload(), { ok: false })
  const after = await scrape(app)
  t.equal(after.value('plimsoll_policy_reloads_total'), 2)
  t.equal(after.value('plimsoll_policy_reload_failures_total'), 1)
})

t.test('problems are counted by status and code, deadline hits and cap refusals on their own too', async (t) => {
  const app = await build(t)
  // Stand-ins for the evaluation deadline and the caps: whoever answers them, the metrics read the problem sent.
  app.get('/test/deadline', async (request, reply) => sendProblem(request, reply, 503, 'too slow', [{ code: 'evaluation.deadline', message: 'too slow' }]))
  app.get('/test/cap', async (request, reply) => sendProblem(request, reply, 413, 'too many', [{ code: 'limit.instructions', message: 'too many' }]))
  app.get('/test/second-cap', async (request, reply) => sendProblem(request, reply, 422, 'two problems', [{ code: 'input.other', message: 'other' }, { code: 'limit.stages', message: 'too many' }]))
  const wrong = await app.inject({ method: 'POST', url: '/v1/evaluate', payload: { dockerfile: 123 } })
  t.equal(wrong.statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/test/deadline' })).statusCode, 503)
  t.equal((await app.inject({ method: 'GET', url: '/test/cap' })).statusCode, 413)
  t.equal((await app.inject({ method: 'GET', url: '/test/second-cap' })).statusCode, 422)
  const after = await scrape(app)
  t.equal(after.value('plimsoll_problems_total', { status: '400', code: 'input.invalid' }), 1)
  t.equal(after.value('plimsoll_problems_total', { status: '404', code: 'http-404' }), 1)
  t.equal(after.value('plimsoll_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }), 1)
  t.equal(after.value('plimsoll_evaluation_deadline_hits_total'), 1)
  t.equal(after.value('plimsoll_limit_refusals_total', { code: 'limit.instructions' }), 1)
  t.equal(after.value('plimsoll_limit_refusals_total', { code: 'limit.stages' }), 1, 'a cap that is not the first error')
  t.equal(after.value('plimsoll_problems_total', { status: '422', code: 'input.other' }), 1)
  t.equal(after.value('plimsoll_problems_total'), 5)
  t.equal(after.value('plimsoll_evaluations_total'), 0, 'a refused request is no evaluation')
})
