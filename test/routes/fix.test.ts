import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { evaluate } from '../../src/evaluate.js'
import type { Deadline } from '../../src/evaluation/deadline.js'
import { evaluateAndFix } from '../../src/fix/evaluate-fix.js'
import { loadPolicyDir } from '../../src/policy/load.js'
import { build, POLICY_DIR, specErrors } from '../helpers.js'

// `?fix=true`: the verdict of the Dockerfile as sent, plus `fixed` (the Dockerfile with its findings' fixes
// applied until none is left, the diff to it, the fixes applied). The shipped policies, with a profile that runs
// only pip-no-cache, so that the fixed text is exact whatever fixes other rules gain.
const dir = mkdtempSync(join(tmpdir(), 'plimsoll-fix-'))
t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
cpSync(POLICY_DIR, dir, { recursive: true })
writeFileSync(join(dir, 'only-pip-profile.yaml'), 'apiVersion: plimsoll.dev/v1\nkind: Profile\nmetadata: { name: only-pip, title: pip-no-cache alone }\nspec: { rules: [pip-no-cache] }\n')
const loaded = await loadPolicyDir(dir)
if (!loaded.ok) throw new Error('the policies do not load')
const set = loaded.value
const ONLY_PIP = { profile: 'only-pip' }

const PIP = 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n'
const PIP_FIXED = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n'
const diffOf = (name: string): string => [
  `--- a/${name}`,
  `+++ b/${name}`,
  '@@ -1,2 +1,2 @@',
  ' FROM python:3.12-slim',
  '-RUN pip install flask==3.0.3',
  '+RUN pip install --no-cache-dir flask==3.0.3',
  '',
].join('\n')
const APPLIED = [{
  ruleId: 'pip-no-cache',
  description: 'Add `--no-cache-dir` to pip install (`--no-cache` to uv)',
  message: '`RUN pip install flask==3.0.3` leaves pip\'s download cache in the layer',
  line: 2,
  pass: 1,
}]
const PIP_FIX = { description: APPLIED[0]?.description, edits: [{ line: 2, column: 16, endLine: 2, endColumn: 16, text: ' --no-cache-dir' }] }
const IMAGE = { architecture: 'amd64', os: 'linux', config: { User: '10001' }, rootfs: { type: 'layers', diff_ids: [] } }

type App = Awaited<ReturnType<typeof build>>
interface Finding { ruleId: string, fix?: unknown }
// Every single evaluation runs the profile (the query's profile applies to every body form).
const post = (app: App, url: string, payload: string | object, type = typeof payload === 'string' ? 'text/plain' : 'application/json') =>
  app.inject({ method: 'POST', url: url.startsWith('/v1/evaluate?') ? `${url}&profile=only-pip` : url === '/v1/evaluate' ? `${url}?profile=only-pip` : url, headers: { 'content-type': type }, payload })
const pipFinding = (verdict: { findings: Finding[] }): Finding | undefined => verdict.findings.find((f) => f.ruleId === 'pip-no-cache')

t.test('fix=true answers the verdict of the Dockerfile as sent, with the fixed Dockerfile, its diff and the fixes', async (t) => {
  const app = await build(t, { policyDir: dir })
  const res = await post(app, '/v1/evaluate?fix=true', PIP)
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/evaluate', 'POST', res), [])
  const verdict = res.json()
  t.same(verdict.fixed, { dockerfile: PIP_FIXED, diff: diffOf('Dockerfile'), applied: APPLIED })
  t.same(pipFinding(verdict)?.fix, PIP_FIX, 'the finding, on the Dockerfile as sent, carries its fix')
  const plain = evaluate(set, { dockerfile: PIP, ...ONLY_PIP })
  if (!plain.ok) throw new Error('evaluate failed')
  t.same(verdict.findings, plain.value.findings, 'the findings are those of the Dockerfile as sent')
})

t.test('without fix=true nothing is fixed; fix=false is the same; any other value is a 400', async (t) => {
  const app = await build(t, { policyDir: dir, verdictCache: 0 })
  for (const url of ['/v1/evaluate', '/v1/evaluate?fix=false']) {
    const res = await post(app, url, PIP)
    t.equal(res.statusCode, 200, url)
    t.notOk('fixed' in res.json(), `${url}: no fixed`)
    t.same(pipFinding(res.json())?.fix, PIP_FIX, `${url}: findings still carry their fixes`)
  }
  const bad = await post(app, '/v1/evaluate?fix=yes', PIP)
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ code: 'input.invalid', message: /querystring\/fix/ }] })
  t.same(specErrors('/v1/evaluate', 'POST', bad), [])
})

