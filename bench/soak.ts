// npm run soak: the listening server under steady load, with hostile requests beside it. Starts the built server
// (dist/server.js, as `npm start` runs it: `npm run soak` builds it first) on 127.0.0.1 with its default workers
// (one per CPU), measures its capacity (autocannon, 5 s, POST /v1/evaluate with a 29-line Python Dockerfile made
// unique per request so the verdict cache answers none), then drives it at 70% of that for --duration seconds
// (default 30) while, beside the load, one pathological request at a time loops (a cap passed, seconds of work
// the deadline stops) and a thread of its own probes /healthz every 100 ms. Prints a table; exits 1 when a load
// request failed, when a health probe failed or took over 100 ms, or when a pathological request hung or got an
// answer other than 200, 413, 422 or 503.
//
//   node --import=tsx bench/soak.ts [--duration 30] [--connections 10] [--fraction 0.7] [--without-pathological] [--only words]
//
// Not src/server.ts under tsx: its worker threads cannot load src/evaluation/worker.ts there (ERR_UNKNOWN_FILE_EXTENSION).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import autocannon from 'autocannon'
import { STAGE } from './sample.js'

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '10' },
    fraction: { type: 'string', default: '0.7' },
    // A baseline: the same load and health probes, no pathological requests beside them.
    'without-pathological': { type: 'boolean', default: false },
    // Only the pathological requests whose names contain one of these words (comma-separated), e.g. `dockerignore`.
    only: { type: 'string', default: '' },
  },
})
const duration = Number(flags.duration)
const connections = Number(flags.connections)
const fraction = Number(flags.fraction)
const withPathological = !flags['without-pathological']
if (!(duration > 0) || !(connections > 0) || !(fraction > 0 && fraction <= 1)) {
  console.error('usage: soak.ts [--duration seconds] [--connections n] [--fraction 0..1] [--without-pathological] [--only words]')
  process.exit(2)
}
// The pathological requests, looped one at a time beside the load.
interface Pathological { readonly name: string, readonly type: string, readonly body: (n: number) => string }
const PATHOLOGICAL: readonly Pathological[] = [
  // Past MAX_INSTRUCTIONS: refused before any evaluation (413).
  { name: '2,001 instructions', type: 'text/plain', body: (n) => `FROM alpine:3.20\n${'RUN echo hi\n'.repeat(2000)}# ${n}\n` },
  // Under every cap, and slow: 3,998 piped commands (1.5 s alone in process; 200, or 503 past the deadline).
  { name: '1,999 RUN a | b', type: 'text/plain', body: (n) => `FROM alpine:3.20\n${'RUN a | b\n'.repeat(1999)}# ${n}\n` },
  // A context file of one line of a million characters: seconds of matching (503 at the deadline).
  { name: '.dockerignore line of 1 MB', type: 'application/json', body: (n) => JSON.stringify({ dockerfile: `FROM python:3.12-slim\nCOPY . /app\n# ${n}\n`, files: { '.dockerignore': 'x'.repeat(1_000_000) } }) },
  // A requirements line of 200,000 `[` (quadratic: 503 at the deadline).
  { name: 'requirements.txt of 200,000 [', type: 'application/json', body: (n) => JSON.stringify({ dockerfile: `FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n# ${n}\n`, files: { 'requirements.txt': '['.repeat(200_000) } }) },
]
const onlyWords = flags.only.split(',').map((word) => word.trim().toLowerCase()).filter((word) => word !== '')
const chosen = PATHOLOGICAL.filter((each) => onlyWords.length === 0 || onlyWords.some((word) => each.name.toLowerCase().includes(word)))
if (chosen.length === 0) {
  console.error(`--only ${flags.only}: no pathological request is named so (${PATHOLOGICAL.map((each) => each.name).join('; ')})`)
  process.exit(2)
}

const HEALTH_BUDGET_MS = 100
const HEALTH_EVERY_MS = 100
const HANG_MS = 30_000

const root = fileURLToPath(new URL('..', import.meta.url))
if (!existsSync(`${root}/dist/server.js`)) {
  console.error('no dist/server.js: run `npm run build` first (`npm run soak` does)')
  process.exit(2)
}

