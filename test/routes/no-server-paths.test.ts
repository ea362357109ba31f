import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { pino } from 'pino'
import t from 'tap'
import { build, POLICY_DIR, specErrors } from '../helpers.js'

// Anyone who can reach the service reads /readyz and /v1/policies: they name policy files relative to
// POLICY_DIR, never where it is on the server. Only the server's log says that.

const PYTHON = readFileSync(join(POLICY_DIR, 'python.yaml'), 'utf8')

t.test('no answer shows where the policy directory is on the server, fresh or after any failed reload', async (t) => {
  const dir = t.testdir({ 'python.yaml': PYTHON })
  t.ok(isAbsolute(dir), 'the app is built on an absolute path')
  const secrets = [dir, realpathSync(dir)]
  const logged: string[] = []
  const app = await build(t, { policyDir: dir, logger: pino({ level: 'info' }, { write: (line: string) => { logged.push(line) } }) })

  const answers = async (): Promise<Array<{ url: string, statusCode: number, body: string }>> => {
    const requests = [
      { method: 'GET' as const, url: '/readyz' },
      { method: 'GET' as const, url: '/v1/policies' },
      { method: 'GET' as const, url: '/v1/policies/python' },
      { method: 'GET' as const, url: '/v1/policies/nope' },
      { method: 'POST' as const, url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: 'FROM python:3.12\nRUN pip install flask\n' },
    ]
    return Promise.all(requests.map(async (request) => ({ url: request.url, ...await app.inject(request) })))
  }
  const showsNoPath = async (when: string): Promise<void> => {
    for (const answer of await answers()) {
      t.notOk(secrets.some((secret) => answer.body.includes(secret)), `${answer.url} ${when}: no server path`)
    }
  }
  await showsNoPath('while fresh')

  const breakages: Array<{ what: string, make: () => void, file: string }> = [
    { what: 'a file that is not YAML', make: () => { writeFileSync(join(dir, 'bad.yaml'), 'spec: [') }, file: 'bad.yaml' },
    { what: 'a dangling link', make: () => { symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml')) }, file: 'dangling.yaml' },
    { what: 'a link out of the directory', make: () => { symlinkSync('/etc/passwd', join(dir, 'shadow.yaml')) }, file: 'shadow.yaml' },
    { what: 'a FIFO', make: () => { execFileSync('mkfifo', [join(dir, 'pipe.yaml')]) }, file: 'pipe.yaml' },
    { what: 'a folder named *.yaml', make: () => { mkdirSync(join(dir, 'folder.yaml')) }, file: 'folder.yaml' },
    { what: 'an empty directory', make: () => { rmSync(join(dir, 'python.yaml')) }, file: '.' },
    { what: 'no directory at all', make: () => { rmSync(dir, { recursive: true }) }, file: '.' },
  ]
  for (const { what, make, file } of breakages) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
    writeFileSync(join(dir, 'python.yaml'), PYTHON)
    make()
    t.match(await app.policyStore.reload(), { ok: false, problems: [{ file }] }, `${what}: refused, naming ${file}`)
    const [ready, list] = await answers()
    t.equal(ready?.statusCode, 503)
    t.same(specErrors('/readyz', 'GET', ready as never), [])
    t.match(JSON.parse(ready?.body ?? ''), { status: 'stale', problems: [{ file }] }, `${what}: /readyz names ${file}`)
    t.match(JSON.parse(list?.body ?? ''), { stale: true, problems: [{ file }] }, `${what}: /v1/policies names ${file}`)
    await showsNoPath(`after ${what}`)
  }
  t.ok(logged.some((line) => line.includes('policy reload refused') && line.includes(JSON.stringify(dir))), 'the log says where the directory is')
})
