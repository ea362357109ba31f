import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import fc from 'fast-check'
import t from 'tap'
import imageFactsSchema from '../src/facts/image-facts.schema.json' with { type: 'json' }
import type { ImageDocumentKind, ImageFacts, ImageFile } from '../src/facts/image-types.js'
import { imagePort, imageUser, startCommand } from '../src/inputs/image/config.js'
import { goDuration, goPlainList, goQuotedList, readGoQuoted } from '../src/inputs/image/go-syntax.js'
import { stepText } from '../src/inputs/image/created-by.js'
import { readHistory } from '../src/inputs/image/history.js'
import { imageFactsFromParts, readImageDocument, withFiles } from '../src/inputs/image/index.js'
import { evaluate } from '../src/evaluate.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// Image documents (inspect output, configs, manifests, indexes) into image facts: detection, every field,
// history read back as Dockerfile instructions, refusals with their pointers, and never a throw.

const validateImageFacts = new Ajv({ allErrors: true, strict: false }).compile(imageFactsSchema)
const schemaErrors = (facts: unknown): string[] => validateImageFacts(facts) ? [] : (validateImageFacts.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`)

const digest = (c: string): string => `sha256:${c.repeat(64)}`

/** Reads a document that must be accepted. */
function read (document: unknown, kind?: string): ImageFacts {
  const result = readImageDocument(document, kind)
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`)
  return result.value
}

const dockerInspect = [{
  Id: digest('a'),
  RepoTags: ['registry.example.com/app:1.2'],
  RepoDigests: [`registry.example.com/app@${digest('b')}`],
  Parent: '',
  Created: '2024-05-01T10:00:00Z',
  Config: {
    User: '1000:1000',
    Env: ['PATH=/usr/bin:/bin', 'MODE=a', 'MODE=b', 'EMPTY=', 'BARE', 'EQ=x=y'],
    ExposedPorts: { '8080/tcp': {}, '53/udp': {}, '9000-9002/tcp': {}, 'http/tcp': {}, '70000/tcp': {}, '80/ftp': {} },
    Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/python:3.12-slim', 'org.opencontainers.image.base.digest': digest('c') },
    Healthcheck: { Test: ['CMD', '/bin/health', '--quick'], Interval: 90e9, Timeout: 500e6, StartPeriod: 0, StartInterval: 2e9, Retries: 5 },
    Entrypoint: ['/bin/sh', '-c', 'exec app'],
    Cmd: ['--port', '8080'],
    WorkingDir: '/srv',
    Volumes: { '/data': {}, '/cache': {} },
    StopSignal: 'SIGINT',
    Shell: ['/bin/bash', '-c'],
    OnBuild: null,
  },
  Architecture: 'arm64',
  Variant: 'v8',
  Os: 'linux',
  Size: 12345,
  RootFS: { Type: 'layers', Layers: [digest('1'), digest('2')] },
  Descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest('d'), size: 400, annotations: { 'org.opencontainers.image.version': '1.2' } },
}]

const podmanInspect = [{
  Id: digest('e'),
  Digest: digest('f'),
  RepoTags: ['localhost/app:latest'],
  RepoDigests: [],
  Created: '2024-06-01T00:00:00Z',
  Config: { Env: ['PATH=/usr/bin'], Cmd: ['/bin/sh', '-c', 'python app.py'], User: 'root', Labels: { 'org.opencontainers.image.base.name': 'from-label' } },
  Architecture: 'amd64',
  Os: 'linux',
  Size: 999,
  RootFS: { Type: 'layers', Layers: [digest('3')] },
  Annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/python:3.12' },
  ManifestType: 'application/vnd.oci.image.manifest.v1+json',
  History: [
    { created: '2024-05-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created: '2024-05-01T00:00:01Z', created_by: '/bin/sh -c #(nop)  CMD ["python3"]', empty_layer: true },
  ],
  NamesHistory: ['localhost/app:latest'],
}]

const buildahInspect = {
  Type: 'buildah 0.0.1',
  FromImage: 'docker.io/library/alpine:3.20',
  FromImageID: 'abc',
  Config: '{"not":"read"}',
  Manifest: '{}',
  Container: 'alpine-working-container',
  ImageAnnotations: { 'org.opencontainers.image.base.digest': digest('9') },
  OCIv1: { architecture: 'amd64', os: 'linux', config: { User: 'nobody' } },
  Docker: {
    architecture: 'amd64',
    os: 'linux',
    config: { User: 'app', Healthcheck: { Test: ['NONE'] }, Shell: ['/bin/ash', '-eo', 'pipefail', '-c'], Cmd: ['/bin/ash', '-eo', 'pipefail', '-c', 'run-app'] },
    history: null,
  },
  History: [
    { created_by: '/bin/sh -c #(nop) ADD file:aaa in / ' },
    { created_by: '/bin/sh -c #(nop) SHELL [/bin/ash -eo pipefail -c]', empty_layer: true },
    { created_by: '/bin/ash -eo pipefail -c apk add --no-cache curl' },
  ],
}

const ociConfig = {
  created: '2024-07-01T12:00:00Z',
  architecture: 'amd64',
  os: 'linux',
  config: { Env: ['PATH=/usr/local/bin:/usr/bin'], Cmd: ['python3', 'app.py'], WorkingDir: '/app', User: 'app' },
  rootfs: { type: 'layers', diff_ids: [digest('1'), digest('2'), digest('3')] },
  history: [
    { created: '2024-06-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created: '2024-06-01T00:00:01Z', created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
    { created: '2024-07-01T11:00:00Z', created_by: 'WORKDIR /app', comment: 'buildkit.dockerfile.v0' },
    { created: '2024-07-01T11:00:01Z', created_by: 'RUN /bin/sh -c pip install flask # buildkit', comment: 'buildkit.dockerfile.v0' },
    { created: '2024-07-01T11:00:02Z', created_by: 'USER app', comment: 'buildkit.dockerfile.v0', empty_layer: true },
  ],
}

const ociManifest = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('c'), size: 700 },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('4'), size: 1000 },
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: digest('5'), size: 234 },
  ],
  annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:12', 'org.opencontainers.image.base.digest': digest('6') },
}

const v1Manifest = {
  schemaVersion: 1,
  name: 'library/app',
  tag: '1',
  architecture: 'amd64',
  fsLayers: [{ blobSum: digest('7') }, { blobSum: digest('8') }],
  history: [
    { v1Compatibility: JSON.stringify({ id: 'new', created: '2016-01-02T00:00:00Z', os: 'linux', throwaway: true, config: { User: 'app', Env: ['A=b'] }, container_config: { Cmd: ['/bin/sh', '-c', '#(nop) ', 'USER app'] } }) },
    { v1Compatibility: JSON.stringify({ id: 'old', created: '2016-01-01T00:00:00Z', container_config: { Cmd: ['/bin/sh', '-c', 'apk add curl'] } }) },
  ],
}

const ociIndex = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest('1'), size: 500, platform: { os: 'linux', architecture: 'amd64' } },
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest('2'), size: 501, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest('3'), size: 50, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest('4'), size: 60 },
  ],
  annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20', 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
}

