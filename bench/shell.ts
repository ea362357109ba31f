// node --import=tsx bench/shell.ts: what parseShell costs per RUN line, cold (script text never seen, so parsed)
// and cached (script text seen before). Prints mean and p50/p99 in µs after a warm-up; never asserted in tests.
import { performance } from 'node:perf_hooks'
import sh from 'mvdan-sh'
import { joinContinuations, parseShell, type ShellSource } from '../src/inputs/shell.js'

// Four typical RUN lines, as written in Dockerfiles (continuations included).
const LINES: Array<[string, string]> = [
  ['apt-get', 'apt-get update \\\n    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\\n       curl=7.88.1-10+deb12u5 ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*'],
  ['pip', 'pip install --no-cache-dir -r requirements.txt'],
  ['useradd', 'groupadd --system app && useradd --system --no-log-init --uid ${UID} --gid app app'],
  ['if/wget', 'set -eux; if [ "$TARGETARCH" = "arm64" ]; then ARCH=aarch64; else ARCH=x86_64; fi; \\\n    wget -q "https://example.com/tool-${ARCH}.tar.gz" -O /tmp/t.tgz && tar -xzf /tmp/t.tgz -C /usr/local/bin && rm /tmp/t.tgz'],
]

const RUNS = 4000
const WARMUP = 2000
const parser = sh.syntax.NewParser()

function measure (run: (index: number) => void): { mean: number, p50: number, p99: number } {
  for (let index = 0; index < WARMUP; index++) run(-1 - index)
  const times: number[] = []
  for (let index = 0; index < RUNS; index++) {
    const start = performance.now()
    run(index)
    times.push((performance.now() - start) * 1000)
  }
  times.sort((a, b) => a - b)
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number
  return { mean: times.reduce((sum, time) => sum + time, 0) / times.length, p50: at(0.5), p99: at(0.99) }
}

const format = ({ mean, p50, p99 }: { mean: number, p50: number, p99: number }): string =>
  `mean ${mean.toFixed(1).padStart(6)} µs  p50 ${p50.toFixed(1).padStart(6)}  p99 ${p99.toFixed(1).padStart(6)}`

let seed = 0
for (const [label, raw] of LINES) {
  const source = joinContinuations(raw, '\\', 1)
  // A trailing comment line makes every cold run's text new to the cache at almost no parsing cost.
  const fresh = (index: number): ShellSource => joinContinuations(`${raw}\n# ${label} ${seed++} ${index}`, '\\', 1)
  const sources = Array.from({ length: RUNS + WARMUP }, (_, index) => fresh(index))
  let next = 0
  const cold = measure(() => parseShell(sources[next++] as ShellSource))
  const cached = measure(() => parseShell(source))
  next = 0
  const mvdan = measure(() => parser.Parse((sources[next++] as ShellSource).script, ''))
  console.log(`${label.padEnd(8)} ${parseShell(source).length} commands`)
  console.log(`  cold   ${format(cold)}`)
  console.log(`  cached ${format(cached)}`)
  console.log(`  (mvdan-sh's Parse alone, same cold texts: ${format(mvdan)})`)
}
