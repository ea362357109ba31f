// Image facts from the parts of an image: its config (or the inspect output that holds one), manifest, index
// and file listing. Each kind of document supplies some of them; an archive supplies all.
import type { ImageDocumentKind, ImageFacts, ImageFile, ImageLayer, ImagePlatform } from '../../facts/image-types.js'
import { readRunConfig } from './config.js'
import { packageManagersIn, shellsIn } from './files.js'
import { readHistory, type HistoryStep } from './history.js'
import { bounded } from '../../evaluation/bounded.js'
import { failed, ok, type Result } from '../../problem.js'
import { field, isObject, type At, type FieldReader } from './json.js'

/** The parts of one image, as documents (JSON values) and, from an archive, the final file list. */
export interface ImageParts {
  readonly kind: ImageDocumentKind
  /** An OCI or Docker image config. */
  readonly config?: unknown
  /** An OCI or Docker (v2 schema 2, or schema 1) manifest. */
  readonly manifest?: unknown
  /** An OCI index or Docker manifest list. */
  readonly index?: unknown
  /** One image's `docker`, `podman` or `buildah` inspect output. */
  readonly inspect?: unknown
  readonly repoTags?: readonly string[]
  readonly files?: readonly ImageFile[]
}

const BASE_NAME = 'org.opencontainers.image.base.name'
const BASE_DIGEST = 'org.opencontainers.image.base.digest'

/** Reads the parts; values of the wrong type are recorded in `reader` and left out. `pointer` is where the parts' document sits. */
/** readParts, refusing an image whose history, read as a Dockerfile, passes a cap (MAX_INSTRUCTIONS…) with the problem at its history. */
export function readBoundedParts (parts: ImageParts, reader: FieldReader, pointer = ''): Result<ImageFacts> {
  const read = bounded(undefined, () => ok(readParts(parts, reader, pointer)))
  return read.ok ? read : failed(read.problems.map((p) => ({ ...p, pointer: `${pointer}/history`, message: `the image's history, read as a Dockerfile: ${p.message}` })))
}

