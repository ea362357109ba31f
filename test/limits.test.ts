import t from 'tap'
import { readConfig } from '../src/config.js'
import { evaluate } from '../src/evaluate.js'
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type Limits } from '../src/inputs/limits.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { build, POLICY_DIR, specErrors } from './helpers.js'

// Bounded work per request: each input that once froze the service for seconds or minutes (issue 12) is refused
// with the cap it passed, its setting and where, instead of being judged.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error('the shipped policies do not load')
const set = loaded.value

const FROM = 'FROM alpine:3.20\n'
const bomb = (levels: number): string => ['a: &a [x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: levels }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n')

/** Each reported input, the cap it must stop at, and the pointer of the problem. */
const HOSTILE: Array<{ name: string, limit: keyof Limits, dockerfile: string, files?: Record<string, string>, pointer?: string }> = [
  { name: '2,001 RUN lines', limit: 'instructions', dockerfile: FROM + 'RUN echo hi\n'.repeat(2000) },
  { name: '20,000 heredoc RUNs', limit: 'instructions', dockerfile: FROM + 'RUN <<EOF\necho hi\nEOF\n'.repeat(20000) },
  { name: '10,000 COPYs', limit: 'instructions', dockerfile: FROM + 'COPY a b\n'.repeat(10000) },
  { name: '201 stages', limit: 'stages', dockerfile: Array.from({ length: 201 }, (_, i) => `FROM alpine:3.20 AS s${i}\n`).join('') },
  { name: 'a 900 KB line of pipes', limit: 'lineLength', dockerfile: FROM + 'RUN ' + 'a | '.repeat(225_000) + 'b\n' },
  { name: 'the same line in continuations', limit: 'lineLength', dockerfile: FROM + 'RUN ' + 'a | \\\n'.repeat(10_000) + 'b\n' },
  { name: '5,001 commands over many RUNs', limit: 'commands', dockerfile: FROM + ('RUN ' + 'a | '.repeat(100) + 'b\n').repeat(50) },
  { name: 'ENV A=$A$A 22 times', limit: 'expansion', dockerfile: FROM + 'ENV A=x\n' + 'ENV A=$A$A\n'.repeat(22) },
  { name: '3,000 nested ${a:-', limit: 'shellDepth', dockerfile: FROM + 'ENV B=' + '${a:-'.repeat(3000) + 'x' + '}'.repeat(3000) + '\n' },
  { name: '3,000 nested $(', limit: 'shellDepth', dockerfile: FROM + 'RUN ' + '$('.repeat(3000) + 'x' + ')'.repeat(3000) + '\n' },
  { name: 'a YAML alias bomb in .hadolint.yaml', limit: 'yamlAliases', dockerfile: FROM, files: { '.hadolint.yaml': bomb(9) + '\nignored: *j\n' }, pointer: '/files/.hadolint.yaml' },
  { name: '10,000 nested brackets in .hadolint.yaml', limit: 'yamlDepth', dockerfile: FROM, files: { '.hadolint.yaml': 'ignored: ' + '['.repeat(10000) + ']'.repeat(10000) }, pointer: '/files/.hadolint.yaml' },
  { name: 'a .dockerignore line of 40,000 characters', limit: 'lineLength', dockerfile: FROM, files: { '.dockerignore': `node_modules\n${'*a'.repeat(20_000)}\n` }, pointer: '/files/.dockerignore' },
  { name: 'a 1.2 MB requirements.txt', limit: 'contextFile', dockerfile: FROM, files: { 'requirements.txt': 'flask==3.0.0\n'.repeat(100_000) }, pointer: '/files/requirements.txt' },
]

t.test('each hostile input stops at its cap, named with its setting', async (t) => {
  for (const input of HOSTILE) {
    const result = evaluate(set, { dockerfile: input.dockerfile, ...(input.files && { files: input.files }) })
    const { setting } = LIMIT_SETTINGS[input.limit]
    t.match(result, { ok: false, problems: [{ code: `limit.${setting.toLowerCase().replaceAll('_', '-')}`, pointer: input.pointer ?? '/dockerfile' }] }, input.name)
    if (!result.ok) t.match(result.problems[0]?.message, new RegExp(`more than ${DEFAULT_LIMITS[input.limit]} .*${setting}`), `${input.name}: says how much and which setting`)
  }
})

t.test('a param of more than MAX_PARAM_ENTRIES entries, from the request or .hadolint.yaml, is refused', async (t) => {
  const registries = Array.from({ length: 1001 }, (_, i) => `registry${i}.example.com`)
  t.match(evaluate(set, { dockerfile: FROM, params: { trustedRegistries: registries } }), { ok: false, problems: [{ code: 'limit.max-param-entries', pointer: '/params/trustedRegistries', message: 'the param "trustedRegistries": more than 1000 entries, the cap set by MAX_PARAM_ENTRIES' }] })
  t.match(evaluate(set, { dockerfile: FROM, files: { '.hadolint.yaml': `trustedRegistries: [${registries.join(', ')}]\n` } }), { ok: false, problems: [{ code: 'limit.max-param-entries' }] })
  t.ok(evaluate(set, { dockerfile: FROM, params: { trustedRegistries: registries.slice(0, 1000) } }).ok, 'at the cap is fine')
})