t.test('each kind is recognised from its identifying fields', async (t) => {
  const cases: Array<[string, unknown, ImageDocumentKind]> = [
    ['docker image inspect (an array of one)', dockerInspect, 'docker-inspect'],
    ['docker image inspect (one object)', dockerInspect[0], 'docker-inspect'],
    ['podman image inspect', podmanInspect, 'podman-inspect'],
    ['buildah inspect', buildahInspect, 'buildah-inspect'],
    ['buildah inspect without Type', { FromImage: 'alpine', OCIv1: { os: 'linux' } }, 'buildah-inspect'],
    ['OCI image config', ociConfig, 'oci-config'],
    ['Docker image config', { ...ociConfig, container_config: {}, docker_version: '24.0.7' }, 'docker-config'],
    ['Docker image config with capitalised keys (Go reads keys case-insensitively)', { Architecture: 'amd64', Os: 'linux', Config: {}, docker_version: '1' }, 'docker-config'],
    ['OCI manifest', ociManifest, 'oci-manifest'],
    ['OCI manifest without mediaType', { schemaVersion: 2, config: { digest: digest('1') }, layers: [] }, 'oci-manifest'],
    ['Docker v2 schema 2 manifest', { ...ociManifest, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' }, 'docker-manifest'],
    ['Docker manifest by its config type', { schemaVersion: 2, config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: digest('1') }, layers: [] }, 'docker-manifest'],
    ['Docker v2 schema 1 manifest', v1Manifest, 'docker-manifest-v1'],
    ['OCI index', ociIndex, 'oci-index'],
    ['Docker manifest list', { schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', manifests: [] }, 'docker-manifest-list'],
  ]
  for (const [name, document, kind] of cases) {
    const facts = read(document)
    t.equal(facts.kind, kind, name)
    t.same(schemaErrors(facts), [], `${name}: facts match the published schema`)
  }
})

t.test('a kind given by the caller names the document, when the document fits it', async (t) => {
  t.equal(read(dockerInspect, 'podman-inspect').kind, 'podman-inspect')
  t.equal(read(ociConfig, 'docker-config').kind, 'docker-config')
  t.equal(read({ config: { User: 'app' } }, 'oci-config').user.name, 'app', 'a bare run config fits an image config')
  t.equal(read(ociManifest, 'docker-manifest').kind, 'docker-manifest')
  t.equal(read(v1Manifest, 'docker-manifest-v1').kind, 'docker-manifest-v1')
  t.equal(read(ociIndex, 'docker-manifest-list').kind, 'docker-manifest-list')
  t.equal(read(buildahInspect, 'buildah-inspect').kind, 'buildah-inspect')
})

t.test('docker image inspect: every run-config field', async (t) => {
  const facts = read(dockerInspect)
  t.same(facts.has, { config: true, history: false, layers: true, files: false })
  t.equal(facts.id, digest('a'))
  t.same(facts.repoTags, ['registry.example.com/app:1.2'])
  t.same(facts.repoDigests, [`registry.example.com/app@${digest('b')}`])
  t.same([facts.os, facts.architecture, facts.variant, facts.created], ['linux', 'arm64', 'v8', '2024-05-01T10:00:00Z'])
  t.same(facts.platforms, [])
  t.same(facts.user, { name: '1000:1000', isRoot: false, isNumeric: true })
  t.same(facts.env, { PATH: '/usr/bin:/bin', MODE: 'b', EMPTY: '', BARE: '', EQ: 'x=y' }, 'later entries win; no `=` is an empty value')
  t.same(facts.exposedPorts, [
    { text: '8080/tcp', port: 8080, endPort: 8080, protocol: 'tcp', valid: true },
    { text: '53/udp', port: 53, endPort: 53, protocol: 'udp', valid: true },
    { text: '9000-9002/tcp', port: 9000, endPort: 9002, protocol: 'tcp', valid: true },
    { text: 'http/tcp', port: 0, endPort: 0, protocol: 'tcp', valid: false },
    { text: '70000/tcp', port: 70000, endPort: 70000, protocol: 'tcp', valid: false },
    { text: '80/ftp', port: 80, endPort: 80, protocol: 'ftp', valid: false },
  ])
  t.same(facts.labels, dockerInspect[0]?.Config.Labels)
  t.same(facts.annotations, { 'org.opencontainers.image.version': '1.2' }, 'the Descriptor\'s annotations')
  t.same(facts.base, { name: 'docker.io/library/python:3.12-slim', digest: digest('c') }, 'from the labels when no annotation names it')
  t.same(facts.healthcheck, { test: 'cmd', form: 'exec', args: ['/bin/health', '--quick'], options: { interval: '1m30s', timeout: '500ms', 'start-interval': '2s', retries: '5' } })
  t.same(facts.entrypoint, { form: 'shell', args: ['/bin/sh', '-c', 'exec app'], script: 'exec app' })
  t.same(facts.cmd, { form: 'exec', args: ['--port', '8080'], script: '' })
  t.same([facts.workdir, facts.volumes, facts.stopSignal, facts.shell], ['/srv', ['/data', '/cache'], 'SIGINT', ['/bin/bash', '-c']])
  t.equal(facts.size, 12345, 'inspect reports the total size')
  t.same(facts.layers.map((l) => [l.index, l.diffId, l.digest, l.size, l.createdBy]), [[0, digest('1'), '', -1, ''], [1, digest('2'), '', -1, '']])
  t.same([facts.history, facts.files, facts.shells, facts.packageManagers], [[], [], [], []])
  t.same(facts.historyDockerfile.instructions.map((i) => i.keyword), ['FROM'], 'no history: FROM scratch alone')
})

t.test('podman image inspect: history, annotations over labels', async (t) => {
  const facts = read(podmanInspect)
  t.same(facts.has, { config: true, history: true, layers: true, files: false })
  t.same(facts.user, { name: 'root', isRoot: true, isNumeric: false })
  t.same(facts.cmd, { form: 'shell', args: ['/bin/sh', '-c', 'python app.py'], script: 'python app.py' })
  t.equal(facts.base.name, 'docker.io/library/python:3.12', 'an annotation wins over a label')
  t.same(facts.history.map((h) => [h.index, h.emptyLayer, h.instruction?.keyword]), [[0, false, 'ADD'], [1, true, 'CMD']])
  t.same(facts.layers.map((l) => l.createdBy), ['/bin/sh -c #(nop) ADD file:abc in / '], 'a layer is made by the non-empty step in its place')
})

t.test('buildah inspect: Docker\'s config (Healthcheck, Shell) and the top-level History', async (t) => {
  const facts = read(buildahInspect)
  t.same(facts.has, { config: true, history: true, layers: false, files: false })
  t.equal(facts.id, '', 'a working container has no image id yet')
  t.same(facts.user, { name: 'app', isRoot: false, isNumeric: false })
  t.same(facts.healthcheck, { test: 'none', form: 'none', args: [], options: {} })
  t.same(facts.cmd, { form: 'shell', args: ['/bin/ash', '-eo', 'pipefail', '-c', 'run-app'], script: 'run-app' }, 'shell form under the image\'s SHELL')
  t.same(facts.base, { name: '', digest: digest('9') })
  t.same(facts.history.map((h) => h.instruction?.keyword), ['ADD', 'SHELL', 'RUN'])
  t.same(facts.historyDockerfile.stages[0]?.shell, ['/bin/ash', '-eo', 'pipefail', '-c'])
  t.same(facts.history[2]?.instruction?.commands.map((c) => c.name), ['apk'])
  const oci = read({ ...buildahInspect, Docker: { config: null } })
  t.equal(oci.user.name, 'nobody', 'without Docker\'s config, the OCI one')
})

t.test('image configs: history read back, layers made by the non-empty steps', async (t) => {
  const facts = read(ociConfig)
  t.same(facts.has, { config: true, history: true, layers: false, files: false })
  t.same([facts.id, facts.size, facts.created], ['', -1, '2024-07-01T12:00:00Z'])
  t.same(facts.history.map((h) => [h.index, h.created, h.comment, h.emptyLayer, h.instruction?.keyword ?? null]), [
    [0, '2024-06-01T00:00:00Z', '', false, 'ADD'],
    [1, '2024-06-01T00:00:01Z', '', true, 'CMD'],
    [2, '2024-07-01T11:00:00Z', 'buildkit.dockerfile.v0', false, 'WORKDIR'],
    [3, '2024-07-01T11:00:01Z', 'buildkit.dockerfile.v0', false, 'RUN'],
    [4, '2024-07-01T11:00:02Z', 'buildkit.dockerfile.v0', true, 'USER'],
  ])
  t.same(facts.layers.map((l) => [l.diffId, l.createdBy, l.size, l.digest, l.mediaType]), [
    [digest('1'), '/bin/sh -c #(nop) ADD file:abc in / ', -1, '', ''],
    [digest('2'), 'WORKDIR /app', -1, '', ''],
    [digest('3'), 'RUN /bin/sh -c pip install flask # buildkit', -1, '', ''],
  ])
  const dockerfile = facts.historyDockerfile
  t.same(dockerfile.instructions.map((i) => `${i.keyword} ${i.text}`), ['FROM scratch', 'ADD file:abc /', 'CMD ["bash"]', 'WORKDIR /app', 'RUN pip install flask', 'USER app'])
  t.equal(dockerfile.stages.length, 1)
  t.same(dockerfile.stages[0]?.user, { name: 'app', isRoot: false, line: 6 })
  t.equal(facts.history[3]?.instruction, dockerfile.instructions[4], 'the entry holds the Dockerfile\'s own instruction')
  t.same(facts.history[3]?.instruction?.commands.map((c) => [c.name, c.packages.map((p) => p.name)]), [['pip', ['flask']]])
})

t.test('manifests: layers with digests and sizes, the config digest as id, annotations', async (t) => {
  const facts = read(ociManifest)
  t.same(facts.has, { config: false, history: false, layers: true, files: false })
  t.equal(facts.id, digest('c'))
  t.equal(facts.size, 1234, 'the sum of the layers as stored')
  t.same(facts.layers, [
    { index: 0, digest: digest('4'), diffId: '', size: 1000, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', createdBy: '' },
    { index: 1, digest: digest('5'), diffId: '', size: 234, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', createdBy: '' },
  ])
  t.same(facts.base, { name: 'docker.io/library/debian:12', digest: digest('6') })
  t.same([facts.user, facts.cmd, facts.os], [{ name: '', isRoot: true, isNumeric: false }, null, ''], 'a manifest carries no run config')
  const unsized = read({ ...ociManifest, layers: [{ digest: digest('4') }] })
  t.same([unsized.size, unsized.has.layers], [-1, false], 'a layer without size leaves the total unknown')
})

t.test('Docker v2 schema 1: config and history from v1Compatibility, newest first', async (t) => {
  const facts = read(v1Manifest)
  t.same(facts.has, { config: true, history: true, layers: false, files: false })
  t.same([facts.os, facts.architecture, facts.created, facts.user.name, facts.env], ['linux', 'amd64', '2016-01-02T00:00:00Z', 'app', { A: 'b' }])
  t.same(facts.repoTags, ['library/app:1'])
  t.same(facts.history.map((h) => [h.createdBy, h.emptyLayer, h.instruction?.keyword]), [
    ['/bin/sh -c apk add curl', false, 'RUN'],
    ['/bin/sh -c #(nop)  USER app', true, 'USER'],
  ])
  t.same(facts.layers.map((l) => [l.digest, l.createdBy]), [[digest('8'), '/bin/sh -c apk add curl']], 'throwaway layers are no layers')
  t.same(read({ ...v1Manifest, name: '' }).repoTags, [])
})

t.test('indexes: platforms (attestations and platformless entries left out), annotations', async (t) => {
  const facts = read(ociIndex)
  t.same(facts.has, { config: false, history: false, layers: false, files: false })
  t.same(facts.platforms, [
    { os: 'linux', architecture: 'amd64', variant: '', digest: digest('1'), size: 500 },
    { os: 'linux', architecture: 'arm64', variant: 'v8', digest: digest('2'), size: 501 },
  ])
  t.equal(facts.base.name, 'docker.io/library/alpine:3.20')
  t.equal(facts.annotations['org.opencontainers.image.created'], '2024-01-01T00:00:00Z')
})

t.test('Windows: cmd /S /C is the shell form, and the history Dockerfile keeps backslashes', async (t) => {
  const facts = read({
    os: 'windows',
    architecture: 'amd64',
    config: { Cmd: ['cmd', '/S', '/C', 'app.exe --serve'], Entrypoint: ['CMD.EXE', '/S', '/C', 'x'] },
    history: [
      { created_by: 'cmd /S /C #(nop) WORKDIR C:\\app', empty_layer: true },
      { created_by: 'cmd /S /C powershell -Command Install-Thing' },
      { created_by: 'ENV TOOLS=C:\\tools\\ ' },
    ],
  })
  t.same(facts.cmd, { form: 'shell', args: ['cmd', '/S', '/C', 'app.exe --serve'], script: 'app.exe --serve' })
  t.equal(facts.entrypoint?.form, 'shell', 'cmd.exe in any case')
  const dockerfile = facts.historyDockerfile
  t.equal(dockerfile.escape, '`')
  t.same(dockerfile.stages[0]?.workdir, 'C:\\app')
  t.same(dockerfile.stages[0]?.shell, ['cmd', '/S', '/C'], 'a SHELL is declared for the steps run under cmd')
  t.same(dockerfile.stages[0]?.env, { TOOLS: 'C:\\tools\\' })
  t.same(facts.history.map((h) => h.instruction?.keyword), ['WORKDIR', 'RUN', 'ENV'])
})

t.test('users, ports and start commands', async (t) => {
  const users: Array<[string, boolean, boolean]> = [['', true, false], ['root', true, false], ['0', true, true], ['root:staff', true, false], ['0:0', true, true],
    ['app', false, false], ['1000', false, true], ['1000:1000', false, true], ['rooter', false, false], ['10', false, true], ['app:0', false, false]]
  for (const [name, isRoot, isNumeric] of users) t.same(imageUser(name), { name, isRoot, isNumeric }, `User "${name}"`)
  t.match(imagePort('8080'), { port: 8080, protocol: 'tcp', valid: true })
  t.match(imagePort('9-1/tcp'), { port: 9, endPort: 1, valid: false })
  t.match(imagePort('1/tcp/x'), { valid: false })
  t.match(imagePort('1-2-3/tcp'), { valid: false })
  t.equal(startCommand([], [], 'linux'), null)
  t.same(startCommand(['/bin/sh', '-c'], [], 'linux'), { form: 'exec', args: ['/bin/sh', '-c'], script: '' }, 'no script: exec')
  t.same(startCommand(['pwsh', '-Command', 'x'], ['pwsh', '-Command'], 'windows'), { form: 'shell', args: ['pwsh', '-Command', 'x'], script: 'x' })
  t.equal(startCommand(['cmd', '/S', '/C', 'x'], [], 'linux')?.form, 'exec', 'cmd is the shell on Windows only')
})

t.test('Go\'s text forms', async (t) => {
  const durations: Array<[number, string]> = [[0, '0s'], [500, '500ns'], [1500, '1.5µs'], [2e6, '2ms'], [1.5e9, '1.5s'], [30e9, '30s'], [90e9, '1m30s'],
    [3600e9, '1h0m0s'], [3661.5e9, '1h1m1.5s'], [-30e9, '-30s']]
  for (const [ns, text] of durations) t.equal(goDuration(ns), text, `${ns}ns`)
  const quoted: Array<[string, [string, number] | undefined]> = [
    ['"a b"', ['a b', 5]], ['"\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\\'"', ['\x07\b\f\n\r\t\v\\"\'', 22]], ["'\\x03'", ['\x03', 6]], ['"\\u00e9\\U0001F600"', ['é😀', 18]],
    ['"\\101"', ['A', 6]], ['"\\q"', undefined], ['"\\8xx"', undefined], ['"\\xZZ"', undefined], ['"\\U00110000"', undefined], ['"open', undefined], ['x', undefined],
  ]
  for (const [text, expected] of quoted) t.same(readGoQuoted(text, 0), expected, text)
  t.same(goQuotedList('["a" "b c"]'), ['a', 'b c'])
  t.same(goQuotedList('[]'), [])
  t.equal(goQuotedList('["a","b"]'), undefined, 'JSON is not %q')
  t.equal(goQuotedList('["a"] x'), undefined)
  t.equal(goQuotedList('["a'), undefined)
  t.same(goPlainList('[/bin/sh -c]'), ['/bin/sh', '-c'])
  t.equal(goPlainList('bash'), undefined)
})

// created_by as each builder records it → the Dockerfile line it reads back as (null: not readable).
const HISTORY: Array<[string, string, string | null]> = [
  ['classic ENV', '/bin/sh -c #(nop)  ENV A=b', 'ENV A=b'],
  ['classic CMD (Go %q)', '/bin/sh -c #(nop)  CMD ["nginx" "-g" "daemon off;"]', 'CMD ["nginx","-g","daemon off;"]'],
  ['classic CMD in shell form', '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo hi"]', 'CMD echo hi'],
  ['CMD whose script spans lines stays exec form', 'CMD ["/bin/sh" "-c" "a\\nb"]', 'CMD ["/bin/sh","-c","a\\nb"]'],
  ['CMD whose script looks like JSON stays exec form', 'CMD ["/bin/sh" "-c" "[1]"]', 'CMD ["/bin/sh","-c","[1]"]'],
  ['CMD whose script ends in the escape character stays exec form', 'CMD ["/bin/sh" "-c" "x \\\\"]', 'CMD ["/bin/sh","-c","x \\\\"]'],
  ['CMD written as JSON', 'CMD ["a","b"]', 'CMD ["a","b"]'],
  ['CMD written as text', 'CMD run it', 'CMD run it'],
  ['classic ADD', '/bin/sh -c #(nop) ADD file:abc in / ', 'ADD file:abc /'],
  ['classic COPY of a directory', '/bin/sh -c #(nop) COPY dir:abc in /app', 'COPY dir:abc /app'],
  ['classic COPY with a flag and a destination with a space', '/bin/sh -c #(nop) COPY --chown=1:1 file:abc in /my app/', 'COPY --chown=1:1 file:abc "/my app/"'],
  ['classic RUN', '/bin/sh -c apt-get update && apt-get install -y curl', 'RUN apt-get update && apt-get install -y curl'],
  ['classic RUN with build arguments', '|2 A=b C=d e /bin/sh -c make install', 'RUN make install'],
  ['classic RUN with build arguments and no shell', '|1 A=b make', null],
  ['classic RUN under bash with pipefail', '/bin/bash -o pipefail -c curl -fsS x | sh', 'RUN curl -fsS x | sh'],
  ['BuildKit RUN', 'RUN /bin/sh -c pip install x # buildkit', 'RUN pip install x'],
  ['BuildKit RUN with build arguments', 'RUN |1 A=b /bin/sh -c echo $A # buildkit', 'RUN echo $A'],
  ['BuildKit RUN in exec form', 'RUN apt-get install -y x # buildkit', 'RUN apt-get install -y x'],
  ['BuildKit RUN in exec form with build arguments', 'RUN |1 A=b make all # buildkit', 'RUN make all'],
  ['BuildKit empty RUN', 'RUN /bin/sh -c  # buildkit', null],
  ['a RUN continuing onto nothing', '/bin/sh -c make \\\\ ', 'RUN make'],
  ['a RUN of a lone continuation', '/bin/sh -c \\', null],
  ['BuildKit ENV with a spaced value', 'ENV A=b C=d e $HOME "q"', 'ENV A=b C="d e \\$HOME \\"q\\""'],
  ['BuildKit LABEL with a spaced value', 'LABEL maintainer=NGINX Docker <a@b.c> org.x=1', 'LABEL maintainer="NGINX Docker <a@b.c>" org.x=1'],
  ['BuildKit ARG', 'ARG A=b', 'ARG A=b'],
  ['BuildKit ARGs without values', 'ARG A B', 'ARG A B'],
  ['BuildKit USER', 'USER app', 'USER app'],
  ['BuildKit WORKDIR with a space', 'WORKDIR /my app', 'WORKDIR "/my app"'],
  ['BuildKit COPY', 'COPY . /app # buildkit', 'COPY . /app'],
  ['BuildKit COPY of a here-document', 'COPY <<EOF /etc/x # buildkit', 'COPY <<EOF /etc/x\nEOF'],
  ['BuildKit EXPOSE (map)', 'EXPOSE map[8080/tcp:{} 53/udp:{}]', 'EXPOSE 8080/tcp 53/udp'],
  ['BuildKit EXPOSE (list)', 'EXPOSE [8080/tcp]', 'EXPOSE 8080/tcp'],
  ['classic EXPOSE', '/bin/sh -c #(nop)  EXPOSE 80 443/tcp', 'EXPOSE 80 443/tcp'],
  ['HEALTHCHECK CMD-SHELL', 'HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" "0s" \'\\x03\'}', 'HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1'],
  ['HEALTHCHECK CMD (three durations, older Docker)', 'HEALTHCHECK &{["CMD" "/bin/check"] "1m30s" "0s" "5s" \'\\n\'}', 'HEALTHCHECK --interval=1m30s --start-period=5s --retries=10 CMD ["/bin/check"]'],
  ['HEALTHCHECK with a start interval', 'HEALTHCHECK &{["CMD" "x"] "0s" "0s" "0s" "2s" \'\\x00\'}', 'HEALTHCHECK --start-interval=2s CMD ["x"]'],
  ['HEALTHCHECK NONE', 'HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" \'\\x00\'}', 'HEALTHCHECK NONE'],
  ['HEALTHCHECK as text', 'HEALTHCHECK --interval=5s CMD true', 'HEALTHCHECK --interval=5s CMD true'],
  ['HEALTHCHECK of an unknown test', 'HEALTHCHECK &{["PING"] "0s" \'\\x00\'}', null],
  ['HEALTHCHECK CMD-SHELL of several lines', 'HEALTHCHECK &{["CMD-SHELL" "a\\nb"] "0s" \'\\x00\'}', null],
  ['HEALTHCHECK that is not Go', 'HEALTHCHECK &{[CMD x] 30s}', null],
  ['HEALTHCHECK with a bad duration', 'HEALTHCHECK &{["CMD" "x"] 30s}', null],
  ['ENTRYPOINT', 'ENTRYPOINT ["x"]', 'ENTRYPOINT ["x"]'],
  ['ENTRYPOINT in shell form', 'ENTRYPOINT ["/bin/sh" "-c" "exec app --port \\"$PORT\\""]', 'ENTRYPOINT exec app --port "$PORT"'],
  ['SHELL (Go %v)', 'SHELL [/bin/bash -o pipefail -c]', 'SHELL ["/bin/bash","-o","pipefail","-c"]'],
  ['SHELL as JSON', 'SHELL ["pwsh","-Command"]', 'SHELL ["pwsh","-Command"]'],
  ['SHELL empty', 'SHELL []', null],
  ['SHELL unreadable', 'SHELL bash', null],
  ['VOLUME (Go %v)', 'VOLUME [/data /logs]', 'VOLUME ["/data","/logs"]'],
  ['VOLUME as text', '/bin/sh -c #(nop)  VOLUME /data', 'VOLUME /data'],
  ['STOPSIGNAL', 'STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGTERM'],
  ['ONBUILD', 'ONBUILD RUN make', 'ONBUILD RUN make'],
  ['MAINTAINER (v1 history)', '/bin/sh -c #(nop) MAINTAINER "Ann <a@b.c>"', 'MAINTAINER "Ann <a@b.c>"'],
  ['buildah ENTRYPOINT', '/bin/sh -c #(nop) ENTRYPOINT ["/app"]', 'ENTRYPOINT ["/app"]'],
  ['a FROM is no step', '/bin/sh -c #(nop)  FROM alpine', null],
  ['an instruction spanning lines', 'ENV A=b\nC=d', null],
  ['a line ending in the escape character', 'MAINTAINER me \\', null],
  ['COPY ending in the escape character', 'COPY a b\\', null],
  ['a tool\'s own description', 'bazel build ...', null],
  ['jib', 'jib', null],
  ['empty', '', null],
  ['a bare #(nop)', '#(nop)', null],
  ['lower-case keyword is not BuildKit', 'run x', null],
]

t.test('history steps read back as Dockerfile instructions', async (t) => {
  for (const [name, createdBy, expected] of HISTORY) {
    t.equal(stepText(createdBy, { shells: [['/bin/sh', '-c']], escape: '\\' })?.text ?? null, expected, name)
    const { history, dockerfile } = readHistory([{ created: '', createdBy, comment: '', emptyLayer: false }], [], 'linux')
    const instruction = history[0]?.instruction ?? null
    t.equal(instruction?.keyword ?? null, expected?.split(' ')[0] ?? null, `${name}: its instruction`)
    if (expected !== null) t.equal(dockerfile.instructions.at(-1), instruction, `${name}: the Dockerfile's last instruction`)
  }
})

t.test('a RUN of several lines reads back as a heredoc, keeping its script', async (t) => {
  const steps = [
    'RUN /bin/sh -c set -e\napt-get update\napt-get install -y curl\n # buildkit',
    'RUN /bin/sh -c cat <<EOF > /etc/motd\nhello\nEOF # buildkit',
    '/bin/sh -c echo "<<not a heredoc"',
    '/bin/sh -c echo one \\\ntwo \\',
    'USER app',
  ].map((createdBy) => ({ created: '', createdBy, comment: '', emptyLayer: false }))
  const { history, dockerfile } = readHistory(steps, [], 'linux')
  t.same(history.map((h) => h.instruction?.heredocs[0]?.body), ['set -e\napt-get update\napt-get install -y curl\n', 'cat <<EOF > /etc/motd\nhello\nEOF\n', 'echo "<<not a heredoc"\n', 'echo one \\\ntwo\n', undefined])
  t.same(history.map((h) => h.instruction?.heredocs[0]?.name), ['EOF', 'EOF_1', 'EOF', 'EOF', undefined], 'a delimiter the body does not hold')
  t.same(history[0]?.instruction?.commands.map((c) => c.name), ['set', 'apt-get', 'apt-get'])
  t.same(history[1]?.instruction?.commands.map((c) => c.name), ['cat'])
  t.same(dockerfile.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'RUN', 'RUN', 'RUN', 'USER'], 'the lines after a heredoc stay instructions')
  t.equal(history[4]?.instruction?.line, dockerfile.instructions[5]?.line)
})

t.test('hostile history text: reading it back is linear, and nothing throws', async (t) => {
  const huge = [
    `EXPOSE map[${'a'.repeat(200_000)}]`,
    `/bin/sh -c echo ${'\\'.repeat(200_000)}`,
    `RUN /bin/sh -c ${Array.from({ length: 20_000 }, (_, i) => i === 0 ? 'EOF' : `EOF_${i}`).join('\n')}`,
    `/bin/sh -c ${'#(nop) '.repeat(50_000)}`,
    `sh${' -c'.repeat(50_000)}x`,
    `LABEL ${'a b '.repeat(50_000)}`,
  ]
  // A reading that backtracked would run into tap's timeout; no time is asserted.
  const texts = huge.map((createdBy) => stepText(createdBy, { shells: [['/bin/sh', '-c']], escape: '\\' }))
  t.same(texts.map((text) => text?.keyword ?? null), ['EXPOSE', 'RUN', 'RUN', null, 'RUN', 'LABEL'], 'a script of only continuations is `echo`')
  t.match(texts[2]?.text, /^RUN <<EOF_20000\n/, 'a delimiter the body does not hold')
  // Parsing the Dockerfile costs what it costs for a Dockerfile: smaller inputs here.
  const { history } = readHistory(huge.map((createdBy) => ({ created: '', createdBy: createdBy.slice(0, 20_000), comment: '', emptyLayer: false })), [], 'linux')
  t.equal(history.length, 6)
})

t.test('the shell of the history: SHELL steps, the config\'s Shell, and one the history lost', async (t) => {
  const step = (createdBy: string) => ({ created: '', createdBy, comment: '', emptyLayer: false })
  const viaStep = readHistory([step('SHELL [/bin/bash -o pipefail -c]'), step('RUN /bin/bash -o pipefail -c curl x | sh # buildkit')], [], 'linux')
  t.same(viaStep.dockerfile.instructions.map((i) => i.keyword), ['FROM', 'SHELL', 'RUN'], 'no SHELL is added when a step declared it')
  const viaConfig = readHistory([step('/bin/zsh -y -c print hi')], ['/bin/zsh', '-y', '-c'], 'linux')
  t.same(viaConfig.dockerfile.instructions.map((i) => `${i.keyword} ${i.text}`), ['FROM scratch', 'SHELL ["/bin/zsh","-y","-c"]', 'RUN print hi'])
  t.equal(viaConfig.history[0]?.instruction?.keyword, 'RUN', 'the step keeps its RUN, not the added SHELL')
  const back = readHistory([step('SHELL [/bin/bash -c]'), step('/bin/sh -c true')], [], 'linux')
  t.same(back.dockerfile.stages[0]?.shell, ['/bin/sh', '-c'], 'a step under /bin/sh after a SHELL declares /bin/sh again')
})

const refusals: Array<[string, unknown, string | undefined, string, string]> = [
  ['null', null, undefined, 'input.image-unknown', '/image'],
  ['nothing', undefined, undefined, 'input.image-unknown', '/image'],
  ['a number', 42, undefined, 'input.image-unknown', '/image'],
  ['a string', 'docker inspect', undefined, 'input.image-unknown', '/image'],
  ['an object of nothing known', { hello: 'world' }, undefined, 'input.image-unknown', '/image'],
  ['an array holding a string', ['x'], undefined, 'input.image-unknown', '/image/0'],
  ['an empty array', [], undefined, 'input.image-unknown', '/image'],
  ['inspect output of two images', [dockerInspect[0], podmanInspect[0]], undefined, 'input.image-multiple', '/image'],
  ['a container\'s inspect output', { Id: 'x', State: { Running: true }, HostConfig: {}, Config: {} }, undefined, 'input.image-container', '/image'],
  ['an OCI artifact manifest', { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: digest('1'), size: 1 }, layers: [] }, undefined, 'input.image-artifact', '/image/config/mediaType'],
  ['an OCI 1.1 artifact (artifactType)', { schemaVersion: 2, artifactType: 'application/vnd.example.sbom', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digest('1') }, layers: [] }, undefined, 'input.image-artifact', '/image/artifactType'],
  ['an artifact named a manifest by the caller', { schemaVersion: 2, config: { mediaType: 'application/vnd.x', digest: '' }, layers: null }, 'oci-manifest', 'input.image-artifact', '/image/config/mediaType'],
  ['an unknown kind', ociConfig, 'helm-chart', 'input.image-kind', '/image'],
  ['an archive kind for JSON', ociConfig, 'docker-archive', 'input.image-kind', '/image'],
  ['a manifest named an index', ociManifest, 'oci-index', 'input.image-kind', '/image'],
  ['a config named a manifest', ociConfig, 'oci-manifest', 'input.image-kind', '/image'],
  ['a config named inspect output', ociConfig, 'docker-inspect', 'input.image-kind', '/image'],
  ['a config named buildah', ociConfig, 'buildah-inspect', 'input.image-kind', '/image'],
  ['an index named a v1 manifest', ociIndex, 'docker-manifest-v1', 'input.image-kind', '/image'],
  ['a manifest named a config', ociManifest, 'oci-config', 'input.image-kind', '/image'],
]

t.test('documents that are not one image are refused, saying what was expected and where', async (t) => {
  for (const [name, document, kind, code, pointer] of refusals) {
    const result = readImageDocument(document, kind)
    t.match(result, { ok: false, problems: [{ code, pointer }] }, name)
  }
  const unknown = readImageDocument({ hello: 'world' })
  t.match(unknown, { ok: false, problems: [{ message: /docker-inspect or podman-inspect \(Id with RepoTags, RootFS or Config/ }] }, 'the message lists the kinds and their fields')
  t.match(readImageDocument([1, 2, 3]), { ok: false, problems: [{ message: 'send one image: this inspect output holds 3' }] })
  t.match(readImageDocument(ociConfig, 'oci-manifest'), { ok: false, problems: [{ message: /needs config \(a descriptor with mediaType and digest\) and layers/ }] })
  t.match(readImageDocument(ociConfig, 'helm-chart'), { ok: false, problems: [{ message: /unknown kind "helm-chart": expected one of oci-index, docker-manifest-list/ }] })
  t.match(readImageDocument(ociConfig, undefined, '/images/2'), { ok: true }, 'the pointer is the caller\'s')
  t.match(readImageDocument(7, undefined, '/images/2'), { ok: false, problems: [{ pointer: '/images/2' }] })
})

t.test('a field of the wrong type is refused with its pointer; null is absent', async (t) => {
  const cases: Array<[string, unknown, string[]]> = [
    ['an Env entry that is a number', [{ ...dockerInspect[0], Config: { Env: ['A=b', 7] } }], ['/image/0/Config/Env/1']],
    ['Env that is an object', { os: 'linux', config: { Env: { A: 'b' } } }, ['/image/config/Env']],
    ['a label value that is a number', { os: 'linux', config: { Labels: { a: 1, b: 'x' } } }, ['/image/config/Labels/a']],
    ['User that is a number', { os: 'linux', config: { User: 0 } }, ['/image/config/User']],
    ['config that is a string', { os: 'linux', config: 'x' }, ['/image/config']],
    ['ExposedPorts that is an array', { os: 'linux', config: { ExposedPorts: ['80/tcp'] } }, ['/image/config/ExposedPorts']],
    ['a healthcheck test of another kind', { os: 'linux', config: { Healthcheck: { Test: ['PING'] } } }, ['/image/config/Healthcheck/Test']],
    ['a healthcheck interval that is a string', { os: 'linux', config: { Healthcheck: { Test: ['CMD', 'x'], Interval: '30s' } } }, ['/image/config/Healthcheck/Interval']],
    ['a history step that is a string', { os: 'linux', history: ['RUN x'] }, ['/image/history/0']],
    ['history that is an object', { os: 'linux', history: {} }, ['/image/history']],
    ['empty_layer that is a string', { os: 'linux', history: [{ created_by: 'USER x', empty_layer: 'yes' }] }, ['/image/history/0/empty_layer']],
    ['a layer that is a number', { ...ociManifest, layers: [5] }, ['/image/layers/0']],
    ['a layer size that is a string', { ...ociManifest, layers: [{ digest: digest('1'), size: '10' }] }, ['/image/layers/0/size']],
    ['a platform that is a string', { ...ociIndex, manifests: [{ digest: digest('1'), platform: 'linux/amd64' }] }, ['/image/manifests/0/platform']],
    ['a v1Compatibility that is not JSON', { ...v1Manifest, history: [{ v1Compatibility: '{' }] }, ['/image/history/0/v1Compatibility']],
    ['a key with a slash is escaped in the pointer', { os: 'linux', config: { Volumes: { '/data': {} }, Labels: { 'a/b~c': 1 } } }, ['/image/config/Labels/a~1b~0c']],
  ]
  for (const [name, document, pointers] of cases) {
    const result = readImageDocument(document)
    t.same(result.ok ? [] : result.problems.map((p) => [p.code, p.pointer]), pointers.map((p) => ['input.image-field', p]), name)
  }
  const nulls = read({ os: 'linux', config: { Env: null, Cmd: null, Entrypoint: null, Volumes: null, Labels: null, Healthcheck: null, User: null }, history: null, rootfs: null })
  t.same([nulls.env, nulls.cmd, nulls.volumes, nulls.labels, nulls.healthcheck, nulls.user.name, nulls.has.history], [{}, null, [], {}, null, '', false])
  t.same(read({ os: 'linux', config: { Cmd: 'echo hi' } }).cmd?.args, ['echo hi'], 'a lone string is a one-item list, as Docker reads it')
  t.same(read({ os: 'linux', config: { Env: ['__proto__=x'] } }).env, JSON.parse('{"__proto__":"x"}'), '__proto__ is a plain key')
})

const file = (path: string, type: ImageFile['type'] = 'file', linkTarget = ''): ImageFile =>
  ({ path, type, mode: type === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, size: 0, linkTarget, layer: 0, setuid: false, setgid: false, worldWritable: false })

const factsOf = (parts: Parameters<typeof imageFactsFromParts>[0]): ImageFacts => {
  const read = imageFactsFromParts(parts)
  if (!read.ok) throw new Error(read.problems[0]?.message)
  return read.value
}

t.test('archive parts: files, shells through links, package managers', async (t) => {
  const files = [
    file('/usr/local/bin/pip3.12'), file('/usr/local/bin/pip3', 'symlink', 'pip3.12'), file('/usr/bin/rpm', 'symlink', '/usr/bin/missing'),
    file('/bin', 'directory'), file('/bin/busybox'), file('/bin/sh', 'symlink', 'busybox'), file('/bin/bash', 'symlink', '/usr/bin/bash'),
    file('/bin/zsh', 'symlink', 'zsh2'), file('/bin/zsh2', 'symlink', './zsh'), file('/usr/bin/dash'), file('/usr/bin/sh', 'hardlink', 'usr/bin/dash'),
    file('/usr/bin/ksh', 'symlink', '../../bin/../bin/busybox'), file('/usr/bin/mksh', 'directory'), file('/bin/ash', 'symlink', 'busybox/'),
    file('/sbin/apk'), file('/usr/bin/apt-get'), file('/usr/bin/apt', 'symlink', 'apt-get'), file('/opt/bin/yum'), file('/usr/local/bin/pip9.x'),
  ]
  const config = { ...ociConfig, rootfs: { type: 'layers', diff_ids: [digest('1'), digest('2')] } }
  const facts = factsOf({ kind: 'oci-archive', config, manifest: ociManifest, index: ociIndex, repoTags: ['app:1'], files })
  t.same(facts.has, { config: true, history: true, layers: true, files: true })
  t.same(facts.files.map((f) => f.path), [...files.map((f) => f.path)].sort(), 'sorted by path')
  t.same(facts.shells, ['/bin/sh', '/bin/busybox', '/usr/bin/sh', '/usr/bin/dash', '/usr/bin/ksh'], 'dangling links, loops, directories and a link to `busybox/` are no shells')
  t.same(facts.packageManagers, ['apk', 'apt', 'apt-get', 'pip3', 'pip3.12'])
  t.same([facts.repoTags, facts.id, facts.size], [['app:1'], digest('c'), 1234])
  t.same(facts.layers.map((l) => [l.digest, l.diffId, l.size, l.createdBy]), [[digest('4'), digest('1'), 1000, ociConfig.history[0]?.created_by], [digest('5'), digest('2'), 234, 'WORKDIR /app']])
  t.same(facts.platforms.length, 2, 'the layout\'s index')
  t.same(schemaErrors(facts), [])
  const mismatched = factsOf({ kind: 'oci-archive', config: ociConfig, manifest: ociManifest })
  t.same([mismatched.layers.length, mismatched.has.layers, mismatched.size], [3, false, -1], 'a layer the manifest does not size leaves the total unknown')

  const mergedUsr = factsOf({ kind: 'docker-archive', files: [file('/bin', 'symlink', 'usr/bin'), file('/usr/bin/bash'), file('/usr/bin/dpkg'), file('/x', 'hardlink', '/x')] })
  t.same(mergedUsr.shells, ['/bin/bash', '/usr/bin/bash'], '/bin -> usr/bin')
  t.same(mergedUsr.packageManagers, ['dpkg'])
  t.same(factsOf({ kind: 'docker-archive', files: [file('/bin/sh', 'hardlink', 'bin/sh')] }).shells, [], 'a hardlink to itself leads nowhere')
})

t.test('docker save\'s manifest.json: layers and config named by path', async (t) => {
  const facts = factsOf({
    kind: 'docker-archive',
    config: ociConfig,
    manifest: { Config: `blobs/sha256/${'c'.repeat(64)}`, RepoTags: ['app:1'], Layers: [`blobs/sha256/${'4'.repeat(64)}`, 'abc/layer.tar'] },
    repoTags: ['app:1'],
    files: [],
  })
  t.equal(facts.id, digest('c'))
  t.same(facts.layers.map((l) => [l.digest, l.diffId, l.size]), [[digest('4'), digest('1'), -1], ['', digest('2'), -1], ['', digest('3'), -1]])
  t.same([facts.has.layers, facts.size], [false, -1], 'manifest.json records no sizes')
  const older = factsOf({ kind: 'docker-archive', config: ociConfig, manifest: { Config: `${'e'.repeat(64)}.json`, Layers: [] } })
  t.equal(older.id, digest('e'), 'docker save before 25 names the config <hex>.json')
  t.equal(factsOf({ kind: 'docker-archive', config: ociConfig, manifest: { Config: 'config.json' } }).id, '')
})

t.test('parts are read leniently: a value of the wrong type counts as absent', async (t) => {
  const facts = factsOf({ kind: 'oci-config', config: { os: 5, config: { Env: [1, 'A=b'], User: [] }, history: [7, { created_by: 'USER app' }] } })
  t.same([facts.os, facts.env, facts.user.name, facts.history.map((h) => h.instruction?.keyword ?? null)], ['', { A: 'b' }, '', [null, 'USER']])
  t.same(schemaErrors(facts), [])
})

t.test('withFiles adds a listing to facts read from a document', async (t) => {
  const facts = withFiles(read(ociConfig), [file('/usr/bin/yum'), file('/bin/sh')])
  t.same([facts.has.files, facts.files.map((f) => f.path), facts.shells, facts.packageManagers], [true, ['/bin/sh', '/usr/bin/yum'], ['/bin/sh'], ['yum']])
  t.equal(facts.user.name, 'app', 'the rest is kept')
})

// Mutations of real documents: a value somewhere replaced by any JSON.
function paths (value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, i) => paths(item, [...path, i]))]
  if (typeof value === 'object' && value !== null) return [path, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...path, k]))]
  return [path]
}
function mutate (document: unknown, pick: number, replacement: unknown): unknown {
  const copy = structuredClone(document)
  const all = paths(copy)
  const path = all[pick % all.length] as Array<string | number>
  if (path.length === 0) return replacement
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>
  parent[path.at(-1) as string | number] = replacement
  return copy
}

