// Reading an image from a `docker save` tarball or an OCI image layout in a tar (`oci-archive:`), either one
// possibly gzipped, in a single streaming pass. Entry order is not fixed (docker save writes manifest.json
// last; OCI blobs are named by digest only), so each entry is sorted by its first bytes: small JSON documents
// are kept, layers (tar or gzipped tar) are read into their header lists as they stream past and hashed, the
// rest is skipped. At the end manifest.json, or index.json → manifest → config, orders the layers.
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { ImageFacts, ImageFile } from '../../facts/image-types.js'
import { failed, ok, type Problem, type Result } from '../../problem.js'
import { applyLayers, normalisePath, type LayerEntry } from './filesystem.js'
import { imageFactsFromParts, type ImageParts } from './index.js'
import { drain, gunzip, isGzip, isTar, isZstd, peek, tap, walkTar, type Bytes, type TarEntry } from './tar.js'

export interface ArchiveOptions {
  /** Bytes of input read before giving up with `input.image-too-large`. */
  readonly maxBytes: number
  /** Tar entries over all layers (`input.image-too-many-files`); 500,000 by default. */
  readonly maxFiles?: number
  /** Bytes gunzip may inflate to, the archive and its layers together (a gzip bomb); 8 × maxBytes by default. */
  readonly maxUnpackedBytes?: number
  /** Bytes of one JSON document (index, manifest, config); 4 MiB by default. All of them together: 16 times that. */
  readonly maxJsonBytes?: number
}

/** What one archive entry turned out to be; a file with its sha256 (hex) and size as stored. */
type Entry = { readonly kind: 'link', readonly target: string } | (Content & { readonly digest: string, readonly size: number })
type Content =
  | { readonly kind: 'json', readonly text: Buffer | null /* null: over maxJsonBytes */ }
  | { readonly kind: 'layer', readonly entries: readonly LayerEntry[], readonly gzipped: boolean, readonly diffId: string }
  | { readonly kind: 'zstd' | 'other' }
type Layer = Extract<Entry, { kind: 'layer' }>

/** Thrown inside the reader to end it with a problem; anything else thrown means a corrupt archive. */
class Stop extends Error {
  constructor (readonly problem: Problem) { super(problem.message) }
}
const stop = (message: string, code = 'input.image-archive'): Stop => new Stop({ code, message })

const LAYER_TYPES: Readonly<Record<string, LayerEntry['type']>> = {
  'file': 'file', 'contiguous-file': 'file', 'link': 'hardlink', 'symlink': 'symlink', 'directory': 'directory',
  'character-device': 'char', 'block-device': 'block', 'fifo': 'fifo',
}
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'])
const BLOB = /^blobs\/sha256\/([0-9a-f]{64})$/

/** The image facts of an archive; a problem, never a throw, for anything wrong with it. Destroys `input`. */
export async function readImageArchive (input: Readable, options: ArchiveOptions): Promise<Result<ImageFacts>> {
  const parts = await readImageArchiveParts(input, options)
  return parts.ok ? imageFactsFromParts(parts.value) : parts
}

/** The documents and file listing of an archive, before they are read as facts. */
export async function readImageArchiveParts (input: Readable, options: ArchiveOptions): Promise<Result<ImageParts>> {
  const reader = new ArchiveReader(options)
  try {
    const raw = await peek(tap(input, (chunk) => reader.countInput(chunk)), 2)
    if (raw.head.length === 0) throw stop('the image archive is empty')
    const outer = await peek(isGzip(raw.head) ? gunzip(raw.stream, (chunk) => reader.countUnpacked(chunk)) : raw.stream, 512)
    if (!isTar(outer.head)) throw stop('the input is not a tar archive (nor a gzip-compressed one): send a `docker save` tarball or an OCI image layout as a tar')
    await walkTar(outer.stream, (entry) => reader.entry(entry))
    return ok(new Layout(reader.entries).parts())
  } catch (error) {
    return failed([error instanceof Stop ? error.problem : corrupt(error)])
  } finally {
    input.destroy() // on success it has ended already; on a problem this stops reading
  }
}

