import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { processWord, splitWords } from '../src/inputs/expand.js'

const lines = (...text: string[]): string => text.join('\n')

t.test('parser directives and the backtick escape character', async (t) => {
  const facts = dockerfileFacts(lines(
    '# syntax=docker/dockerfile:1.7',
    '# escape=`',
    '# check=skip=JSONArgsRecommended',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'WORKDIR C:\\app',
    'RUN echo one `',
    '    # a comment inside the continuation',
    '',
    '    two',
  ))
  t.same(facts.directives, { syntax: 'docker/dockerfile:1.7', escape: '`', check: 'skip=JSONArgsRecommended' })
  t.equal(facts.escape, '`')
  t.same(dockerfileFacts('# hadolint global ignore=DL3006\n# syntax=x\nFROM a').directives, {}, 'a directive after a comment is a comment')
  t.same(dockerfileFacts('# hadolint global ignore=DL3006\n# syntax=x\nFROM a').comments.map((c) => c.line), [1, 2])
  t.equal(facts.stages[0]?.workdir, 'C:\\app', 'a backslash is a plain character under the backtick escape')
  t.match(facts.instructions[2], { keyword: 'RUN', line: 6, endLine: 9 })
})

t.test('word processing: quotes, escapes and every substitution form', async (t) => {
  const vars = { A: 'a', EMPTY: '', DECLARED: undefined }
  const cases: Array<[string, string, string[]]> = [
    ['$A', 'a', []], ['${A}', 'a', []], ['x${A}y', 'xay', []], ['${B}', '', ['B']], ['$DECLARED', '', ['DECLARED']],
    ['${B:-dflt}', 'dflt', []], ['${EMPTY:-dflt}', 'dflt', []], ['${EMPTY-dflt}', '', []], ['${A:-dflt}', 'a', []],
    ['${A:+alt}', 'alt', []], ['${B:+alt}', '', []], ['${EMPTY+alt}', 'alt', []], ['${B:-${A}x}', 'ax', []],
    ['${B:?must be set}', '', ['B']], ['"$A b"', 'a b', []], ["'$A b'", '$A b', []], ['\\$A', '$A', []],
    ['"a\\"b"', 'a"b', []], ['"a\\nb"', 'a\\nb', []], ['$$', '$$', []], ['${', '${', []], ['$1', '$1', []],
  ]
  for (const [word, value, unresolved] of cases) t.same(processWord(word, vars), { value, unresolved }, word)
  t.same(splitWords('a "b c" \'d e\' f\\ g', '\\'), ['a', '"b c"', "'d e'", 'f\\ g'])
  t.same(processWord('C:\\app', {}, '`'), { value: 'C:\\app', unresolved: [] })
})

t.test('ARG scoping: global defaults for FROM, redeclared in a stage, stage defaults, ENV wins', async (t) => {
  const facts = dockerfileFacts(lines(
    'ARG BASE=python VERSION=3.12 NODEFAULT',
    'FROM ${BASE}:${VERSION}-slim AS one',
    'RUN echo $VERSION',
    'COPY $VERSION /not-in-scope/',
    'ARG VERSION',
    'ARG LOCAL=${VERSION}-x',
    'ENV LOCAL=from-env',
    'COPY ${LOCAL} /dst/',
    'FROM one',
    'COPY $LOCAL /dst/',
  ))
  t.same(facts.globalArgs, { BASE: 'python', VERSION: '3.12', NODEFAULT: '' })
  t.match(facts.stages[0]?.from, { text: 'python:3.12-slim', tag: '3.12-slim', unresolved: [] })
  t.match(facts.instructions[3], { keyword: 'COPY', sources: [''], unresolved: ['VERSION'] }, 'a global ARG is not in scope in a stage until redeclared')
  t.same(facts.stages[0]?.args, { VERSION: '3.12', LOCAL: '3.12-x' })
  t.match(facts.instructions[7], { sources: ['from-env'], unresolved: [] }, 'ENV shadows ARG')
  t.match(facts.instructions[9], { sources: ['from-env'] }, 'ENV is inherited through FROM <stage>')
  t.same(facts.stages[1]?.args, {}, 'ARGs are not inherited by a child stage')
})

