import fc from 'fast-check'
import t from 'tap'
import { loadPolicyDir } from '../src/policy/load.js'
import { checkGuarantees, fixFile } from './fix-guarantees.js'
import { POLICY_DIR } from './helpers.js'

// The fix guarantees (test/fix-guarantees.ts) on Dockerfiles nobody wrote: generated from the shapes the fixable
// rules meet (package installs with their flags, `cd` first, shell-form CMD, ADD, MAINTAINER, relative WORKDIR),
// laid out every way Dockerfiles are (continuations with leading or trailing `&&`, tabs, comment lines inside,
// `;` chains, sudo, sh -c, heredocs, CRLF, the backtick escape). FIX_SEED replays a run.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
const set = loaded.value

const COMMANDS = [
  'apt-get update', 'apt-get install curl', 'apt-get -q install -y git=1:2.39.5-0+deb12u1', 'apt install vim', 'apt-get upgrade',
  'apk add curl', 'apk --update add git', 'apk add --virtual .build gcc', 'pip install flask==3.0.3', 'pip3 install -r requirements.txt',
  'python -m pip install -U pip', 'uv pip install --system ruff==0.5.0', 'yum install httpd', 'yum -q update', 'dnf install nginx',
  'microdnf install jq', 'make', 'echo "a && b"', 'rm -rf /var/lib/apt/lists/*', 'yum clean all', 'sudo apt-get install curl',
  'sh -c "apt-get install curl"', 'DEBIAN_FRONTEND=noninteractive apt-get install tzdata', 'export PIP_NO_CACHE_DIR=1',
]
const command = fc.constantFrom(...COMMANDS)
const separator = fc.constantFrom(' && ', ' \\\n    && ', ' && \\\n    ', ' \\\n\t&& ', '; ', ' || ', ' \\\n# a comment\n && ', ' | ')
const script = fc.tuple(command, fc.array(fc.tuple(separator, command), { maxLength: 4 }))
  .map(([first, rest]) => first + rest.map(([sep, next]) => sep + next).join(''))
const run = fc.oneof(
  script.map((s) => `RUN ${s}`),
  script.map((s) => `RUN cd /src && ${s}`),
  script.map((s) => `RUN cd app \\\n && ${s}`),
  script.map((s) => `RUN --mount=type=cache,target=/var/cache/apt ${s}`),
  script.map((s) => `RUN <<EOF\n${s}\nEOF`),
  script.map((s) => `run ${s}`),
)
const other = fc.constantFrom(
  'WORKDIR /srv', 'WORKDIR data', 'WORKDIR ./lib', 'ADD . /app', 'ADD app.py setup.cfg ./', 'ADD rootfs.tar.gz /', 'ADD https://example.com/x.txt /x',
  'MAINTAINER Jane <jane@example.com>', 'MAINTAINER "quoted"', 'CMD python app.py', 'CMD python $APP', 'CMD ["python", "app.py"]',
  'ENTRYPOINT gunicorn app:app', 'ENTRYPOINT ./run.sh\nCMD --help', 'CMD cd /srv && exec ./server', 'ENV PYTHONUNBUFFERED=1',
  'ENV PYTHONUNBUFFERED=', 'COPY requirements.txt .', 'USER app', '# hadolint ignore=DL3008', 'ONBUILD RUN apt-get install curl',
  'SHELL ["/bin/bash", "-c"]', 'EXPOSE 8000',
)
const from = fc.constantFrom('FROM python:3.12-slim', 'FROM python:latest', 'FROM debian:12', 'FROM alpine:3.20 AS build', 'FROM centos:7',
  'FROM fedora:41', 'FROM scratch', 'FROM build', '  FROM python:3.12-slim AS app')
const stage = fc.tuple(from, fc.array(fc.oneof(run, other), { minLength: 1, maxLength: 6 })).map(([f, lines]) => [f, ...lines].join('\n'))
const dockerfile = fc.tuple(fc.array(stage, { minLength: 1, maxLength: 3 }), fc.constantFrom('', 'crlf', 'backtick', 'trailing'))
  .map(([stages, layout]) => {
    const text = stages.join('\n\n')
    if (layout === 'crlf') return text.replace(/\n/g, '\r\n')
    if (layout === 'backtick') return `# escape=\`\n${text.replace(/\\\n/g, '`\n')}`
    return layout === 'trailing' ? `${text}\n` : text
  })

t.test('generated Dockerfiles: every guarantee holds', async (t) => {
  const seed = Number(process.env.FIX_SEED ?? 20261130)
  let fixedFiles = 0
  let applied = 0
  fc.assert(fc.property(dockerfile, (text) => {
    const result = fixFile(set, { dockerfile: text }, 'Dockerfile')
    if (result === null) return true
    applied += result.fixed.applied.length
    if (result.fixed.applied.length > 0) fixedFiles++
    const failures = Object.entries(checkGuarantees(result)).filter(([, list]) => list.length > 0)
    if (failures.length > 0) throw new Error(`${JSON.stringify(text)}\n${failures.map(([name, list]) => `${name}: ${list.join('\n')}`).join('\n')}`)
    return true
  }), { numRuns: 150, seed })
  // The generator must reach the fixes, or the property says nothing.
  t.ok(fixedFiles > 100, `${fixedFiles} of 150 files fixed, ${applied} fixes applied (seed ${seed})`)
})
