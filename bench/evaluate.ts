// npm run bench: what one evaluation costs against dockerfile-ast's parse alone, in process (30-line and
// 300-line Dockerfiles, a file repeated 10 and 100 times, RUN scripts new to the shell-parse cache) and over
// HTTP (autocannon on 127.0.0.1 against the built server, every body unique: /v1/evaluate with 0, 1 and 2
// worker threads, and a parse-only route), then the budgets of docs/benchmarks.md with the ratio measured.
// Never asserted in tests. Run with the young generation the evaluation workers have (see pool.ts).
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { fileURLToPath } from 'node:url'
import { DockerfileParser } from 'dockerfile-ast'
import { evaluate } from '../src/evaluate.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { LARGE, STAGE } from './sample.js'

const SMALL = STAGE

/**
 * Times each named function `runs` times after a warm-up and prints mean, p50 and p99; returns the p50s in ms.
 * The functions take turns in blocks of about 5 ms of calls to one function: long enough for each to run hot, as
 * in a loop of its own, and short enough that every ratio comes from the same minutes of a machine whose speed drifts.
 */
function measure (runs: number, named: Record<string, () => unknown>): Record<string, number> {
  const timed = Object.entries(named).map(([name, fn]) => {
    const start = performance.now()
    for (let i = 0; i < Math.min(runs, 500); i++) fn()
    const block = Math.max(1, Math.round(5 / ((performance.now() - start) / Math.min(runs, 500))))
    return { name, fn, block, times: new Float64Array(runs), done: 0 }
  })
  while (timed.some((t) => t.done < runs)) {
    for (const t of timed) {
      for (const end = Math.min(runs, t.done + t.block); t.done < end; t.done++) {
        const start = performance.now()
        t.fn()
        t.times[t.done] = performance.now() - start
      }
    }
  }
  const µs = (ms: number): string => `${(ms * 1000).toFixed(1).padStart(9)} µs`
  return Object.fromEntries(timed.map(({ name, times }) => {
    times.sort()
    const p50 = times[Math.floor(runs * 0.5)] as number
    console.log(`${name.padEnd(48)} mean ${µs(times.reduce((a, b) => a + b, 0) / runs)}  p50 ${µs(p50)}  p99 ${µs(times[Math.floor(runs * 0.99)] as number)}`)
    return [name, p50]
  }))
}

const policyDir = fileURLToPath(new URL('../policies', import.meta.url))
const set = await loadPolicyDir(policyDir)
if (!set.ok) throw new Error('policies do not load')
const rules = set.value.policies.reduce((n, p) => n + p.rules.length, 0)

console.log(`node ${process.version}; ${rules} rules; small ${SMALL.split('\n').length - 1} lines, large ${LARGE.split('\n').length - 1} lines`)
// The shell parse is cached by script text; "cold" makes every RUN script new to the cache.
let unique = 0
const cold = (text: string): string => text.replace(/^RUN /gm, () => `RUN : ${unique++}; `)
const p50: Record<string, number> = {}
for (const [label, text, runs] of [['30 lines', SMALL, 3000], ['300 lines', LARGE, 300]] as const) {
  // Texts with RUN scripts new to the cache, one set for facts alone and one for evaluations.
  const forFacts = Array.from({ length: runs + 500 }, () => cold(text))
  const forEvaluate = Array.from({ length: runs + 500 }, () => cold(text))
  let next = 0
  let fresh = 0
  console.log(`\n${label}`)
  const measured = measure(runs, {
    parse: () => DockerfileParser.parse(text),
    'facts, shell cache warm': () => dockerfileFacts(text),
    'facts, shell cache cold': () => dockerfileFacts(forFacts[next++] as string),
    'evaluate: facts + rules + verdict': () => evaluate(set.value, { dockerfile: text }),
    'evaluate, every RUN script unseen': () => evaluate(set.value, { dockerfile: forEvaluate[fresh++] as string }),
  })
  p50[`parse ${label}`] = measured.parse as number
  p50[`evaluate ${label}`] = measured['evaluate: facts + rules + verdict'] as number
  p50[`unseen ${label}`] = measured['evaluate, every RUN script unseen'] as number
}
const TEN = Array.from({ length: 10 }, () => SMALL).join('\n')
const HUNDRED = Array.from({ length: 100 }, () => SMALL).join('\n')
console.log('\nthe 30 lines repeated')
const repeated = measure(30, { 'evaluate ×10': () => evaluate(set.value, { dockerfile: TEN }), 'evaluate ×100': () => evaluate(set.value, { dockerfile: HUNDRED }) })
p50['ten'] = repeated['evaluate ×10'] as number
p50['hundred'] = repeated['evaluate ×100'] as number

