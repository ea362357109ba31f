import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import t from 'tap'
import { pack, type Header } from 'tar-stream'
import { run } from './helpers.js'

// The fixture pack `images`: final-user-not-root (error; Dockerfile rule with an image check), workdir-set
// (info; Dockerfile only), no-shell (warning; image only, needs a file listing).
const IMAGE_POLICIES = fileURLToPath(new URL('../fixtures/images/policies', import.meta.url))
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))
const P = ['--policies', IMAGE_POLICIES]

/** `docker image inspect` output of an image that runs as root. */
const ROOT_INSPECT = [{
  Id: `sha256:${'a'.repeat(64)}`, RepoTags: ['app:1'], Os: 'linux', Architecture: 'amd64', Size: 5_000_000,
  Config: { User: '', ExposedPorts: { '8080/tcp': {} } },
  RootFS: { Type: 'layers', Layers: [`sha256:${'b'.repeat(64)}`] },
}]
const APP_DOCKERFILE = 'FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN true\nUSER 10001\n'

interface Item { name: string, type?: Header['type'], linkname?: string, mode?: number, body?: Buffer | string }

async function tarOf (items: readonly Item[]): Promise<Buffer> {
  const archive = pack()
  const chunks: Buffer[] = []
  const reading = (async () => { for await (const chunk of archive) chunks.push(chunk as Buffer) })()
  for (const { body, ...header } of items) {
    await new Promise<void>((resolve, reject) => { archive.entry(header, body ?? '', (error) => (error == null ? resolve() : reject(error))) })
  }
  archive.finalize()
  await reading
  return Buffer.concat(chunks)
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** A one-layer `docker save` archive: manifest.json, the config, and the layer. */
async function dockerSave (files: readonly Item[], config: Record<string, unknown>): Promise<Buffer> {
  const layer = await tarOf(files)
  const configBody = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] }, history: [{ created_by: 'COPY . / # buildkit' }] }))
  const configName = `${sha256(configBody)}.json`
  return await tarOf([
    { name: 'layer0/layer.tar', body: layer },
    { name: configName, body: configBody },
    { name: 'manifest.json', body: JSON.stringify([{ Config: configName, RepoTags: ['app:1'], Layers: ['layer0/layer.tar'] }]) },
  ])
}

const busybox = async (): Promise<Buffer> => await dockerSave([
  { name: 'bin/', type: 'directory' },
  { name: 'bin/busybox', mode: 0o755, body: 'ELF' },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
  { name: 'sbin/', type: 'directory' },
  { name: 'sbin/apk', mode: 0o755, body: 'ELF' },
], { User: 'app', ExposedPorts: { '8080/tcp': {} } })
const distroless = async (): Promise<Buffer> => await dockerSave([
  { name: 'app/', type: 'directory' },
  { name: 'app/server', mode: 0o755, body: 'ELF' },
], { User: '65532' })

