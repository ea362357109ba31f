import fc from 'fast-check'
import t from 'tap'
import { build } from '../helpers.js'
import { anyRequest, costlyRequest, deepNestingRequest, enormousLineRequest, multipartRequest, policyYaml, wrongTypeRequest, type Sent } from '../property-arbitraries.js'

// Whatever is posted to the API (arbitrary bytes, any unicode, enormous lines, deep nesting, wrong types) the
// answer is never a 5xx, always a JSON body (but for report formats asked for as text), and every 4xx is a
// problem document whose `status` is the HTTP status and which says what was wrong. A second app, with a
// worker and the 2 s deadline, gets the costly inputs: each answers (a 503 at worst) and health keeps answering.
//
// Runs are seeded: PROPERTY_SEED=<n> replays another seed, and a failure prints the seed and path to replay it.
const seed = Number(process.env.PROPERTY_SEED ?? 20261130)
t.comment(`fast-check seed ${seed}`)

// Evaluation on the HTTP thread, as tests run it. Its deadline is far away: here any 5xx is a failure.
const app = await build(t, { workers: 0, deadlineMs: 60_000 })

interface Answer { statusCode: number, headers: Record<string, unknown>, body: string }

const inject = (sent: Sent): Promise<Answer> =>
  app.inject({ method: 'POST', url: sent.url, headers: { 'content-type': sent.contentType }, payload: sent.payload })

// Formats answered as text or XML when asked for: a report's junit, checkstyle, github or text, compare's markdown.
const TEXT_FORMAT = /[?&]format=(junit|checkstyle|github|text|markdown)\b/
const JSON_TYPE = /^application\/(json|problem\+json|[a-z0-9.-]+\+json)$/
const BUSY_CODES = ['evaluation.deadline', 'evaluation.overloaded']

/** What is wrong with `res` as the answer to `sent`; empty when it keeps every promise. */
function violations (sent: Sent, res: Answer, { busyAllowed = false } = {}): string[] {
  const found: string[] = []
  const type = String(res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''
  let body: unknown
  let json = false
  try {
    body = JSON.parse(res.body)
    json = true
  } catch {
    // not JSON: allowed only for a report asked for as text
  }
  const problem = type === 'application/problem+json'
  const report = !problem && res.statusCode < 500 && (res.statusCode < 400 || res.statusCode === 422)
  if (report && TEXT_FORMAT.test(sent.url)) {
    if (res.body === '') found.push(`an empty ${type} report`)
  } else {
    if (!JSON_TYPE.test(type)) found.push(`content-type ${type || '(none)'}, not JSON`)
    if (!json) found.push(`a body JSON.parse refuses: ${res.body.slice(0, 120)}`)
  }
  const doc = (json && typeof body === 'object' && body !== null ? body : {}) as { status?: unknown, detail?: unknown, errors?: unknown, type?: unknown, verdict?: unknown, summary?: unknown }
  const busy = res.statusCode === 503 && problem && Array.isArray(doc.errors) && BUSY_CODES.includes((doc.errors[0] as { code?: string } | undefined)?.code ?? '')
  if (res.statusCode >= 500 && !(busyAllowed && busy)) found.push(`a ${res.statusCode}: ${res.body.slice(0, 300)}`)
  // A failing verdict is a 422 too, answered as the report itself (curl --fail-with-body fails the step).
  const verdict = res.statusCode === 422 && !problem && /^\/v1\/evaluate/.test(sent.url)
  if (res.statusCode >= 400 && !verdict) {
    if (!problem) found.push(`a ${res.statusCode} as ${type}, not application/problem+json`)
    if (doc.status !== res.statusCode) found.push(`problem status ${String(doc.status)} under HTTP ${res.statusCode}`)
    if (typeof doc.type !== 'string' || !doc.type.startsWith('urn:plimsoll:problem:')) found.push(`problem type ${String(doc.type)}`)
    const errors = Array.isArray(doc.errors) && doc.errors.length > 0
    if (!errors && !(typeof doc.detail === 'string' && doc.detail !== '')) found.push('a problem with neither errors nor detail')
  }
  if (verdict && json && (typeof doc.verdict !== 'string' && typeof doc.summary !== 'object')) found.push('a 422 that is neither a problem nor a verdict')
  if (sent.wrongType === true && (res.statusCode < 400 || res.statusCode >= 500)) found.push(`a field of the wrong type answered ${res.statusCode}, not a 4xx`)
  if (sent.protoKey === true && !(res.statusCode === 400 && String(doc.type).endsWith('input_prototype_key'))) found.push(`a __proto__ key answered ${res.statusCode} ${String(doc.type)}, not the prototype-key 400`)
  // Nothing sent may reach a shared prototype.
  if (Object.keys(Object.prototype).length > 0 || Object.keys(Array.prototype).length > 0) found.push(`a prototype was polluted: ${Object.keys(Object.prototype).join(', ')}`)
  return found
}

const describe = (sent: Sent): string => `${sent.label} → POST ${sent.url} (${sent.contentType}, ${sent.payload.length} ${typeof sent.payload === 'string' ? 'characters' : 'bytes'})`

/** Posts what `arbitrary` makes to the app: any violation fails the property, naming the request that caused it. */
async function holds (arbitrary: fc.Arbitrary<Sent>, numRuns: number, tally: Map<string, number>): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, async (sent) => {
    const res = await inject(sent)
    tally.set(String(res.statusCode), (tally.get(String(res.statusCode)) ?? 0) + 1)
    const found = violations(sent, res)
    if (found.length > 0) throw new Error(`${describe(sent)}: ${found.join('; ')}`)
  }), { numRuns, seed })
}

