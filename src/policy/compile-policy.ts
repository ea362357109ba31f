import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { compileExpression } from './cel.js'
import { policySchema } from './schema.js'
import { compileTemplate } from './template.js'
import type { Example, ParamSpec, Policy, Program, Rule, Scope, Severity } from './types.js'
import { parseYaml, schemaProblems, type YamlDocument } from './yaml-document.js'

const ajv = new Ajv2020({ allErrors: true, strict: true })
addFormats.default(ajv)
const validatePolicy = ajv.compile(policySchema)

type ExampleSource = string | { dockerfile: string, files?: Record<string, string>, line?: number }
interface RuleSource {
  id: string, title: string, description?: string, severity: Severity, scope: Scope, keywords?: string[], enabled?: boolean, needsContext?: boolean
  when?: string, assert: string, line?: string, message: string, remediation: string
  references?: string[], aliases?: string[], tags?: string[]
  examples: { fail: ExampleSource[], pass: ExampleSource[] }
}
interface PolicySource {
  metadata: { name: string, title: string, version: string, description?: string }
  spec: { target: 'dockerfile' | 'image', when?: string, params?: Record<string, { type: ParamSpec['type'], default: unknown, description?: string }>, rules: RuleSource[] }
}

/** Parses, schema-checks and compiles one policy document, collecting every problem with its line. */
export function compilePolicy (file: string, text: string): Result<Policy> {
  const doc = parseYaml(file, text)
  return doc.ok ? compilePolicyDocument(file, doc.value) : doc
}

/** Compiles a parsed `kind: Policy` document: schema, parameter defaults, then every CEL expression once. */
export function compilePolicyDocument (file: string, doc: YamlDocument): Result<Policy> {
  const schema = schemaProblems(validatePolicy, doc, file)
  if (schema.length > 0) return failed(schema)
  const policy = doc.value as PolicySource
  const problems: Problem[] = []
  const params: Record<string, ParamSpec> = {}
  for (const [name, spec] of Object.entries(policy.spec.params ?? {})) {
    if (!isOfType(spec.default, spec.type)) {
      problems.push({ code: 'policy.param', message: `param ${name}: default is not a ${spec.type}`, file, pointer: `/spec/params/${name}/default`, ...doc.at(`/spec/params/${name}/default`) })
    }
    params[name] = { type: spec.type, default: spec.default, description: spec.description ?? '' }
  }
  const defaults = Object.fromEntries(Object.entries(params).map(([name, spec]) => [name, spec.default]))
  let applies: Program | undefined
  if (policy.spec.when !== undefined) {
    const compiled = compileExpression(policy.spec.when, 'bool')
    if (compiled.ok) applies = compiled.program
    else problems.push({ code: 'policy.expression', message: `spec.when: ${compiled.message}`, file, pointer: '/spec/when', ...doc.at('/spec/when') })
  }
  const rules: Rule[] = []
  policy.spec.rules.forEach((rule, index) => {
    const pointer = `/spec/rules/${index}`
    const fail = (field: string, message: string): void => {
      problems.push({ code: 'policy.expression', message: `rule ${rule.id}: ${field}: ${message}`, file, pointer: `${pointer}/${field}`, ...doc.at(`${pointer}/${field}`) })
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
    if (rule.keywords !== undefined && rule.scope !== 'instruction' && rule.scope !== 'command') fail('keywords', 'only applies to scopes instruction and command')
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
      enabled: rule.enabled ?? true,
      needsContext: rule.needsContext ?? false,
      params: defaults,
      references: rule.references ?? [],
      // Folded YAML (`remediation: >`) ends in a newline; a finding's remediation is one line of text.
      remediation: rule.remediation.trim(),
      source: { when: rule.when, assert: rule.assert, line: rule.line, message: rule.message },
      ...(when && { when }),
      assert,
      ...(line && { line }),
      message: message.template,
      examples: { fail: rule.examples.fail.map(toExample), pass: rule.examples.pass.map(toExample) },
      file,
      fileLine: doc.at(pointer).line ?? 1,
    })
  })
  if (problems.length > 0) return failed(problems)
  return ok({
    name: policy.metadata.name,
    title: policy.metadata.title,
    version: policy.metadata.version,
    description: policy.metadata.description ?? '',
    target: policy.spec.target,
    ...(applies !== undefined && { when: applies }),
    whenSource: (policy.spec.when ?? '').trim(),
    params,
    file,
    rules,
  })
}

/** True when a parameter value has the declared type. */
export function isOfType (value: unknown, type: ParamSpec['type']): boolean {
  switch (type) {
    case 'list': return Array.isArray(value)
    case 'map': return value !== null && typeof value === 'object' && !Array.isArray(value)
    default: return typeof value === type
  }
}

function toExample (source: ExampleSource): Example {
  if (typeof source === 'string') return { dockerfile: source, files: {} }
  return { dockerfile: source.dockerfile, files: source.files ?? {}, ...(source.line !== undefined && { line: source.line }) }
}
