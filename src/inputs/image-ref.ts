import type { ImageRef } from '../facts/types.js'

// Splits `[host[:port]/]path[:tag][@digest]` as Docker's reference grammar does: the first path
// component is a registry only when it has a dot or a port, or is "localhost".
export function parseImageRef (raw: string, text: string, stageNames: ReadonlySet<string>, unresolved: readonly string[]): ImageRef {
  const base = { raw, text, registry: '', repository: '', tag: '', digest: '', isScratch: false, stage: '', unresolved }
  if (text.toLowerCase() === 'scratch') return { ...base, repository: 'scratch', isScratch: true }
  if (stageNames.has(text.toLowerCase())) return { ...base, stage: text.toLowerCase() }

  const at = text.indexOf('@')
  const digest = at >= 0 ? text.slice(at + 1) : ''
  let name = at >= 0 ? text.slice(0, at) : text
  let tag = ''
  const colon = name.lastIndexOf(':')
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1)
    name = name.slice(0, colon)
  }
  const slash = name.indexOf('/')
  const first = slash >= 0 ? name.slice(0, slash) : ''
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost'
  return {
    ...base,
    registry: hasRegistry ? first : 'docker.io',
    repository: hasRegistry ? name.slice(slash + 1) : name,
    tag,
    digest,
  }
}