/** Runs src/cli.ts in its own process, with `stdin` as its standard input, as `docker save app | plimsoll …` would. */
async function spawnCli (argv: readonly string[], stdin: Buffer): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'FORCE_COLOR' && name !== 'NO_COLOR'))
  const child = spawn(process.execPath, [...process.execArgv, CLI, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  child.stdin.end(stdin)
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}

t.test('check --image judges a JSON document; exit codes follow the threshold', async (t) => {
  const dir = t.testdir({ 'inspect.json': JSON.stringify(ROOT_INSPECT, null, 2), 'Dockerfile': APP_DOCKERFILE })
  const text = await run(['check', ...P, '--image', 'inspect.json'], { cwd: dir })
  t.equal(text.code, 1, 'the image runs as root: an error')
  t.equal(text.stderr, '')
  t.match(text.stdout, /errors \(1\)\n {2}inspect\.json {2}final-user-not-root {2}the image runs as root\n/)
  t.match(text.stdout, /inspect\.json: fail · 1 error · 0 warnings · 0 info · 1 rule evaluated · 1 not evaluated · fail-on warning reached\n$/)

  const json = await run(['check', ...P, '--format', 'json', '--fail-on', 'none', '--image', 'inspect.json'], { cwd: dir })
  t.equal(json.code, 0)
  const verdict = JSON.parse(json.stdout) as Record<string, unknown>
  t.match(verdict, { image: 'inspect.json', verdict: 'fail', notEvaluated: [{ ruleId: 'no-shell', reason: /no file listing/ }] })
  t.notOk('file' in verdict, 'no Dockerfile, no file')
  t.equal(Object.keys(verdict)[0], 'image', 'the image comes first')

  const stdin = await run(['check', ...P, '--format', 'json', '--image', '-'], { cwd: dir, stdin: `\uFEFF\n ${JSON.stringify(ROOT_INSPECT[0])}` })
  t.match(JSON.parse(stdin.stdout), { image: '<stdin>', verdict: 'fail' }, 'a document on standard input, object or array, after a BOM')
})

t.test('check --image with a Dockerfile judges the image as built from it', async (t) => {
  const dir = t.testdir({ 'inspect.json': JSON.stringify(ROOT_INSPECT), 'Dockerfile': APP_DOCKERFILE })
  const both = await run(['check', ...P, '--format', 'json', '--image', 'inspect.json', 'Dockerfile'], { cwd: dir })
  t.equal(both.code, 1)
  const verdict = JSON.parse(both.stdout) as { file: string, image: string, findings: Array<{ ruleId: string, location: { line: number } }>, summary: { rulesEvaluated: number } }
  t.match(verdict, { file: 'Dockerfile', image: 'inspect.json' })
  t.same(verdict.findings.map((f) => f.ruleId), ['final-user-not-root'], 'the image runs as root; the Dockerfile (USER 10001, WORKDIR) passes')
  t.equal(verdict.summary.rulesEvaluated, 3, 'two rules on the Dockerfile, one on the image')

  const text = await run(['check', ...P, '--image', 'inspect.json', 'Dockerfile'], { cwd: dir })
  t.match(text.stdout, /Dockerfile: fail · 1 error/)
})

t.test('docker save | plimsoll check --image - (gzipped, through a real pipe)', async (t) => {
  const archive = gzipSync(await busybox())
  const result = await spawnCli(['check', ...P, '--image', '-'], archive)
  t.equal(result.stderr, '')
  t.equal(result.code, 1, 'a shell is a warning, and warnings fail by default')
  t.match(result.stdout, /warnings \(1\)\n {2}<stdin> {2}no-shell {2}the image has a shell\n/)
  t.match(result.stdout, /<stdin>: warn · 0 errors · 1 warning · 0 info · 2 rules evaluated · fail-on warning reached/)

  const dir = t.testdir({ 'app.tar': '' })
  writeFileSync(join(dir, 'app.tar'), await distroless())
  const file = await run(['check', ...P, '--image', 'app.tar'], { cwd: dir })
  t.equal(file.code, 0, 'an archive file, not gzipped: no shell, not root')
  t.match(file.stdout, /^app\.tar: pass · 0 errors · 0 warnings · 0 info · 2 rules evaluated · fail-on warning not reached\n$/)
})

t.test('check --image: bad input exits 2 and says what and where', async (t) => {
  const dir = t.testdir({
    'inspect.json': JSON.stringify(ROOT_INSPECT),
    'broken.json': '{"Id": ',
    'container.json': JSON.stringify([{ Id: 'x', State: {}, HostConfig: {} }]),
    'typed.json': JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 7 } }),
    'notes.txt': 'hello',
    'layout': { 'index.json': '{}' },
    'Dockerfile': APP_DOCKERFILE,
  })
  const cases: Array<[string, string[], RegExp, string?]> = [
    ['a missing file', ['--image', 'missing.tar'], /^plimsoll: missing\.tar: cannot read: no such file\n$/],
    ['a directory', ['--image', 'layout'], /^plimsoll: layout: is a directory: send an OCI layout as a tar/],
    ['broken JSON', ['--image', 'broken.json'], /^plimsoll: broken\.json: not valid JSON/],
    ['a container, not an image', ['--image', 'container.json'], /^plimsoll: container\.json: this is the inspect output of a container .* \(at \/0\)\n$/],
    ['a field of the wrong type', ['--image', 'typed.json'], /^plimsoll: typed\.json: expected a string, found a number \(at \/config\/User\)\n$/],
    ['neither JSON nor an archive', ['--image', 'notes.txt'], /^plimsoll: notes\.txt: the input is not a tar archive/],
    ['an empty standard input', ['--image', '-'], /^plimsoll: <stdin>: the image archive is empty\n$/],
    ['two Dockerfiles', ['--image', 'inspect.json', 'Dockerfile', 'Dockerfile'], /--image takes one Dockerfile at most/],
    ['standard input twice', ['--image', '-', '-'], /standard input \(-\) can be read only once/],
  ]
  for (const [name, argv, stderr] of cases) {
    const result = await run(['check', ...P, ...argv], { cwd: dir })
    t.equal(result.code, 2, `${name}: exit 2`)
    t.match(result.stderr, stderr, `${name}: says so`)
    t.equal(result.stdout, '', `${name}: no verdict`)
  }
})