t.test('instructions Docker expands get words; RUN keeps its text for the shell', async (t) => {
  const facts = dockerfileFacts(lines(
    'FROM alpine:3.20',
    'ENV DIR=/srv/app PORT=8080',
    'WORKDIR $DIR',
    'EXPOSE ${PORT}/tcp 53/udp 8000-8010 70000 x',
    'VOLUME ["/data", "$DIR/cache"]',
    'VOLUME /logs /tmp/x',
    'LABEL "org.opencontainers.image.title"="My app" version=$PORT',
    'STOPSIGNAL SIGQUIT',
    'USER ${UID:-10001}:${GID:-10001}',
    'COPY ["my file.txt", "$DIR/"]',
    'RUN echo $DIR',
  ))
  const stage = facts.stages[0]
  t.equal(stage?.workdir, '/srv/app')
  t.same(stage?.exposedPorts.map((p) => [p.text, p.port, p.endPort, p.protocol, p.valid]), [
    ['8080/tcp', 8080, 8080, 'tcp', true], ['53/udp', 53, 53, 'udp', true], ['8000-8010', 8000, 8010, 'tcp', true],
    ['70000', 70000, 70000, 'tcp', false], ['x', 0, 0, 'tcp', false],
  ])
  t.same(stage?.volumes, ['/data', '/srv/app/cache', '/logs', '/tmp/x'])
  t.same(stage?.labels, { 'org.opencontainers.image.title': 'My app', version: '8080' })
  t.equal(stage?.stopSignal, 'SIGQUIT')
  t.match(stage?.user, { name: '10001:10001', isRoot: false, line: 9 })
  t.match(facts.instructions[9], { sources: ['my file.txt'], destination: '/srv/app/' })
  t.match(facts.instructions[10], { words: ['echo', '$DIR'], unresolved: [] }, 'RUN is left to the shell')
})

t.test('exec and shell forms, SHELL, HEALTHCHECK, CMD and ENTRYPOINT', async (t) => {
  const facts = dockerfileFacts(lines(
    'FROM python:3.12-slim AS base',
    'CMD ["python"]',
    'HEALTHCHECK --interval=30s --retries=3 CMD curl -fsS http://127.0.0.1/ || exit 1',
    'FROM base AS app',
    'ENTRYPOINT ["gunicorn"]',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    'CMD [\'app:app\']',
    'FROM base',
    'HEALTHCHECK NONE',
    'CMD gunicorn app:app',
  ))
  const [base, app, final] = facts.stages
  t.match(base?.healthcheck, { test: 'cmd', form: 'shell', args: ['curl -fsS http://127.0.0.1/ || exit 1'], options: { interval: '30s', retries: '3' }, line: 3 })
  t.same(facts.instructions[2]?.commands.map((c) => c.program), ['curl', 'exit'], 'a shell-form HEALTHCHECK has commands')
  t.same(app?.shell, ['/bin/bash', '-o', 'pipefail', '-c'])
  t.same(app?.entrypoint, { form: 'exec', args: ['gunicorn'], line: 5 })
  t.same(app?.cmd, { form: 'shell', args: ["['app:app']"], line: 7 }, 'single-quoted JSON is shell form')
  t.match(final?.healthcheck, { test: 'none', form: 'none', args: [] })
  t.same(final?.cmd, { form: 'shell', args: ['gunicorn app:app'], line: 10 })
  t.same(base?.cmd, { form: 'exec', args: ['python'], line: 2 })
  const inherited = dockerfileFacts('FROM python:3.12 AS base\nCMD ["python"]\nFROM base\nENTRYPOINT ["tini", "--"]').stages[1]
  t.equal(inherited?.cmd, null, 'ENTRYPOINT clears a CMD inherited from the base')
  const windows = dockerfileFacts('FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN $ErrorActionPreference = \'Stop\'; Write-Host hi')
  t.same(windows.instructions[2]?.commands, [], 'a PowerShell SHELL is not parsed as POSIX shell')
})

