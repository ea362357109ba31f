import type { ValidateFunction } from 'ajv'
import { LineCounter, parseDocument, type Document } from 'yaml'
import { LimitExceeded, limitCode, limits } from '../inputs/limits.js'
import { failed, ok, type Problem, type Result } from '../problem.js'

/** A parsed YAML document that can say where a JSON Pointer into it is written. */
export interface YamlDocument {
  readonly value: unknown
  /** Line and column (1-based) of the node at `pointer`, or of its nearest ancestor that has one. */
  readonly at: (pointer: string) => { line?: number, column?: number }
}

const MAX_ERRORS = 20

/**
 * Parses YAML (or JSON) text, reporting syntax errors with their lines (the first 20). Nesting past MAX_YAML_DEPTH and aliases past
 * MAX_YAML_ALIASES (a "billion laughs" document) are problems with the cap's code, `limit.max-yaml-depth` and `limit.max-yaml-aliases`.
 */
export function parseYaml (file: string, text: string): Result<YamlDocument> {
  const { yamlDepth, yamlAliases } = limits()
  if (nesting(text) > yamlDepth) return failed([{ code: limitCode('yamlDepth'), message: new LimitExceeded('yamlDepth', file).message, file }])
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  if (doc.errors.length > 0) {
    // A line of 400,000 quotes is 200,000 errors: the first few say what is wrong, and the count says how much.
    const problems: Problem[] = doc.errors.slice(0, MAX_ERRORS).map((e) => {
      const pos = lines.linePos(e.pos[0])
      return { code: 'policy.yaml', message: e.message.split('\n')[0] as string, file, line: pos.line, column: pos.col }
    })
    if (doc.errors.length > MAX_ERRORS) problems.push({ code: 'policy.yaml', message: `and ${doc.errors.length - MAX_ERRORS} more YAML errors`, file })
    return failed(problems)
  }
  try {
    return ok({ value: doc.toJS({ maxAliasCount: yamlAliases }) as unknown, at: (pointer) => locate(doc, lines, pointer) })
  } catch {
    // The yaml package's only error here: more aliases resolved than maxAliasCount.
    return failed([{ code: limitCode('yamlAliases'), message: new LimitExceeded('yamlAliases', file).message, file }])
  }
}

// How deep a document nests: indentation levels of block collections plus open flow brackets, quotes ignored
// (an over-count, never an under-count). The parser recurses once a level.
function nesting (text: string): number {
  const indents = [-1]
  let flow = 0
  let deepest = 0
  for (const line of text.split('\n')) {
    const indent = line.search(/\S/)
    if (indent < 0 || line[indent] === '#') continue
    while (flow === 0 && indent <= (indents.at(-1) as number) && indents.length > 1) indents.pop()
    if (flow === 0 && indent > (indents.at(-1) as number)) indents.push(indent)
    for (let i = indent; i < line.length; i++) {
      const c = line[i]
      if (c === '[' || c === '{') deepest = Math.max(deepest, indents.length - 1 + ++flow)
      else if ((c === ']' || c === '}') && flow > 0) flow--
    }
    deepest = Math.max(deepest, indents.length - 1)
  }
  return deepest
}

/** Runs a compiled JSON Schema and turns each error into a Problem at its line. */
export function schemaProblems (validate: ValidateFunction, doc: YamlDocument, file: string): Problem[] {
  if (validate(doc.value)) return []
  return (validate.errors ?? []).map((e) => ({
    code: 'policy.schema',
    message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${detail(e.params)}`,
    file,
    pointer: e.instancePath,
    ...doc.at(e.instancePath),
  }))
}

// Names the offending property or the allowed values, which ajv keeps out of its message.
function detail (params: Record<string, unknown> = {}): string {
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.join(', ')}`
  if (typeof params.additionalProperty === 'string') return `: ${params.additionalProperty}`
  return ''
}

function locate (doc: Document, lines: LineCounter, pointer: string): { line?: number, column?: number } {
  const path = pointer.split('/').slice(1).map((part) => /^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~'))
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined
    if (node?.range !== undefined) {
      const pos = lines.linePos(node.range[0])
      return { line: pos.line, column: pos.col }
    }
  }
  return {}
}