export function readParts (parts: ImageParts, reader: FieldReader, pointer = ''): ImageFacts {
  const part = (value: unknown): At | undefined => value === undefined ? undefined : { value, pointer }
  const inspect = part(parts.inspect)
  const manifest = part(parts.manifest)
  const index = part(parts.index)
  const v1 = parts.kind === 'docker-manifest-v1' && manifest !== undefined ? readV1(reader, manifest) : undefined
  // The image config: given, inside inspect output (buildah keeps Docker's and the OCI one), or a v1 manifest's newest entry.
  const image = part(parts.config) ?? (parts.kind === 'buildah-inspect' && inspect !== undefined ? buildahImage(inspect) : inspect) ?? v1?.image
  const text = (at: At | undefined, name: string): string => at === undefined ? '' : reader.string(field(at, name))
  const os = text(image, 'os')
  const runConfig = readRunConfig(reader, image === undefined ? { value: undefined, pointer } : field(image, 'config'), os)

  const historyAt = image === undefined ? undefined : field(image, 'history')
  const buildahHistory = parts.kind === 'buildah-inspect' && historyAt?.value == null && inspect !== undefined ? field(inspect, 'History') : undefined
  const rawHistory = buildahHistory ?? historyAt
  const steps = v1?.steps ?? (rawHistory === undefined ? [] : reader.list(rawHistory).map((step) => historyStep(reader, step)))
  const { history, dockerfile } = readHistory(steps, runConfig.shell, os)

  const rootfs = image === undefined ? undefined : field(image, 'rootfs')
  // Image configs list diff_ids; inspect output lists the same digests as RootFS.Layers.
  const diffIds = rootfs === undefined ? [] : reader.strings(field(rootfs, Array.isArray(field(rootfs, 'diff_ids').value) ? 'diff_ids' : 'Layers'))
  const stored = v1?.layers ?? (manifest === undefined ? [] : reader.list(field(manifest, 'layers')).map((layer) => storedLayer(reader, layer)))
  const layerSteps = history.filter((step) => !step.emptyLayer)
  const layers: ImageLayer[] = Array.from({ length: Math.max(stored.length, diffIds.length) }, (_, i) => ({
    index: i,
    digest: stored[i]?.digest ?? '',
    diffId: diffIds[i] ?? '',
    size: stored[i]?.size ?? -1,
    mediaType: stored[i]?.mediaType ?? '',
    createdBy: layerSteps[i]?.createdBy ?? '',
  }))
  const inspectSize = inspect === undefined ? undefined : reader.number(field(inspect, 'Size'))
  const sizesKnown = manifest !== undefined && v1 === undefined && layers.every((layer) => layer.size >= 0)
  const size = inspectSize ?? (sizesKnown ? layers.reduce((sum, layer) => sum + layer.size, 0) : -1)

  const annotations = {
    ...index === undefined ? {} : reader.stringMap(field(index, 'annotations')),
    ...manifest === undefined ? {} : reader.stringMap(field(manifest, 'annotations')),
    ...inspect === undefined ? {} : inspectAnnotations(reader, inspect, parts.kind),
  }
  const base = (key: string): string => annotations[key] ?? runConfig.labels[key] ?? ''
  const configAt = manifest === undefined ? undefined : field(manifest, 'config')
  // docker save's manifest.json names the config by path (`blobs/sha256/<hex>`, `<hex>.json`): its digest is in the name.
  const manifestDigest = configAt === undefined || v1 !== undefined ? '' : typeof configAt.value === 'string' ? digestOfPath(configAt.value) : text(configAt, 'digest')

  return {
    kind: parts.kind,
    has: { config: image !== undefined, history: Array.isArray(rawHistory?.value) || v1 !== undefined, layers: inspectSize !== undefined || sizesKnown, files: parts.files !== undefined },
    id: inspect === undefined || parts.kind === 'buildah-inspect' ? manifestDigest : text(inspect, 'Id'),
    repoTags: parts.repoTags ?? (inspect === undefined ? v1?.repoTags ?? [] : reader.strings(field(inspect, 'RepoTags'))),
    repoDigests: inspect === undefined ? [] : reader.strings(field(inspect, 'RepoDigests')),
    os,
    architecture: text(image, 'architecture') || text(manifest, 'architecture'),
    variant: text(image, 'variant'),
    platforms: index === undefined ? [] : platforms(reader, index),
    created: text(image, 'created'),
    ...runConfig,
    annotations,
    base: { name: base(BASE_NAME), digest: base(BASE_DIGEST) },
    size,
    layers,
    history,
    historyDockerfile: dockerfile,
    ...fileFacts(parts.files ?? []),
  }
}

/** The facts with an archive's (or an example's) final file listing. */
export function withFiles (facts: ImageFacts, files: readonly ImageFile[]): ImageFacts {
  return { ...facts, has: { ...facts.has, files: true }, ...fileFacts(files) }
}

function fileFacts (files: readonly ImageFile[]): Pick<ImageFacts, 'files' | 'shells' | 'packageManagers'> {
  const sorted = [...files].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  return { files: sorted, shells: shellsIn(sorted), packageManagers: packageManagersIn(sorted) }
}

/** The digest a blob's path names: `blobs/sha256/<hex>` (OCI layout), `<hex>.json` (docker save's config); "" otherwise. */
function digestOfPath (path: string): string {
  const blob = /(?:^|\/)blobs\/(\w+)\/([a-f0-9]{32,})$/.exec(path)
  if (blob !== null) return `${blob[1]}:${blob[2]}`
  const config = /^([a-f0-9]{64})\.json$/.exec(path)
  return config === null ? '' : `sha256:${config[1]}`
}

// buildah's own structure: `Docker` holds everything Docker's config can (Healthcheck, Shell), `OCIv1` the OCI subset.
function buildahImage (inspect: At): At {
  const docker = field(inspect, 'Docker')
  return isObject(field(docker, 'config').value) ? docker : field(inspect, 'OCIv1')
}

