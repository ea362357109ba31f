import { mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pino, type Logger } from 'pino'
import { PolicyStore, type ReloadOutcome } from '../src/policy/store.js'
import { build, specErrors } from './helpers.js'

// Policies are written into a temp dir; nothing here waits on a clock: tests wait for the store's
// reload events (`until`), so a slow machine is slower, not flaky. The wait is bounded only so that a
// watcher that never fires fails its test with a reason instead of hanging the run.

interface RuleText { id: string, scope: string, keywords?: string, assert: string, severity?: string }

/** A policy file with the given rules. Each rule's `severity:` line is findable by its value. */
function policyYaml (name: string, rules: RuleText[]): string {
  return `apiVersion: plimsoll.dev/v1
kind: Policy
metadata:
  name: ${name}
  title: ${name}
  version: 1.0.0
spec:
  target: dockerfile
  rules:
${rules.map((r) => `    - id: ${r.id}
      title: ${r.id}
      severity: ${r.severity ?? 'error'}
      scope: ${r.scope}
${r.keywords !== undefined ? `      keywords: [${r.keywords}]\n` : ''}      assert: '${r.assert}'
      message: ${r.id} reported
      remediation: Fix it.
      examples:
        fail: ["FROM a", "FROM b"]
        pass: ["FROM c", "FROM d"]
`).join('')}`
}

const NO_LATEST: RuleText = { id: 'no-latest', scope: 'stage', assert: 'stage.from.tag != "latest"' }
const NO_MAINTAINER: RuleText = { id: 'no-maintainer', scope: 'instruction', keywords: 'MAINTAINER', assert: 'false' }
const BASE = policyYaml('base', [NO_LATEST])
const EXTRA = policyYaml('extra', [NO_MAINTAINER])
const BROKEN = policyYaml('extra', [{ ...NO_MAINTAINER, severity: 'fatal' }])
const BROKEN_LINE = BROKEN.split('\n').indexOf('      severity: fatal') + 1
const DOCKERFILE = 'FROM python:3.12\nMAINTAINER someone@example.com\n'

const UNTIL_BOUND_MS = 60_000

/** The first reload outcome that satisfies `predicate`, from now on. */
function until (store: PolicyStore, predicate: (outcome: ReloadOutcome) => boolean): Promise<ReloadOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`no such reload within ${UNTIL_BOUND_MS / 1000} s`))
    }, UNTIL_BOUND_MS)
    const stop = store.onReload((outcome) => {
      if (!predicate(outcome)) return
      stop()
      clearTimeout(timer)
      resolve(outcome)
    })
  })
}

/** A pino logger whose records are kept, to check what operators would read. */
function recordingLogger (): { logger: Logger, records: Array<{ level: number, msg: string }> } {
  const records: Array<{ level: number, msg: string }> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { records.push(JSON.parse(line)) } })
  return { logger, records }
}

async function open (dir: string, logger = recordingLogger().logger): Promise<PolicyStore> {
  const opened = await PolicyStore.open({ dir, logger })
  if (!opened.ok) throw new Error(`the fixture does not load: ${JSON.stringify(opened.problems)}`)
  return opened.value
}

