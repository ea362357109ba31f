import { request } from 'node:http'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import imageFactsSchema from '../../src/facts/image-facts.schema.json' with { type: 'json' }
import { build, specErrors } from '../helpers.js'
import { dockerSave } from '../image-fixtures.js'

// Images through the HTTP API: JSON documents and streamed archives, on /v1/evaluate and /v1/parse, judged
// by the image rules of a small fixture pack (one per scope).
const POLICY_DIR = fileURLToPath(new URL('../fixtures/image-policies', import.meta.url))

const CONFIG = {
  architecture: 'amd64',
  os: 'linux',
  config: { User: 'root', Cmd: ['/bin/sh'] },
  rootfs: { type: 'layers', diff_ids: [] },
  history: [{ created_by: 'RUN /bin/sh -c pip install flask # buildkit' }, { created_by: 'USER root', empty_layer: true }],
}
const LAYER = [
  { name: 'bin/busybox', mode: 0o755, body: 'ELF' },
  { name: 'bin/sh', type: 'symlink' as const, linkname: 'busybox' },
  { name: 'usr/bin/su', mode: 0o4755, body: 'x' },
]

interface Finding { ruleId: string, location: { line: number, image?: { path?: string, history?: number } } }
const ids = (findings: Finding[]): string[] => findings.map((f) => f.ruleId).sort()

t.test('a JSON image document gets the same verdict shape as a Dockerfile', async (t) => {
  const app = await build(t, { policyDir: POLICY_DIR })
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate', payload: { image: CONFIG } })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/evaluate', 'POST', res), [])
  const verdict = res.json()
  t.same(ids(verdict.findings), ['pip-cache', 'runs-as-user'])
  t.same(verdict.findings.find((f: Finding) => f.ruleId === 'pip-cache').location, { line: 0, endLine: 0, image: { history: 0 } })
  t.same(verdict.notEvaluated, [{ ruleId: 'setuid-files', policy: 'image-routes', reason: 'no file listing: send the image as an archive (docker save, or an OCI layout as tar)' }])

  const inspect = await app.inject({ method: 'POST', url: '/v1/evaluate?failOn=warning', payload: { image: [{ Id: 'sha256:' + 'c'.repeat(64), RepoTags: ['app:1'], Config: { User: '0:0' }, RootFS: { Type: 'layers', Layers: [] }, Size: 1 }] } })
  t.equal(inspect.statusCode, 422, 'failOn from the query reaches an image verdict')
  t.same(ids(inspect.json().findings), ['runs-as-user'])
  t.same(inspect.json().notEvaluated.map((n: { ruleId: string }) => n.ruleId), ['pip-cache', 'setuid-files'], 'inspect output has no history and no files')

  const both = await app.inject({ method: 'POST', url: '/v1/evaluate', payload: { dockerfile: 'FROM python:3.12\nRUN pip install --no-cache-dir flask', image: CONFIG } })
  t.same(both.json().findings.map((f: Finding) => `${f.ruleId}@${f.location.line}`).sort(), ['pip-cache@0', 'runs-as-user@0', 'runs-as-user@1'], 'a Dockerfile and its image are both judged')
})

t.test('an unreadable image is a 400 problem naming what was expected', async (t) => {
  const app = await build(t, { policyDir: POLICY_DIR })
  const cases: Array<[string, object, RegExp]> = [
    ['unknown document', { image: { hello: 'world' } }, /docker-inspect/],
    ['kind that does not fit', { image: CONFIG, kind: 'oci-index' }, /oci-index/],
    ['bad kind', { image: CONFIG, kind: 'tarball' }, /kind must be equal to one of the allowed values: docker-inspect/],
    ['neither subject', { files: {} }, /must have required property 'dockerfile'.*must have required property 'image'/],
  ]
  for (const [name, payload, detail] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/evaluate', payload })
    t.equal(res.statusCode, 400, name)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${name}: problem+json`)
    t.match(res.json().errors.map((e: { message: string }) => e.message).join('; '), detail, `${name}: says what was wrong`)
    t.same(specErrors('/v1/evaluate', 'POST', res), [], `${name}: matches the spec`)
  }
})

t.test('archives stream in as the raw body, gzipped or not, under their own limit', async (t) => {
  const app = await build(t, { policyDir: POLICY_DIR, archiveLimit: 64 * 1024 })
  const archive = await dockerSave([LAYER], { config: { ...CONFIG, rootfs: undefined } })
  for (const [type, payload] of [['application/x-tar', archive], ['application/gzip', gzipSync(archive)]] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': type }, payload })
    t.equal(res.statusCode, 200, type)
    t.same(specErrors('/v1/evaluate', 'POST', res), [], `${type}: matches the spec`)
    t.same(ids(res.json().findings), ['pip-cache', 'runs-as-user', 'setuid-files'], `${type}: every scope judged`)
    t.same(res.json().findings.find((f: Finding) => f.ruleId === 'setuid-files').location.image, { path: '/usr/bin/su', layer: 0 })
  }
  const big = await dockerSave([[{ name: 'blob', body: Buffer.alloc(128 * 1024, 1) }]])
  const tooLarge = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'application/x-tar' }, payload: big })
  t.equal(tooLarge.statusCode, 413)
  t.match(tooLarge.json(), { errors: [{ code: 'input.image-too-large' }] })
  const garbage = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'application/x-tar' }, payload: Buffer.from('not a tar at all') })
  t.equal(garbage.statusCode, 400)
  t.match(garbage.json().errors[0].code, /^input\.image/)

  const parsed = await app.inject({ method: 'POST', url: '/v1/parse', headers: { 'content-type': 'application/x-tar' }, payload: archive })
  t.equal(parsed.statusCode, 200)
  t.match(parsed.json(), { kind: 'docker-archive', has: { config: true, history: true, files: true }, shells: ['/bin/sh'], user: { name: 'root', isRoot: true } })
})

t.test('/v1/parse shows the image facts, valid against the published schema', async (t) => {
  const app = await build(t, { policyDir: POLICY_DIR })
  const res = await app.inject({ method: 'POST', url: '/v1/parse', payload: { image: CONFIG } })
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/parse', 'POST', res), [])
  const facts = res.json()
  t.match(facts, { kind: 'oci-config', user: { name: 'root', isRoot: true }, history: [{ instruction: { keyword: 'RUN' } }, { instruction: { keyword: 'USER' } }] })
  const schema = await app.inject({ method: 'GET', url: '/v1/schema/image-facts' })
  t.same(schema.json(), imageFactsSchema)
  const both = await app.inject({ method: 'POST', url: '/v1/parse', payload: { dockerfile: 'FROM a', image: CONFIG } })
  t.equal(both.statusCode, 400)
  t.match(both.json().detail, /not both/)
})

t.test('over real HTTP on 127.0.0.1, an archive is streamed from a request body', async (t) => {
  const app = await build(t, { policyDir: POLICY_DIR })
  const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const archive = await dockerSave([LAYER], { config: { ...CONFIG, rootfs: undefined } })
  const body = await new Promise<string>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/v1/evaluate', headers: { 'content-type': 'application/x-tar' } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk }).on('end', () => { resolve(text) })
    })
    req.on('error', reject)
    // Chunked, in small pieces: the server reads it as it comes.
    Readable.from((function * () { for (let at = 0; at < archive.length; at += 1000) yield archive.subarray(at, at + 1000) })()).pipe(req)
  })
  t.same(ids(JSON.parse(body).findings), ['pip-cache', 'runs-as-user', 'setuid-files'])
})