const summary = (tally: Map<string, number>): string => [...tally].sort().map(([status, n]) => `${status} ×${n}`).join(', ')

t.test('arbitrary bytes, unicode and JSON to every route: never a 5xx, always JSON, 4xx as problems', async (t) => {
  const tally = new Map<string, number>()
  await holds(anyRequest, 200, tally)
  t.comment(summary(tally))
  // Refusals and verdicts both: the generator reaches past the parsers.
  t.ok(tally.has('200') && tally.has('400') && tally.has('415'), summary(tally))
})

t.test('wrong types and prototype keys in JSON fields are 400 problems, never coerced', async (t) => {
  const tally = new Map<string, number>()
  await holds(wrongTypeRequest, 200, tally)
  t.comment(summary(tally))
  t.same([...tally.keys()], ['400'])
})

t.test('deep nesting in scripts, variables, JSON and YAML: a cap, a verdict or a refusal', async (t) => {
  const tally = new Map<string, number>()
  await holds(deepNestingRequest, 120, tally)
  t.comment(summary(tally))
  t.ok(tally.has('422'), 'some nesting is past MAX_SHELL_DEPTH or MAX_YAML_DEPTH')
})

t.test('enormous lines in a Dockerfile or a policy', async (t) => {
  // Context files are read whole (MAX_CONTEXT_FILE, not MAX_LINE_LENGTH) and take seconds on this thread: they go
  // to the app with a deadline below.
  const tally = new Map<string, number>()
  await holds(enormousLineRequest(['dockerfile', 'dockerfile', 'dockerfile', 'policy']), 40, tally)
  t.comment(summary(tally))
  t.ok(tally.has('413'), 'lines past MAX_LINE_LENGTH are refused')
})

// Seconds of work each on this machine (4.6 s and 8 s in process): always run, so that the deadline is met at least once.
const SLOW: Sent[] = [
  { url: '/v1/evaluate', contentType: 'application/json', payload: JSON.stringify({ dockerfile: 'FROM python:3.12-slim\nCOPY . /app\n', files: { '.dockerignore': 'x'.repeat(1_000_000) } }), label: 'a .dockerignore line of a million characters' },
  { url: '/v1/parse', contentType: 'application/json', payload: JSON.stringify({ dockerfile: 'FROM python:3.12-slim\n', files: { 'requirements.txt': '['.repeat(200_000) } }), label: 'a requirements.txt line of 200,000 [' },
]