t.test('findings past MAX_FINDINGS_PER_RULE refuse the evaluation', async (t) => {
  const dockerfile = FROM + 'RUN apt-get install curl\n'.repeat(12)
  const result = evaluate(set, { dockerfile }, { defaultFailOn: 'none', limits: { ...DEFAULT_LIMITS, findingsPerRule: 10 } })
  t.match(result, { ok: false, problems: [{ code: 'limit.max-findings-per-rule', message: /^rule [a-z0-9-]+: more than 10 findings of one rule/ }] })
  t.ok(evaluate(set, { dockerfile }, { defaultFailOn: 'none', limits: { ...DEFAULT_LIMITS, findingsPerRule: 12 } }).ok, 'at the cap is fine')
})

t.test('just under each cap is judged as usual', async (t) => {
  const under = [
    FROM + 'RUN echo hi\n'.repeat(1999),
    FROM + 'ENV A=x\n' + 'ENV A=$A$A\n'.repeat(14),
    FROM + 'ENV B=' + '${a:-'.repeat(60) + 'x' + '}'.repeat(60) + '\n',
    FROM + 'RUN ' + '$('.repeat(60) + 'x' + ')'.repeat(60) + '\n',
  ]
  for (const dockerfile of under) t.ok(evaluate(set, { dockerfile }).ok, dockerfile.slice(0, 40))
  t.ok(evaluate(set, { dockerfile: FROM, files: { '.hadolint.yaml': bomb(1) + '\nignored: *b\n' } }).ok, 'a few aliases')
})

t.test('over HTTP: 413 for input too large as sent, 422 for what it would grow to, as documented', async (t) => {
  const app = await build(t)
  const cases: Array<[string, number, string]> = [
    [FROM + 'COPY a b\n'.repeat(2001), 413, 'limit.max-instructions'],
    [FROM + 'ENV A=x\n' + 'ENV A=$A$A\n'.repeat(22), 422, 'limit.max-expansion'],
  ]
  for (const [dockerfile, status, code] of cases) {
    for (const url of ['/v1/evaluate', '/v1/parse']) {
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: dockerfile })
      t.equal(res.statusCode, status, `${url} ${code}`)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.match(res.json(), { status, errors: [{ code }] })
      t.same(specErrors(url, 'POST', res), [], `${url} ${status} is in openapi.yaml`)
    }
  }
  const batch = await app.inject({ method: 'POST', url: '/v1/evaluate/batch', payload: { files: [{ path: 'ok/Dockerfile', dockerfile: FROM }, { path: 'big/Dockerfile', dockerfile: FROM + 'COPY a b\n'.repeat(2001) }] } })
  t.equal(batch.statusCode, 413)
  t.match(batch.json().errors, [{ code: 'limit.max-instructions', pointer: '/files/1/dockerfile', message: /^big\/Dockerfile: the Dockerfile: more than 2000 instructions/ }], 'a batch names the file')
})

t.test('an answer over MAX_RESPONSE is a 422 problem, without the verdict headers', async (t) => {
  const app = await build(t, { maxResponse: 20_000 })
  const files = Array.from({ length: 10 }, (_, i) => ({ path: `s${i}/Dockerfile`, dockerfile: 'FROM python:3.12\nRUN pip install flask\n' }))
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate/batch', payload: { files } })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { status: 422, errors: [{ code: 'limit.max-response', message: /^the answer would have \d+ bytes, more than 20000, the cap set by MAX_RESPONSE/ }] })
  t.notOk(res.headers['plimsoll-verdict'])
  t.same(specErrors('/v1/evaluate/batch', 'POST', res), [])
  t.equal((await app.inject({ method: 'POST', url: '/v1/evaluate/batch', payload: { files: files.slice(0, 1) } })).statusCode, 200, 'a smaller answer goes out')
})

t.test('the caps and the deadline are settings', async (t) => {
  const config = readConfig({ MAX_INSTRUCTIONS: '50', EVALUATION_DEADLINE_MS: '500', MAX_RESPONSE: '100000' })
  t.match(config, { ok: true, value: { deadlineMs: 500, maxResponse: 100000, limits: { ...DEFAULT_LIMITS, instructions: 50 } } })
  t.match(readConfig({}), { ok: true, value: { deadlineMs: 2000, limits: DEFAULT_LIMITS } })
  const bad = readConfig({ MAX_STAGES: '0', EVALUATION_DEADLINE_MS: 'soon' })
  const messages = bad.ok ? '' : bad.problems.map((p) => p.message).join('\n')
  t.match(messages, /^MAX_STAGES must be an integer from 1/m)
  t.match(messages, /^EVALUATION_DEADLINE_MS must be an integer/m)
  const app = await build(t, { limits: { ...DEFAULT_LIMITS, instructions: 3 } })
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: FROM + 'USER 1\nWORKDIR /a\nCMD ["x"]\n' })
  t.match(res.json(), { status: 413, detail: 'the Dockerfile: more than 3 instructions, the cap set by MAX_INSTRUCTIONS' })
})