const corrupt = (error: unknown, entry?: string): Problem => ({
  code: 'input.image-archive',
  message: `the image archive is corrupt or truncated${entry === undefined ? '' : ` (at ${entry})`}: ${(error as Error).message}`,
})

/** Reads the entries of the outer tar as they come, within the limits. */
class ArchiveReader {
  readonly entries = new Map<string, Entry>()
  private readonly maxFiles: number
  private readonly maxUnpacked: number
  private readonly maxJson: number
  private bytes = 0
  private unpacked = 0
  private files = 0
  private jsonHeld = 0

  constructor (private readonly options: ArchiveOptions) {
    this.maxFiles = options.maxFiles ?? 500_000
    this.maxUnpacked = options.maxUnpackedBytes ?? options.maxBytes * 8
    this.maxJson = options.maxJsonBytes ?? 4 * 1024 * 1024
  }

  countInput (chunk: Buffer): void {
    this.bytes += chunk.length
    if (this.bytes > this.options.maxBytes) throw stop(`the image archive is over the limit of ${this.options.maxBytes} bytes; reading stopped there`, 'input.image-too-large')
  }

  countUnpacked (chunk: Buffer): void {
    this.unpacked += chunk.length
    if (this.unpacked > this.maxUnpacked) throw stop(`the image archive's gzip content inflates to over the limit of ${this.maxUnpacked} bytes; reading stopped there`, 'input.image-too-large')
  }

  async entry ({ header, body }: TarEntry): Promise<void> {
    const name = archivePath(header.name)
    try {
      if (header.type === 'file' || header.type === 'contiguous-file') return await this.file(name, body)
      if (header.type === 'symlink' || header.type === 'link') {
        // docker save (25+) links <id>/layer.tar to ../blobs/sha256/<hex>; tar hardlinks name archive paths.
        const target = header.type === 'symlink' ? `${name}/../${header.linkname}` : header.linkname
        this.entries.set(name, { kind: 'link', target: archivePath(target) })
      }
      await drain(body)
    } catch (error) {
      throw error instanceof Stop ? error : new Stop(corrupt(error, name))
    }
  }

