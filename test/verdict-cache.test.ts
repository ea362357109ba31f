import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { readImageDocument } from '../src/inputs/image/index.js'
import { VerdictCache } from '../src/verdict-cache.js'
import { build, POLICY_DIR } from './helpers.js'

// A re-run CI job is answered from the cache: the same verdict, marked cached, under a decision id of its own.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error('the shipped policies do not load')
const set = loaded.value
const DOCKERFILE = 'FROM python:3.12\nRUN pip install flask\nCMD python app.py\n'

t.test('an identical request gets the remembered verdict; anything that decides it makes a new one', async (t) => {
  const cache = new VerdictCache(10)
  const first = await cache.evaluate(set, { dockerfile: DOCKERFILE })
  const again = await cache.evaluate(set, { dockerfile: DOCKERFILE })
  if (!first.ok || !again.ok) throw new Error('evaluate failed')
  t.equal(first.value.cached, false)
  t.equal(again.value.cached, true)
  t.not(again.value.decisionId, first.value.decisionId, 'each request has its own decision id')
  t.same(again.value.findings, first.value.findings)
  const fresh = async (request: Parameters<VerdictCache['evaluate']>[1], other = set, today?: string): Promise<boolean> => {
    const result = await cache.evaluate(other, request, { defaultFailOn: 'none', ...(today && { today }) })
    return result.ok && !result.value.cached
  }
  t.ok(await fresh({ dockerfile: DOCKERFILE, files: { '.dockerignore': '.git\n' } }), 'other context files')
  t.ok(await fresh({ dockerfile: DOCKERFILE, exclude: ['pip-no-cache'] }), 'other selectors')
  t.ok(await fresh({ dockerfile: DOCKERFILE, failOn: 'error' }), 'another threshold')
  t.ok(await fresh({ dockerfile: DOCKERFILE }, { ...set, digest: 'sha256:another-revision' }), 'another policy revision')
  t.ok(await fresh({ dockerfile: DOCKERFILE }, set, '2099-01-01'), 'another day: waivers may have expired')
  const image = readImageDocument({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } })
  if (!image.ok) throw new Error('image')
  t.ok(await fresh({ image: image.value }) && await fresh({ image: image.value }), 'images are not cached')
  const off = new VerdictCache(0)
  await off.evaluate(set, { dockerfile: DOCKERFILE })
  const offAgain = await off.evaluate(set, { dockerfile: DOCKERFILE })
  t.equal(offAgain.ok && offAgain.value.cached, false, 'size 0 keeps none')
})

t.test('over HTTP, the second identical POST is answered from the cache', async (t) => {
  const app = await build(t)
  const post = async () => (await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })).json()
  const [first, second] = [await post(), await post()]
  t.equal(first.cached, false)
  t.equal(second.cached, true)
  t.same(second.findings, first.findings)
  const none = await build(t, { verdictCache: 0 })
  const again = async () => (await none.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })).json()
  await again()
  t.equal((await again()).cached, false, 'VERDICT_CACHE=0 turns it off')
})