t.test('the watcher serves new rules without a restart, keeps the last good set when a file breaks, and recovers', async (t) => {
  const dir = t.testdir({ 'base.yaml': BASE })
  const { logger, records } = recordingLogger()
  const app = await build(t, { policyDir: dir, watch: true, logger })
  const store = app.policyStore
  const first = store.status.revision

  const evaluate = async (): Promise<Array<{ ruleId: string, location: { line: number } }>> => {
    const res = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
    t.equal(res.statusCode, 200)
    return res.json().findings
  }
  t.same(await evaluate(), [], 'no finding before the new rule exists')

  await t.test('a new rule file is picked up', async (t) => {
    const reloaded = until(store, (o) => o.ok && o.changed)
    writeFileSync(join(dir, 'extra.yaml'), EXTRA)
    await reloaded
    const res = await app.inject({ method: 'GET', url: '/v1/policies' })
    t.same(specErrors('/v1/policies', 'GET', res), [])
    const list = res.json()
    t.match(list, { stale: false, problems: [], policies: [{ name: 'base', rules: ['no-latest'] }, { name: 'extra', rules: ['no-maintainer'] }] })
    t.not(list.revision.digest, first.set.digest, 'a new revision')
    t.equal(list.digest, list.revision.digest)
    t.ok(Date.parse(list.revision.loadedAt) >= first.loadedAt.getTime())
    t.match(await evaluate(), [{ ruleId: 'no-maintainer', location: { line: 2 } }], 'the new rule judges requests')
  })

  const good = store.status.revision
  await t.test('a broken file leaves the last good set serving, and readiness says stale', async (t) => {
    const refused = until(store, (o) => !o.ok && o.problems.some((p) => p.file === 'extra.yaml' && p.line === BROKEN_LINE))
    writeFileSync(join(dir, 'extra.yaml'), BROKEN)
    t.match(await refused, { ok: false, digest: good.set.digest })

    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(ready.statusCode, 503)
    t.same(specErrors('/readyz', 'GET', ready), [])
    t.match(ready.json(), {
      status: 'stale',
      digest: good.set.digest,
      loadedAt: good.loadedAt.toISOString(),
      failedAt: String,
      problems: [{ code: 'policy.schema', file: 'extra.yaml', line: BROKEN_LINE, message: /severity must be equal to one of the allowed values/ }],
    })

    const list = await app.inject({ method: 'GET', url: '/v1/policies' })
    t.same(specErrors('/v1/policies', 'GET', list), [])
    t.match(list.json(), { digest: good.set.digest, stale: true, failedAt: String, problems: [{ file: 'extra.yaml', line: BROKEN_LINE }], policies: [{ name: 'base' }, { name: 'extra' }] })
    t.match(await evaluate(), [{ ruleId: 'no-maintainer' }], 'requests are still judged by the last good set')
    t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'stale is not dead')
    t.ok(records.some((r) => r.level === 50 && r.msg.includes(`extra.yaml:${BROKEN_LINE}: /spec/rules/0/severity`)), 'the refusal is logged with file and line')
  })

  await t.test('fixing the file makes the store fresh again', async (t) => {
    const reloaded = until(store, (o) => o.ok)
    writeFileSync(join(dir, 'extra.yaml'), policyYaml('extra', [NO_MAINTAINER, { id: 'no-onbuild', scope: 'instruction', keywords: 'ONBUILD', assert: 'false' }]))
    await reloaded
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(ready.statusCode, 200)
    t.same(specErrors('/readyz', 'GET', ready), [])
    t.match(ready.json(), { status: 'ready', policies: 2, rules: 3 })
    t.not(ready.json().digest, good.set.digest)
    t.match((await app.inject({ method: 'GET', url: '/v1/policies' })).json(), { stale: false, problems: [] })
  })
})

t.test('a ConfigMap-style update (a ..data symlink swapped) is picked up too', async (t) => {
  // The volume the kubelet mounts: files are links through `..data` into a timestamped folder.
  const dir = t.testdir({ '..2026_01': { 'base.yaml': BASE } })
  symlinkSync('..2026_01', join(dir, '..data'))
  symlinkSync(join('..data', 'base.yaml'), join(dir, 'base.yaml'))
  const store = await open(dir)
  t.teardown(() => store.close())
  t.ok(store.watch().ok)
  const first = store.policySet.digest

  // What the kubelet does on an update: write the new folder beside the old, swap `..data` with one
  // atomic rename of a new link, then delete the old folder.
  const reloaded = until(store, (o) => o.ok && o.changed)
  mkdirSync(join(dir, '..2026_02'))
  writeFileSync(join(dir, '..2026_02', 'base.yaml'), policyYaml('base', [NO_LATEST, NO_MAINTAINER]))
  symlinkSync('..2026_02', join(dir, '..data_tmp'))
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
  rmSync(join(dir, '..2026_01'), { recursive: true })
  t.not((await reloaded).digest, first, 'a new revision')
  t.same(store.policySet.policies[0]?.rules.map((r) => r.id), ['no-latest', 'no-maintainer'])
})