t.test('the JSON body and a multipart upload are fixed too, the diff naming their path', async (t) => {
  const app = await build(t, { policyDir: dir })
  const json = await post(app, '/v1/evaluate?fix=true', { dockerfile: PIP, path: 'svc/api/Dockerfile', failOn: 'warning' })
  t.equal(json.statusCode, 422, 'the threshold is that of the Dockerfile as sent')
  t.same(specErrors('/v1/evaluate', 'POST', json), [])
  t.same(json.json().fixed, { dockerfile: PIP_FIXED, diff: diffOf('svc/api/Dockerfile'), applied: APPLIED })
  const query = await post(app, '/v1/evaluate?fix=true&path=build/Dockerfile', PIP)
  t.equal(query.json().fixed.diff, diffOf('build/Dockerfile'), 'the path query parameter')

  const form = [
    '--x', 'Content-Disposition: form-data; name="dockerfile"; filename="app.Dockerfile"', 'Content-Type: text/plain', '', PIP,
    '--x--', '',
  ].join('\r\n')
  const multipart = await post(app, '/v1/evaluate?fix=true', form, 'multipart/form-data; boundary=x')
  t.equal(multipart.statusCode, 200)
  t.same(multipart.json().fixed, { dockerfile: PIP_FIXED, diff: diffOf('app.Dockerfile'), applied: APPLIED }, 'the diff names the uploaded file')
})

t.test('with a Dockerfile and an image, the Dockerfile is fixed; an image alone is a 400', async (t) => {
  const app = await build(t, { policyDir: dir })
  const both = await post(app, '/v1/evaluate?fix=true', { dockerfile: PIP, image: IMAGE })
  t.equal(both.statusCode, 200)
  t.same(both.json().fixed, { dockerfile: PIP_FIXED, diff: diffOf('Dockerfile'), applied: APPLIED })
  const alone = await post(app, '/v1/evaluate?fix=true', { image: IMAGE })
  t.equal(alone.statusCode, 400)
  t.same(specErrors('/v1/evaluate', 'POST', alone), [])
  t.match(alone.json(), { type: 'urn:plimsoll:problem:input.fix-needs-dockerfile', errors: [{ code: 'input.fix-needs-dockerfile', pointer: '/dockerfile' }] })
  t.equal((await post(app, '/v1/evaluate', { image: IMAGE })).statusCode, 200, 'the image alone is still judged without fix')
})

t.test('nothing to fix: the same Dockerfile, an empty diff; suppressed findings are never fixed', async (t) => {
  const app = await build(t, { policyDir: dir })
  const clean = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n'
  t.same((await post(app, '/v1/evaluate?fix=true', clean)).json().fixed, { dockerfile: clean, diff: '', applied: [] })
  const ignored = 'FROM python:3.12-slim\n# plimsoll ignore=pip-no-cache\nRUN pip install flask==3.0.3\n'
  const res = (await post(app, '/v1/evaluate?fix=true', ignored)).json()
  t.same(res.fixed, { dockerfile: ignored, diff: '', applied: [] })
  t.match(res.suppressed, [{ ruleId: 'pip-no-cache' }], 'the finding is listed as suppressed')
})

t.test('the verdict cache keeps fixed and plain verdicts apart', async (t) => {
  const app = await build(t, { policyDir: dir })
  const plain = (await post(app, '/v1/evaluate', PIP)).json()
  const fixed = (await post(app, '/v1/evaluate?fix=true', PIP)).json()
  t.equal(plain.cached, false)
  t.equal(fixed.cached, false, 'a plain verdict does not answer a fix request')
  t.same(fixed.fixed.dockerfile, PIP_FIXED)
  const fixedAgain = (await post(app, '/v1/evaluate?fix=true', PIP)).json()
  t.equal(fixedAgain.cached, true)
  t.same(fixedAgain.fixed, fixed.fixed, 'a cached fixed verdict keeps its fixed')
  const plainAgain = (await post(app, '/v1/evaluate', PIP)).json()
  t.equal(plainAgain.cached, true)
  t.notOk('fixed' in plainAgain, 'a fixed verdict does not answer a plain request')
  const elsewhere = (await post(app, '/v1/evaluate?fix=true&path=other/Dockerfile', PIP)).json()
  t.equal(elsewhere.cached, false, 'another path is another diff')
  t.equal(elsewhere.fixed.diff, diffOf('other/Dockerfile'))
})

