import { connect } from 'node:net'
import t from 'tap'
import { build } from '../helpers.js'

// Bodies are taken as sent: no coercion of types, no prototype keys, and every refusal (Node's and Fastify's own
// included) is a problem document saying what was wrong.
const app = await build(t)
const json = (url: string, payload: string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload })

t.test('a value of the wrong type is a 400 naming it, never coerced', async (t) => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['a number for the Dockerfile', '/v1/evaluate', '{"dockerfile": 123}', /body\/dockerfile must be string/],
    ['a string for a list', '/v1/evaluate', '{"dockerfile": "FROM alpine:3.20\\n", "policies": "python"}', /body\/policies must be array/],
    ['a boolean for a context file', '/v1/evaluate', '{"dockerfile": "FROM alpine:3.20\\n", "files": {".dockerignore": true}}', /body\/files\/\.dockerignore must be string/],
    ['a number for a batch path', '/v1/evaluate/batch', '{"files": [{"path": 1, "dockerfile": "FROM alpine:3.20\\n"}]}', /body\/files\/0\/path must be string/],
  ]
  for (const [name, url, payload, message] of cases) {
    const res = await json(url, payload)
    t.equal(res.statusCode, 400, name)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', name)
    t.match(res.json().errors, [{ message }], name)
  }
})

t.test('a key that would set a prototype is refused, and says so', async (t) => {
  for (const payload of [
    '{"dockerfile": "FROM alpine:3.20\\n", "__proto__": {"polluted": true}}',
    '{"dockerfile": "FROM alpine:3.20\\n", "files": {"__proto__": "x"}}',
  ]) {
    const res = await json('/v1/evaluate', payload)
    t.equal(res.statusCode, 400)
    t.match(res.json(), { type: 'urn:plimsoll:problem:http.input_prototype_key', detail: /has a "__proto__" key, or a "constructor" key holding "prototype", which is refused/ })
  }
  const constructor = await json('/v1/evaluate', '{"dockerfile": "FROM alpine:3.20\\n", "constructor": {"prototype": {"polluted": true}}}')
  t.match(constructor.json(), { status: 400, type: 'urn:plimsoll:problem:http.input_prototype_key' })
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('bad JSON says where, an empty body says so', async (t) => {
  const broken = await json('/v1/evaluate', '{"dockerfile": "FROM alpine:3.20\\n",}')
  t.equal(broken.statusCode, 400)
  t.match(broken.json(), { type: 'urn:plimsoll:problem:http.fst_err_ctp_invalid_json_body', detail: /^the body is not valid JSON: .*position/ })
  const empty = await json('/v1/compare', ' ')
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { detail: 'the JSON body is empty' })
})

t.test('a path parameter over its limit is a 414 problem', async (t) => {
  const res = await app.inject({ method: 'GET', url: `/v1/policies/${'a'.repeat(200)}` })
  t.equal(res.statusCode, 414)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { status: 414, title: 'URI too long', errors: [{ code: 'http.fst_err_max_param_length' }] })
})

t.test('what Node refuses before Fastify is a problem too: headers over the limit, bytes that are not HTTP', async (t) => {
  const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const raw = (request: string) => new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => { socket.end(request) })
    let answer = ''
    socket.on('data', (chunk) => { answer += chunk.toString() })
    socket.on('close', () => { resolve(answer) })
    socket.on('error', reject)
  })
  const overflow = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
  t.match(overflow, /^HTTP\/1\.1 431 /)
  t.match(overflow, /content-type: application\/problem\+json/i)
  t.match(JSON.parse(overflow.slice(overflow.indexOf('\r\n\r\n') + 4)), { status: 431, detail: /over the server's limit/ })
  const garbage = await raw('NOT HTTP AT ALL\r\n\r\n')
  t.match(garbage, /^HTTP\/1\.1 400 /)
  t.match(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)), { status: 400, detail: 'the request is not valid HTTP' })
})

t.test('a request that does not arrive in time is a 408 problem, and the connection is closed', async (t) => {
  const slow = await build(t, { requestTimeout: 1000 })
  const url = new URL(await slow.listen({ host: '127.0.0.1', port: 0 }))
  const answer = await new Promise<string>((resolve, reject) => {
    // Headers promise a body that never comes, as a slow-body attack holds connections.
    const socket = connect(Number(url.port), url.hostname, () => { socket.write('POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nFROM') })
    let text = ''
    socket.on('data', (chunk) => { text += chunk.toString() })
    socket.on('close', () => { resolve(text) })
    socket.on('error', reject)
  })
  t.match(answer, /^HTTP\/1\.1 408 /)
  t.match(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), { status: 408, detail: 'the request did not arrive in time' })
})