t.test('a policy directory deleted and created again is still watched', async (t) => {
  const dir = t.testdir({ 'base.yaml': BASE })
  const app = await build(t, { policyDir: dir, watch: true })
  const store = app.policyStore
  const first = store.policySet.digest

  // What a deploy script that replaces the whole folder does. The new folder comes only after the
  // reload has found the old one gone, so nothing can watch it then: the store must look for it.
  const gone = until(store, (o) => !o.ok)
  rmSync(dir, { recursive: true })
  t.match(await gone, { ok: false, digest: first, problems: [{ code: 'policy.dir-unreadable', file: '.' }] })

  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503, 'stale while the directory is missing')
  t.same(specErrors('/readyz', 'GET', ready), [])
  t.match(ready.json(), { status: 'stale', digest: first, problems: [{ code: 'policy.dir-unreadable', file: '.', message: /cannot read policy directory: ENOENT/ }] })
  const parent = join(dir, '..')
  t.notOk(ready.body.includes(parent) || ready.body.includes(realpathSync(parent)), 'names the directory without its path on the server')
  const res = await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: DOCKERFILE })
  t.equal(res.statusCode, 200, 'the last good set still judges')

  const replaced = until(store, (o) => o.ok && o.changed)
  mkdirSync(dir)
  writeFileSync(join(dir, 'base.yaml'), policyYaml('base', [NO_LATEST, NO_MAINTAINER]))
  t.not((await replaced).digest, first, 'the new folder\'s revision, without SIGHUP')
  t.same(store.policySet.policies[0]?.rules.map((r) => r.id), ['no-latest', 'no-maintainer'])
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'ready again')

  const changed = until(store, (o) => o.ok && o.changed)
  writeFileSync(join(dir, 'extra.yaml'), policyYaml('extra', [{ id: 'no-onbuild', scope: 'instruction', keywords: 'ONBUILD', assert: 'false' }]))
  await changed
  t.equal(store.policySet.policies.length, 2, 'a change in the new directory is picked up')
})

t.test('a policy directory replaced quickly, or with its parent, is still watched', async (t) => {
  const root = t.testdir({ parent: { policies: { 'base.yaml': BASE } } })
  const dir = join(root, 'parent', 'policies')
  const store = await open(dir)
  t.teardown(() => store.close())
  t.ok(store.watch().ok)

  // Gone and back before the reload runs: that reload watches the new folder.
  const quick = until(store, (o) => o.ok && o.changed)
  rmSync(dir, { recursive: true })
  mkdirSync(dir)
  writeFileSync(join(dir, 'base.yaml'), BASE)
  writeFileSync(join(dir, 'extra.yaml'), EXTRA)
  await quick
  t.equal(store.policySet.policies.length, 2)

  // The parent goes too, so no watcher is left to hear the folder come back.
  const gone = until(store, (o) => !o.ok)
  rmSync(join(root, 'parent'), { recursive: true })
  await gone
  const back = until(store, (o) => o.ok && o.changed)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'base.yaml'), BASE)
  await back
  t.equal(store.policySet.policies.length, 1)
})

t.test('a POLICY_DIR that is a link swapped to another folder is picked up', async (t) => {
  // A deploy that keeps releases side by side and points `policies` at the current one.
  const root = t.testdir({ 'release-1': { 'base.yaml': BASE }, 'release-2': { 'base.yaml': BASE, 'extra.yaml': EXTRA } })
  symlinkSync('release-1', join(root, 'policies'))
  const store = await open(join(root, 'policies'))
  t.teardown(() => store.close())
  t.ok(store.watch().ok)

  // Nothing changes inside release-1, so only the parent's watcher can hear this.
  const swapped = until(store, (o) => o.ok && o.changed)
  symlinkSync('release-2', join(root, 'policies.tmp'))
  renameSync(join(root, 'policies.tmp'), join(root, 'policies'))
  await swapped
  t.equal(store.policySet.policies.length, 2)
})

t.test('reload() swaps only on success and keeps the problems until then', async (t) => {
  const dir = t.testdir({ 'base.yaml': BASE })
  const { logger, records } = recordingLogger()
  const store = await open(dir, logger)
  t.teardown(() => store.close())
  const first = store.status.revision

  t.same(await store.reload(), { ok: true, digest: first.set.digest, changed: false }, 'the same files: nothing changes')
  t.equal(store.status.revision, first, 'the revision and its load time are kept')

  writeFileSync(join(dir, 'base.yaml'), 'spec: [')
  const failed = await store.reload()
  t.match(failed, { ok: false, digest: first.set.digest, problems: [{ code: 'policy.yaml', file: 'base.yaml', line: 1 }] })
  t.equal(store.stale, true)
  t.equal(store.policySet, first.set, 'the old set is still served')
  t.match(store.status.failure, { at: Date, problems: [{ file: 'base.yaml' }] })
  t.ok(records.some((r) => r.level === 50 && /still serving sha256:/.test(r.msg)))

  writeFileSync(join(dir, 'base.yaml'), BASE)
  t.same(await store.reload(), { ok: true, digest: first.set.digest, changed: false }, 'back to the same files')
  t.equal(store.stale, false, 'fresh again')
  t.equal(store.status.failure, undefined)

  writeFileSync(join(dir, 'extra.yaml'), EXTRA)
  t.match(await store.reload(), { ok: true, changed: true })
  t.not(store.policySet.digest, first.set.digest)
  t.equal(store.policySet.policies.length, 2)
})

