import type { EventEmitter } from 'node:events'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { EvaluationPool } from '../src/evaluation/pool.js'
import { build, POLICY_DIR } from './helpers.js'

// Evaluation in worker threads (WORKERS): the same verdicts as on the HTTP thread, the policy revision swapped
// on reload without losing a request, and health answering while every worker is busy. Worker threads load
// the TypeScript sources through tap's loader, slowly (seconds each), so one app with two workers serves
// every test of this file.
const dir = mkdtempSync(join(tmpdir(), 'plimsoll-pool-'))
t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
cpSync(POLICY_DIR, dir, { recursive: true })
const app = await build(t, { policyDir: dir, workers: 2, verdictCache: 0 })

const DOCKERFILES = [
  'FROM python:3.12\nRUN pip install flask\nCMD python app.py\n',
  'FROM debian:12\nRUN apt-get update && apt-get install curl\nUSER root\nADD . /app\n',
  'FROM python:3.12-slim@sha256:' + 'a'.repeat(64) + '\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 10001\nCMD ["python", "app.py"]\n',
]
const post = (dockerfile: string) => app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: dockerfile })

t.test('a worker gives the verdict the HTTP thread would', async (t) => {
  for (const dockerfile of DOCKERFILES) {
    const res = await post(dockerfile)
    t.equal(res.statusCode, 200)
    const inline = evaluate(app.policySet, { dockerfile })
    if (!inline.ok) throw new Error('evaluate failed')
    t.same(res.json().findings, inline.value.findings)
    t.equal(res.json().policySet.digest, app.policySet.digest)
  }
})

t.test('compare runs in a worker too', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/v1/compare', payload: { subjects: [{ label: 'a', dockerfile: DOCKERFILES[0] }, { label: 'b', dockerfile: DOCKERFILES[2] }] } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().variants.length, 2)
})

t.test('a reload swaps the revision in every worker; requests in flight are all answered', async (t) => {
  const before = app.policySet.digest
  const file = join(dir, 'docker-best-practices.yaml')
  const title = 'pip or uv keeps its download cache in the image'
  const during = DOCKERFILES.flatMap((d) => [post(d), post(d)])
  // pip-no-cache under a new title: a revision the workers have not seen.
  writeFileSync(file, readFileSync(file, 'utf8').replace(`title: ${title}`, `title: ${title} (revised)`))
  t.match(await app.policyStore.reload(), { ok: true, changed: true })
  const after = app.policySet.digest
  t.not(after, before)
  for (const res of await Promise.all(during)) {
    t.equal(res.statusCode, 200, 'answered')
    t.ok([before, after].includes(res.json().policySet.digest), 'by one revision or the other')
  }
  // Both workers meet the new revision: more requests than workers, at once.
  const next = await Promise.all(DOCKERFILES.flatMap((d) => [post(d), post(d)]))
  for (const res of next) t.equal(res.json().policySet.digest, after)
  t.equal(next[0]?.json().findings.find((f: { ruleId: string }) => f.ruleId === 'pip-no-cache')?.title, `${title} (revised)`, 'judged by the new files')
})

t.test('health answers while every worker is busy', async (t) => {
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  // 40 files of 400 RUN scripts, each script new to the shell cache, within every cap: about a second of work
  // queued on two workers. No time is asserted: health must answer before the last of them does.
  const heavy = Array.from({ length: 40 }, (_, i) => `FROM debian:12\n${Array.from({ length: 400 }, (_, j) => `RUN apt-get install -y pkg${i}x${j}\n`).join('')}`)
  const order: string[] = []
  const evaluations = heavy.map(async (body) => {
    const res = await fetch(`${url}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })
    order.push(`evaluate ${res.status}`)
  })
  await new Promise((resolve) => setTimeout(resolve, 50))
  const health = await fetch(`${url}/healthz`)
  order.push(`healthz ${health.status}`)
  await Promise.all(evaluations)
  t.same(order.filter((o) => o.startsWith('evaluate')), Array(40).fill('evaluate 200'), 'every evaluation is judged (none past a cap)')
  t.ok(order.indexOf('healthz 200') < order.length - 1, `healthz answered before the evaluations were done: ${order.indexOf('healthz 200')} finished before it`)
})

t.test('a policy set built from objects, not files, is evaluated on the HTTP thread', async (t) => {
  const served = app.policySet
  t.teardown(() => { app.policySet = served })
  app.policySet = { ...served, sources: [] }
  const res = await post(DOCKERFILES[0] as string)
  t.equal(res.statusCode, 200)
  t.ok(res.json().findings.length > 0)
})

t.test("an 'error' piscina emits outside any task is reported, not thrown", async (t) => {
  const seen: string[] = []
  const pool = new EvaluationPool({ workers: 1, onError: (error) => { seen.push(error.message) } })
  t.teardown(() => pool.close())
  // What piscina emits when the answer of a task stopped at its deadline arrives as its worker is terminated.
  const piscina = (pool as unknown as { pool: EventEmitter }).pool
  piscina.emit('error', new Error('Unexpected message from Worker: { taskId: 1 }'))
  t.same(seen, ['Unexpected message from Worker: { taskId: 1 }'])
  const silent = new EvaluationPool({ workers: 1 })
  t.teardown(() => silent.close())
  t.doesNotThrow(() => (silent as unknown as { pool: EventEmitter }).pool.emit('error', new Error('x')), 'without onError, nothing is thrown')
})
