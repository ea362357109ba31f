// Where a finding is, as reports name it. Build-context files (requirements.txt) sit in the Dockerfile's folder,
// so their path is the context name joined to that folder; posix paths, as CI tools match report paths against
// repository paths. An image has no lines: a finding on one names the file in it, or the history step or layer.
import { posix } from 'node:path'
import type { Location } from '../../evaluation/engine.js'

/** The path of the file a location points into: the context file beside `filePath`, or `filePath` itself. */
export function artifactPath (filePath: string, location: Location): string {
  if (location.file === undefined) return filePath
  return posix.join(posix.dirname(filePath.replaceAll('\\', '/')), location.file)
}

/** The place in an image: the file's path, `step N` of its history or `layer N`; undefined for the whole image. */
export function placeInImage (image: NonNullable<Location['image']>): string | undefined {
  return image.path ?? (image.history !== undefined ? `step ${image.history}` : image.layer !== undefined ? `layer ${image.layer}` : undefined)
}

/** `services/api/requirements.txt:1`, or on an image `app.tar:/etc/passwd`, `app.tar step 3`, `app.tar`. */
export function describePlace (filePath: string, location: Location, imageName = filePath): string {
  const image = location.image
  if (image === undefined) return `${artifactPath(filePath, location)}:${location.line}`
  const place = placeInImage(image)
  return place === undefined ? imageName : image.path !== undefined ? `${imageName}:${place}` : `${imageName} ${place}`
}