const KINDS = [undefined, 'docker-inspect', 'podman-inspect', 'buildah-inspect', 'oci-config', 'docker-config', 'oci-manifest', 'docker-manifest', 'docker-manifest-v1', 'oci-index', 'docker-manifest-list', 'oci-archive', 'bogus']
const DOCUMENTS = [dockerInspect, podmanInspect, buildahInspect, ociConfig, ociManifest, v1Manifest, ociIndex]

t.test('readImageDocument never throws, and accepted facts match their schema', async (t) => {
  let checked = 0
  const check = (document: unknown, kind: string | undefined): boolean => {
    const result = readImageDocument(document, kind)
    checked++
    return result.ok ? schemaErrors(result.value).length === 0 : result.problems.length > 0
  }
  fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(...KINDS), check), { numRuns: 300, seed: 20240701 })
  const mutation = fc.tuple(fc.constantFrom(...DOCUMENTS), fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...KINDS))
  fc.assert(fc.property(mutation, ([document, pick, replacement, kind]) => check(mutate(document, pick, replacement), kind)), { numRuns: 600, seed: 20240702 })
  const strings = fc.array(fc.oneof(fc.constantFrom('/bin/sh -c ', '#(nop) ', 'RUN ', 'ENV ', 'HEALTHCHECK &{', 'CMD [', '"', '\\', '\n', ' # buildkit', '|2 ', '<<', 'EOF', '=', 'map[', ']', '}'), fc.string()), { maxLength: 8 })
  const history = fc.array(strings.map((parts) => ({ created_by: parts.join('') })), { maxLength: 6 })
  fc.assert(fc.property(history, fc.constantFrom('linux', 'windows'), (steps, os) => check({ os, history: steps }, undefined)), { numRuns: 300, seed: 20240703 })
  t.ok(checked >= 1200, `${checked} documents read`)
})

