import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import t from 'tap'
import { pack } from 'tar-stream'
import { readImageArchive, readImageArchiveParts, type ArchiveOptions } from '../src/inputs/image/archive.js'
import { applyLayers, normalisePath, type LayerEntry } from '../src/inputs/image/filesystem.js'
import { peek, walkTar } from '../src/inputs/image/tar.js'
import { blob, configOf, dockerSave, json, ociLayout, sha256, tarOf, type Item } from './image-fixtures.js'

const OPTIONS: ArchiveOptions = { maxBytes: 64 * 1024 * 1024 }
const parts = (bytes: Buffer, options: Partial<ArchiveOptions> = {}) => readImageArchiveParts(chunked(bytes), { ...OPTIONS, ...options })
/** Streams bytes in small uneven chunks, as a network would. */
const chunked = (bytes: Buffer, size = 7000): Readable =>
  Readable.from((function * () { for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size) })())

const BASE: Item[] = [
  { name: './', type: 'directory', mode: 0o755 },
  { name: './bin', type: 'directory', mode: 0o755 },
  { name: './bin/busybox', mode: 0o755, body: 'ELF' },
  { name: './bin/sh', type: 'symlink', linkname: 'busybox' },
  { name: './etc', type: 'directory', mode: 0o755 },
  { name: './etc/passwd', mode: 0o644, body: 'root:x:0:0::/root:/bin/sh\n' },
  { name: './tmp', type: 'directory', mode: 0o1777 },
  { name: './opt/cache', type: 'directory', mode: 0o755 },
  { name: './opt/cache/a', body: 'a' },
  { name: './opt/cache/sub/b', body: 'b' },
  { name: './var/lib', type: 'directory' },
  { name: './var/lib/x', body: 'x' },
]
const TOP: Item[] = [
  { name: 'opt/.wh.cache', body: '' }, // a deleted directory, written before what it hides
  { name: 'var/lib/.wh..wh..opq', body: '' },
  { name: 'var/lib/y', body: 'yy' },
  { name: 'usr/bin/passwd', mode: 0o4755, uid: 0, body: 'suid' },
  { name: 'usr/bin/wall', mode: 0o2755, gid: 5, body: 'sgid' },
  { name: 'usr/bin/ln-passwd', type: 'link', linkname: './usr/bin/passwd' },
  { name: 'data/open', mode: 0o666, body: 'rw' },
  { name: 'data/big-id', uid: 1, body: 'id', pax: { uid: '3000000', gid: '3000001' } },
  { name: 'etc/passwd', mode: 0o600, body: 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' },
]

t.test('normalisePath: absolute, no dots, never above the root', async (t) => {
  for (const [name, path] of [['./usr/bin/x', '/usr/bin/x'], ['usr//bin/', '/usr/bin'], ['./', '/'], ['/a/./b/../c', '/a/c'], ['../../etc/x', '/etc/x']] as const) {
    t.equal(normalisePath(name), path, name)
  }
})

t.test('applyLayers: later layers win, whiteouts and opaque directories hide lower layers', async (t) => {
  const entry = (path: string, more: Partial<LayerEntry> = {}): LayerEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1, linkTarget: '', ...more })
  const files = applyLayers([
    [entry('./a', { type: 'directory', mode: 0o755 }), entry('./a/x'), entry('./a/sub/y'), entry('./b', { type: 'directory' }), entry('./b/old'),
      entry('./c', { type: 'directory' }), entry('./c/keep'), entry('./d'), entry('./e', { type: 'directory' }), entry('./e/z')],
    [entry('a/.wh.sub'), entry('b/new'), entry('b/.wh..wh..opq'), entry('.wh.d'), entry('nothing/.wh.here'), entry('c/.wh..wh.plnk'),
      entry('e', { mode: 0o777, type: 'symlink', linkTarget: 'c', size: 9 }), entry('f', { type: 'hardlink', linkTarget: './a/x', size: 5 })],
    [entry('./a', { type: 'directory', mode: 0o700 }), entry('./d', { size: 3, mode: 0o4777 })],
  ])
  t.same(files.map((file) => file.path), ['/a', '/a/x', '/b', '/b/new', '/c', '/c/keep', '/d', '/e', '/f'], 'sorted; whited-out subtree, opaque dir and replaced dir gone')
  const by = new Map(files.map((file) => [file.path, file]))
  t.match(by.get('/a'), { mode: 0o700, layer: 2, type: 'directory' }, 'a directory over a directory keeps what it held')
  t.match(by.get('/d'), { layer: 2, size: 3, setuid: true, setgid: false, worldWritable: true }, 'recreated after its whiteout')
  t.match(by.get('/e'), { type: 'symlink', linkTarget: 'c', size: 0, worldWritable: false }, 'a symlink is never world-writable, and has no size')
  t.match(by.get('/f'), { type: 'hardlink', linkTarget: '/a/x', size: 0 }, 'hardlink targets are archive paths, normalised')
  t.same(applyLayers([]), [])
})