t.test('with a worker and the 2 s deadline, costly inputs answer and health keeps answering', async (t) => {
  const deadlined = await build(t, { workers: 1, deadlineMs: 2000, verdictCache: 0 })
  // The worker compiles the policies on its first task.
  await deadlined.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: 'FROM alpine:3.20\n' })
  const tally = new Map<string, number>()
  let slowestHealth = 0
  let slowest = { ms: 0, label: '' }
  const costly = fc.oneof({ arbitrary: costlyRequest, weight: 3 }, enormousLineRequest(['context']), deepNestingRequest)
  await fc.assert(fc.asyncProperty(costly, async (sent) => {
    const sentAt = Date.now()
    const answer = deadlined.inject({ method: 'POST', url: sent.url, headers: { 'content-type': sent.contentType }, payload: sent.payload })
    // Health answers while the request is in the worker.
    const started = Date.now()
    const health = await deadlined.inject({ method: 'GET', url: '/healthz' })
    slowestHealth = Math.max(slowestHealth, Date.now() - started)
    if (health.statusCode !== 200) throw new Error(`${describe(sent)}: /healthz answered ${health.statusCode} beside it`)
    // A hang is what this catches, not a slow machine: 30 s is fifteen deadlines.
    let timer: ReturnType<typeof setTimeout> | undefined
    const res = await Promise.race([answer, new Promise<undefined>((resolve) => { timer = setTimeout(() => { resolve(undefined) }, 30_000) })])
    clearTimeout(timer)
    if (res === undefined) throw new Error(`${describe(sent)}: no answer within 30 s`)
    if (Date.now() - sentAt > slowest.ms) slowest = { ms: Date.now() - sentAt, label: `${sent.label} (${res.statusCode})` }
    tally.set(String(res.statusCode), (tally.get(String(res.statusCode)) ?? 0) + 1)
    const found = violations(sent, res, { busyAllowed: true })
    if (found.length > 0) throw new Error(`${describe(sent)}: ${found.join('; ')}`)
  }), { numRuns: 8, seed, examples: SLOW.map((sent) => [sent]) })
  t.comment(`${summary(tally)}; slowest answer ${slowest.ms} ms, ${slowest.label}; slowest /healthz beside them ${slowestHealth} ms`)
  t.pass('every costly request answered')
})

// Found by the properties above (500s before readMultipart and the policy examples answered them as problems).
t.test('multipart forms cut short or without a boundary', async (t) => {
  // The smallest: a file part whose closing boundary never comes (ERR_STREAM_PREMATURE_CLOSE from part.toBuffer()).
  const cut = await inject({ url: '/v1/evaluate', contentType: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="dockerfile"; filename="Dockerfile"\r\n\r\nFROM alpine:3.20\n', label: 'a file part cut short' })
  t.equal(cut.statusCode, 400, 'a file part cut short')
  // "Multipart: Boundary not found", thrown by busboy from request.parts().
  const bare = await inject({ url: '/v1/evaluate', contentType: 'multipart/form-data', payload: 'FROM alpine:3.20\n', label: 'no boundary' })
  t.equal(bare.statusCode, 400, 'multipart/form-data without a boundary')
  const run = await fc.check(fc.asyncProperty(multipartRequest, async (sent) => {
    const found = violations(sent, await inject(sent))
    if (found.length > 0) throw new Error(`${describe(sent)}: ${found.join('; ')}`)
  }), { numRuns: 100, seed })
  t.notOk(run.failed, fc.defaultReportMessage(run)?.split('\n').slice(0, 4).join(' ') ?? 'every form answered as promised')
})

t.test('a policy example past a cap', async (t) => {
  const res = await inject({ url: '/v1/policies/validate', contentType: 'application/yaml', payload: policyYaml({ example: `FROM python:latest\n${'RUN echo hi\n'.repeat(2001)}` }), label: 'an example of 2,002 instructions' })
  t.not(res.statusCode, 500, 'the example fails (or the policy is refused), not a 500')
  t.match(res.body, /the example is past a cap: the Dockerfile: more than 2000 instructions/)
})
