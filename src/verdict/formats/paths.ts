// Where a finding's file is, as a report names it: build-context files (requirements.txt) sit in the
// Dockerfile's folder, so their path is the context name joined to that folder. Posix paths, as CI tools
// match report paths against repository paths.
import { posix } from 'node:path'
import type { Location } from '../../evaluation/engine.js'

/** The path of the file a location points into: the context file beside `filePath`, or `filePath` itself. */
export function artifactPath (filePath: string, location: Location): string {
  if (location.file === undefined) return filePath
  return posix.join(posix.dirname(filePath.replaceAll('\\', '/')), location.file)
}
