import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { BoundedCache } from '../bounded-cache.js'
import { failed, ok, type Problem, type Result } from '../problem.js'
import { commandGuard, compileExpression } from './cel.js'
import { policySchema } from './schema.js'
import { compileTemplate } from './template.js'
import { subjectOf } from './subject.js'
import { compileFix, toFixExample, type FixExampleSource, type FixSource } from '../fix/compile.js'
import type { Example, ImageNeed, ParamSpec, Policy, Program, Rule, Scope, Severity, Subject } from './types.js'
import { parseYaml, schemaProblems, type YamlDocument } from './yaml-document.js'

const ajv = new Ajv2020({ allErrors: true, strict: true })
addFormats.default(ajv)
const validatePolicy = ajv.compile(policySchema)

type DockerfileExampleSource = string | { dockerfile: string, files?: Record<string, string>, line?: number }
interface ImageExampleSource { image: unknown, kind?: string, listing?: string[], dockerfile?: string, files?: Record<string, string> }
type ExampleSource = DockerfileExampleSource | ImageExampleSource
interface CheckSource {
  scope: Scope, keywords?: string[], needs?: ImageNeed[], includeBase?: boolean, when?: string, assert?: string, line?: string, message?: string
  examples: { fail: ExampleSource[], pass: ExampleSource[], fix?: FixExampleSource[] }
}
interface RuleSource extends CheckSource {
  id: string, title: string, description?: string, severity: Severity, enabled?: boolean, needsContext?: boolean
  assert: string, message: string, remediation: string
  references?: string[], aliases?: string[], tags?: string[]
  image?: CheckSource
  fix?: FixSource
}
interface PolicySource {
  metadata: { name: string, title: string, version: string, description?: string }
  spec: { target: Subject, when?: string, params?: Record<string, { type: ParamSpec['type'], default: unknown, description?: string }>, rules: RuleSource[] }
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
    const metadata = {
      id: rule.id,
      policy: policy.metadata.name,
      title: rule.title,
      description: rule.description ?? '',
      severity: rule.severity,
      aliases: rule.aliases ?? [],
      tags: rule.tags ?? [],
      enabled: rule.enabled ?? true,
      needsContext: rule.needsContext ?? false,
      params: defaults,
      references: rule.references ?? [],
      // Folded YAML (`remediation: >`) ends in a newline; a finding's remediation is one line of text.
      remediation: rule.remediation.trim(),
      file,
      fileLine: doc.at(pointer).line ?? 1,
    }
    const main = compileCheck(rule, rule, '', fail)
    const fix = rule.fix === undefined ? undefined : compileFix(rule.fix, rule.scope, fail)
    if (rule.fix !== undefined && subjectOf(rule.scope) === 'image') fail('fix', 'an image rule has no text to fix')
    if ((rule.fix === undefined) !== (rule.examples.fix === undefined)) fail(rule.fix === undefined ? 'examples/fix' : 'fix', 'a rule with a fix has fix examples (examples.fix), and only such a rule')
    if (rule.image !== undefined && subjectOf(rule.scope) === 'image') fail('image', 'only a Dockerfile rule takes an image check; this rule\'s scope is already an image scope')
    const image = rule.image === undefined ? undefined : compileCheck(rule.image, rule, 'image/', fail)
    if (main === undefined || (rule.image !== undefined && image === undefined) || (rule.fix !== undefined && fix === undefined)) return
    rules.push({ ...metadata, ...main, ...(fix !== undefined && { fix }), ...(image !== undefined && { image: { ...metadata, ...image } }) })
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

type Check = Pick<Rule, 'scope' | 'subject' | 'needs' | 'includeBase' | 'commandGuard' | 'keywords' | 'source' | 'when' | 'assert' | 'line' | 'message' | 'examples'>

const DEFAULT_NEEDS: Readonly<Record<string, readonly ImageNeed[]>> = { 'image': ['config'], 'image-layer': ['layers'], 'image-file': ['files'], 'image-history': ['history'], 'image-command': ['history'] }

// One way of judging the rule (its own, or its image check at `prefix` "image/"): expressions compiled
// once, examples of the kind the scope's subject takes. An image check's when, assert and message default to the rule's.
function compileCheck (check: CheckSource, rule: RuleSource, prefix: string, fail: (field: string, message: string) => void): Check | undefined {
  const source = { when: check.when ?? (prefix === '' ? undefined : rule.when), assert: check.assert ?? rule.assert, line: check.line, message: check.message ?? rule.message }
  const expression = (field: 'when' | 'assert' | 'line', want: 'bool' | 'int'): Program | undefined => {
    const text = source[field]
    if (text === undefined) return undefined
    const compiled = compileExpression(text, want, 'native', check.scope)
    if (compiled.ok) return compiled.program
    fail(prefix + field, compiled.message)
    return undefined
  }
  const when = expression('when', 'bool')
  const assert = expression('assert', 'bool')
  const line = expression('line', 'int')
  const message = compileTemplate(source.message, check.scope)
  if (!message.ok) fail(prefix + 'message', message.message)
  const subject = subjectOf(check.scope)
  if (check.keywords !== undefined && !['instruction', 'command', 'image-history', 'image-command'].includes(check.scope)) fail(prefix + 'keywords', 'only applies to scopes instruction, command, image-history and image-command')
  if (check.needs !== undefined && subject !== 'image') fail(prefix + 'needs', 'only applies to image scopes')
  if (check.includeBase !== undefined && !['image-history', 'image-command'].includes(check.scope)) fail(prefix + 'includeBase', 'only applies to scopes image-history and image-command')
  if (line !== undefined && subject === 'image') fail(prefix + 'line', 'an image has no lines')
  const all = [...check.examples.fail, ...check.examples.pass]
  const wrong = all.findIndex((example) => (typeof example === 'object' && 'image' in example) !== (subject === 'image'))
  if (wrong >= 0) fail(prefix + 'examples', `a ${subject} rule's examples are ${subject === 'image' ? 'images ({ image: … })' : 'Dockerfiles'}`)
  if (assert === undefined || !message.ok || wrong >= 0) return undefined
  return {
    scope: check.scope,
    subject,
    needs: subject === 'image' ? check.needs ?? DEFAULT_NEEDS[check.scope] ?? [] : [],
    includeBase: check.includeBase ?? false,
    ...(when !== undefined && (check.scope === 'command' || check.scope === 'image-command') && { commandGuard: commandGuard(source.when as string) }),
    keywords: keywordList(check.keywords ?? []),
    source,
    ...(when && { when }),
    assert,
    ...(line && { line }),
    message: message.template,
    examples: { fail: check.examples.fail.map(toExample), pass: check.examples.pass.map(toExample), fix: (check.examples.fix ?? []).map(toFixExample) },
  }
}

// Rules with the same keywords share one list: the engine finds the instructions of a list once per evaluation.
const keywordLists = new BoundedCache<readonly string[]>()
const keywordList = (keywords: readonly string[]): readonly string[] => keywordLists.get(keywords.join(','), () => Object.freeze([...keywords]))

function toExample (source: ExampleSource): Example {
  if (typeof source === 'string') return { dockerfile: source, files: {} }
  if ('image' in source) {
    const image = { document: source.image, ...(source.kind !== undefined && { kind: source.kind }), ...(source.listing !== undefined && { listing: source.listing }) }
    return { dockerfile: source.dockerfile ?? '', files: source.files ?? {}, image }
  }
  return { dockerfile: source.dockerfile, files: source.files ?? {}, ...(source.line !== undefined && { line: source.line }) }
}
