import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { pino } from 'pino'
import type { DecisionLogMode } from '../../src/decision-log.js'
import { build } from '../helpers.js'

// The decision log: one record per evaluation through the app's logger, without the submitted content unless asked.
const MARKER = 'decision-log-marker-3f9a'
const DOCKERFILE = `FROM alpine:latest\nRUN echo ${MARKER}\nUSER 10001\n`
const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`

/** An app whose log lines are kept, as text and as parsed records. */
async function logged (t: Parameters<typeof build>[0], decisionLog?: DecisionLogMode, policyDir?: string) {
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done() } })
  const app = await build(t, { logger: pino({ level: 'info' }, stream), ...(decisionLog !== undefined && { decisionLog }), ...(policyDir !== undefined && { policyDir }) })
  const decisions = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record.component === 'decisions')
  return { app, lines, decisions }
}

t.test('one record per evaluation, with its decision id, revision, digest, verdict, counts and caller', async (t) => {
  const { app, lines, decisions } = await logged(t)
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  t.equal(res.statusCode, 200)
  const verdict = res.json()
  t.equal(res.headers['plimsoll-decision-id'], verdict.decisionId, 'the decision id is a header')
  const records = decisions()
  t.equal(records.length, 1)
  t.match(records[0], {
    level: 30,
    msg: 'decision',
    decisionId: res.headers['plimsoll-decision-id'],
    decidedAt: /^\d{4}-\d\d-\d\dT/,
    time: Number,
    policyRevision: app.policySet.digest,
    path: 'Dockerfile',
    subjectDigest: { dockerfile: sha256(DOCKERFILE), image: null },
    verdict: verdict.verdict,
    counts: { errors: verdict.summary.error, warnings: verdict.summary.warning, info: verdict.summary.info, suppressed: verdict.summary.suppressed },
    durationMs: Number,
    cached: false,
    callerKeyId: null,
  })
  t.notOk('dockerfile' in (records[0] ?? {}))
  t.notOk(lines.some((line) => line.includes(MARKER)), 'the Dockerfile text is nowhere in the log')

  // The same request again is answered from the cache: still a decision, with an id of its own.
  const again = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  const second = decisions()[1]
  t.match(second, { decisionId: again.headers['plimsoll-decision-id'], cached: true })
  t.not(second?.decisionId, records[0]?.decisionId)
})

t.test('the caller\'s key id is logged when the request carries one', async (t) => {
  const { app, decisions } = await logged(t)
  app.addHook('onRequest', async (request) => { (request as { callerKeyId?: string }).callerKeyId = 'ci' })
  await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  t.match(decisions(), [{ callerKeyId: 'ci' }])
})

t.test('each file of a batch is a decision with its own id', async (t) => {
  const { app, lines, decisions } = await logged(t)
  const other = 'FROM alpine:3.20\nUSER 10001\n'
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate/batch', payload: { files: [{ path: 'a/Dockerfile', dockerfile: DOCKERFILE }, { path: 'b/Dockerfile', dockerfile: other }] } })
  t.equal(res.statusCode, 200)
  const results = res.json().results as Array<{ decisionId: string }>
  t.match(decisions(), [
    { path: 'a/Dockerfile', decisionId: results[0]?.decisionId, subjectDigest: { dockerfile: sha256(DOCKERFILE) } },
    { path: 'b/Dockerfile', decisionId: results[1]?.decisionId, subjectDigest: { dockerfile: sha256(other) } },
  ])
  t.equal(decisions().length, 2)
  t.notOk(lines.some((line) => line.includes(MARKER)))
})

t.test('an image is named by its id', async (t) => {
  const { app, decisions } = await logged(t, undefined, fileURLToPath(new URL('../fixtures/image-policies', import.meta.url)))
  const id = 'sha256:' + 'c'.repeat(64)
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate', payload: { image: [{ Id: id, RepoTags: ['app:1'], Config: { User: '0:0' }, RootFS: { Type: 'layers', Layers: [] }, Size: 1 }] } })
  t.equal(res.statusCode, 200)
  t.match(decisions(), [{ decisionId: res.headers['plimsoll-decision-id'], subjectDigest: { dockerfile: null, image: id } }])
})

t.test('DECISION_LOG=content adds the Dockerfile; off logs no decision', async (t) => {
  const content = await logged(t, 'content')
  await content.app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  t.match(content.decisions(), [{ dockerfile: DOCKERFILE, subjectDigest: { dockerfile: sha256(DOCKERFILE) } }])

  const off = await logged(t, 'off')
  const res = await off.app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  t.equal(res.statusCode, 200)
  t.ok(res.headers['plimsoll-decision-id'], 'the header is still there')
  t.same(off.decisions(), [])
  t.notOk(off.lines.some((line) => line.includes(MARKER)))
})
