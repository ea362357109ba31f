import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { LineCounter, parseDocument, type Document } from 'yaml'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { compileExpression } from './cel.js'
import { policySchema } from './schema.js'
import { compileTemplate } from './template.js'
import type { Example, Policy, PolicySet, Program, Rule, Scope, Severity } from './types.js'

const ajv = new Ajv2020({ allErrors: true, strict: true })
addFormats.default(ajv)
const validatePolicy = ajv.compile(policySchema)

type ExampleSource = string | { dockerfile: string, files?: Record<string, string>, line?: number }
interface RuleSource {
  id: string, title: string, description?: string, severity: Severity, scope: Scope, keywords?: string[]
  when?: string, assert: string, line?: string, message: string, remediation: string
  references?: string[], aliases?: string[], tags?: string[]
  examples: { fail: ExampleSource[], pass: ExampleSource[] }
}
interface PolicySource {
  metadata: { name: string, title: string, version: string, description?: string }
  spec: { rules: RuleSource[] }
}

/** Loads every `*.yaml`/`*.yml` file of a directory; any problem in any file refuses the whole set. */
export async function loadPolicyDir (dir: string): Promise<Result<PolicySet>> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort()
  } catch (error) {
    return failed([{ code: 'policy.dir-unreadable', message: `cannot read policy directory: ${(error as Error).message}`, file: dir }])
  }
  if (names.length === 0) return failed([{ code: 'policy.dir-empty', message: 'no *.yaml policy files', file: dir }])
  const files = await Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })))
  return compilePolicySet(files)
}

/** Compiles policy documents given as text; rule ids must be unique across them. */
export function compilePolicySet (files: ReadonlyArray<{ name: string, text: string }>): Result<PolicySet> {
  const problems: Problem[] = []
  const policies: Policy[] = []
  const seen = new Map<string, string>()
  for (const file of files) {
    const result = compilePolicy(file.name, file.text)
    if (!result.ok) {
      problems.push(...result.problems)
      continue
    }
    for (const rule of result.value.rules) {
      const other = seen.get(rule.id)
      if (other !== undefined) problems.push({ code: 'policy.duplicate-rule', message: `rule id "${rule.id}" is also defined in ${other}`, file: file.name, line: rule.fileLine })
      seen.set(rule.id, file.name)
    }
    if (policies.some((p) => p.name === result.value.name)) {
      problems.push({ code: 'policy.duplicate-name', message: `policy name "${result.value.name}" is used twice`, file: file.name })
    }
    policies.push(result.value)
  }
  if (problems.length > 0) return failed(problems)
  const hash = createHash('sha256')
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${file.name}\0${file.text}\0`)
  return ok({ policies, digest: `sha256:${hash.digest('hex')}` })
}

/** Parses, schema-checks and compiles one policy document, collecting every problem with its line. */
export function compilePolicy (file: string, text: string): Result<Policy> {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const at = (pointer: string): { line?: number, column?: number } => locate(doc, lines, pointer)
  if (doc.errors.length > 0) {
    return failed(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0])
      return { code: 'policy.yaml', message: e.message.split('\n')[0] as string, file, line: pos.line, column: pos.col }
    }))
  }
  const source: unknown = doc.toJS()
  if (!validatePolicy(source)) {
    return failed((validatePolicy.errors ?? []).map((e) => ({
      code: 'policy.schema',
      message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
      file,
      pointer: e.instancePath,
      ...at(e.instancePath),
    })))
  }
  const policy = source as PolicySource
  const problems: Problem[] = []
  const rules: Rule[] = []
  policy.spec.rules.forEach((rule, index) => {
    const pointer = `/spec/rules/${index}`
    const fail = (field: string, message: string): void => {
      problems.push({ code: 'policy.expression', message: `rule ${rule.id}: ${field}: ${message}`, file, pointer: `${pointer}/${field}`, ...at(`${pointer}/${field}`) })
    }
    const expression = (field: 'when' | 'assert' | 'line', want: 'bool' | 'int'): Program | undefined => {
      const text = rule[field]
      if (text === undefined) return undefined
      const compiled = compileExpression(text, want)
      if (compiled.ok) return compiled.program
      fail(field, compiled.message)
      return undefined
    }
    const when = expression('when', 'bool')
    const assert = expression('assert', 'bool')
    const line = expression('line', 'int')
    const message = compileTemplate(rule.message)
    if (!message.ok) fail('message', message.message)
    if (rule.keywords !== undefined && rule.scope !== 'instruction') fail('keywords', 'only applies to scope instruction')
    if (assert === undefined || !message.ok) return
    rules.push({
      id: rule.id,
      policy: policy.metadata.name,
      title: rule.title,
      description: rule.description ?? '',
      severity: rule.severity,
      scope: rule.scope,
      keywords: rule.keywords ?? [],
      aliases: rule.aliases ?? [],
      tags: rule.tags ?? [],
      references: rule.references ?? [],
      remediation: rule.remediation,
      source: { when: rule.when, assert: rule.assert, line: rule.line, message: rule.message },
      ...(when && { when }),
      assert,
      ...(line && { line }),
      message: message.template,
      examples: { fail: rule.examples.fail.map(toExample), pass: rule.examples.pass.map(toExample) },
      file,
      fileLine: at(pointer).line ?? 1,
    })
  })
  if (problems.length > 0) return failed(problems)
  return ok({
    name: policy.metadata.name,
    title: policy.metadata.title,
    version: policy.metadata.version,
    description: policy.metadata.description ?? '',
    file,
    rules,
  })
}

function toExample (source: ExampleSource): Example {
  if (typeof source === 'string') return { dockerfile: source, files: {} }
  return { dockerfile: source.dockerfile, files: source.files ?? {}, ...(source.line !== undefined && { line: source.line }) }
}

// Maps a JSON Pointer from schema validation back to the YAML node, for a line and column.
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
