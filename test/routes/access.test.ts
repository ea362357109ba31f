// Access (issue 12): API keys, rate limits, load shedding, security headers and CORS.
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { keyId } from '../../src/access/api-keys.js'
import { LOG_REDACT } from '../../src/access/authenticate.js'
import type { AppOptions } from '../../src/app.js'
import { readConfig, withKeyFile } from '../../src/config.js'
import { openApiDocument } from '../../src/openapi.js'
import { build, POLICY_DIR, specErrors } from '../helpers.js'

const KEY_A = 'a'.repeat(8) + '-first-key-0123456789'
const KEY_B = 'b'.repeat(8) + '-second-key-9876543210'
const DOCKERFILE = 'FROM python:3.12-slim\nCMD ["python", "app.py"]\n'

/** The app on one shipped policy (quick to compile), with the access options given. */
async function app (t: Test, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const dir = t.testdir()
  copyFileSync(join(POLICY_DIR, 'docker-best-practices.yaml'), join(dir, 'docker-best-practices.yaml'))
  return build(t, { policyDir: dir, ...options })
}

const evaluate = (app: FastifyInstance, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain', ...headers }, payload: DOCKERFILE })
const policies = (app: FastifyInstance, headers: Record<string, string> = {}, remoteAddress?: string) =>
  app.inject({ method: 'GET', url: '/v1/policies', headers, ...(remoteAddress !== undefined && { remoteAddress }) })

t.test('without keys every route is open, as before', async (t) => {
  const open = await app(t)
  t.equal((await evaluate(open)).statusCode, 200)
  t.equal((await policies(open)).statusCode, 200)
})

t.test('with keys, a /v1 route needs one: 401 problem without or with a wrong key, 200 with Bearer or X-API-Key', async (t) => {
  const locked = await app(t, { apiKeys: [KEY_A, KEY_B] })
  const missing = await evaluate(locked)
  t.equal(missing.statusCode, 401)
  t.match(missing.headers['www-authenticate'], /^Bearer realm="plimsoll"$/)
  t.match(missing.json(), { type: 'urn:plimsoll:problem:http.api_key_missing', title: 'Unauthorized', status: 401, detail: /Authorization: Bearer/ })
  t.same(specErrors('/v1/evaluate', 'POST', missing), [])

  const wrongKeys: Array<Record<string, string>> = [{ authorization: `Bearer ${KEY_A}x` }, { 'x-api-key': KEY_B.slice(1) }, { authorization: `Basic ${KEY_A}` }]
  for (const headers of wrongKeys) {
    const wrong = await evaluate(locked, headers)
    t.equal(wrong.statusCode, 401, `refused: ${Object.keys(headers)[0]}`)
    t.match(wrong.headers['www-authenticate'], headers.authorization?.startsWith('Basic') === true ? /^Bearer realm/ : /error="invalid_token"/)
  }
  t.equal((await evaluate(locked, { authorization: `Bearer ${KEY_A}` })).statusCode, 200, 'Authorization: Bearer')
  t.equal((await evaluate(locked, { authorization: `bearer ${KEY_B}` })).statusCode, 200, 'the scheme in any case')
  const viaHeader = await evaluate(locked, { 'x-api-key': KEY_B })
  t.equal(viaHeader.statusCode, 200, 'X-API-Key')
  t.same(specErrors('/v1/evaluate', 'POST', viaHeader), [])

  // Every /v1 operation of the contract, and paths no route serves: refused before their body is read.
  for (const [path, operations] of Object.entries(openApiDocument.paths).filter(([path]) => path.startsWith('/v1'))) {
    for (const method of Object.keys(operations)) {
      const res = await locked.inject({ method: method.toUpperCase() as 'GET', url: path.replace('{id}', 'docker-best-practices') })
      t.equal(res.statusCode, 401, `${method.toUpperCase()} ${path}`)
    }
  }
  t.equal((await locked.inject({ method: 'GET', url: '/v1/nowhere' })).statusCode, 401, 'an unknown path asks for a key, not a 404')
})

t.test('with keys, health, metrics, the docs and the contract stay open', async (t) => {
  const locked = await app(t, { apiKeys: [KEY_A] })
  for (const url of ['/healthz', '/readyz', '/metrics', '/openapi.yaml', '/openapi.json', '/docs', '/docs/', '/docs/json', '/docs/static/swagger-ui.css', '/docs/static/swagger-initializer.js']) {
    t.equal((await locked.inject({ method: 'GET', url })).statusCode, 200, url)
  }
})

t.test('the request carries the key\'s id, never the key', async (t) => {
  const locked = await app(t, { apiKeys: [KEY_A, KEY_B] })
  locked.get('/v1/test/caller', async (request) => ({ caller: request.callerKeyId ?? null }))
  t.match(keyId(KEY_A), /^[0-9a-f]{8}$/)
  t.same((await locked.inject({ url: '/v1/test/caller', headers: { authorization: `Bearer ${KEY_A}` } })).json(), { caller: keyId(KEY_A) })
  t.same((await locked.inject({ url: '/v1/test/caller', headers: { 'x-api-key': KEY_B } })).json(), { caller: keyId(KEY_B) })
  t.not(keyId(KEY_A), keyId(KEY_B))
})

t.test('keys from PLIMSOLL_API_KEYS_FILE: one a line, blank lines and # comments ignored', async (t) => {
  const dir = t.testdir({ keys: `# CI\n${KEY_A}\n\n  # the portal\n  ${KEY_B}  \r\n` })
  const config = withKeyFile(readConfig({ PLIMSOLL_API_KEYS_FILE: join(dir, 'keys') }))
  t.same(config.ok && config.value.apiKeys, [KEY_A, KEY_B])
  const locked = await app(t, { apiKeys: config.ok ? config.value.apiKeys : [] })
  t.equal((await policies(locked, { 'x-api-key': KEY_B })).statusCode, 200)
  t.equal((await policies(locked, { 'x-api-key': '# CI' })).statusCode, 401, 'a comment is no key')
})

t.test('keys never reach the log, even with request headers logged', async (t) => {
  let output = ''
  const stream = new Writable({ write (chunk, _encoding, done) { output += String(chunk); done() } })
  // Fastify's own request log leaves headers out; this logger adds them, as a careless serializer would.
  const logger = pino({ level: 'trace', redact: LOG_REDACT, serializers: { req: (req: { method: string, url: string, headers: unknown }) => ({ method: req.method, url: req.url, headers: req.headers }) } }, stream)
  const locked = await app(t, { apiKeys: [KEY_A], logger })
  await evaluate(locked, { authorization: `Bearer ${KEY_A}` })
  await evaluate(locked, { 'x-api-key': KEY_A })
  await evaluate(locked, { authorization: `Bearer ${KEY_B}` })
  await evaluate(locked, { 'x-api-key': KEY_B })
  t.match(output, /"authorization":"\[redacted\]"/, 'the Authorization header is censored')
  t.match(output, /"x-api-key":"\[redacted\]"/, 'the X-API-Key header is censored')
  t.notOk(output.includes(KEY_A.slice(8)) || output.includes(KEY_B.slice(8)), 'no key, accepted or not, anywhere in the log')
})

t.test('RATE_LIMIT: a 429 problem with Retry-After past the limit, a bucket per key, health never limited', async (t) => {
  const limited = await app(t, { apiKeys: [KEY_A, KEY_B], rateLimit: 3 })
  const a = { authorization: `Bearer ${KEY_A}` }
  for (let i = 0; i < 3; i++) t.equal((await policies(limited, a)).statusCode, 200, `request ${i + 1} of 3`)
  const over = await policies(limited, a)
  t.equal(over.statusCode, 429)
  t.match(over.headers['retry-after'], /^\d+$/)
  t.ok(Number(over.headers['retry-after']) > 0 && Number(over.headers['retry-after']) <= 60, 'Retry-After is within the minute')
  t.match(over.json(), { type: 'urn:plimsoll:problem:http.rate_limited', title: 'Too many requests', status: 429, detail: new RegExp(`3 requests a minute .*API key ${keyId(KEY_A)}`) })
  t.notOk(over.body.includes(KEY_A), 'the detail names the key by its id')
  t.same(specErrors('/v1/policies', 'GET', over), [])
  t.equal((await policies(limited, { 'x-api-key': KEY_B })).statusCode, 200, 'another key has its own bucket')
  for (let i = 0; i < 5; i++) t.equal((await limited.inject({ url: '/healthz' })).statusCode, 200, 'health is never limited')
  t.equal((await limited.inject({ url: '/readyz' })).statusCode, 200)

  // Without a key the client address is the bucket, so guessing keys is limited too.
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await policies(limited, { 'x-api-key': `guess-${i}` }, '10.0.0.7')).statusCode)
  t.same(statuses, [401, 401, 401, 429])
  // A path no route serves is limited too: it would otherwise tell a right key (404) from a wrong one (401) unlimited.
  const unmatched = []
  for (let i = 0; i < 4; i++) unmatched.push((await limited.inject({ url: '/nowhere', headers: { 'x-api-key': `guess-${i}` }, remoteAddress: '10.0.0.8' })).statusCode)
  t.same(unmatched, [401, 401, 401, 429])
  for (let i = 0; i < 5; i++) t.equal((await limited.inject({ url: '/metrics' })).statusCode, 200, '/metrics is never limited')
})

