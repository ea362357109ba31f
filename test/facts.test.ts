import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { expandVariables } from '../src/inputs/expand.js'

t.test('FROM references split into registry, repository, tag and digest', async (t) => {
  const digest = 'sha256:' + 'a'.repeat(64)
  const cases: Array<[string, Record<string, unknown>]> = [
    ['python', { registry: 'docker.io', repository: 'python', tag: '', digest: '' }],
    ['python:3.12-slim', { registry: 'docker.io', repository: 'python', tag: '3.12-slim' }],
    [`python:3.12@${digest}`, { repository: 'python', tag: '3.12', digest }],
    ['registry.example.com:5000/team/app', { registry: 'registry.example.com:5000', repository: 'team/app', tag: '' }],
    ['localhost/app:1', { registry: 'localhost', repository: 'app', tag: '1' }],
    ['gcr.io/distroless/python3-debian12:nonroot', { registry: 'gcr.io', repository: 'distroless/python3-debian12', tag: 'nonroot' }],
    ['library/python:3', { registry: 'docker.io', repository: 'library/python', tag: '3' }],
    ['scratch', { isScratch: true, registry: '', stage: '' }],
  ]
  for (const [ref, expected] of cases) {
    t.match(dockerfileFacts(`FROM ${ref}`).stages[0]?.from, expected, ref)
  }
})

t.test('global ARG defaults are substituted in FROM; unset ones are reported', async (t) => {
  const facts = dockerfileFacts('ARG PY=3.12\nARG VARIANT\nFROM python:${PY}-slim${VARIANT}\nFROM $BASE')
  t.match(facts.globalArgs, { PY: '3.12', VARIANT: '' })
  t.same(facts.stages[0]?.from, {
    raw: 'python:${PY}-slim${VARIANT}', text: 'python:3.12-slim${VARIANT}', registry: 'docker.io', repository: 'python',
    tag: '3.12-slim${VARIANT}', digest: '', isScratch: false, stage: '', unresolved: ['VARIANT'], open: ['tag', 'digest'],
  }, 'an ARG without a default stays open, written as ${NAME}')
  t.match(facts.stages[1]?.from, { text: '', repository: '', unresolved: ['BASE'], open: [] }, 'an undeclared variable is empty, as in Docker')
})

t.test('FROM: the parts a build argument without a default decides', async (t) => {
  const from = (text: string) => dockerfileFacts(text).stages.at(-1)?.from
  t.match(from('ARG REGISTRY\nFROM ${REGISTRY}/ubuntu'), { registry: '${REGISTRY}', repository: 'ubuntu', tag: '', open: ['registry'] }, 'only the registry: the tag is decided (none)')
  t.match(from('ARG TAG\nFROM alpine$TAG'), { text: 'alpine${TAG}', open: ['registry', 'repository', 'tag', 'digest'] }, 'the value may hold :tag')
  t.match(from('FROM alpine$TAG'), { text: 'alpine', repository: 'alpine', tag: '', unresolved: ['TAG'], open: [] }, 'undeclared: empty')
  t.match(from('ARG PY\nFROM python:${PY}-slim'), { repository: 'python', tag: '${PY}-slim', open: ['tag', 'digest'] })
  t.match(from('ARG B\nFROM ${B}:1.0'), { registry: '', tag: '1.0', open: ['registry', 'repository'] }, 'a written tag closes the digest')
  t.match(from('ARG B\nFROM ${B}@sha256:abc'), { digest: 'sha256:abc', open: ['registry', 'repository', 'tag'] })
  t.match(from('ARG V\nARG IMAGE=org/php:${V}-slim\nFROM $IMAGE'), { tag: '${V}-slim', unresolved: ['V'], open: ['tag', 'digest'] }, 'through an ARG default')
  t.match(from('ARG T\nFROM alpine:${T:-3.20}'), { tag: '3.20', open: [] }, '${T:-default} judges the default')
  t.match(from('FROM golang:1.23 AS bin-linux\nFROM bin-$TARGETOS'), { text: 'bin-${TARGETOS}', stage: '', unresolved: ['TARGETOS'] }, 'platform ARGs need no declaration')
  t.match(from('FROM debian:"bookworm-slim"'), { text: 'debian:bookworm-slim', tag: 'bookworm-slim' }, 'quotes are removed, as Docker does')
  t.match(from('# escape=`\nFROM "mcr.microsoft.com/windows/nanoserver:ltsc2022"'), { registry: 'mcr.microsoft.com', repository: 'windows/nanoserver' })
  t.same(from('FROM alpine$TAG')?.open, [], 'nothing open when the variable is undeclared')
  t.same(from('ARG REGISTRY\nFROM ${REGISTRY}/ubuntu')?.open, ['registry'])
  t.same(from('ARG B\nFROM ${B}:1.0')?.open, ['registry', 'repository'])
  t.same(from('FROM python:3.12')?.open, [])
})