t.test('heredocs: bodies, lines, quoting, scripts versus data', async (t) => {
  const facts = dockerfileFacts(lines(
    'FROM alpine:3.20',
    'RUN <<EOF',
    'set -eux',
    'apk add --no-cache curl',
    'EOF',
    "RUN cat <<'EOT' > /etc/motd && echo done",
    'hello $USER',
    'EOT',
    'COPY <<A <<B /dst/',
    'a body',
    'A',
    'b body',
    'B',
    'RUN <<-EOF bash -e',
    '\techo tabbed',
    '\tEOF',
    'CMD ["sh"]',
  ))
  const [, run, data, copy, tabbed, cmd] = facts.instructions
  t.match(run, { line: 2, endLine: 5, text: '<<EOF', heredocs: [{ name: 'EOF', body: 'set -eux\napk add --no-cache curl\n', line: 3, endLine: 5, expands: true }] })
  t.same(run?.commands.map((c) => [c.program, c.line]), [['set', 3], ['apk', 4]], 'a RUN heredoc with no command is the script')
  t.match(data, { heredocs: [{ name: 'EOT', body: 'hello $USER\n', expands: false }] })
  t.same(data?.commands.map((c) => c.program), ['cat', 'echo'], 'a heredoc fed to cat is data, not commands')
  t.match(copy, { sources: ['<<A', '<<B'], destination: '/dst/', heredocs: [{ name: 'A', body: 'a body\n', line: 10 }, { name: 'B', body: 'b body\n', line: 12 }] })
  t.match(tabbed, { heredocs: [{ body: 'echo tabbed\n' }] })
  t.same(tabbed?.commands.map((c) => c.program), ['bash', 'echo'], '`bash <<EOF` runs the body')
  t.match(cmd, { line: 17, form: 'exec' })
})

t.test('RUN commands: shell form, exec form and sh -c', async (t) => {
  const facts = dockerfileFacts(lines(
    'FROM python:3.12-slim',
    'RUN --mount=type=cache,target=/root/.cache/pip --network=none --security=insecure \\',
    '    pip install flask==3.0.3 \\',
    '    && useradd -r app',
    'RUN ["pip", "install", "--no-cache-dir", "gunicorn"]',
    'RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y curl"]',
  ))
  const [, shell, exec, shc] = facts.instructions
  t.match(shell?.flags, [{ name: 'mount', options: { type: 'cache', target: '/root/.cache/pip' } }, { name: 'network', value: 'none' }, { name: 'security', value: 'insecure' }])
  t.same(shell?.commands.map((c) => [c.program, c.line]), [['pip', 3], ['useradd', 4]])
  t.same(exec?.commands.map((c) => c.text), ['pip install --no-cache-dir gunicorn'])
  t.same(shc?.commands.map((c) => c.program), ['apt-get', 'apt-get'])
})

t.test('ONBUILD triggers are instructions too', async (t) => {
  const facts = dockerfileFacts('FROM python:3.6\nONBUILD COPY requirements.txt /app/\nONBUILD RUN pip install -r /app/requirements.txt')
  t.match(facts.instructions[1]?.trigger, { keyword: 'COPY', sources: ['requirements.txt'], destination: '/app/', line: 2 })
  t.match(facts.instructions[2]?.trigger, { keyword: 'RUN', commands: [{ program: 'pip' }] })
  t.same(facts.stages[0]?.onbuild.map((i) => i.keyword), ['COPY', 'RUN'])
  t.equal(dockerfileFacts('FROM a:1\nONBUILD').instructions[1]?.trigger, null)
})

t.test('which stages reach the final image', async (t) => {
  const facts = dockerfileFacts(lines(
    'FROM golang:1.23 AS deps',
    'FROM deps AS build',
    'RUN --mount=type=bind,from=assets,target=/a true',
    'FROM node:20 AS Assets',
    'FROM alpine:3.20 AS unused',
    'FROM scratch AS tests',
    'COPY --from=unused /x /x',
    'FROM gcr.io/distroless/static:nonroot',
    'COPY --from=build /bin/app /app',
    'COPY --from=1 /bin/app /app2',
    'COPY --from=nginx:latest /etc/nginx /etc/nginx',
  ))
  t.same(facts.stages.map((s) => [s.name, s.dependsOn, s.reachesFinal]), [
    ['deps', [], true], ['build', [0], true], ['assets', [], false], ['unused', [], false], ['tests', [3], false], ['', [1], true],
  ], 'RUN --mount=from= names a later stage here, which Docker refuses: no dependency')
  const ordered = dockerfileFacts('FROM node:20 AS assets\nFROM alpine:3.20 AS build\nRUN --mount=type=bind,from=Assets,target=/a true\nFROM build')
  t.same(ordered.stages.map((s) => s.reachesFinal), [true, true, true], 'RUN --mount=from= an earlier stage is a dependency')
  t.same(facts.stages.map((s) => s.inFinalImage), [false, false, false, false, false, true], 'a stage only copied from is not in the image')
  const chained = dockerfileFacts('FROM python:3.12 AS base\nFROM base AS build\nFROM python:3.12-slim AS runtime\nCOPY --from=build /x /x\nFROM runtime')
  t.same(chained.stages.map((s) => [s.reachesFinal, s.inFinalImage]), [[true, false], [true, false], [true, true], [true, true]], 'the final stage\'s FROM chain is in the image')
})