t.test('RATE_LIMIT without keys: a bucket per client address; unset, no limit', async (t) => {
  const limited = await app(t, { rateLimit: 2 })
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await policies(limited, {}, '10.0.0.1')).statusCode)
  t.same(statuses, [200, 200, 429])
  t.equal((await policies(limited, {}, '10.0.0.2')).statusCode, 200, 'another address')

  const unlimited = await app(t)
  for (let i = 0; i < 5; i++) await policies(unlimited)
  const res = await policies(unlimited)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-ratelimit-limit'], undefined)
})

t.test('security headers on every answer, with a CSP that keeps to this origin', async (t) => {
  const locked = await app(t, { apiKeys: [KEY_A] })
  const answers = {
    '/healthz': await locked.inject({ url: '/healthz' }),
    'POST /v1/evaluate': await evaluate(locked, { 'x-api-key': KEY_A }),
    '/docs': await locked.inject({ url: '/docs' }),
    '401': await evaluate(locked),
    '404': await locked.inject({ url: '/nowhere', headers: { 'x-api-key': KEY_A } }),
  }
  t.equal(answers['404'].statusCode, 404)
  for (const [name, res] of Object.entries(answers)) {
    t.match(res.headers, { 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' }, name)
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /default-src 'self'/, `${name}: CSP`)
    t.match(csp, /script-src 'self'(;|$)/, `${name}: scripts only from this origin`)
    t.notMatch(csp, /upgrade-insecure-requests/, `${name}: a plain-HTTP server's docs keep working`)
    t.equal(res.headers['strict-transport-security'], undefined, `${name}: HSTS is left to the TLS terminator`)
  }
})

t.test('CORS: no header unless CORS_ORIGINS; then those origins only, keys allowed, Plimsoll headers exposed', async (t) => {
  const origin = 'https://ci.example.com'
  const plain = await app(t)
  const res = await evaluate(plain, { origin })
  t.equal(res.statusCode, 200)
  t.same(Object.keys(res.headers).filter((name) => name.startsWith('access-control-')), [], 'no CORS header at all')
  const preflight = { method: 'OPTIONS' as const, url: '/v1/evaluate', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } }
  t.notOk('access-control-allow-origin' in (await plain.inject(preflight)).headers)

  const shared = await app(t, { corsOrigins: [origin], apiKeys: [KEY_A] })
  const answer = await evaluate(shared, { origin, 'x-api-key': KEY_A })
  t.equal(answer.headers['access-control-allow-origin'], origin)
  t.match(answer.headers['access-control-expose-headers'], /Plimsoll-Verdict.*Plimsoll-Decision-Id.*Retry-After/)
  const allowed = await shared.inject(preflight)
  t.equal(allowed.statusCode, 204, 'a preflight is answered without a key')
  t.equal(allowed.headers['access-control-allow-origin'], origin)
  t.match(allowed.headers['access-control-allow-headers'], /Authorization.*X-API-Key/)
  t.equal((await evaluate(shared, { origin })).headers['access-control-allow-origin'], origin, 'a 401 is readable by the page too')
  const other = await evaluate(shared, { origin: 'https://elsewhere.example.com', 'x-api-key': KEY_A })
  t.notOk('access-control-allow-origin' in other.headers, 'another origin is not allowed')
})