t.test('peek: a stream shorter than asked for; the rest is still readable', async (t) => {
  const { head, stream } = await peek(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 10)
  t.equal(head.toString(), 'abc')
  const rest: Buffer[] = []
  for await (const chunk of stream) rest.push(chunk)
  t.equal(Buffer.concat(rest).toString(), 'abc')
})

t.test('walkTar: stops the source when a callback throws', async (t) => {
  const source = chunked(await tarOf([{ name: 'a', body: 'x'.repeat(100_000) }, { name: 'b', body: 'y' }]), 512)
  await t.rejects(walkTar(source, async () => { throw new Error('enough') }), /enough/)
  t.ok(source.destroyed, 'the source stream is destroyed')
})

t.test('docker save: layers applied in manifest order, whiteouts, setuid, hardlinks, tags', async (t) => {
  const archive = await dockerSave([BASE, TOP])
  for (const [label, bytes] of [['plain', archive], ['gzipped', gzipSync(archive)], ['gzipped layers', await dockerSave([BASE, TOP], { gzip: true })]] as const) {
    const result = await parts(bytes)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    const { kind, repoTags, config, manifest, files = [] } = result.value
    t.equal(kind, 'docker-archive', label)
    t.same(repoTags, ['app:1'])
    t.match(config, { config: { User: 'app' } })
    t.match(manifest, { Layers: ['layer0/layer.tar', 'layer1/layer.tar'], layers: [{ mediaType: label === 'gzipped layers' ? /tar\.gzip$/ : /tar$/ }, {}] }, 'the entry, plus registry-style descriptors')
    const by = new Map(files.map((file) => [file.path, file]))
    t.same(files.map((file) => file.path), [
      '/', '/bin', '/bin/busybox', '/bin/sh', '/data/big-id', '/data/open', '/etc', '/etc/passwd', '/tmp',
      '/usr/bin/ln-passwd', '/usr/bin/passwd', '/usr/bin/wall', '/var/lib', '/var/lib/y',
    ], `${label}: /opt/cache deleted, /var/lib opaque; implied directories (/opt, /usr) are not listed`)
    t.match(by.get('/bin/sh'), { type: 'symlink', linkTarget: 'busybox', layer: 0 })
    t.match(by.get('/usr/bin/passwd'), { setuid: true, mode: 0o4755, layer: 1, size: 4 })
    t.match(by.get('/usr/bin/wall'), { setgid: true, setuid: false, gid: 5 })
    t.match(by.get('/usr/bin/ln-passwd'), { type: 'hardlink', linkTarget: '/usr/bin/passwd' })
    t.match(by.get('/data/open'), { worldWritable: true })
    t.match(by.get('/tmp'), { mode: 0o1777, worldWritable: true, type: 'directory' })
    t.match(by.get('/data/big-id'), { uid: 3000000, gid: 3000001 }, 'PAX ids')
    t.match(by.get('/etc/passwd'), { mode: 0o600, layer: 1 })
  }
})