t.test('compare in each format: a Dockerfile, a document, archives', async (t) => {
  const dir = t.testdir({ 'inspect.json': JSON.stringify(ROOT_INSPECT), 'Dockerfile': APP_DOCKERFILE, '.dockerignore': '.git\n' })
  writeFileSync(join(dir, 'busybox.tar.gz'), gzipSync(await busybox()))
  writeFileSync(join(dir, 'distroless.tar'), await distroless())
  const subjects = ['busybox=busybox.tar.gz', 'distroless=distroless.tar', 'inspect=inspect.json', 'source=Dockerfile']

  const text = await run(['compare', ...P, ...subjects], { cwd: dir })
  t.equal(text.code, 0, 'findings do not fail a comparison')
  t.equal(text.stderr, '')
  t.equal(text.stdout, [
    '                                   busybox                      distroless      inspect             source',
    'Kind                               docker-archive               docker-archive  docker-inspect      dockerfile',
    'Verdict                            warn                         pass            fail                pass',
    'Findings (error / warning / info)  0 / 1 / 0                    0 / 0 / 0       1 / 0 / 0           0 / 0 / 0',
    'Rules evaluated                    2                            2               1, 1 not evaluated  2',
    'Size                               4.61 kB                      2.56 kB         5 MB                unknown',
    'Layers                             1                            1               1                   base + 2',
    'User                               app                          65532           root (none set)     10001',
    'Shell                              yes (/bin/sh, /bin/busybox)  no              unknown             unknown',
    'Package manager                    yes (apk)                    no              unknown             unknown',
    'Exposed ports                      8080/tcp                     none            8080/tcp            none',
    '',
    'passed by one, failed by another (2)',
    '  rule                 severity  busybox  distroless  inspect        source',
    '  final-user-not-root  error     pass     pass        fail           pass',
    '  no-shell             warning   fail     pass        not evaluated  -',
    '',
    'rules that ran (3)',
    '  rule                 severity  busybox  distroless  inspect        source',
    '  final-user-not-root  error     pass     pass        fail           pass',
    '  workdir-set          info      -        -           -              pass',
    '  no-shell             warning   fail     pass        not evaluated  -',
    '',
  ].join('\n'))

  const markdown = await run(['compare', ...P, '--format', 'markdown', ...subjects], { cwd: dir })
  t.equal(markdown.code, 0)
  t.match(markdown.stdout, /^### Plimsoll: `busybox` vs `distroless` vs `inspect` vs `source`\n/)
  t.match(markdown.stdout, /\| \*\*Shell\*\* \| yes \(\/bin\/sh, \/bin\/busybox\) \| no \| unknown \| unknown \|/)
  t.match(markdown.stdout, /\| `no-shell` \| warning \| ❌ fail \| ✅ pass \| not evaluated \| — \|/)

  const json = await run(['compare', ...P, '--format', 'json', ...subjects], { cwd: dir })
  const comparison = JSON.parse(json.stdout) as { variants: Array<Record<string, unknown>>, differences: unknown[] }
  t.match(comparison.variants, [
    { label: 'busybox', kind: 'docker-archive', shell: true, shells: ['/bin/sh', '/bin/busybox'], packageManager: true, packageManagers: ['apk'], user: 'app', exposedPorts: ['8080/tcp'] },
    { label: 'distroless', kind: 'docker-archive', shell: false, packageManager: false, user: '65532' },
    { label: 'inspect', kind: 'docker-inspect', shell: null, size: 5_000_000 },
    { label: 'source', kind: 'dockerfile', size: null, layers: 2, user: '10001' },
  ])
  t.same(comparison.differences, [
    { ruleId: 'final-user-not-root', severity: 'error', passes: ['busybox', 'distroless', 'source'], fails: ['inspect'] },
    { ruleId: 'no-shell', severity: 'warning', passes: ['distroless'], fails: ['busybox'] },
  ])

  const piped = await run(['compare', ...P, '--format', 'json', 'stdin=-', 'file=inspect.json'], { cwd: dir, stdin: APP_DOCKERFILE })
  t.match(JSON.parse(piped.stdout), { variants: [{ label: 'stdin', kind: 'dockerfile' }, { label: 'file', kind: 'docker-inspect' }] }, 'a Dockerfile on standard input')

  const colored = await run(['compare', ...P, ...subjects], { cwd: dir, env: { FORCE_COLOR: '1' } })
  t.ok(colored.stdout.includes('\x1b[31mfail\x1b[39m'), 'colours when asked for')
})

t.test('compare: bad input exits 2 and says what', async (t) => {
  const dir = t.testdir({ 'inspect.json': JSON.stringify(ROOT_INSPECT), 'Dockerfile': APP_DOCKERFILE, 'empty.Dockerfile': '\n' })
  const cases: Array<[string, string[], RegExp]> = [
    ['one subject', ['a=Dockerfile'], /^plimsoll: compare two or more subjects; got 1\n$/],
    ['no label', ['Dockerfile', 'b=inspect.json'], /^plimsoll: expected label=path, got "Dockerfile"\n$/],
    ['an empty label', ['=Dockerfile', 'b=inspect.json'], /^plimsoll: expected label=path, got "=Dockerfile"\n$/],
    ['duplicate labels', ['a=Dockerfile', 'a=inspect.json'], /^plimsoll: subject 1 \("a"\): subject 0 has the same label; labels must be unique\n$/],
    ['standard input twice', ['a=-', 'b=-'], /standard input \(-\) can be read only once/],
    ['a missing file', ['a=Dockerfile', 'b=missing.json'], /^plimsoll: b=missing\.json: cannot read: no such file\n$/],
    ['an empty Dockerfile', ['a=empty.Dockerfile', 'b=inspect.json'], /^plimsoll: subject 0 \("a"\): the Dockerfile is empty\n$/],
    ['a bad --param', ['--param', 'oops', 'a=Dockerfile', 'b=inspect.json'], /--param wants name=value/],
    ['an unknown policy', ['--policy', 'nope', 'a=Dockerfile', 'b=inspect.json'], /^plimsoll: unknown policy "nope"; loaded: images\n$/],
    ['policies that do not load', ['--policies', 'nowhere', 'a=Dockerfile', 'b=inspect.json'], /the policies in nowhere do not load/],
    ['a bad format', ['--format', 'html', 'a=Dockerfile', 'b=inspect.json'], /argument 'html' is invalid/],
  ]
  for (const [name, argv, stderr] of cases) {
    const result = await run(['compare', ...P, ...argv], { cwd: dir })
    t.equal(result.code, 2, `${name}: exit 2`)
    t.match(result.stderr, stderr, `${name}: says so`)
    t.equal(result.stdout, '', `${name}: no comparison`)
  }
})