t.test('reloads run one at a time; calls made while one waits share it', async (t) => {
  const store = await open(t.testdir({ 'base.yaml': BASE }))
  t.teardown(() => store.close())
  let count = 0
  store.onReload(() => { count++ })
  const first = store.reload()
  t.equal(store.reload(), first, 'a call before the reload has started shares it')
  await Promise.resolve() // the first reload starts (reading the directory) on this microtask turn
  const second = store.reload()
  const third = store.reload()
  t.not(second, first, 'a call while a reload runs queues another, which will see later changes')
  t.equal(third, second, 'and later calls share the queued one')
  await Promise.all([first, second, third])
  t.equal(count, 2)
})

t.test('changes in quick succession cause one reload', async (t) => {
  const dir = t.testdir({ 'base.yaml': BASE })
  const store = await open(dir)
  t.teardown(() => store.close())
  const outcomes: ReloadOutcome[] = []
  store.onReload((o) => { outcomes.push(o) })
  const reloaded = until(store, () => true)
  // What the watcher does for an editor's save: several events in a row, each restarting the wait.
  writeFileSync(join(dir, 'extra.yaml'), '')
  store.scheduleReload()
  writeFileSync(join(dir, 'extra.yaml'), EXTRA)
  store.scheduleReload()
  store.scheduleReload()
  t.match(await reloaded, { ok: true, changed: true }, 'the reload sees the last write, not the empty file')
  t.equal(outcomes.length, 1)
})

t.test('problems reading the directory are values, not crashes', async (t) => {
  const missing = await PolicyStore.open({ dir: '/nonexistent/plimsoll-policies', logger: recordingLogger().logger })
  t.match(missing, { ok: false, problems: [{ code: 'policy.dir-unreadable', file: '.' }] })

  const dir = t.testdir({ 'base.yaml': BASE })
  const store = await open(dir)
  t.teardown(() => store.close())
  mkdirSync(join(dir, 'folder.yaml'))
  t.match(await store.reload(), { ok: false, problems: [{ code: 'policy.not-a-file', file: 'folder.yaml' }] }, 'a listed name that is no file')
  rmSync(join(dir, 'folder.yaml'), { recursive: true })
  symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'))
  t.match(await store.reload(), { ok: false, problems: [{ code: 'policy.unreadable', file: 'dangling.yaml', message: /^cannot be read: ENOENT[^/]*$/ }] }, 'a listed name that cannot be read')
  rmSync(dir, { recursive: true })
  t.match(await store.reload(), { ok: false, problems: [{ code: 'policy.dir-unreadable' }] }, 'the directory went away: stale')
  t.equal(store.policySet.policies[0]?.name, 'base', 'still serving')
  t.match(store.watch(), { ok: false, problems: [{ code: 'policy.watch-failed' }] }, 'cannot watch what is not there')
})

t.test('a listener that throws is logged; the reload and other listeners go on', async (t) => {
  const { logger, records } = recordingLogger()
  const store = await open(t.testdir({ 'base.yaml': BASE }), logger)
  t.teardown(() => store.close())
  store.onReload(() => { throw new Error('listener bug') })
  let heard = false
  store.onReload(() => { heard = true })
  t.match(await store.reload(), { ok: true })
  t.ok(heard)
  t.ok(records.some((r) => r.msg === 'a policy reload listener failed'))
})

t.test('app.policySet is the store\'s current set, and assigning it serves another', async (t) => {
  const app = await build(t, { policyDir: t.testdir({ 'base.yaml': BASE }) })
  t.equal(app.policySet, app.policyStore.policySet)
  const other = { ...app.policySet, digest: 'sha256:other' }
  app.policySet = other
  t.equal(app.policyStore.policySet, other)
  t.match((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready', digest: 'sha256:other' })
})
