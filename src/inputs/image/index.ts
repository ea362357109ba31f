// Image metadata into facts: documents sent as JSON, and the parts an archive reader found.
import type { ImageFacts } from '../../facts/image-types.js'
import { FieldReader } from './json.js'
import { readBoundedParts, type ImageParts } from './parts.js'
import type { Result } from '../../problem.js'

export { readImageDocument } from './document.js'
export { withFiles, type ImageParts } from './parts.js'

/**
 * Facts from an image's parts, as an archive reader finds them (config, manifest, repoTags, files). Lenient:
 * a field of the wrong type counts as absent (readImageDocument refuses such a document instead); only a history
 * past a cap is refused. Never throws.
 */
export function imageFactsFromParts (parts: ImageParts): Result<ImageFacts> {
  return readBoundedParts(parts, new FieldReader())
}
