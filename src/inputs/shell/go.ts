// Reading GopherJS values from mvdan-sh's Go syntax tree: nil pointers and slices.
import type { GoNode, GoSlice } from 'mvdan-sh'

export function isNil (node: GoNode): boolean {
  return node === node.constructor.nil
}

export function items<T> (slice: GoSlice<T>): T[] {
  const out: T[] = []
  for (let index = 0; index < slice.$length; index++) out.push(slice.$array[slice.$offset + index] as T)
  return out
}
