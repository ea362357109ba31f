import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

/** openapi.yaml, the contract: its text and its parsed form. Read once. */
export const openApiText = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')
export const openApiDocument = parse(openApiText) as {
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, object> }
}

/**
 * The spec's component schemas as standalone JSON Schemas with `$id`s, for `app.addSchema()`:
 * `#/components/schemas/X` becomes `X#`, so routes refer to them as `{ $ref: 'X#' }`.
 */
export function componentSchemas (): Array<{ $id: string } & object> {
  return Object.entries(openApiDocument.components.schemas).map(([name, schema]) => ({
    $id: name,
    ...rewriteRefs(schema) as object,
  }))
}

function rewriteRefs (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [
    key,
    key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', '') + '#' : rewriteRefs(inner),
  ]))
}
