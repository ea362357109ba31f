import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { pack, type Header } from 'tar-stream'

// Archives are built in memory with tar-stream's pack, in the two layouts `docker save` and `oci-archive:` write.
export interface Item { name: string, type?: Header['type'], mode?: number, uid?: number, gid?: number, linkname?: string, body?: Buffer | string, pax?: Record<string, string> }

/** A tar of the items; a fixed mtime, so the same items make the same bytes (and diff ids). */
export async function tarOf (items: readonly Item[]): Promise<Buffer> {
  const archive = pack()
  const chunks: Buffer[] = []
  const reading = (async () => { for await (const chunk of archive) chunks.push(chunk as Buffer) })()
  for (const { body, ...header } of items) {
    await new Promise<void>((resolve, reject) => {
      archive.entry({ mtime: new Date(0), ...header }, body ?? Buffer.alloc(0), (error) => (error == null ? resolve() : reject(error)))
    })
  }
  archive.finalize()
  await reading
  return Buffer.concat(chunks)
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex')
export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value))
export const configOf = (layers: readonly Buffer[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  architecture: 'amd64', os: 'linux', config: { User: 'app', Cmd: ['/bin/sh'] },
  rootfs: { type: 'layers', diff_ids: layers.map((layer) => `sha256:${sha256(layer)}`) }, ...extra,
})

/** A `docker save` archive (legacy layout: <id>/layer.tar, <hex>.json, manifest.json last). */
export async function dockerSave (layers: readonly Item[][], { config, repoTags = ['app:1'], before = [], gzip = false }: { config?: unknown, repoTags?: string[], before?: Item[], gzip?: boolean } = {}): Promise<Buffer> {
  const tars = await Promise.all(layers.map(tarOf))
  const configBody = json(config ?? configOf(tars))
  const configName = `${sha256(configBody)}.json`
  return tarOf([
    ...before,
    ...tars.flatMap((body, index): Item[] => [
      { name: `layer${index}`, type: 'directory' }, { name: `layer${index}/VERSION`, body: '1.0' }, { name: `layer${index}/layer.tar`, body: gzip ? gzipSync(body) : body },
    ]),
    { name: configName, body: configBody },
    { name: 'repositories', body: json({ app: { 1: 'x' } }) },
    { name: 'manifest.json', body: json([{ Config: configName, RepoTags: repoTags, Layers: tars.map((_, index) => `layer${index}/layer.tar`) }]) },
  ])
}

export const blob = (body: Buffer): { digest: string, item: Item } => ({ digest: `sha256:${sha256(body)}`, item: { name: `blobs/sha256/${sha256(body)}`, body } })

/** An OCI image layout as a tar, layers gzipped, blobs before index.json. */
export async function ociLayout (layers: readonly Item[][], { name = 'latest', gzip = true, config, platform }: { name?: string, gzip?: boolean, config?: unknown, platform?: unknown } = {}): Promise<Buffer> {
  const tars = await Promise.all(layers.map(tarOf))
  const layerBlobs = tars.map((tar) => blob(gzip ? gzipSync(tar) : tar))
  const configBlob = blob(json(config ?? configOf(tars)))
  const manifest = blob(json({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configBlob.digest, size: 1 },
    layers: layerBlobs.map(({ digest }) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: 1 })),
  }))
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifest.digest, size: 1, platform, annotations: { 'org.opencontainers.image.ref.name': name } }] }
  return tarOf([
    { name: 'blobs', type: 'directory' }, ...layerBlobs.map(({ item }) => item), configBlob.item, manifest.item,
    { name: 'oci-layout', body: json({ imageLayoutVersion: '1.0.0' }) }, { name: 'index.json', body: json(index) },
  ])
}