t.test('OCI layout: index.json → manifest → config; gzipped layers; the whole tar gzipped too', async (t) => {
  const archive = await ociLayout([BASE, TOP], { name: 'registry.example/app:2' })
  for (const [label, bytes] of [['plain', archive], ['gzipped', gzipSync(archive)]] as const) {
    const result = await parts(bytes)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    t.equal(result.value.kind, 'oci-archive', label)
    t.same(result.value.repoTags, ['registry.example/app:2'])
    t.match(result.value.manifest, { layers: [{ mediaType: /gzip/ }, {}] })
    t.match(result.value.index, { manifests: [{}] })
    t.equal(result.value.files?.length, 14)
  }
  const plainLayers = await parts(await ociLayout([BASE], { gzip: false, name: '' }))
  t.match(plainLayers, { ok: true, value: { repoTags: [], files: { length: 12 } } }, 'uncompressed layers; no name')
})

t.test('docker save 25+: manifest.json names blobs, <id>/layer.tar are symlinks to them', async (t) => {
  const layer = await tarOf(BASE)
  const layerBlob = blob(layer)
  const configBlob = blob(json(configOf([layer])))
  const bytes = await tarOf([
    { name: 'blobs/sha256', type: 'directory' }, layerBlob.item, configBlob.item,
    { name: 'abc/layer.tar', type: 'symlink', linkname: `../${layerBlob.item.name}` },
    { name: 'old/layer.tar', type: 'link', linkname: layerBlob.item.name },
    { name: 'index.json', body: json({ manifests: [] }) },
    { name: 'manifest.json', body: json([{ Config: configBlob.item.name, RepoTags: null, Layers: ['abc/layer.tar'] }]) },
  ])
  t.match(await parts(bytes), { ok: true, value: { kind: 'docker-archive', repoTags: [], files: { length: 12 } } }, 'manifest.json wins over index.json')
  const viaHardlink = bytes.toString('latin1').replace('["abc/layer.tar"]', '["old/layer.tar"]')
  t.match(await parts(Buffer.from(viaHardlink, 'latin1')), { ok: true }, 'through a tar hardlink too')
})

