import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { readConfig } from '../src/config.js'

// SIGTERM against the real server process: requests in flight get their answers, and the process exits.
// A request is known to be in flight when the server has answered its `Expect: 100-continue`: it has read
// the headers and is waiting for the body. Nothing here asserts a time, except a generous bound on exiting at all.

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url))
const POLICY_DIR = fileURLToPath(new URL('../policies', import.meta.url))
const EXIT_BOUND_MS = 60_000
// Each test starts the server through tap's TypeScript loader: seconds, and far more on a busy machine.
t.setTimeout(300_000)

interface Server { port: number, output: () => string, exit: Promise<number | null>, signal: (name: NodeJS.Signals) => void, closeLog: () => void }

/** Runs src/server.ts as server.test.ts does (tap's TypeScript loader, from execArgv) and waits until it listens. */
async function start (t: Test, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [...process.execArgv, SERVER], {
    // On a busy machine neither a slow evaluation nor a lagging event loop may turn into a 503: this is about shutdown.
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', POLICY_DIR, WORKERS: '1', LOG_LEVEL: 'info', EVALUATION_DEADLINE_MS: '600000', MAX_EVENT_LOOP_DELAY: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exit = once(child, 'exit').then(([code]) => code as number | null)
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const port = await new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match !== null) resolve(Number(match[1]))
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    void exit.then(() => { reject(new Error(`the server exited before listening:\n${output}`)) })
  })
  return { port, output: () => output, exit, signal: (name) => child.kill(name), closeLog: () => { child.stdout.destroy(); child.stderr.destroy() } }
}

/** Waits, boundedly, until the server's log matches. */
async function logged (server: Server, pattern: RegExp): Promise<void> {
  for (let waited = 0; !pattern.test(server.output()); waited += 20) {
    if (waited > EXIT_BOUND_MS) throw new Error(`the server never logged ${pattern}:\n${server.output()}`)
    await sleep(20)
  }
}

/** The exit code, or 'still running' when the process has not exited within the bound. */
function exited (server: Server): Promise<number | null | 'still running'> {
  return Promise.race([server.exit, sleep(EXIT_BOUND_MS, 'still running' as const, { ref: false })])
}

interface Answer { status: number, headers: IncomingHttpHeaders, complete: boolean, body: string }

/** A POST /v1/evaluate whose headers are sent now and whose body is sent by `finish()`. */
function evaluation (port: number, agent: Agent, dockerfile: string): { started: Promise<unknown>, finish: () => void, answer: Promise<Answer> } {
  const req = request({
    host: '127.0.0.1', port, agent, method: 'POST', path: '/v1/evaluate?failOn=none',
    headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(dockerfile), expect: '100-continue' },
  })
  const started = once(req, 'continue')
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('error', reject)
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, complete: res.complete, body }) })
    })
  })
  req.flushHeaders()
  return { started, finish: () => { req.end(dockerfile) }, answer }
}

/** True once a new connection to the port is refused. */
function refused (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => { socket.destroy(); resolve(false) })
    socket.on('error', (error: NodeJS.ErrnoException) => { resolve(error.code === 'ECONNREFUSED') })
  })
}