  /** Sorts a file by its first bytes, reading it as a layer or a JSON document, or skipping it. */
  private async file (name: string, body: Bytes): Promise<void> {
    const hash = createHash('sha256')
    const diff = createHash('sha256') // of the tar inside a gzipped layer: its diff id
    let size = 0
    const { head, stream } = await peek(tap(body, (chunk) => { hash.update(chunk); size += chunk.length }), 512)
    const gzipped = isGzip(head)
    let content: Content
    if (gzipped) content = await this.layer(tap(gunzip(stream, (chunk) => this.countUnpacked(chunk)), (chunk) => diff.update(chunk)), true)
    else if (isTar(head)) content = await this.layer(stream, false)
    else if (/^\s*[{[]/.test(head.toString('latin1', 0, 64))) content = await this.json(stream)
    else {
      await drain(stream)
      content = { kind: isZstd(head) ? 'zstd' : 'other' }
    }
    const digest = hash.digest('hex')
    const blob = BLOB.exec(name)?.[1]
    if (blob !== undefined && blob !== digest) throw stop(`blob ${name} does not match its digest: its content hashes to sha256:${digest}`)
    if (content.kind === 'layer') content = { ...content, diffId: gzipped ? diff.digest('hex') : digest }
    this.entries.set(name, { ...content, digest, size })
  }

  /** A layer's tar headers, read as its bytes stream past; its diff id is filled in by the caller. */
  private async layer (stream: Bytes, gzipped: boolean): Promise<Content> {
    const entries: LayerEntry[] = []
    await walkTar(stream, async ({ header, body }) => {
      const type = LAYER_TYPES[header.type]
      if (type !== undefined) {
        if (++this.files > this.maxFiles) throw stop(`the image's layers hold over the limit of ${this.maxFiles} files`, 'input.image-too-many-files')
        // Go's tar writes ids too large for the octal field as PAX records.
        const pax = header.pax as Record<string, string> | null | undefined
        entries.push({
          path: header.name, type, mode: header.mode, uid: Number(pax?.uid ?? header.uid), gid: Number(pax?.gid ?? header.gid),
          size: header.size, linkTarget: header.linkname ?? '',
        })
      }
      await drain(body)
    })
    return { kind: 'layer', entries, gzipped, diffId: '' }
  }

  /** A JSON document, kept unless over the cap (then recorded as such: it only matters if the manifest needs it). */
  private async json (stream: Bytes): Promise<Content> {
    const chunks: Buffer[] = []
    let length = 0
    for await (const chunk of stream) {
      length += chunk.length
      if (length <= this.maxJson) chunks.push(chunk)
    }
    if (length > this.maxJson) return { kind: 'json', text: null }
    this.jsonHeld += length
    if (this.jsonHeld > 16 * this.maxJson) throw stop(`the image archive holds over ${16 * this.maxJson} bytes of JSON documents`, 'input.image-json-too-large')
    return { kind: 'json', text: Buffer.concat(chunks) }
  }
}

/** "./blobs/sha256/x" → "blobs/sha256/x", as manifest.json names entries. */
const archivePath = (name: string): string => normalisePath(name).slice(1)

/** Reading the entries, once all are in, as one of the two layouts. */
class Layout {
  constructor (private readonly entries: ReadonlyMap<string, Entry>) {}

  parts (): ImageParts {
    if (this.entries.has('manifest.json')) return this.docker()
    if (this.entries.has('index.json')) return this.oci()
    throw stop('the tar is neither a `docker save` archive (no manifest.json) nor an OCI image layout (no index.json)')
  }

  private docker (): ImageParts {
    const images = list(this.json('manifest.json', 'manifest').value)
    if (images.length !== 1) {
      const names = images.map((image) => strings(field(image, 'RepoTags')).join(' ') || text(field(image, 'Config')))
      throw images.length === 0
        ? stop('manifest.json lists no image')
        : stop(`the archive holds ${images.length} images (${names.join(', ')}); send one image per archive`, 'input.image-multiple')
    }
    const manifest = images[0]
    const configPath = text(field(manifest, 'Config'))
    if (configPath === '') throw stop('manifest.json names no Config')
    const config = this.json(configPath, 'config')
    const paths = strings(field(manifest, 'Layers'))
    const layers = paths.map((path, index) => this.layer(path, index))
    const descriptor = (mediaType: string, { digest, size }: { digest: string, size: number }) => ({ mediaType, digest: `sha256:${digest}`, size })
    return {
      kind: 'docker-archive',
      config: config.value,
      // The entry as written, plus what a registry manifest says (config digest: the image id; layers as stored),
      // from what was read: facts take the id and layer sizes from there.
      manifest: {
        ...(manifest as Record<string, unknown>),
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: descriptor('application/vnd.docker.container.image.v1+json', config),
        layers: layers.map((layer) => descriptor(`application/vnd.docker.image.rootfs.diff.tar${layer.gzipped ? '.gzip' : ''}`, layer)),
      },
      repoTags: strings(field(manifest, 'RepoTags')),
      files: this.files(layers, paths, config.value),
    }
  }

  private oci (): ImageParts {
    const index = this.json('index.json', 'index').value
    const images = this.images(index, 0)
    if (images.length !== 1) {
      throw images.length === 0
        ? stop('index.json lists no image manifest')
        : stop(`the archive holds ${images.length} images (${images.map(describe).join(', ')}); send one image per archive`, 'input.image-multiple')
    }
    const descriptor = images[0]
    const manifest = this.json(blobPath(field(descriptor, 'digest')), 'manifest').value
    const config = this.json(blobPath(field(field(manifest, 'config'), 'digest')), 'config').value
    const paths = list(field(manifest, 'layers')).map((layer) => blobPath(field(layer, 'digest')))
    const files = this.files(paths.map((path, index) => this.layer(path, index)), paths, config)
    const annotations = field(descriptor, 'annotations')
    // containerd's full name, else the layout's own (often just a tag such as "latest").
    const name = text(field(annotations, 'io.containerd.image.name')) || text(field(annotations, 'org.opencontainers.image.ref.name'))
    return { kind: 'oci-archive', config, manifest, index, repoTags: name === '' ? [] : [name], files }
  }

  /** The image manifests an index lists, nested indexes followed, attestations (buildx provenance, SBOM) left out. */
  private images (index: unknown, depth: number): unknown[] {
    return list(field(index, 'manifests')).flatMap((descriptor) => {
      if (text(field(field(descriptor, 'annotations'), 'vnd.docker.reference.type')) === 'attestation-manifest') return []
      if (!INDEX_TYPES.has(text(field(descriptor, 'mediaType')))) return [descriptor]
      if (depth >= 4) throw stop('index.json nests image indexes more than 4 deep')
      return this.images(this.json(blobPath(field(descriptor, 'digest')), 'index').value, depth + 1)
    })
  }

  /** The final listing of the layers the manifest names, in order, each checked against the config's diff ids. */
  private files (layers: readonly Layer[], paths: readonly string[], config: unknown): ImageFile[] {
    const diffIds = field(field(config, 'rootfs'), 'diff_ids')
    if (Array.isArray(diffIds)) {
      if (diffIds.length !== layers.length) throw stop(`the manifest names ${layers.length} layers but the config's rootfs.diff_ids lists ${diffIds.length}`)
      layers.forEach((layer, index) => {
        const expected = text(diffIds[index])
        if (expected.startsWith('sha256:') && expected !== `sha256:${layer.diffId}`) {
          throw stop(`layer ${index} (${paths[index]}) does not match the config: its content is sha256:${layer.diffId}, rootfs.diff_ids[${index}] says ${expected}`)
        }
      })
    }
    return applyLayers(layers.map((layer) => layer.entries))
  }

  private find (path: string): Entry | undefined {
    let entry = this.entries.get(archivePath(path))
    for (let hops = 0; entry?.kind === 'link' && hops < 8; hops++) entry = this.entries.get(entry.target)
    return entry
  }

  private layer (path: string, index: number): Layer {
    const entry = this.find(path)
    const what = `layer ${index} (${path})`
    if (entry === undefined) throw stop(`${what}, named by the manifest, is not in the archive`)
    if (entry.kind === 'zstd') {
      throw stop(`${what} is zstd-compressed, which cannot be read here yet: export the image with gzip layers (skopeo copy --dest-compress-format gzip, or buildah push --compression-format gzip)`, 'input.image-layer-compression')
    }
    if (entry.kind !== 'layer') throw stop(`${what} is not a tar nor a gzip-compressed tar`)
    return entry
  }

  private json (path: string, what: string): { value: unknown, digest: string, size: number } {
    const entry = this.find(path)
    if (entry === undefined) throw stop(`the ${what} ${path} is not in the archive`)
    if (entry.kind !== 'json') throw stop(`the ${what} ${path} is not a JSON document`)
    if (entry.text === null) throw stop(`the ${what} ${path} is over the limit for a JSON document`, 'input.image-json-too-large')
    try {
      return { value: JSON.parse(entry.text.toString('utf8')), digest: entry.digest, size: entry.size }
    } catch (error) {
      throw stop(`the ${what} ${path} is not valid JSON: ${(error as Error).message}`)
    }
  }
}

function blobPath (digest: unknown): string {
  const match = /^([a-z0-9]+):([a-zA-Z0-9=_-]+)$/.exec(text(digest))
  if (match === null) throw stop(`the archive names a blob by an invalid digest "${text(digest)}"`)
  return `blobs/${match[1]}/${match[2]}`
}

/** How a descriptor is told apart in a problem: its platform, else its name, else its digest. */
function describe (descriptor: unknown): string {
  const platform = field(descriptor, 'platform')
  const variant = text(field(platform, 'variant'))
  return platform !== undefined
    ? `${text(field(platform, 'os'))}/${text(field(platform, 'architecture'))}${variant === '' ? '' : `/${variant}`}`
    : text(field(field(descriptor, 'annotations'), 'org.opencontainers.image.ref.name')) || text(field(descriptor, 'digest'))
}

// Reading untrusted JSON without trusting its shape.
const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined
const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const strings = (value: unknown): string[] => list(value).filter((item): item is string => typeof item === 'string')