t.test('problems: what is wrong and where, never a throw, the input always destroyed', async (t) => {
  const layer = await tarOf(BASE)
  const good = await dockerSave([BASE])
  const config = json(configOf([layer]))
  const docker = (manifest: unknown, more: Item[] = []) => tarOf([
    { name: 'l/layer.tar', body: layer }, { name: 'c.json', body: config }, ...more, { name: 'manifest.json', body: json(manifest) },
  ])
  const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600)])
  const cases: Array<[string, Buffer | Promise<Buffer>, Partial<ArchiveOptions>, string, RegExp]> = [
    ['empty input', Buffer.alloc(0), {}, 'input.image-archive', /empty/],
    ['garbage', Buffer.from('hello world '.repeat(100)), {}, 'input.image-archive', /not a tar archive/],
    ['a short input', Buffer.from('{}'), {}, 'input.image-archive', /not a tar archive/],
    ['gzip magic, then garbage', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(600, 7)]), {}, 'input.image-archive', /corrupt or truncated: /],
    ['gzipped text', gzipSync('just text '.repeat(100)), {}, 'input.image-archive', /not a tar archive/],
    ['truncated tar', good.subarray(0, 5000), {}, 'input.image-archive', /corrupt or truncated \(at layer0\/layer.tar\): Unexpected end of data/],
    ['truncated gzip', gzipSync(good).subarray(0, 600), {}, 'input.image-archive', /corrupt or truncated.*unexpected end of file/],
    ['over maxBytes', good, { maxBytes: 10_000 }, 'input.image-too-large', /over the limit of 10000 bytes/],
    ['a gzip bomb', gzipSync(Buffer.concat([good, Buffer.alloc(1_000_000)])), { maxUnpackedBytes: 50_000 }, 'input.image-too-large', /inflates to over the limit of 50000 bytes/],
    ['too many files', good, { maxFiles: 5 }, 'input.image-too-many-files', /over the limit of 5 files/],
    ['neither layout', tarOf([{ name: 'hello.txt', body: 'hi' }]), {}, 'input.image-archive', /neither a `docker save` archive .* nor an OCI image layout/],
    ['manifest.json not JSON', tarOf([{ name: 'manifest.json', body: 'not json' }]), {}, 'input.image-archive', /manifest manifest.json is not a JSON document/],
    ['manifest.json broken JSON', tarOf([{ name: 'manifest.json', body: '[{"Config": ' }]), {}, 'input.image-archive', /manifest.json is not valid JSON/],
    ['no image', docker([]), {}, 'input.image-archive', /manifest.json lists no image/],
    ['no Config', docker([{ Layers: [] }]), {}, 'input.image-archive', /names no Config/],
    ['a null image', docker([null]), {}, 'input.image-archive', /names no Config/],
    ['config missing', docker([{ Config: 'gone.json', Layers: ['l/layer.tar'] }]), {}, 'input.image-archive', /the config gone.json is not in the archive/],
    ['layer missing', docker([{ Config: 'c.json', Layers: ['gone/layer.tar'] }]), {}, 'input.image-archive', /layer 0 \(gone\/layer.tar\), named by the manifest, is not in the archive/],
    ['layer not a tar', docker([{ Config: 'c.json', Layers: ['x'] }], [{ name: 'x', body: 'plain text' }]), {}, 'input.image-archive', /layer 0 \(x\) is not a tar/],
    ['zstd layer', docker([{ Config: 'c.json', Layers: ['z'] }], [{ name: 'z', body: zstd }]), {}, 'input.image-layer-compression', /zstd-compressed.*gzip/],
    ['two images', docker([{ Config: 'c.json', RepoTags: ['a:1', 'a:latest'], Layers: [] }, { Config: 'c.json', Layers: [] }]), {}, 'input.image-multiple', /holds 2 images \(a:1 a:latest, c.json\)/],
    ['diff ids disagree', docker([{ Config: 'c.json', Layers: ['l/layer.tar', 'l/layer.tar'] }]), {}, 'input.image-archive', /names 2 layers but the config's rootfs.diff_ids lists 1/],
    ['a layer not the config\'s', docker([{ Config: 'c2.json', Layers: ['l/layer.tar'] }], [{ name: 'c2.json', body: json(configOf([Buffer.from('other')])) }]), {}, 'input.image-archive', /layer 0 \(l\/layer.tar\) does not match the config: its content is sha256:[0-9a-f]{64}, rootfs.diff_ids\[0\] says sha256:/],
    ['config over the JSON cap', docker([{ Config: 'c.json', Layers: ['l/layer.tar'] }]), { maxJsonBytes: 100 }, 'input.image-json-too-large', /config c.json is over the limit/],
    ['a JSON bomb', tarOf(Array.from({ length: 20 }, (_, index) => ({ name: `j${index}.json`, body: `[${'1,'.repeat(400)}1]` }))), { maxJsonBytes: 1000 }, 'input.image-json-too-large', /over 16000 bytes of JSON documents/],
    ['a blob not matching its digest', tarOf([{ name: `blobs/sha256/${'0'.repeat(64)}`, body: '{}' }]), {}, 'input.image-archive', /blob blobs\/sha256\/0{64} does not match its digest: its content hashes to sha256:44136fa/],
    ['a corrupt gzipped layer', docker([{ Config: 'c.json', Layers: ['g'] }], [{ name: 'g', body: gzipSync('not a tar '.repeat(100)) }]), {}, 'input.image-archive', /corrupt or truncated \(at g\): Invalid tar header/],
  ]
  for (const [label, bytes, options, code, message] of cases) {
    const input = chunked(await bytes)
    const result = await readImageArchiveParts(input, { ...OPTIONS, ...options })
    t.match(result, { ok: false, problems: [{ code, message }] }, label)
    t.ok(input.destroyed, `${label}: input destroyed`)
  }
  const failing = Readable.from((async function * () { yield good.subarray(0, 3000); throw new Error('connection reset') })())
  t.match(await readImageArchiveParts(failing, OPTIONS), { ok: false, problems: [{ code: 'input.image-archive', message: /connection reset/ }] }, 'an input that fails midway')
  t.match(await parts(await docker([{ Config: 'c.json', Layers: ['l/layer.tar'] }], [{ name: 'big.json', body: json({ pad: 'x'.repeat(2000) }) }]), { maxJsonBytes: 1000 }),
    { ok: true }, 'a JSON document over the cap that nothing needs is fine')
  t.match(await parts(await docker([{ Config: 'c.json', Layers: ['l/layer.tar'] }], [{ name: 'z', body: zstd }])), { ok: true }, 'so is a zstd blob nothing needs')
})

