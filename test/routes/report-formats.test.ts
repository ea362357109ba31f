import t from 'tap'
import { XMLParser } from 'fast-xml-parser'
import { build, specErrors } from '../helpers.js'

// The evaluate route in every report format, chosen by ?format= or Accept; the path reports name; the outcome in
// headers; and multipart uploads as curl -F sends them. One app serves every test of this file.
const BAD = 'FROM python:latest\nADD . /app\nWORKDIR app\nRUN pip install -r requirements.txt\nCMD python app.py\n'
const app = await build(t)
const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain', ...headers }, payload })

t.test('?format= names the format, served as its media type and conforming to the spec', async (t) => {
  const expected: Record<string, string> = {
    json: 'application/json',
    sarif: 'application/sarif+json',
    junit: 'application/xml',
    gitlab: 'application/json',
    checkstyle: 'application/xml',
    github: 'text/plain',
    text: 'text/plain',
  }
  for (const [format, type] of Object.entries(expected)) {
    const res = await post(`/v1/evaluate?format=${format}`, BAD)
    t.equal(res.statusCode, 200, format)
    t.equal(String(res.headers['content-type']).split(';')[0], type, format)
    t.same(specErrors('/v1/evaluate', 'POST', res), [], format)
  }
})

t.test('a SARIF report points at the lines of the Dockerfile named by path', async (t) => {
  const res = await post('/v1/evaluate?format=sarif&path=services/api/Dockerfile', BAD)
  const results = res.json().runs[0].results as Array<{ ruleId: string, locations: Array<{ physicalLocation: { artifactLocation: { uri: string }, region?: { startLine: number } } }> }>
  const workdir = results.find((r) => r.ruleId === 'workdir-absolute')
  t.equal(workdir?.locations[0]?.physicalLocation.artifactLocation.uri, 'services/api/Dockerfile')
  t.equal(workdir?.locations[0]?.physicalLocation.region?.startLine, 3)
  t.equal(results.find((r) => r.ruleId === 'copy-not-add')?.locations[0]?.physicalLocation.region?.startLine, 2)
})

t.test('the Accept header chooses when ?format= does not; JSON wins ties and unknown types', async (t) => {
  const accept = async (value: string) => String((await post('/v1/evaluate', BAD, { accept: value })).headers['content-type']).split(';')[0]
  t.equal(await accept('application/sarif+json'), 'application/sarif+json')
  t.equal(await accept('application/xml'), 'application/xml')
  t.equal(await accept('text/plain'), 'text/plain')
  t.equal(await accept('*/*'), 'application/json')
  t.equal(await accept('image/png'), 'application/json')
  t.equal(await accept('text/plain;q=0.5, application/sarif+json'), 'application/sarif+json')
  const junit = await post('/v1/evaluate', BAD, { accept: 'application/xml' })
  t.ok(new XMLParser().parse(junit.body).testsuites, 'Accept: application/xml is JUnit')
  const text = await post('/v1/evaluate?format=text&path=app/Dockerfile', BAD)
  t.match(text.body, /app\/Dockerfile:3 +workdir-absolute/)
  const named = await post('/v1/evaluate?format=text', BAD, { accept: 'application/sarif+json' })
  t.match(named.body, /Dockerfile:3/, '?format= wins over Accept')
})

t.test('headers carry the verdict, the counts and the decision id in every format', async (t) => {
  const json = await post('/v1/evaluate', BAD)
  const verdict = json.json()
  t.equal(json.headers['plimsoll-verdict'], verdict.verdict)
  t.equal(json.headers['plimsoll-errors'], String(verdict.summary.error))
  t.equal(json.headers['plimsoll-warnings'], String(verdict.summary.warning))
  t.equal(json.headers['plimsoll-info'], String(verdict.summary.info))
  t.equal(json.headers['plimsoll-suppressed'], '0')
  t.equal(json.headers['plimsoll-decision-id'], verdict.decisionId)
  const junit = await post('/v1/evaluate?format=junit&failOn=error', BAD)
  t.equal(junit.statusCode, 422, 'the threshold fails the request whatever the format')
  t.equal(junit.headers['plimsoll-verdict'], 'fail')
  t.equal(junit.headers['plimsoll-errors'], '1')
  t.same(specErrors('/v1/evaluate', 'POST', junit), [])
})

