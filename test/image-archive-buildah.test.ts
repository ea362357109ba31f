// Real images: built with buildah from scratch (a static busybox for the shell), exported as `docker-archive:`
// and `oci-archive:`, read back with readImageArchive. Two builds, shared by all the checks; a private storage
// root under the temp dir, removed at the end. Skipped, with the reason, where buildah or a static busybox is missing.
import { execFile } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import type { ImageFacts } from '../src/facts/image-types.js'
import { evaluate, type EvaluateRequest } from '../src/evaluate.js'
import { readImageArchive } from '../src/inputs/image/archive.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

const run = promisify(execFile)
const BUSYBOX = '/bin/busybox'

/** Why the tests cannot run here, or false. */
async function missing (): Promise<string | false> {
  try {
    await run('buildah', ['--version'])
  } catch (error) {
    return `buildah is not installed: ${(error as Error).message.split('\n')[0]}`
  }
  const elf = await readFile(BUSYBOX).catch(() => undefined)
  // A static executable has no PT_INTERP program header: it runs in an image with no libc.
  const interp = elf !== undefined && Array.from({ length: elf.readUInt16LE(0x38) }, (_, i) => elf.readUInt32LE(Number(elf.readBigUInt64LE(0x20)) + i * elf.readUInt16LE(0x36))).includes(3)
  return elf === undefined || interp ? `a static ${BUSYBOX} is needed (apt-get install busybox-static)` : false
}

const SHELL = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN chmod u+s /bin/busybox && echo SECRET=1 > /.env && mkdir -p /data && chmod 777 /data && rm /bin/wget
CMD ["/bin/sh"]
`
const NO_SHELL = `FROM scratch
COPY hello.txt /app/hello.txt
USER 1000:1000
ENTRYPOINT ["/app/hello"]
`

t.test('real images built with buildah', { skip: await missing() }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'plimsoll-buildah-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const buildah = (...args: string[]) => run('buildah', ['--storage-driver', 'vfs', '--root', join(dir, 'storage'), '--runroot', join(dir, 'run'), ...args], { timeout: 60_000 })
  const build = async (name: string, containerfile: string, files: Record<string, string | null>): Promise<void> => {
    const context = join(dir, name)
    await mkdir(context)
    await writeFile(join(context, 'Containerfile'), containerfile)
    for (const [file, text] of Object.entries(files)) await (text === null ? copyFile(BUSYBOX, join(context, file)) : writeFile(join(context, file), text))
    await buildah('bud', '--layers', '--isolation', 'chroot', '-t', name, '-f', join(context, 'Containerfile'), context)
  }
  const read = async (name: string, transport: string, ...flags: string[]) => {
    const path = join(dir, `${name}-${transport}.tar`)
    await buildah('push', ...flags, name, `${transport}:${path}`)
    return readImageArchive(createReadStream(path), { maxBytes: 64 * 1024 * 1024 })
  }
  const facts = (result: Awaited<ReturnType<typeof read>>): ImageFacts => {
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    return result.value
  }
  await build('plimsoll-shell', SHELL, { busybox: null })
  await build('plimsoll-no-shell', NO_SHELL, { 'hello.txt': 'hello\n' })

  const docker = facts(await read('plimsoll-shell', 'docker-archive'))
  const oci = facts(await read('plimsoll-shell', 'oci-archive'))
  for (const [label, image] of [['docker-archive', docker], ['oci-archive', oci]] as const) {
    t.match(image, {
      kind: label, has: { config: true, history: true, layers: true, files: true }, user: { name: '', isRoot: true },
      cmd: { form: 'exec', args: ['/bin/sh'] }, shells: ['/bin/sh', '/bin/ash', '/bin/busybox'], layers: { length: 3 },
      history: [{ createdBy: /COPY file:/ }, {}, { instruction: { keyword: 'RUN' }, createdBy: /chmod u\+s/ }, {}],
    }, `${label}: root, a shell, three layers, the history read as instructions`)
    const by = new Map(image.files.map((file) => [file.path, file]))
    t.match(by.get('/bin/busybox'), { type: 'file', setuid: true, mode: 0o4755, layer: 2, uid: 0 }, `${label}: chmod u+s copied busybox up into the last layer`)
    t.match(by.get('/bin/ls'), { type: 'symlink', linkTarget: '/bin/busybox', layer: 1 })
    t.notOk(by.has('/bin/wget'), `${label}: rm in a later layer: its whiteout hides the link`)
    t.match(by.get('/.env'), { type: 'file', size: 9 })
    t.match(by.get('/data'), { type: 'directory', worldWritable: true })
  }
  t.equal(docker.id, oci.id, 'the same image id (config digest) from either export')
  t.same(docker.files, oci.files, 'the same final filesystem from either export (uncompressed and gzipped layers)')
  t.match(docker.repoTags, ['localhost/plimsoll-shell:latest'])

  const zstd = await read('plimsoll-shell', 'oci-archive', '--compression-format', 'zstd')
  t.match(zstd, { ok: false, problems: [{ code: 'input.image-layer-compression', message: /zstd/ }] }, 'zstd layers: a clear problem')

  const noShell = facts(await read('plimsoll-no-shell', 'oci-archive'))
  t.match(noShell, { user: { name: '1000:1000', isRoot: false, isNumeric: true }, shells: [], packageManagers: [], entrypoint: { args: ['/app/hello'] } })
  t.same(noShell.files.map((file) => file.path), ['/app', '/app/hello.txt'])

  // The shipped policies on what was really built: the image's own findings, and none from comparing it with
  // the Dockerfile it was built from, while another Dockerfile disagrees where it should.
  const loaded = await loadPolicyDir(POLICY_DIR)
  if (!loaded.ok) throw new Error('the shipped policies do not load')
  const verdict = (request: EvaluateRequest) => {
    const result = evaluate(loaded.value, request)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    return result.value
  }
  const judged = verdict({ image: docker })
  const found = new Set(judged.findings.map((f) => `${f.ruleId} ${f.location.image?.path ?? ''}`.trim()))
  for (const expected of ['no-setuid-setgid /bin/busybox', 'no-secret-files-in-image /.env', 'no-world-writable-files', 'expose-declared']) {
    t.ok(found.has(expected), `the built image: ${expected} (found: ${[...found].join(', ')})`)
  }
  t.same(judged.ruleErrors, [], 'no rule errors on a real image')
  const drift = (dockerfile: string): string[] => verdict({ image: docker, dockerfile }).findings.filter((f) => f.ruleId.startsWith('image-') && f.ruleId.includes('-match')).map((f) => f.ruleId).sort()
  t.same(drift(SHELL), [], 'the image agrees with the Dockerfile it was built from')
  t.same(drift(SHELL.replace('CMD ["/bin/sh"]', 'USER app\nEXPOSE 8080\nHEALTHCHECK CMD ["/bin/true"]\nCMD ["/bin/app"]')),
    ['image-healthcheck-matches-dockerfile', 'image-ports-match-dockerfile', 'image-start-matches-dockerfile', 'image-user-matches-dockerfile'],
    'a Dockerfile that ends otherwise: user, ports, healthcheck and start differ')
})