t.test('fix=true with other formats answers them as without it', async (t) => {
  const app = await build(t, { policyDir: dir, verdictCache: 0 })
  for (const format of ['sarif', 'junit', 'gitlab', 'checkstyle', 'github', 'text']) {
    const withFix = await post(app, `/v1/evaluate?fix=true&format=${format}`, PIP)
    const without = await post(app, `/v1/evaluate?format=${format}`, PIP)
    t.equal(withFix.statusCode, 200, format)
    t.same(specErrors('/v1/evaluate', 'POST', withFix), [], `${format}: in openapi.yaml`)
    t.equal(withFix.headers['content-type'], without.headers['content-type'], `${format}: the same type`)
  }
})

t.test('a batch with fix=true: each verdict with its fixed, the diffs naming each path', async (t) => {
  const app = await build(t, { policyDir: dir })
  const clean = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n'
  const body = { files: [{ path: 'api/Dockerfile', dockerfile: PIP }, { path: 'web/Dockerfile', dockerfile: clean }], ...ONLY_PIP }
  const res = await post(app, '/v1/evaluate/batch?fix=true', body)
  t.equal(res.statusCode, 200)
  t.same(specErrors('/v1/evaluate/batch', 'POST', res), [])
  const [api, web] = res.json().results
  t.same(api.fixed, { dockerfile: PIP_FIXED, diff: diffOf('api/Dockerfile'), applied: APPLIED })
  t.same(web.fixed, { dockerfile: clean, diff: '', applied: [] })
  const plain = await post(app, '/v1/evaluate/batch', body)
  t.notOk(plain.json().results.some((r: object) => 'fixed' in r), 'no fixed without fix=true')
  t.equal((await post(app, '/v1/evaluate/batch?fix=1', body)).statusCode, 400)
})

t.test('a fixing pass stopped by the deadline fails the request as a slow evaluation does', async (t) => {
  // A deadline that counts how often it is read: evaluate() reads it between rules.
  const counting = (reads: number): Deadline & { count: number } => {
    const deadline = { count: 0, ms: 5, get at () { return ++deadline.count > reads ? Date.now() - 1 : Date.now() + 60_000 } }
    return deadline
  }
  const first = counting(Infinity)
  t.ok(evaluate(set, { dockerfile: PIP, ...ONLY_PIP }, { defaultFailOn: 'none', deadline: first }).ok)
  const stopped = evaluateAndFix(set, { dockerfile: PIP, ...ONLY_PIP }, { defaultFailOn: 'none', deadline: counting(first.count) })
  t.match(stopped, { ok: false, problems: [{ code: 'evaluation.deadline' }] }, 'the first evaluation passes, the second pass is stopped')
  const fine = evaluateAndFix(set, { dockerfile: PIP, ...ONLY_PIP }, { defaultFailOn: 'none', deadline: counting(first.count * 10) })
  t.match(fine, { ok: true, value: { fixed: { dockerfile: PIP_FIXED } } }, 'with time for both passes it is fixed')
})

t.test('in a worker thread the fixing passes run there, with the same answer', async (t) => {
  const app = await build(t, { policyDir: dir, workers: 1, verdictCache: 0 })
  const res = await post(app, '/v1/evaluate?fix=true', PIP)
  t.equal(res.statusCode, 200)
  t.same(res.json().fixed, { dockerfile: PIP_FIXED, diff: diffOf('Dockerfile'), applied: APPLIED })
  const alone = await post(app, '/v1/evaluate?fix=true', { image: IMAGE })
  t.match(alone.json(), { status: 400, errors: [{ code: 'input.fix-needs-dockerfile' }] })
})

t.test('with every shipped rule, pip-no-cache is among the fixes, and the fixed Dockerfile needs none', async (t) => {
  const app = await build(t, { verdictCache: 0 })
  const fix = (dockerfile: string) => app.inject({ method: 'POST', url: '/v1/evaluate?fix=true', headers: { 'content-type': 'text/plain' }, payload: dockerfile })
  const res = await fix(PIP)
  t.same(specErrors('/v1/evaluate', 'POST', res), [])
  const { fixed } = res.json()
  t.ok(fixed.applied.some((a: { ruleId: string }) => a.ruleId === 'pip-no-cache'), 'pip-no-cache is applied')
  t.match(fixed.dockerfile, /^RUN pip install --no-cache-dir flask==3\.0\.3$/m)
  t.same((await fix(fixed.dockerfile)).json().fixed, { dockerfile: fixed.dockerfile, diff: '', applied: [] }, 'fixing the fixed Dockerfile changes nothing')
})