t.test('path comes from the JSON body over the query', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate?format=checkstyle&path=query/Dockerfile', payload: { dockerfile: BAD, path: 'body/Dockerfile' } })
  t.match(res.body, /<file name="body\/Dockerfile">/)
  t.notMatch(res.body, /query\/Dockerfile/)
  const json = await app.inject({ method: 'POST', url: '/v1/evaluate', payload: { dockerfile: BAD, path: 'body/Dockerfile' } })
  t.equal(json.statusCode, 200)
  t.notOk('path' in json.json(), 'the JSON verdict is unchanged')
})

t.test('a bad format or path is a 400 problem naming it', async (t) => {
  const format = await post('/v1/evaluate?format=pdf', BAD)
  t.equal(format.statusCode, 400)
  t.match(format.json(), { errors: [{ message: /querystring\/format must be equal to one of the allowed values: json, sarif/ }] })
  const path = await post('/v1/evaluate?path=', BAD)
  t.equal(path.statusCode, 400)
  t.match(path.json(), { errors: [{ message: /querystring\/path must NOT have fewer than 1 characters/ }] })
})

t.test('multipart uploads, as curl -F sends them, over a real connection', async (t) => {
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const form = new FormData()
  form.append('dockerfile', new Blob([BAD]), 'Dockerfile.api')
  form.append('.dockerignore', new Blob(['.git\n']), '.dockerignore')
  form.append('requirements.txt', new Blob(['flask\n']), 'requirements-prod.txt')
  form.append('failOn', 'error')
  form.append('exclude', 'pip-no-cache, copy-not-add')
  const res = await fetch(`${url}/v1/evaluate?format=sarif`, { method: 'POST', body: form })
  t.equal(res.status, 422, 'failOn from a form field')
  const results = (await res.json() as { runs: Array<{ results: Array<{ ruleId: string, locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }).runs[0]?.results ?? []
  const uris = new Set(results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri))
  t.ok(uris.has('Dockerfile.api'), 'the file name is the path')
  t.ok(uris.has('requirements.txt'), 'a context file under its field name')
  const ids = results.map((r) => r.ruleId)
  t.ok(ids.includes('requirements-pinned'), 'requirements.txt was read')
  t.notOk(ids.includes('pip-no-cache'), 'exclude from a form field')
  t.notOk(ids.includes('copy-not-add'))

  // As Swagger UI sends a form: `path` before the file.
  const swagger = new FormData()
  swagger.append('path', 'services/api/Dockerfile')
  swagger.append('dockerfile', new Blob([BAD]), 'Dockerfile')
  const named = await fetch(`${url}/v1/evaluate?format=checkstyle`, { method: 'POST', body: swagger })
  t.match(await named.text(), /<file name="services\/api\/Dockerfile">/, 'the path field wins over the file name, whatever the order')
  // Written out, since fetch's FormData names a nameless file "blob"; a browser sends filename="".
  const boundary = 'form-boundary'
  const part = (headers: string, body: string): string => `--${boundary}\r\ncontent-disposition: form-data; ${headers}\r\n\r\n${body}\r\n`
  const empty = await app.inject({
    method: 'POST',
    url: '/v1/evaluate',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${part('name="dockerfile"; filename="Dockerfile"', BAD)}${part('name=".dockerignore"; filename=""', '')}--${boundary}--\r\n`,
  })
  t.ok((empty.json().notEvaluated as Array<{ reason: string }>).some((n) => n.reason === 'no build-context files were sent'), 'an empty file input sends nothing')

  const unknown = new FormData()
  unknown.append('dockerfile', new Blob([BAD]), 'Dockerfile')
  unknown.append('colour', 'blue')
  const bad = await fetch(`${url}/v1/evaluate`, { method: 'POST', body: unknown })
  t.equal(bad.status, 400)
  t.match(await bad.json(), { errors: [{ code: 'input.unknown-field', message: /unknown form field "colour"/, pointer: '/colour' }] })

  const threshold = new FormData()
  threshold.append('dockerfile', BAD)
  threshold.append('failOn', 'sometimes')
  const refused = await fetch(`${url}/v1/evaluate`, { method: 'POST', body: threshold })
  t.equal(refused.status, 400)
  t.match(await refused.json(), { errors: [{ message: /failOn must be one of info, warning, error, none, got "sometimes"/ }] })
})

t.test('a multipart file over the body limit is a 413 problem', async (t) => {
  const small = await build(t, { bodyLimit: 2048 })
  const boundary = 'plimsoll-boundary'
  const payload = `--${boundary}\r\ncontent-disposition: form-data; name="dockerfile"; filename="Dockerfile"\r\n\r\n${'# x\n'.repeat(1000)}FROM scratch\n\r\n--${boundary}--\r\n`
  const res = await small.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload })
  t.equal(res.statusCode, 413)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
})