// Real image metadata nobody on the team wrote (../shared/corpus/image, described by its INDEX.json).
const CORPUS = fileURLToPath(new URL('../../shared/corpus/image', import.meta.url))
/** The corpus's own kind names → ours; those it expects refused, with why. */
const CORPUS_KINDS: Readonly<Record<string, ImageDocumentKind[] | { refused: string, why: string }>> = {
  'image-config': ['oci-config', 'docker-config'],
  'oci-manifest': ['oci-manifest'],
  'docker-manifest-v2s2': ['docker-manifest'],
  'docker-manifest-v2s1': ['docker-manifest-v1'],
  'oci-index': ['oci-index'],
  'oci-layout-index': ['oci-index'],
  'docker-manifest-list': ['docker-manifest-list'],
  'docker-image-inspect': ['docker-inspect'],
  'oci-artifact-manifest': { refused: 'input.image-artifact', why: 'an OCI artifact (custom config mediaType) is not an image' },
  'docker-container-inspect': { refused: 'input.image-container', why: 'a running container\'s inspect output (State, HostConfig), not an image\'s' },
}
/** A created_by a builder wrote (as opposed to a tool's own description such as jib's "bazel build ..."). */
const BUILDER_STEP = /#\(nop\)|^\/bin\/sh -c |^(RUN|ENV|ARG|LABEL|USER|WORKDIR|COPY|ADD|CMD|ENTRYPOINT|EXPOSE) /

