// npm run bench: what one evaluation costs, in process, on a 30-line and a 300-line Dockerfile.
// Prints per-operation mean and p50/p99 over many runs after a warm-up; never asserted in tests.
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { DockerfileParser } from 'dockerfile-ast'
import { buildApp } from '../src/app.js'
import { evaluate } from '../src/evaluate.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { loadPolicyDir } from '../src/policy/load.js'

const STAGE = `FROM python:3.12-slim@sha256:${'a'.repeat(64)} AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /src
RUN apt-get update \\
    && apt-get install -y --no-install-recommends build-essential=12.9 libpq-dev=15.8-0 \\
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
RUN python -m compileall -q app

FROM python:3.12-slim@sha256:${'b'.repeat(64)}
ARG UID=10001
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH
WORKDIR /app
RUN groupadd --system app && useradd --system --no-log-init --uid \${UID} --gid app app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /src/app ./app
COPY --chown=app:app gunicorn.conf.py ./
LABEL org.opencontainers.image.source="https://example.com/app" \\
      org.opencontainers.image.licenses="MIT"
USER \${UID}
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["gunicorn"]
CMD ["--config", "gunicorn.conf.py", "app.wsgi:app"]
`
const SMALL = STAGE
const LARGE = Array.from({ length: 10 }, (_, i) => STAGE.replace(' AS build', ` AS build${i}`)).join('\n')

function measure (name: string, runs: number, fn: () => unknown): void {
  for (let i = 0; i < Math.min(runs, 500); i++) fn()
  const times = new Float64Array(runs)
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    times[i] = performance.now() - start
  }
  times.sort()
  const mean = times.reduce((a, b) => a + b, 0) / runs
  const µs = (ms: number): string => `${(ms * 1000).toFixed(1).padStart(8)} µs`
  console.log(`${name.padEnd(46)} mean ${µs(mean)}  p50 ${µs(times[Math.floor(runs * 0.5)] as number)}  p99 ${µs(times[Math.floor(runs * 0.99)] as number)}`)
}

const policyDir = fileURLToPath(new URL('../policies', import.meta.url))
const set = await loadPolicyDir(policyDir)
if (!set.ok) throw new Error('policies do not load')
const rules = set.value.policies.reduce((n, p) => n + p.rules.length, 0)

console.log(`node ${process.version}; ${rules} rules; small ${SMALL.split('\n').length - 1} lines, large ${LARGE.split('\n').length - 1} lines`)
// The shell parse is cached by script text; "cold" makes every RUN script new to the cache.
let unique = 0
const cold = (text: string): string => text.replace(/^RUN /gm, () => `RUN : ${unique++}; `)
for (const [label, text, runs] of [['30 lines', SMALL, 3000], ['300 lines', LARGE, 300]] as const) {
  measure(`dockerfile-ast parse only (${label})`, runs, () => DockerfileParser.parse(text))
  measure(`facts, shell cache warm (${label})`, runs, () => dockerfileFacts(text))
  const texts = Array.from({ length: runs + 500 }, () => cold(text))
  let next = 0
  measure(`facts, shell cache cold (${label})`, runs, () => dockerfileFacts(texts[next++] as string))
  measure(`evaluate: facts + rules + verdict (${label})`, runs, () => evaluate(set.value, { dockerfile: text }))
}

const app = await buildApp({ policyDir })
await app.ready()
const started = performance.now()
const requests = 2000
for (let i = 0; i < requests; i++) {
  await app.inject({ method: 'POST', url: '/v1/evaluate', headers: { 'content-type': 'text/plain' }, payload: SMALL })
}
const elapsed = performance.now() - started
console.log(`POST /v1/evaluate via inject (30 lines)           ${(requests / (elapsed / 1000)).toFixed(0)} requests/s, ${(elapsed / requests * 1000).toFixed(1)} µs each`)
await app.close()