// Over HTTP: the built server (dist/, as `npm start` runs it: worker threads load the built worker), with 1 and
// 2 evaluation workers, and a route that only parses as the floor any evaluation is compared with.
const built = await import(new URL('../dist/app.js', import.meta.url).href) as typeof import('../src/app.js')
const throughput = async (workers: number, path: string): Promise<number> => {
  const app = await built.buildApp({ policyDir, workers })
  app.post('/bench/parse', async (request) => ({ instructions: DockerfileParser.parse(request.body as string).getInstructions().length }))
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  // Every worker compiles the policies on its first request: warm them all before measuring.
  await Promise.all(Array.from({ length: 4 * workers }, () => fetch(`${url}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: SMALL })))
  let n = 0
  const result = await autocannon({
    url: `${url}${path}`,
    connections: 10,
    duration: 5,
    requests: [{ method: 'POST', headers: { 'content-type': 'text/plain' }, setupRequest: (request) => ({ ...request, body: `${SMALL}# request ${n++}\n` }) }],
  })
  await app.close()
  const label = path === '/bench/parse' ? path : `${path}, WORKERS=${workers}`
  console.log(`HTTP POST ${label.padEnd(28)} (30 lines, unique bodies)  ${result.requests.average.toFixed(0).padStart(6)} requests/s, p50 ${result.latency.p50} ms, ${result.non2xx} non-2xx`)
  return result.requests.average
}
// Two rounds of the routes in turn, the best of each kept: the machine's speed drifts over the minute this takes.
let parseRate = 0
const rates = [0, 0, 0]
for (let round = 0; round < 2; round++) {
  parseRate = Math.max(parseRate, await throughput(0, '/bench/parse'))
  for (const workers of [0, 1, 2]) rates[workers] = Math.max(rates[workers] as number, await throughput(workers, '/v1/evaluate'))
}
const evaluateRate = Math.max(rates[1] as number, rates[2] as number)

const ratio = (a: number, b: number): number => a / b
const budgets: Array<[string, number, string, boolean]> = [
  ['evaluate / parse, 30 lines', ratio(p50['evaluate 30 lines'] as number, p50['parse 30 lines'] as number), '≤ 5×', false],
  ['evaluate / parse, 300 lines', ratio(p50['evaluate 300 lines'] as number, p50['parse 300 lines'] as number), '≤ 4×', false],
  ['evaluate, RUN scripts unseen / parse, 30 lines', ratio(p50['unseen 30 lines'] as number, p50['parse 30 lines'] as number), '≤ 10×', false],
  ['file ×100 / file ×10', ratio(p50['hundred'] as number, p50['ten'] as number), '≤ 12×', false],
  ['HTTP /v1/evaluate (best of 1, 2 workers) / parse-only', 100 * evaluateRate / parseRate, '≥ 40%', true],
]
console.log('\nbudget                                            measured   budget')
for (const [name, value, budget, percent] of budgets) {
  const limit = Number(budget.replace(/[^0-9.]/g, ''))
  const met = percent ? value >= limit : value <= limit
  console.log(`${name.padEnd(48)} ${(percent ? `${value.toFixed(0)}%` : `${value.toFixed(1)}×`).padStart(9)}   ${budget.padEnd(6)} ${met ? 'met' : 'NOT met'}`)
}
