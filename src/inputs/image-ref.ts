import type { ImageRef, ImagePart } from '../facts/types.js'

// A build argument declared without a value, kept in a FROM reference until it is parsed: its value comes
// with `--build-arg`, so the parts it can reach stay open. Private-use characters never occur in a name.
const OPEN = /\uE000([A-Za-z_][A-Za-z0-9_]*)\uE001/g
export const openVariable = (name: string): string => `\uE000${name}\uE001`
const isOpen = (text: string): boolean => text.includes('\uE000')
const render = (text: string): string => isOpen(text) ? text.replace(OPEN, '$${$1}') : text

// Splits `[host[:port]/]path[:tag][@digest]` as Docker's reference grammar does: the first path
// component is a registry only when it has a dot or a port, or is "localhost". A first component that a
// build argument decides (`${REGISTRY}/ubuntu`) is taken for the registry. An open variable's value may
// hold `/`, `:` and `@`, so it also opens the parts that are not written after it.
export function parseImageRef (raw: string, text: string, stageNames: ReadonlySet<string>, unresolved: readonly string[]): ImageRef {
  const names = isOpen(text) ? [...new Set([...unresolved, ...[...text.matchAll(OPEN)].map((m) => m[1] as string)])] : [...new Set(unresolved)]
  const base = { raw, text: render(text), registry: '', repository: '', tag: '', digest: '', isScratch: false, stage: '', unresolved: names, open: [] as ImagePart[] }
  if (text === '') return base
  if (text.toLowerCase() === 'scratch') return { ...base, repository: 'scratch', isScratch: true }
  if (stageNames.has(text.toLowerCase())) return { ...base, stage: text.toLowerCase() }

  const at = text.indexOf('@')
  const digest = at >= 0 ? text.slice(at + 1) : ''
  let name = at >= 0 ? text.slice(0, at) : text
  let tag = ''
  const colon = name.lastIndexOf(':')
  const hasTag = colon > name.lastIndexOf('/')
  if (hasTag) {
    tag = name.slice(colon + 1)
    name = name.slice(0, colon)
  }
  const slash = name.indexOf('/')
  const first = slash >= 0 ? name.slice(0, slash) : name
  const last = name.slice(name.lastIndexOf('/') + 1)
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || isOpen(first))
  const repository = hasRegistry ? name.slice(slash + 1) : name
  const open: ImagePart[] = []
  if (isOpen(first)) open.push('registry')
  if (isOpen(repository)) open.push('repository')
  if (isOpen(tag) || (!hasTag && isOpen(last))) open.push('tag')
  if (isOpen(digest) || (at < 0 && (isOpen(tag) || (!hasTag && isOpen(last))))) open.push('digest')
  return {
    ...base,
    registry: hasRegistry ? render(first) : isOpen(first) ? '' : 'docker.io',
    repository: render(repository),
    tag: render(tag),
    digest: render(digest),
    open,
  }
}
