// Which kind of image document a JSON value is, from the fields that identify each kind; or, when the
// caller names the kind, whether the document has what that kind needs. Never throws on any JSON value.
import type { ImageDocumentKind } from '../../facts/image-types.js'
import { failed, ok, type Problem, type Result } from '../../problem.js'
import { describe, isObject, valueAt, type At, type JsonObject } from './json.js'

/** The kinds a JSON document can be; archives arrive as files, not JSON. */
export type JsonDocumentKind = Exclude<ImageDocumentKind, 'docker-archive' | 'oci-archive'>

/** A recognised document: its kind, and the object to read (the one image of an inspect array). */
export interface Detected {
  readonly kind: JsonDocumentKind
  readonly at: At
}

const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'
/** Config media types of image manifests; any other names an artifact. octet-stream is what early registries served. */
const IMAGE_CONFIG_TYPES = new Set(['application/vnd.oci.image.config.v1+json', DOCKER_CONFIG, 'application/octet-stream'])

const text = (o: JsonObject, ...names: string[]): string | undefined => {
  const value = valueAt(o, ...names)
  return typeof value === 'string' ? value : undefined
}
const object = (o: JsonObject, name: string): boolean => isObject(valueAt(o, name))
const array = (o: JsonObject, name: string): boolean => Array.isArray(valueAt(o, name))

interface Family {
  /** The kinds of the family, the one to pick first. */
  readonly kinds: readonly JsonDocumentKind[]
  /** The fields that identify it, for messages. */
  readonly needs: string
  /** It is this family (used for detection, in the order below). */
  readonly is: (o: JsonObject) => boolean
  /** Which kind of the family this document is. */
  readonly pick: (o: JsonObject) => JsonDocumentKind
  /** When the caller names a kind of the family: does the document have what reading it needs. */
  readonly fits: (o: JsonObject) => boolean
}

// In detection order: an index and a manifest are told apart by `manifests`; inspect output (Id) before
// image configs, which inspect output resembles (Os, Architecture, Config).
const FAMILIES: readonly Family[] = [
  {
    kinds: ['oci-index', 'docker-manifest-list'],
    needs: 'manifests (an array of descriptors, with platform)',
    is: (o) => array(o, 'manifests'),
    pick: (o) => text(o, 'mediaType') === DOCKER_LIST ? 'docker-manifest-list' : 'oci-index',
    fits: (o) => array(o, 'manifests'),
  },
  {
    kinds: ['docker-manifest-v1'],
    needs: 'schemaVersion 1 with fsLayers and history[].v1Compatibility',
    is: (o) => valueAt(o, 'schemaVersion') === 1 && array(o, 'history'),
    pick: () => 'docker-manifest-v1',
    fits: (o) => array(o, 'fsLayers') && array(o, 'history'),
  },
  {
    kinds: ['oci-manifest', 'docker-manifest'],
    needs: 'config (a descriptor with mediaType and digest) and layers',
    is: (o) => text(o, 'config', 'digest') !== undefined && valueAt(o, 'layers') !== undefined,
    pick: (o) => text(o, 'mediaType') === DOCKER_MANIFEST || text(o, 'config', 'mediaType') === DOCKER_CONFIG ? 'docker-manifest' : 'oci-manifest',
    fits: (o) => object(o, 'config') && valueAt(o, 'layers') !== undefined,
  },
  {
    kinds: ['buildah-inspect'],
    needs: 'Type "buildah …" or FromImage, with OCIv1 or Docker (the image config)',
    is: (o) => (text(o, 'Type')?.startsWith('buildah') ?? false) || (text(o, 'FromImage') !== undefined && (object(o, 'OCIv1') || object(o, 'Docker'))),
    pick: () => 'buildah-inspect',
    fits: (o) => object(o, 'OCIv1') || object(o, 'Docker'),
  },
  {
    kinds: ['docker-inspect', 'podman-inspect'],
    needs: 'Id with RepoTags, RootFS or Config (podman adds Digest, NamesHistory, ManifestType)',
    is: (o) => text(o, 'Id') !== undefined && (array(o, 'RepoTags') || object(o, 'RootFS')),
    pick: (o) => text(o, 'Digest') !== undefined || array(o, 'NamesHistory') || text(o, 'ManifestType') !== undefined ? 'podman-inspect' : 'docker-inspect',
    fits: (o) => text(o, 'Id') !== undefined && (object(o, 'Config') || object(o, 'RootFS')),
  },
  {
    kinds: ['oci-config', 'docker-config'],
    needs: 'architecture, os or rootfs, with config and history (Docker\'s adds container_config or docker_version)',
    is: (o) => text(o, 'architecture') !== undefined || text(o, 'os') !== undefined || object(o, 'rootfs'),
    pick: (o) => object(o, 'container_config') || text(o, 'docker_version') !== undefined ? 'docker-config' : 'oci-config',
    // A bare `{"config": {…}}` fits too, unless that config is a manifest's descriptor.
    fits: (o) => text(o, 'architecture') !== undefined || text(o, 'os') !== undefined || object(o, 'rootfs') || (object(o, 'config') && text(o, 'config', 'digest') === undefined),
  },
]

