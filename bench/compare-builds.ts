// npm run bench:compare -- <built tree A> <built tree B> [30|300] [rounds]: is B faster than A? Two builds of
// Plimsoll (each a folder holding dist/, package.json, openapi.yaml and policies/, as a checkout after `npm run
// build` does) are loaded into one process and evaluate the bench's Dockerfile in alternating blocks; the answer
// is the median over rounds of B's time over A's. On a machine whose speed drifts by half from one minute to the
// next, two runs of `npm run bench` cannot tell a 10% change; blocks a few milliseconds apart can.
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import type { evaluate as Evaluate } from '../src/evaluate.js'
import type { loadPolicyDir as LoadPolicyDir } from '../src/policy/load.js'
import { LARGE, STAGE } from './sample.js'

const [treeA, treeB, lines = '30', rounds = '40'] = process.argv.slice(2)
if (treeA === undefined || treeB === undefined) {
  console.error('usage: npm run bench:compare -- <built tree A> <built tree B> [30|300] [rounds]')
  process.exit(2)
}
const text = lines === '300' ? LARGE : STAGE

async function load (tree: string): Promise<() => unknown> {
  const module = (path: string): string => pathToFileURL(resolve(tree, 'dist', path)).href
  const { evaluate } = await import(module('evaluate.js')) as { evaluate: typeof Evaluate }
  const { loadPolicyDir } = await import(module('policy/load.js')) as { loadPolicyDir: typeof LoadPolicyDir }
  const set = await loadPolicyDir(resolve(tree, 'policies'))
  if (!set.ok) throw new Error(`the policies of ${tree} do not load`)
  return () => evaluate(set.value, { dockerfile: text })
}

const [a, b] = [await load(treeA), await load(treeB)]
const block = lines === '300' ? 10 : 100
/** µs per evaluation over one block. */
const time = (fn: () => unknown): number => {
  const start = performance.now()
  for (let i = 0; i < block; i++) fn()
  return (performance.now() - start) / block * 1000
}
for (let i = 0; i < 5; i++) {
  time(a)
  time(b)
}
const samples = Array.from({ length: Number(rounds) }, () => {
  const [ta, tb] = [time(a), time(b)]
  return { ta, tb, ratio: tb / ta }
})
const median = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 2)] as number
console.log(`${lines} lines, ${rounds} rounds of ${block}: A ${median(samples.map((s) => s.ta)).toFixed(0)} µs, B ${median(samples.map((s) => s.tb)).toFixed(0)} µs, B/A ${median(samples.map((s) => s.ratio)).toFixed(3)} (median of the rounds)`)