t.test('OCI index problems: several images, nested indexes, bad digests', async (t) => {
  const layer = await tarOf(BASE)
  const configBlob = blob(json(configOf([layer])))
  const layerBlob = blob(layer)
  const manifest = blob(json({ config: { digest: configBlob.digest }, layers: [{ digest: layerBlob.digest }] }))
  const descriptor = (platform?: unknown, annotations?: unknown) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifest.digest, platform, annotations })
  const attestation = descriptor({ os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' })
  const layout = (index: unknown, more: Item[] = []) => tarOf([configBlob.item, layerBlob.item, manifest.item, ...more, { name: 'index.json', body: json(index) }])
  const nested = (levels: number): { top: unknown, blobs: Item[] } => {
    let inner: unknown = { manifests: [descriptor({ os: 'linux', architecture: 'amd64' }), attestation] }
    const blobs: Item[] = []
    for (let level = 0; level < levels; level++) {
      const b = blob(json(inner))
      blobs.push(b.item)
      inner = { manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: b.digest }] }
    }
    return { top: inner, blobs }
  }
  const two = nested(2)
  t.match(await parts(await layout(two.top, two.blobs)), { ok: true, value: { kind: 'oci-archive', files: { length: 12 } } }, 'nested indexes are followed, attestations left out')
  const deep = nested(5)
  const cases: Array<[string, Promise<Buffer>, string, RegExp]> = [
    ['several platforms', layout({ manifests: [descriptor({ os: 'linux', architecture: 'amd64' }), descriptor({ os: 'linux', architecture: 'arm64', variant: 'v8' }), descriptor(undefined, { 'org.opencontainers.image.ref.name': 'extra' }), { digest: 'sha256:abc' }, attestation] }),
      'input.image-multiple', /holds 4 images \(linux\/amd64, linux\/arm64\/v8, extra, sha256:abc\); send one image per archive/],
    ['no image', layout({ manifests: [attestation] }), 'input.image-archive', /index.json lists no image manifest/],
    ['nested too deep', layout(deep.top, deep.blobs), 'input.image-archive', /more than 4 deep/],
    ['an invalid digest', layout({ manifests: [{ digest: 'sha256/../../etc' }] }), 'input.image-archive', /invalid digest "sha256\/..\/..\/etc"/],
    ['a missing manifest blob', layout({ manifests: [{ digest: `sha256:${'1'.repeat(64)}` }] }), 'input.image-archive', /the manifest blobs\/sha256\/1{64} is not in the archive/],
  ]
  for (const [label, bytes, code, message] of cases) t.match(await parts(await bytes), { ok: false, problems: [{ code, message }] }, label)
})