t.test('variable expansion forms', async (t) => {
  const vars = { A: 'a', EMPTY: '' }
  const cases: Array<[string, string, string[]]> = [
    ['$A', 'a', []], ['${A}', 'a', []], ['x${A}y', 'xay', []], ['${B}', '', ['B']],
    ['${B:-dflt}', 'dflt', []], ['${EMPTY:-dflt}', 'dflt', []], ['${A:-dflt}', 'a', []],
    ['${A:+alt}', 'alt', []], ['${B:+alt}', '', []], ['$$', '$$', []],
  ]
  for (const [text, value, unresolved] of cases) t.same(expandVariables(text, vars), { value, unresolved }, text)
})

t.test('stages: names, final stage, FROM <stage> chains and inherited state', async (t) => {
  const facts = dockerfileFacts([
    'FROM python:3.12 AS Build',
    'ENV PATH=/opt/venv/bin:$PATH A=1',
    'WORKDIR /src',
    'USER root',
    'CMD ["x"]',
    'FROM build AS test',
    'WORKDIR tests',
    'ENV B=${A}2',
    'FROM gcr.io/distroless/python3-debian12:nonroot',
    'USER 65532:65532',
  ].join('\n'))
  t.equal(facts.stages.length, 3)
  t.equal(facts.finalStage, 2)
  const [build, test, final] = facts.stages
  t.match(build, { name: 'build', isFinal: false, line: 1, endLine: 5, workdir: '/src', user: { name: 'root', isRoot: true, line: 4 } })
  t.equal(build?.env.PATH, '/opt/venv/bin:')
  t.match(test, { from: { stage: 'build' }, baseImage: { repository: 'python', tag: '3.12' }, workdir: '/src/tests', user: { name: 'root' } })
  t.match(test?.env, { A: '1', B: '12' })
  t.match(dockerfileFacts('FROM a:1\nENV X=old\nENV X=new Y=$X').stages[0]?.env, { X: 'new', Y: 'old' }, 'ENV pairs see the values from before the instruction')
  t.ok(test?.keywords.includes('CMD'), 'keywords are inherited through FROM <stage>')
  t.match(final, { isFinal: true, user: { name: '65532:65532', isRoot: false, line: 10 }, workdir: '' })
})

t.test('USER root detection', async (t) => {
  const cases: Array<[string, boolean]> = [['root', true], ['0', true], ['0:0', true], ['root:wheel', true],
    ['app', false], ['10001', false], ['rooter', false], ['10', false], ['app:root', false]]
  for (const [name, isRoot] of cases) t.equal(dockerfileFacts(`FROM alpine:3.20\nUSER ${name}`).stages[0]?.user.isRoot, isRoot, `USER ${name}`)
  t.match(dockerfileFacts('FROM alpine:3.20\nARG UID=0\nUSER ${UID}').stages[0]?.user, { name: '0', isRoot: true }, 'USER from an ARG')
})

t.test('USER and WORKDIR from a variable the Dockerfile leaves open keep it written', async (t) => {
  const stage = (text: string) => dockerfileFacts(text).stages.at(-1)
  t.match(stage('FROM alpine:3.20\nUSER ${NB_UID}')?.user, { name: '${NB_UID}', isRoot: false, line: 2 }, 'an ENV of the base image')
  t.match(stage('FROM alpine:3.20\nARG UID\nUSER $UID:${GID:-100}')?.user, { name: '${UID}:100', isRoot: false }, 'a build argument without default')
  t.match(stage('FROM alpine:3.20\nARG UID\nUSER ${UID:-0}')?.user, { name: '0', isRoot: true }, 'a default decides')
  t.equal(stage('FROM alpine:3.20\nWORKDIR "${HOME}"\nWORKDIR app')?.workdir, '${HOME}/app', 'a variable path is taken as absolute')
  t.equal(stage('FROM alpine:3.20\nWORKDIR /srv\nWORKDIR $APP/data')?.workdir, '${APP}/data')
  t.equal(stage('FROM alpine:3.20\nARG APP=/opt/app\nWORKDIR $APP')?.workdir, '/opt/app')
})

