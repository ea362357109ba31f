import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { XMLParser } from 'fast-xml-parser'
import { build, specErrors } from '../helpers.js'

// POST /v1/evaluate/batch: many Dockerfiles in one call, one verdict per file, every format; and the real corpus
// (../shared/corpus/real, present in CI) in one call.
const app = await build(t)
const BAD = 'FROM python:latest\nADD . /app\nWORKDIR app\nCMD python app.py\n'
const GOOD = `FROM python:3.12-slim@sha256:${'a'.repeat(64)}\nWORKDIR /app\nCOPY app.py .\nUSER 10001\nCMD ["python", "app.py"]\n`
const batch = (payload: object, query = '') => app.inject({ method: 'POST', url: `/v1/evaluate/batch${query}`, payload })

t.test('one verdict per file, in the order sent, each with its path, and a summary', async (t) => {
  const res = await batch({ files: [{ path: 'api/Dockerfile', dockerfile: BAD, files: { 'requirements.txt': 'flask\n' } }, { path: 'web/Dockerfile', dockerfile: GOOD }], failOn: 'error' })
  t.equal(res.statusCode, 422, 'a file reached failOn')
  t.same(specErrors('/v1/evaluate/batch', 'POST', res), [])
  const body = res.json()
  t.same(body.results.map((r: { path: string }) => r.path), ['api/Dockerfile', 'web/Dockerfile'])
  t.match(body.summary, { verdict: 'fail', files: 2, fail: 1, thresholdReached: 1 })
  t.ok(body.results[0].findings.some((f: { ruleId: string, location: { file?: string } }) => f.ruleId === 'requirements-pinned' && f.location.file === 'requirements.txt'), 'each file has its own context files')
  t.notOk(body.results[1].findings.some((f: { ruleId: string }) => f.ruleId === 'requirements-pinned'))
  t.not(body.results[0].decisionId, body.results[1].decisionId)
  t.equal(res.headers['plimsoll-verdict'], 'fail')
  t.equal(res.headers['plimsoll-errors'], String(body.results[0].summary.error + body.results[1].summary.error))
  t.notOk('plimsoll-decision-id' in res.headers, 'a batch has a decision id per file, not one')
})

t.test('a batch of one is still a batch', async (t) => {
  const res = await batch({ files: [{ path: 'Dockerfile', dockerfile: GOOD }] })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { summary: { files: 1 }, results: [{ path: 'Dockerfile' }] })
})

t.test('every format: one SARIF run over the files, one JUnit suite per file', async (t) => {
  const payload = { files: [{ path: 'api/Dockerfile', dockerfile: BAD }, { path: 'web/Dockerfile', dockerfile: GOOD }] }
  const sarif = await batch(payload, '?format=sarif')
  const runs = sarif.json().runs as Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>
  t.equal(runs.length, 1)
  t.same([...new Set(runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri))].sort(), ['api/Dockerfile', 'web/Dockerfile'])
  const junit = await app.inject({ method: 'POST', url: '/v1/evaluate/batch', headers: { accept: 'application/xml' }, payload })
  const suites = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' }).parse(junit.body).testsuites.testsuite as Array<Record<string, string>>
  t.same(suites.map((s) => s['@_name']), ['api/Dockerfile', 'web/Dockerfile'])
  for (const format of ['gitlab', 'checkstyle', 'github', 'text']) {
    const res = await batch(payload, `?format=${format}`)
    t.equal(res.statusCode, 200, format)
    t.match(res.body, /api\/Dockerfile/, format)
    t.same(specErrors('/v1/evaluate/batch', 'POST', res), [], format)
  }
})

t.test('bad batches are 400 problems that point at the file', async (t) => {
  const empty = await batch({ files: [{ path: 'a/Dockerfile', dockerfile: GOOD }, { path: 'b/Dockerfile', dockerfile: ' \n' }] })
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { errors: [{ code: 'input.empty-dockerfile', message: 'b/Dockerfile: the Dockerfile is empty', pointer: '/files/1/dockerfile' }] })
  const noPath = await batch({ files: [{ dockerfile: GOOD }] })
  t.equal(noPath.statusCode, 400)
  t.match(noPath.json(), { errors: [{ message: /body\/files\/0 must have required property 'path'/ }] })
  const none = await batch({ files: [] })
  t.equal(none.statusCode, 400)
  const policy = await batch({ files: [{ path: 'Dockerfile', dockerfile: GOOD }, { path: 'x/Dockerfile', dockerfile: BAD }], policies: ['nope'] })
  t.equal(policy.statusCode, 400)
  t.match(policy.json(), { errors: [{ code: 'input.unknown-policy', pointer: '/policies' }] })
  t.equal(policy.json().errors.length, 1, 'a bad selector is named once, not once per file')
})

t.test('a batch over its own limit is a 413 problem', async (t) => {
  const small = await build(t, { batchLimit: 4096 })
  const res = await small.inject({ method: 'POST', url: '/v1/evaluate/batch', payload: { files: [{ path: 'Dockerfile', dockerfile: `${'# padding\n'.repeat(500)}${GOOD}` }] } })
  t.equal(res.statusCode, 413)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
})

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/real', import.meta.url))
const FOLDERS = ['.', 'course-labs', 'buildkit-parser']
if (!existsSync(CORPUS)) {
  t.comment(`skipping the corpus batch: ${CORPUS} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test('the real corpus in one call', { skip: `${CORPUS} is absent` }, async () => {})
} else {
  t.test('the real corpus in one call: 116 Dockerfiles, one verdict each', async (t) => {
    const names = FOLDERS.flatMap((folder) => readdirSync(join(CORPUS, folder)).filter((name) => name.endsWith('.Dockerfile')).map((name) => join(folder, name)))
    t.equal(names.length, 116)
    const files = names
      .map((path) => ({ path, dockerfile: readFileSync(join(CORPUS, path), 'utf8') }))
      // buildkit's parser tests include an empty Dockerfile, which evaluation refuses (the test above).
      .filter((file) => file.dockerfile.trim() !== '')
    const res = await batch({ files }, '?format=sarif')
    t.equal(res.statusCode, 200)
    const artifacts = (res.json().runs[0].artifacts as Array<{ location: { uri: string } }>).map((a) => a.location.uri)
    t.equal(artifacts.length, files.length, `${files.length} files, one artifact each`)
    const json = await batch({ files })
    t.equal(json.json().results.length, files.length)
    t.equal(json.json().summary.files, files.length)
  })
}