/** A port free now on 127.0.0.1 (the server is started on it a moment later). */
const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const probe = createServer()
  probe.once('error', reject)
  probe.listen(0, '127.0.0.1', () => {
    const address = probe.address()
    probe.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
  })
})

const port = await freePort()
const base = `http://127.0.0.1:${port}`
// RATE_LIMIT=0: the per-client limit (600 a minute) would answer most of the load 429; no API keys, whatever the shell
// has. Other settings (WORKERS, EVALUATION_DEADLINE_MS, the MAX_* caps) come from the environment, to soak them too.
const env = { ...process.env, HOST: '127.0.0.1', PORT: String(port), POLICY_DIR: 'policies', LOG_LEVEL: 'warn', RATE_LIMIT: '0', PLIMSOLL_API_KEYS: '', PLIMSOLL_API_KEYS_FILE: '' }
const server: ChildProcess = spawn(process.execPath, ['dist/server.js'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] })
let serverExited = false
let stopping = false
server.once('exit', (code, signal) => {
  serverExited = true
  if (!stopping) console.error(`the server exited during the soak (code ${code}, signal ${signal})`)
})
const stopServer = async (): Promise<void> => {
  stopping = true
  if (serverExited) return
  const exited = new Promise<void>((resolve) => server.once('exit', () => { resolve() }))
  server.kill('SIGTERM')
  const timer = setTimeout(() => { server.kill('SIGKILL') }, 15_000)
  await exited
  clearTimeout(timer)
}
process.once('SIGINT', () => { void stopServer().then(() => process.exit(130)) })

/** The server's resident memory, from /proc (Linux), in MB. */
function rssMb (): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? undefined : Number(kb) / 1024
  } catch {
    return undefined
  }
}