// docker (API 1.48+) reports the manifest's annotations in Descriptor, podman in Annotations, buildah in ImageAnnotations.
function inspectAnnotations (reader: FieldReader, inspect: At, kind: ImageDocumentKind): Record<string, string> {
  if (kind === 'buildah-inspect') return reader.stringMap(field(inspect, 'ImageAnnotations'))
  return { ...reader.stringMap(field(field(inspect, 'Descriptor'), 'annotations')), ...reader.stringMap(field(inspect, 'Annotations')) }
}

function historyStep (reader: FieldReader, at: At): HistoryStep {
  reader.object(at)
  const emptyLayer = field(at, 'empty_layer').value
  if (emptyLayer != null && typeof emptyLayer !== 'boolean') reader.refuse(field(at, 'empty_layer'), 'expected true or false')
  return {
    created: reader.string(field(at, 'created')),
    createdBy: reader.string(field(at, 'created_by')),
    comment: reader.string(field(at, 'comment')),
    emptyLayer: emptyLayer === true,
  }
}

function storedLayer (reader: FieldReader, at: At): { digest: string, size: number, mediaType: string } {
  // docker save's manifest.json lists layers by path, without sizes.
  if (typeof at.value === 'string') return { digest: digestOfPath(at.value), size: -1, mediaType: '' }
  reader.object(at)
  return {
    digest: reader.string(field(at, 'digest')),
    size: reader.number(field(at, 'size')) ?? -1,
    mediaType: reader.string(field(at, 'mediaType')),
  }
}

function platforms (reader: FieldReader, index: At): ImagePlatform[] {
  return reader.list(field(index, 'manifests')).flatMap((entry) => {
    const platform = field(entry, 'platform')
    if (!reader.object(entry) || !reader.object(platform)) return []
    // Attestations (SBOM, provenance) ride in buildx indexes as platform unknown/unknown.
    const os = reader.string(field(platform, 'os'))
    if (os === 'unknown') return []
    return [{
      os,
      architecture: reader.string(field(platform, 'architecture')),
      variant: reader.string(field(platform, 'variant')),
      digest: reader.string(field(entry, 'digest')),
      size: reader.number(field(entry, 'size')) ?? -1,
    }]
  })
}

/**
 * A schema 1 manifest: each history entry's v1Compatibility is a JSON string, newest first, beside its fsLayer.
 * The newest holds the image config; the builders' steps are in each container_config.Cmd.
 */
function readV1 (reader: FieldReader, manifest: At): { image: At | undefined, steps: HistoryStep[], layers: Array<{ digest: string, size: number, mediaType: string }>, repoTags: string[] } {
  const entries = reader.list(field(manifest, 'history')).map((entry) => {
    const json = field(entry, 'v1Compatibility')
    try {
      return { value: JSON.parse(reader.string(json)) as unknown, pointer: json.pointer }
    } catch {
      reader.refuse(json, 'v1Compatibility is a JSON string')
      return { value: undefined, pointer: json.pointer }
    }
  })
  const fsLayers = reader.list(field(manifest, 'fsLayers'))
  const oldestFirst = entries.map((entry, i) => ({ entry, digest: reader.string(field(fsLayers[i] ?? { value: undefined, pointer: '' }, 'blobSum')) })).reverse()
  const steps = oldestFirst.map(({ entry }) => ({
    created: reader.string(field(entry, 'created')),
    createdBy: reader.strings(field(field(entry, 'container_config'), 'Cmd')).join(' '),
    comment: reader.string(field(entry, 'comment')),
    emptyLayer: field(entry, 'throwaway').value === true,
  }))
  const name = reader.string(field(manifest, 'name'))
  const tag = reader.string(field(manifest, 'tag'))
  return {
    image: entries[0],
    steps,
    layers: oldestFirst.filter((_, i) => !(steps[i] as HistoryStep).emptyLayer).map(({ digest }) => ({ digest, size: -1, mediaType: '' })),
    repoTags: name !== '' && tag !== '' ? [`${name}:${tag}`] : [],
  }
}