t.test('a 200 MB layer streams through: memory does not grow by its size', async (t) => {
  const SIZE = 200 * 1024 * 1024
  const chunk = Buffer.alloc(1024 * 1024, 1)
  const outer = pack()
  const waitDrain = (sink: { once: (event: 'drain', listener: () => void) => unknown }) => new Promise<void>((resolve) => { sink.once('drain', resolve) })
  const producing = (async () => {
    const layer = pack()
    const sink = outer.entry({ name: 'big/layer.tar', size: 512 + SIZE + 1024 })
    const feeding = (async () => {
      const file = layer.entry({ name: 'big.bin', size: SIZE })
      for (let written = 0; written < SIZE; written += chunk.length) if (!file.write(chunk)) await waitDrain(file)
      file.end(null)
      layer.finalize()
    })()
    for await (const bytes of layer) if (!sink.write(bytes)) await waitDrain(sink)
    sink.end(null)
    await feeding
    const config = json({ os: 'linux', architecture: 'amd64', config: {} })
    outer.entry({ name: 'c.json' }, config)
    outer.entry({ name: 'manifest.json' }, json([{ Config: 'c.json', Layers: ['big/layer.tar'] }]))
    outer.finalize()
  })()
  const used = (): number => { const { heapUsed, arrayBuffers } = process.memoryUsage(); return heapUsed + arrayBuffers }
  const before = used()
  let peak = before
  // Sampled as the bytes flow: an in-process stream runs on microtasks, so timers would never fire.
  const sampled = async function * () {
    for await (const bytes of outer) {
      peak = Math.max(peak, used())
      yield bytes as Buffer
    }
  }
  const result = await readImageArchiveParts(Readable.from(sampled()), { maxBytes: 1024 * 1024 * 1024 })
  await producing
  t.match(result, { ok: true, value: { files: [{ path: '/big.bin', size: SIZE }] } })
  t.comment(`heap + buffers grew by at most ${((peak - before) / 1024 / 1024).toFixed(1)} MB while streaming 200 MB`)
  t.ok(peak - before < 64 * 1024 * 1024, 'grew by far less than the layer')
})

t.test('readImageArchive: facts from both layouts, with the id, layers and files read from the archive', async (t) => {
  const config = configOf([await tarOf(BASE), await tarOf(TOP)], { history: [{ created_by: '/bin/sh -c #(nop) ADD file:x in / ' }, { created_by: 'RUN /bin/sh -c chmod u+s /usr/bin/passwd # buildkit' }] })
  const docker = await readImageArchive(chunked(await dockerSave([BASE, TOP], { config })), OPTIONS)
  if (!docker.ok) throw new Error(JSON.stringify(docker.problems))
  const configDigest = `sha256:${sha256(json(config))}`
  t.match(docker.value, {
    kind: 'docker-archive', id: configDigest, repoTags: ['app:1'], has: { config: true, history: true, layers: true, files: true },
    user: { name: 'app', isRoot: false }, shells: ['/bin/sh', '/bin/busybox'],
    layers: [{ index: 0, digest: /^sha256:/, diffId: /^sha256:/, size: (await tarOf(BASE)).length, mediaType: 'application/vnd.docker.image.rootfs.diff.tar' }, { index: 1 }],
    history: [{ createdBy: /ADD file/ }, { instruction: { keyword: 'RUN' } }],
  })
  t.equal(docker.value.layers[0]?.digest, docker.value.layers[0]?.diffId, 'an uncompressed layer: its digest is its diff id')
  t.ok(docker.value.files.some((file) => file.path === '/usr/bin/passwd' && file.setuid))
  const oci = await readImageArchive(chunked(gzipSync(await ociLayout([BASE, TOP], { config, platform: { os: 'linux', architecture: 'amd64' } }))), OPTIONS)
  t.match(oci, { ok: true, value: { kind: 'oci-archive', id: configDigest, repoTags: ['latest'], has: { files: true }, layers: { length: 2 }, platforms: [{ os: 'linux' }] } })
  t.match(await readImageArchive(chunked(Buffer.from('nope')), OPTIONS), { ok: false, problems: [{ code: 'input.image-archive' }] })
})