async function waitUntilReady (): Promise<void> {
  const until = Date.now() + 120_000
  while (Date.now() < until) {
    if (serverExited) throw new Error('the server exited before it was ready')
    try {
      if ((await fetch(`${base}/readyz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('the server was not ready within 120 s')
}

// ---------------------------------------------------------------------------------------------------------------
// The load: POST /v1/evaluate, the bench's 29-line two-stage Python Dockerfile, a comment with a counter appended

let counter = 0
const typicalRequest: autocannon.Request = {
  method: 'POST',
  path: '/v1/evaluate',
  headers: { 'content-type': 'text/plain' },
  setupRequest: (request) => ({ ...request, body: `${STAGE}# request ${counter++}\n` }),
}
const load = (seconds: number, overallRate?: number): Promise<autocannon.Result> => autocannon({
  url: base,
  connections,
  duration: seconds,
  requests: [typicalRequest],
  ...(overallRate !== undefined && { overallRate }),
})

// ---------------------------------------------------------------------------------------------------------------
// Beside the load: one pathological request at a time

const PATHOLOGICAL_STATUSES = new Set([200, 413, 422, 503])

interface PathologicalOutcome { readonly name: string, readonly status: number | string, readonly ms: number, readonly code?: string }

async function pathologicalLoop (until: () => boolean): Promise<PathologicalOutcome[]> {
  const outcomes: PathologicalOutcome[] = []
  for (let i = 0; !until(); i++) {
    const each = chosen[i % chosen.length] as Pathological
    const started = performance.now()
    try {
      const res = await fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': each.type }, body: each.body(i), signal: AbortSignal.timeout(HANG_MS) })
      const body = await res.text()
      const code = res.status >= 400 ? (JSON.parse(body) as { errors?: Array<{ code?: string }> }).errors?.[0]?.code : undefined
      outcomes.push({ name: each.name, status: res.status, ms: performance.now() - started, ...(code !== undefined && { code }) })
    } catch (error) {
      const name = (error as Error).name
      outcomes.push({ name: each.name, status: name === 'TimeoutError' ? `no answer in ${HANG_MS / 1000} s` : `failed: ${(error as Error).message}`, ms: performance.now() - started })
    }
  }
  return outcomes
}

// ---------------------------------------------------------------------------------------------------------------
// Beside the load: /healthz every 100 ms, from a thread of its own so that autocannon's work on this thread does
// not delay its timing. One keep-alive connection, as a load balancer's prober holds.

const HEALTH_PROBER = `
const { parentPort, workerData } = require('node:worker_threads')
const http = require('node:http')
const { performance } = require('node:perf_hooks')
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const samples = []
let stop = false
parentPort.on('message', () => { stop = true })
const probe = () => new Promise((resolve) => {
  const started = performance.now()
  const request = http.get(workerData.url, { agent, timeout: 5000 }, (res) => {
    res.resume()
    res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode }))
  })
  request.on('timeout', () => { request.destroy(new Error('no answer in 5 s')) })
  request.on('error', (error) => resolve({ ms: performance.now() - started, status: 0, error: error.message }))
})
;(async () => {
  while (!stop) {
    const next = performance.now() + workerData.every
    samples.push(await probe())
    const wait = next - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
  agent.destroy()
  parentPort.postMessage(samples)
})()
`
interface HealthSample { readonly ms: number, readonly status: number, readonly error?: string }

function startHealthProber (): { stop: () => Promise<HealthSample[]> } {
  const worker = new Worker(HEALTH_PROBER, { eval: true, workerData: { url: `${base}/healthz`, every: HEALTH_EVERY_MS } })
  const done = new Promise<HealthSample[]>((resolve, reject) => {
    worker.once('message', (samples: HealthSample[]) => { resolve(samples) })
    worker.once('error', reject)
  })
  return { stop: async () => { worker.postMessage('stop'); const samples = await done; await worker.terminate(); return samples } }
}

// ---------------------------------------------------------------------------------------------------------------

/** The server's own event-loop delay since the previous scrape (prom-client resets its histogram on each), in ms. */
async function eventLoopLag (): Promise<{ max: number, p99: number } | undefined> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text()
    const read = (name: string): number | undefined => {
      const value = new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1]
      return value === undefined ? undefined : Number(value) * 1000
    }
    const max = read('nodejs_eventloop_lag_max_seconds')
    const p99 = read('nodejs_eventloop_lag_p99_seconds')
    return max === undefined || p99 === undefined ? undefined : { max, p99 }
  } catch {
    return undefined
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] as number
const mb = (value: number | undefined): string => value === undefined ? 'n/a' : `${value.toFixed(0)} MB`

let exitCode = 0
try {
  await waitUntilReady()
  const rssReady = rssMb()
  // Each worker compiles the policies on its first task: warm them before measuring.
  await Promise.all(Array.from({ length: 16 }, (_, i) => fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `${STAGE}# warm ${i}\n` }).then((res) => res.text())))
  console.log(`plimsoll soak: dist/server.js on ${base}, node ${process.version}`)

  console.log('measuring capacity: 5 s, %d connections, unique bodies', connections)
  const capacity = await load(5)
  const capacityRate = capacity.requests.average
  const rate = Math.max(1, Math.round(capacityRate * fraction))
  console.log(`capacity ${capacityRate.toFixed(0)} requests/s (p50 ${capacity.latency.p50} ms, ${capacity.non2xx} non-2xx); soaking ${duration} s at ${rate} requests/s (${Math.round(fraction * 100)}%)`)

  const rssStart = rssMb()
  await eventLoopLag()
  const rssSamples: number[] = []
  const rssTimer = setInterval(() => { const value = rssMb(); if (value !== undefined) rssSamples.push(value) }, 1000)
  let rssMiddle: number | undefined
  const middleTimer = setTimeout(() => { rssMiddle = rssMb() }, (duration * 1000) / 2)

  let loadDone = false
  const prober = startHealthProber()
  const pathological = withPathological ? pathologicalLoop(() => loadDone) : Promise.resolve([])
  const result = await load(duration, rate)
  loadDone = true
  const rssEnd = rssMb()
  const lag = await eventLoopLag()
  clearInterval(rssTimer)
  clearTimeout(middleTimer)
  const health = await prober.stop()
  const outcomes = await pathological
  // autocannon leaves the requests it had in flight at the end; let the server finish them before it is stopped.
  await new Promise((resolve) => setTimeout(resolve, 3000))

  // Report
  // autocannon counts timeouts among its connection errors.
  const errors = result.non2xx + result.errors
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code} ×${count ?? 0}`).join(', ')
  const healthMs = health.map((s) => s.ms).sort((a, b) => a - b)
  const healthFailed = health.filter((s) => s.status !== 200)
  const healthMax = healthMs[healthMs.length - 1] ?? 0
  const healthOver = health.filter((s) => s.ms > HEALTH_BUDGET_MS).length
  const byStatus = new Map<string, number>()
  for (const o of outcomes) {
    const key = `${o.name}: ${o.status}${o.code === undefined ? '' : ` ${o.code}`}`
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1)
  }
  const unexpected = outcomes.filter((o) => typeof o.status !== 'number' || !PATHOLOGICAL_STATUSES.has(o.status))
  const growth = rssStart !== undefined && rssEnd !== undefined ? rssEnd - rssStart : undefined

  const rows: Array<[string, string]> = [
    ['duration', `${duration} s at ${rate} requests/s (${Math.round(fraction * 100)}% of ${capacityRate.toFixed(0)}/s measured), ${connections} connections`],
    ['requests', `${result.requests.total} (${codes || 'none'})`],
    ['errors', `${errors} (non-2xx ${result.non2xx}, connection errors ${result.errors}, of which timeouts ${result.timeouts})`],
    ['latency', `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`],
    ['throughput', `${result.requests.average.toFixed(0)} requests/s of ${rate} offered, ${(result.throughput.average / 1024).toFixed(0)} KB/s`],
    ['server RSS', `ready ${mb(rssReady)}, soak start ${mb(rssStart)}, middle ${mb(rssMiddle)}, end ${mb(rssEnd)}, max ${mb(rssSamples.length > 0 ? Math.max(...rssSamples) : undefined)}; growth ${growth === undefined ? 'n/a' : `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB`}`],
    ['/healthz', `${health.length} probes, p50 ${percentile(healthMs, 0.5).toFixed(1)} ms, p99 ${percentile(healthMs, 0.99).toFixed(1)} ms, max ${healthMax.toFixed(1)} ms; ${healthOver} over ${HEALTH_BUDGET_MS} ms, ${healthFailed.length} failed`],
    ['event loop', lag === undefined ? 'n/a (no /metrics)' : `the server's own delay during the soak (its /metrics): p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms`],
    ['pathological', withPathological ? `${outcomes.length} answered one at a time, slowest ${Math.max(0, ...outcomes.map((o) => o.ms)).toFixed(0)} ms` : 'none (--without-pathological)'],
    ...[...byStatus].map(([key, count]): [string, string] => ['', `${key} ×${count}`]),
  ]
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log('')
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`)

  const why: string[] = []
  if (errors > 0) why.push(`${errors} load requests failed (${result.non2xx} non-2xx; ${result.errors} connection errors, of which ${result.timeouts} timeouts after 10 s)`)
  if (healthFailed.length > 0) why.push(`${healthFailed.length} health probes failed: ${[...new Set(healthFailed.map((s) => s.error ?? `HTTP ${s.status}`))].join(', ')}`)
  if (healthOver > 0) why.push(`${healthOver} of ${health.length} health probes took over ${HEALTH_BUDGET_MS} ms (max ${healthMax.toFixed(1)} ms)`)
  if (unexpected.length > 0) why.push(`${unexpected.length} pathological requests hung or got another answer: ${[...new Set(unexpected.map((o) => `${o.name}: ${o.status}`))].join(', ')}`)
  if (serverExited) why.push('the server exited during the soak')
  console.log('')
  // Not a failure by itself: with `connections` requests at a time, a server slower than the rate offered is
  // sent fewer, and its latency above says by how much it fell behind.
  if (result.requests.average < 0.9 * rate) console.log(`NOTE: the server kept up with ${result.requests.average.toFixed(0)} of the ${rate} requests/s offered`)
  if (why.length > 0) {
    for (const reason of why) console.log(`FAIL: ${reason}`)
    exitCode = 1
  } else {
    console.log('OK: no errors; /healthz always under 100 ms; every pathological request answered')
  }
} catch (error) {
  console.error(`soak failed: ${(error as Error).message}`)
  exitCode = 1
} finally {
  await stopServer()
}
process.exit(exitCode)
