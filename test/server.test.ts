import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url))
// Every test starts the server in a process of its own, loading every module through tap's TypeScript loader:
// seconds each, but far more on a busy machine, past tap's default budget for the whole file.
t.setTimeout(300_000)

interface Started { url: string, output: () => string, exit: Promise<number | null>, stop: () => void }

/** Runs src/server.ts in its own process (with tap's TypeScript loader and coverage, from execArgv), as `npm start` does, and waits until it listens or exits. */
async function start (env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [...process.execArgv, SERVER], { env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exit = once(child, 'exit').then(([code]) => code as number | null)
  const url = await new Promise<string>((resolve) => {
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match !== null) resolve(match[1] as string)
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    void exit.then(() => resolve(''))
  })
  return { url, output: () => output, exit, stop: () => child.kill('SIGTERM') }
}

t.test('the server listens on 127.0.0.1, answers over real HTTP and stops on SIGTERM', async (t) => {
  // One evaluation worker (the default is one per CPU): each loads the TypeScript sources here, slowly.
  const server = await start({ WORKERS: '1' })
  t.teardown(server.stop)
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.same(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' })
  const res = await fetch(`${server.url}/v1/evaluate?failOn=error`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'FROM python:latest\nWORKDIR app\n' })
  t.equal(res.status, 422)
  t.match(await res.json(), { verdict: 'fail', findings: [{ location: { line: Number } }] })
  server.stop()
  t.equal(await server.exit, 0, 'exits cleanly')
  t.match(server.output(), /"msg":"shutting down"/, 'logs JSON through pino')
  t.match(server.output(), /"decisionId":"[0-9a-f-]{36}"/, 'logs each decision')
  t.match(server.output(), /"workers":1/, 'logs how many workers evaluate')
})

t.test('a bad policy file stops start with its file, line and reason', async (t) => {
  const dir = t.testdir({ 'broken.yaml': 'apiVersion: plimsoll.dev/v1\nkind: Policy\nmetadata:\n  name: broken\n  title: Broken\n  version: 1.0.0\nspec:\n  target: container\n  rules: []\n' })
  const server = await start({ POLICY_DIR: dir })
  t.equal(await server.exit, 1)
  t.equal(server.url, '', 'never listened')
  t.match(server.output(), /broken\.yaml:8: \/spec\/target must be equal to one of the allowed values: dockerfile, image/)
})

t.test('bad configuration is refused with every reason', async (t) => {
  const server = await start({ PORT: 'eighty', LOG_LEVEL: 'loud', WORKERS: '-1', BATCH_LIMIT: '12', REQUEST_TIMEOUT: '0', RATE_LIMIT: '-5', CORS_ORIGINS: 'ci.example.com', MAX_EVENT_LOOP_DELAY: 'soon' })
  t.equal(await server.exit, 2)
  t.match(server.output(), /WORKERS must be an integer from 0 to 256, got "-1"/)
  t.match(server.output(), /PORT must be an integer from 0 to 65535, got "eighty"/)
  t.match(server.output(), /LOG_LEVEL must be one of/)
  t.match(server.output(), /BATCH_LIMIT must be an integer from 1024 to 1073741824, got "12"/)
  t.match(server.output(), /REQUEST_TIMEOUT must be an integer from 1 to 3600, got "0"/)
  t.match(server.output(), /RATE_LIMIT must be an integer from 0 to 1000000, got "-5"/)
  t.match(server.output(), /CORS_ORIGINS: "ci\.example\.com" is not an origin/)
  t.match(server.output(), /MAX_EVENT_LOOP_DELAY must be an integer/)
})

t.test('API keys from PLIMSOLL_API_KEYS_FILE: unreadable, a configuration error; read, the /v1 routes need one, never logged', async (t) => {
  const key = 'a-key-from-the-secret-0123456789abcdef'
  const dir = t.testdir({ keys: `# rotated 2026-01\n${key}\n` })
  // Two processes at once: each start loads every module, slowly on a busy machine.
  const [unreadable, server] = await Promise.all([
    start({ PLIMSOLL_API_KEYS_FILE: '/nonexistent/plimsoll-keys' }),
    start({ WORKERS: '0', PLIMSOLL_API_KEYS_FILE: `${dir}/keys`, RATE_LIMIT: '50', LOG_LEVEL: 'trace' }),
  ])
  t.teardown(server.stop)
  t.equal(await unreadable.exit, 2, 'a configuration error, not a crash')
  t.match(unreadable.output(), /^plimsoll: PLIMSOLL_API_KEYS_FILE: cannot read "\/nonexistent\/plimsoll-keys": ENOENT/m)

  t.equal((await fetch(`${server.url}/healthz`)).status, 200)
  t.equal((await fetch(`${server.url}/v1/policies`)).status, 401)
  const res = await fetch(`${server.url}/v1/policies`, { headers: { authorization: `Bearer ${key}` } })
  t.equal(res.status, 200)
  t.equal(res.headers.get('x-ratelimit-limit'), '50', 'RATE_LIMIT applies')
  t.match(res.headers.get('content-security-policy'), /default-src 'self'/)
  t.equal(res.headers.get('access-control-allow-origin'), null, 'no CORS without CORS_ORIGINS')
  server.stop()
  await server.exit
  t.match(server.output(), /"url":"\/v1\/policies"/, 'requests are logged')
  t.notOk(server.output().includes(key), 'the key is not')
})