t.test('accounts created with ARG and ENV values are the users those values name', async (t) => {
  const accounts = (text: string) => dockerfileFacts(text).instructions.flatMap((i) => i.commands.map((c) => c.account)).filter((a) => a !== null)
  t.match(accounts('FROM alpine:3.20\nARG APP_USER=app\nARG UID=10001\nRUN adduser -D -u $UID "${APP_USER}"'), [{ kind: 'user', name: 'app', id: '10001' }])
  t.match(accounts('FROM debian:12\nENV GROUP=web\nRUN groupadd $GROUP && useradd -g $GROUP ${USER_NAME:-svc}'), [{ kind: 'group', name: 'web' }, { kind: 'user', name: 'svc', group: 'web' }])
  t.match(accounts('FROM debian:12\nARG NAME\nRUN useradd $NAME'), [{ name: '$NAME' }], 'a value given at build time stays as written')
  t.match(accounts('FROM debian:12\nRUN for u in a b; do useradd $u; done'), [{ name: '$u' }], 'a shell variable stays as written')
})

t.test('instructions: lines, flags, exec and shell form, COPY paths', async (t) => {
  const facts = dockerfileFacts([
    '# syntax=docker/dockerfile:1',
    'FROM --platform=$BUILDPLATFORM alpine:3.20',
    'RUN --mount=type=cache,target=/root/.cache/pip \\',
    '    pip install \\',
    '    # a comment inside the continuation',
    '    flask',
    'CMD ["python", "app.py"]',
    "ENTRYPOINT ['python']",
    'COPY --chown=app:app ["a b", "c", "/dest/"]',
    'add src /dst',
  ].join('\n'))
  t.same(facts.directives, { syntax: 'docker/dockerfile:1' })
  t.equal(facts.stages[0]?.platform, '$BUILDPLATFORM')
  const [from, run, cmd, entrypoint, copy, add] = facts.instructions
  t.match(from, { keyword: 'FROM', line: 2, form: 'none' })
  t.match(run, { keyword: 'RUN', line: 3, endLine: 6, form: 'shell', flags: [{ name: 'mount', options: { type: 'cache', target: '/root/.cache/pip' } }] })
  t.same(run?.commands.map((c) => c.text), ['pip install flask'])
  t.match(cmd, { form: 'exec', execArgs: ['python', 'app.py'], commands: [] })
  t.match(entrypoint, { form: 'shell', execArgs: [] }, 'single quotes are not JSON: Docker runs it in a shell')
  t.match(copy, { sources: ['a b', 'c'], destination: '/dest/', flags: [{ name: 'chown', value: 'app:app' }] })
  t.match(add, { keyword: 'ADD', sources: ['src'], destination: '/dst' }, 'keywords are case-insensitive')
})

t.test('instructions before the first FROM belong to no stage', async (t) => {
  const facts = dockerfileFacts('ARG A=1\nFROM alpine:3.20')
  t.equal(facts.instructions[0]?.stage, -1)
  t.equal(facts.instructions[1]?.stage, 0)
  t.equal(dockerfileFacts('# only a comment\n').finalStage, -1)
})

t.test('context files are recorded', async (t) => {
  t.match(dockerfileFacts('FROM a:1').context, { provided: false, names: [] })
  t.match(dockerfileFacts('FROM a:1', { 'requirements.txt': 'x', '.dockerignore': '.git' }).context,
    { provided: true, names: ['.dockerignore', 'requirements.txt'], files: { 'requirements.txt': 'x' } })
})

t.test('each instruction knows its position, its keyword\'s count in its stage, and whether it is a trigger', async (t) => {
  const facts = dockerfileFacts('ARG A\nARG B\nFROM a:1\nCMD ["x"]\nONBUILD CMD ["y"]\nCMD ["z"]\nFROM b:1\nCMD ["w"]')
  t.same(facts.instructions.map((i) => [i.index, i.keyword, i.occurrence, i.isTrigger]), [
    [0, 'ARG', 1, false], [1, 'ARG', 2, false], [2, 'FROM', 1, false], [3, 'CMD', 1, false],
    [4, 'ONBUILD', 1, false], [5, 'CMD', 2, false], [6, 'FROM', 1, false], [7, 'CMD', 1, false],
  ])
  t.match(facts.instructions[4]?.trigger, { keyword: 'CMD', index: 4, occurrence: 0, isTrigger: true })
  t.equal(facts.stages[0]?.instructions[3], facts.instructions[5], 'the stage holds the same objects')
})