t.test('overloaded: 503 problem with Retry-After at once, while health and metrics answer', async (t) => {
  const loaded = await app(t, { underPressure: { maxEventLoopDelay: 1 } })
  await loaded.ready()
  t.equal((await policies(loaded)).statusCode, 200, 'the start, which blocks the loop too, is not counted')
  await new Promise((resolve) => setTimeout(resolve, 2100))
  // Block the event loop well past the limit; the plugin's next sample (once a second) sees the lag.
  const until = Date.now() + 1500
  while (Date.now() < until) { /* busy */ }
  await new Promise((resolve) => setTimeout(resolve, 20))
  const refused = await policies(loaded)
  t.equal(refused.statusCode, 503)
  t.match(refused.headers['retry-after'], /^\d+$/)
  t.match(refused.json(), { type: 'urn:plimsoll:problem:http.overloaded', status: 503, detail: /MAX_EVENT_LOOP_DELAY/ })
  t.same(specErrors('/v1/policies', 'GET', refused), [])
  t.equal((await evaluate(loaded)).statusCode, 503)
  for (const url of ['/healthz', '/readyz', '/metrics']) t.equal((await loaded.inject({ url })).statusCode, 200, `${url} still answers`)
})

t.test('configuration: RATE_LIMIT, CORS_ORIGINS, the keys and their file, with every reason', async (t) => {
  t.match(readConfig({}), { ok: true, value: { apiKeys: [], apiKeysFile: undefined, rateLimit: 600, corsOrigins: [], maxEventLoopDelay: 1000 } })
  t.match(readConfig({ PLIMSOLL_API_KEYS: ` ${KEY_A}, ${KEY_B} ,`, RATE_LIMIT: '0', CORS_ORIGINS: 'https://a.example.com, http://127.0.0.1:3000', MAX_EVENT_LOOP_DELAY: '0' }), {
    ok: true, value: { apiKeys: [KEY_A, KEY_B], rateLimit: 0, corsOrigins: ['https://a.example.com', 'http://127.0.0.1:3000'], maxEventLoopDelay: 0 },
  })
  const bad = readConfig({ RATE_LIMIT: 'lots', PLIMSOLL_API_KEYS: ' , ', PLIMSOLL_API_KEYS_FILE: '/etc/keys', CORS_ORIGINS: 'https://a.example.com/, *' })
  t.same(bad.ok ? [] : bad.problems.map((p) => p.message), [
    'RATE_LIMIT must be an integer from 0 to 1000000, got "lots"',
    'PLIMSOLL_API_KEYS and PLIMSOLL_API_KEYS_FILE are both set; set one of them',
    'PLIMSOLL_API_KEYS is set but holds no key; unset it to serve without keys',
    'CORS_ORIGINS: "https://a.example.com/" is not an origin such as https://ci.example.com (scheme, host and port only)',
    'CORS_ORIGINS: "*" is not an origin such as https://ci.example.com (scheme, host and port only)',
  ])
  const spaced = readConfig({ PLIMSOLL_API_KEYS: `${KEY_A},caf\u00e9` })
  t.same(spaced.ok ? [] : spaced.problems.map((p) => p.message), ['PLIMSOLL_API_KEYS: key 2 has characters a header cannot carry (only visible ASCII, no spaces)'], 'names the key by position, never shows it')

  const dir = t.testdir({ comments: '# no keys yet\n\n' })
  const missing = withKeyFile(readConfig({ PLIMSOLL_API_KEYS_FILE: join(dir, 'absent') }))
  t.match(missing, { ok: false, problems: [{ code: 'config.invalid', message: /^PLIMSOLL_API_KEYS_FILE: cannot read ".*absent": ENOENT/ }] })
  const empty = withKeyFile(readConfig({ PLIMSOLL_API_KEYS_FILE: join(dir, 'comments') }))
  t.match(empty, { ok: false, problems: [{ message: /^PLIMSOLL_API_KEYS_FILE \(".*comments"\) is set but holds no key/ }] }, 'an empty file would open every route: refused')
  writeFileSync(join(dir, 'keys'), `${KEY_A}\n`)
  t.match(readConfig({ PLIMSOLL_API_KEYS_FILE: join(dir, 'keys') }), { ok: true, value: { apiKeys: [], apiKeysFile: join(dir, 'keys') } }, 'readConfig reads no file')
})