const ACCEPTED = FAMILIES.map((f) => `${f.kinds.join(' or ')} (${f.needs})`).join('; ')

/**
 * Recognises an image document. `kind`, when given, names it instead (and must fit it). An array is inspect
 * output and must hold exactly one image. `pointer` is where the document sits in the request.
 */
export function detectImageDocument (document: unknown, kind?: string, pointer = '/image'): Result<Detected> {
  const family = kind === undefined ? undefined : FAMILIES.find((f) => f.kinds.includes(kind as JsonDocumentKind))
  if (kind !== undefined && family === undefined) {
    const archive = kind === 'docker-archive' || kind === 'oci-archive'
    return refuse('input.image-kind', archive
      ? `kind "${kind}" is an archive: send the file itself, not JSON`
      : `unknown kind "${kind}": expected one of ${FAMILIES.flatMap((f) => f.kinds).join(', ')}`, pointer)
  }
  let at: At = { value: document, pointer }
  if (Array.isArray(document)) {
    // `docker inspect a b` prints one entry per image: which one to judge is the caller's choice.
    if (document.length === 0) return refuse('input.image-unknown', 'an empty array: send the inspect output of one image', pointer)
    if (document.length > 1) return refuse('input.image-multiple', `send one image: this inspect output holds ${document.length}`, pointer)
    at = { value: document[0], pointer: `${pointer}/0` }
  }
  const o = at.value
  if (!isObject(o)) return refuse('input.image-unknown', `expected an image document (a JSON object), found ${describe(o)}: one of ${ACCEPTED}`, at.pointer)
  if (object(o, 'State') && object(o, 'HostConfig')) {
    return refuse('input.image-container', 'this is the inspect output of a container (State, HostConfig), not of an image: send `docker image inspect <image>`', at.pointer)
  }
  if (family !== undefined) {
    if (!family.fits(o)) return refuse('input.image-kind', `kind "${kind}" does not fit this document: it needs ${family.needs}`, at.pointer)
    return artifactCheck({ kind: kind as JsonDocumentKind, at })
  }
  const found = FAMILIES.find((f) => f.is(o))
  if (found === undefined) return refuse('input.image-unknown', `not an image document: expected one of ${ACCEPTED}`, at.pointer)
  return artifactCheck({ kind: found.pick(o), at })
}

// An OCI manifest can describe any artifact (a Helm chart, a signature); only an image has a run config and layers to judge.
function artifactCheck (detected: Detected): Result<Detected> {
  if (detected.kind !== 'oci-manifest' && detected.kind !== 'docker-manifest') return ok(detected)
  const o = detected.at.value as JsonObject
  const configType = text(o, 'config', 'mediaType') ?? ''
  const artifactType = text(o, 'artifactType') ?? ''
  if ((configType === '' || IMAGE_CONFIG_TYPES.has(configType)) && artifactType === '') return ok(detected)
  const what = artifactType !== '' ? `artifactType ${artifactType}` : `config mediaType ${configType}`
  return refuse('input.image-artifact', `this manifest is an OCI artifact (${what}), not an image: expected the config mediaType of an image (${[...IMAGE_CONFIG_TYPES].join(', ')})`,
    `${detected.at.pointer}/${artifactType !== '' ? 'artifactType' : 'config/mediaType'}`)
}

const refuse = (code: string, message: string, pointer: string): Result<Detected> => failed([{ code, message, pointer } satisfies Problem])