t.test('SIGTERM answers every request in flight, then exits 0', async (t) => {
  const server = await start(t, { SHUTDOWN_GRACE: '600' })
  const agent = new Agent({ keepAlive: true, maxSockets: 20 })
  t.teardown(() => { agent.destroy() })

  // The worker compiles the policies on its first request; after this one, the others only evaluate.
  const warm = evaluation(server.port, agent, 'FROM python:3.12-slim\n')
  warm.finish()
  const warmed = await warm.answer
  t.equal(warmed.status, 200, 'warmed up', { body: warmed.body })

  // Distinct Dockerfiles, so none is answered from the verdict cache: each needs the worker pool.
  const requests = Array.from({ length: 20 }, (_, i) => evaluation(server.port, agent, `FROM python:3.12-slim\nLABEL request="${i}"\nUSER 10001\n`))
  await Promise.all(requests.map((r) => r.started))
  const [sent, arriving] = [requests.slice(0, 10), requests.slice(10)]
  for (const r of sent) r.finish()
  server.signal('SIGTERM')
  await logged(server, /"msg":"shutting down"/)

  while (!(await refused(server.port))) await sleep(20)
  t.pass('new connections are refused once shutting down')
  // Bodies that arrive after the signal still count: their requests had begun.
  for (const r of arriving) r.finish()

  const answers = await Promise.all(requests.map((r) => r.answer))
  for (const [i, answer] of answers.entries()) {
    t.match(answer, { status: 200, complete: true }, `request ${i}: a whole answer`, { body: answer.body })
    t.match(JSON.parse(answer.body), { verdict: String, findings: Array }, `request ${i}: a verdict`)
  }
  for (const answer of answers.slice(10)) t.equal(answer.headers.connection, 'close', 'keep-alive clients are told to close')
  // Left open, an idle keep-alive connection would hold the close for Fastify's 72 s keep-alive timeout, past the bound.
  t.equal(await exited(server), 0, 'exits 0')
  t.match(server.output(), /every request answered/)
})

/** A request begun and never finished: headers that promise 100 bytes, then only half of them. Returns what came back. */
async function halfSent (t: Test, port: number): Promise<() => string> {
  const socket = connect(port, '127.0.0.1')
  t.teardown(() => { socket.destroy() })
  socket.on('error', () => {}) // the process dies under it
  await once(socket, 'connect')
  socket.write('POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n')
  let received = ''
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString()
      if (received.includes('100 Continue')) resolve()
    })
  })
  socket.write('FROM python:3.12-slim\n'.padEnd(50, '#'))
  return () => received
}

t.test('a request that cannot finish within SHUTDOWN_GRACE does not hold the process: it exits 1', async (t) => {
  const server = await start(t, { SHUTDOWN_GRACE: '1' })
  const received = await halfSent(t, server.port)
  server.signal('SIGTERM')
  t.equal(await exited(server), 1, 'exits, with 1')
  t.match(server.output(), /requests still unanswered after SHUTDOWN_GRACE/)
  t.notMatch(received(), /HTTP\/1\.1 [2-5]\d\d/, 'the half-sent request got no answer')
})

t.test('a second signal exits at once, without waiting out the grace period', async (t) => {
  const server = await start(t, { SHUTDOWN_GRACE: '3600' })
  await halfSent(t, server.port)
  server.signal('SIGTERM')
  await logged(server, /"msg":"shutting down"/)
  server.signal('SIGINT')
  t.equal(await exited(server), 1, 'exits, with 1')
  t.match(server.output(), /a second signal/)
})

t.test('SIGTERM still ends the process when nobody reads its log any more', async (t) => {
  // A log collector that went first (or a test runner): every write to stdout now fails with EPIPE. With the
  // trace level's many lines and a keep-alive connection to close, pino's asynchronous log used to hang the exit.
  const server = await start(t, { LOG_LEVEL: 'trace', WORKERS: '0' })
  t.equal((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status, 200)
  server.closeLog()
  server.signal('SIGTERM')
  t.equal(await exited(server), 0, 'exits 0')
})

t.test('SHUTDOWN_GRACE is whole seconds from 1 to 3600, 10 by default', async (t) => {
  t.match(readConfig({}), { ok: true, value: { shutdownGrace: 10_000 } })
  t.match(readConfig({ SHUTDOWN_GRACE: '30' }), { ok: true, value: { shutdownGrace: 30_000 } })
  for (const bad of ['0', '3601', '1.5', 'soon']) {
    t.match(readConfig({ SHUTDOWN_GRACE: bad }), { ok: false, problems: [{ code: 'config.invalid', message: `SHUTDOWN_GRACE must be an integer from 1 to 3600, got "${bad}"` }] })
  }
})