t.test('every package manager\'s packages, pins and flags reach the facts', async (t) => {
  const facts = dockerfileFacts(lines(
    'FROM debian:12',
    'RUN apt-get update && apt-get install -qy --no-install-recommends curl=7.88.1-10 git \\',
    '  && apk add --no-cache --virtual .deps gcc=13.2.1 musl-dev \\',
    '  && yum install -y httpd-2.4.57 && dnf -y install nginx && microdnf install -y jq-1.6 \\',
    '  && zypper --non-interactive install vim=9.0 \\',
    '  && pip3 install --no-cache-dir flask==3.0.3 requests -r requirements.txt \\',
    '  && python -m pip install gunicorn>=22 && uv pip install fastapi==0.110.0 \\',
    '  && npm install -g express@4.19.2 left-pad && yarn add lodash@4.17.21 && pnpm add react \\',
    '  && gem install rails:7.1.3 && go install golang.org/x/tools/cmd/goimports@v0.20.0 \\',
    '  && sudo useradd -r -u 10001 app && addgroup -S web && curl -fsSL https://example.com/x.sh -o /x.sh \\',
    '  && wget -q --progress=dot:giga https://example.com/y && chown -R app /x.sh',
  ))
  const commands = facts.instructions[1]?.commands ?? []
  const packages = (tool: string): string[] => commands.filter((c) => c.tool === tool).flatMap((c) => c.packages.map((p) => `${p.name}${p.pinned ? '@' + p.version : ''}`))
  t.same(packages('apt-get'), ['curl@7.88.1-10', 'git'])
  t.same(packages('apk'), ['gcc@13.2.1', 'musl-dev'])
  t.same(packages('yum'), ['httpd@2.4.57'])
  t.same(packages('dnf'), ['nginx'])
  t.same(packages('microdnf'), ['jq@1.6'])
  t.same(packages('zypper'), ['vim@9.0'])
  t.same(packages('pip'), ['flask@3.0.3', 'requests', 'gunicorn'])
  t.same(packages('uv'), ['fastapi@0.110.0'])
  t.same(packages('npm'), ['express@4.19.2', 'left-pad'])
  t.same(packages('yarn'), ['lodash@4.17.21'])
  t.same(packages('pnpm'), ['react'])
  t.same(packages('gem'), ['rails@7.1.3'])
  t.same(packages('go'), ['golang.org/x/tools/cmd/goimports@v0.20.0'])
  const apt = commands.find((c) => c.tool === 'apt-get' && c.subcommand === 'install')
  t.ok(apt?.flags.includes('-y') && apt.flags.includes('-q') && apt.flags.includes('--no-install-recommends'), '-qy splits into -q and -y')
  t.same(commands.find((c) => c.program === 'pip3')?.requirementFiles, ['requirements.txt'])
  t.match(commands.find((c) => c.tool === 'useradd'), { wrappers: ['sudo'], account: { kind: 'user', name: 'app', id: '10001', system: true } })
  t.match(commands.find((c) => c.tool === 'addgroup'), { account: { kind: 'group', name: 'web', system: true } })
  t.same(commands.filter((c) => c.urls.length > 0).map((c) => [c.tool, c.urls]), [['curl', ['https://example.com/x.sh']], ['wget', ['https://example.com/y']]])
  t.equal(commands.find((c) => c.tool === 'wget')?.flagValues['--progress'], 'dot:giga')
  t.same(commands.map((c) => c.line).filter((line, i, all) => i === 0 || line >= (all[i - 1] as number)).length, commands.length, 'commands come in line order')
})
