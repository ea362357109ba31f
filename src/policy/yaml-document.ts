import type { ValidateFunction } from 'ajv'
import { LineCounter, parseDocument, type Document } from 'yaml'
import { failed, ok, type Problem, type Result } from '../problem.js'

/** A parsed YAML document that can say where a JSON Pointer into it is written. */
export interface YamlDocument {
  readonly value: unknown
  /** Line and column (1-based) of the node at `pointer`, or of its nearest ancestor that has one. */
  readonly at: (pointer: string) => { line?: number, column?: number }
}

/** Parses YAML (or JSON) text, reporting syntax errors with their lines. */
export function parseYaml (file: string, text: string): Result<YamlDocument> {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  if (doc.errors.length > 0) {
    return failed(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0])
      return { code: 'policy.yaml', message: e.message.split('\n')[0] as string, file, line: pos.line, column: pos.col }
    }))
  }
  return ok({ value: doc.toJS() as unknown, at: (pointer) => locate(doc, lines, pointer) })
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