if (!existsSync(CORPUS)) {
  t.comment(`skipping the image corpus: ${CORPUS} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test('image corpus', { skip: `${CORPUS} is absent` }, async () => {})
} else {
  const loaded = await loadPolicyDir(POLICY_DIR)
  if (!loaded.ok) throw new Error('the shipped policies do not load')
  const shipped = loaded.value
  const index = JSON.parse(readFileSync(join(CORPUS, 'INDEX.json'), 'utf8')) as Array<{ file: string, kind: string }>
  const files = readdirSync(CORPUS).filter((name) => name.endsWith('.json') && name !== 'INDEX.json').sort()

  t.test('the image corpus is there and described', async (t) => {
    t.ok(files.length >= 19, `${files.length} documents`)
    t.same(files.filter((name) => !index.some((entry) => entry.file === name)), [], 'INDEX.json describes every document')
  })

  for (const name of files) {
    t.test(name, async (t) => {
      const corpusKind = index.find((entry) => entry.file === name)?.kind ?? ''
      const expected = CORPUS_KINDS[corpusKind]
      const result = readImageDocument(JSON.parse(readFileSync(join(CORPUS, name), 'utf8')))
      if (expected === undefined) return t.fail(`no expectation for the corpus kind "${corpusKind}"`)
      if (!Array.isArray(expected)) {
        t.match(result, { ok: false, problems: [{ code: expected.refused }] }, `refused: ${expected.why}`)
        return
      }
      if (!result.ok) return t.fail(`refused: ${JSON.stringify(result.problems)}`)
      const facts = result.value
      t.ok(expected.includes(facts.kind), `${corpusKind} read as ${facts.kind}`)
      t.same(schemaErrors(facts), [], 'facts match the published schema')
      if (facts.kind.endsWith('config') || facts.kind.endsWith('inspect') || facts.kind === 'docker-manifest-v1') t.ok(facts.has.config && facts.os !== '', 'a run config and an os')
      if (facts.kind.endsWith('inspect')) t.ok(facts.id !== '' && facts.size > 0, 'an id and a size')
      if (facts.kind === 'oci-manifest' || facts.kind === 'docker-manifest') t.ok(facts.layers.length > 0 && facts.size > 0 && facts.id !== '', 'layers, their total size and the config digest')
      if (facts.kind === 'oci-index' || facts.kind === 'docker-manifest-list') t.ok(facts.platforms.every((p) => p.os !== '' && p.digest !== ''), 'platforms with os and digest')
      const unread = facts.history.filter((h) => BUILDER_STEP.test(h.createdBy) && h.instruction === null)
      t.same(unread.map((h) => h.createdBy), [], 'every step a builder wrote reads back as an instruction')
      t.equal(facts.historyDockerfile.instructions.length, 1 + facts.history.filter((h) => h.instruction !== null).length, 'one instruction per readable step after FROM scratch')
      const verdict = evaluate(shipped, { image: facts })
      t.same(verdict.ok && verdict.value.ruleErrors, [], 'the shipped rules judge it without an error')
    })
  }
}

t.test('a history past a cap, read as a Dockerfile, refuses the image with the problem at its history', async (t) => {
  const history = Array.from({ length: 2001 }, (_, i) => ({ created_by: `/bin/sh -c echo ${i}`, empty_layer: true }))
  const read = readImageDocument({ ...ociConfig, history })
  t.match(read, { ok: false, problems: [{ code: 'limit.max-instructions', pointer: '/image/history', message: /^the image's history, read as a Dockerfile: the Dockerfile: more than 2000 instructions/ }] })
  t.match(imageFactsFromParts({ kind: 'oci-archive', config: { ...ociConfig, history } }), { ok: false, problems: [{ code: 'limit.max-instructions' }] }, 'from an archive too')
})
