// An image document as sent over HTTP (`{ "image": <document>, "kind"?: "<kind>" }`) into facts.
import type { ImageFacts } from '../../facts/image-types.js'
import { failed, type Result } from '../../problem.js'
import { detectImageDocument, type JsonDocumentKind } from './detect.js'
import { FieldReader } from './json.js'
import { readBoundedParts, type ImageParts } from './parts.js'

/**
 * Reads one image document: inspect output (docker, podman, buildah), an image config, a manifest or an index.
 * `kind` names the kind instead of detecting it. A document of no known kind, or a field of the wrong type, is
 * refused with a Problem that points into it (`pointer` is where the document sits). Never throws.
 */
export function readImageDocument (document: unknown, kind?: string, pointer = '/image'): Result<ImageFacts> {
  const detected = detectImageDocument(document, kind, pointer)
  if (!detected.ok) return detected
  const reader = new FieldReader()
  const facts = readBoundedParts(partsOf(detected.value.kind, detected.value.at.value), reader, detected.value.at.pointer)
  return reader.problems.length > 0 ? failed(reader.problems) : facts
}

function partsOf (kind: JsonDocumentKind, value: unknown): ImageParts {
  switch (kind) {
    case 'docker-inspect':
    case 'podman-inspect':
    case 'buildah-inspect':
      return { kind, inspect: value }
    case 'oci-config':
    case 'docker-config':
      return { kind, config: value }
    case 'oci-index':
    case 'docker-manifest-list':
      return { kind, index: value }
    default:
      return { kind, manifest: value }
  }
}
