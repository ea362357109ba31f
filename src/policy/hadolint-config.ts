// A `.hadolint.yaml` sent in the build context, read in Plimsoll's terms. The format is hadolint's
// (README "Configure", src/Hadolint/Config/Configuration.hs). A bad config never stops an evaluation:
// each key that is wrong is left out and reported with its line, and the rest still applies.
import { Ajv2020 } from 'ajv/dist/2020.js'
import { contextPath } from '../inputs/dockerignore.js'
import { LimitExceeded, limitCode } from '../inputs/limits.js'
import { pointerToken } from '../problem.js'
import type { HadolintConfig } from './suppression-types.js'
import type { Severity } from './types.js'
import { parseYaml, schemaProblems, type YamlDocument } from './yaml-document.js'

// hadolint reads the first of these it finds in its working directory, which for a build is the context root.
const NAMES = ['.hadolint.yaml', '.hadolint.yml']

const codes = { type: 'array', items: { type: 'string', minLength: 1 } }
const flag = { type: 'boolean' }

/** JSON Schema of the keys of hadolint's config file that Plimsoll reads or knows. */
export const hadolintConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://plimsoll.dev/schemas/hadolint-config.json',
  title: 'hadolint configuration, as Plimsoll reads it',
  type: 'object',
  properties: {
    ignored: codes,
    override: { type: 'object', properties: { error: codes, warning: codes, info: codes, style: codes } },
    trustedRegistries: codes,
    'label-schema': { type: 'object', additionalProperties: { enum: ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'] } },
    'strict-labels': flag,
    'disable-ignore-pragma': flag,
    'failure-threshold': { enum: ['error', 'warning', 'info', 'style', 'ignore', 'none'] },
    'no-fail': flag,
    // Output settings: a service has no use for them, but they are valid.
    'no-color': flag,
    verbose: flag,
    format: { type: 'string' },
  },
} as const

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(hadolintConfigSchema)
const KNOWN = new Set(Object.keys(hadolintConfigSchema.properties))
const LEVELS = new Set(Object.keys(hadolintConfigSchema.properties.override.properties))

// hadolint's levels in Plimsoll's: there is no style, and the thresholds below info (style, ignore, none)
// all mean "fail on any finding" in hadolint (pull request #613), which is failOn info here.
const LEVEL: Readonly<Record<string, Severity>> = { error: 'error', warning: 'warning', info: 'info', style: 'info', ignore: 'info', none: 'info' }

type Problems = Array<{ line: number, message: string }>

/** Reads `.hadolint.yaml` (or `.hadolint.yml`) from the context files; null when neither was sent. */
export function hadolintConfig (files: Readonly<Record<string, string>>): HadolintConfig | null {
  const found = Object.entries(files)
    .map(([name, text]) => ({ name: contextPath(name), text }))
    .filter((f) => NAMES.includes(f.name) && typeof f.text === 'string')
    .sort((a, b) => NAMES.indexOf(a.name) - NAMES.indexOf(b.name))[0]
  if (found === undefined) return null
  const empty = { ignored: [], severity: {}, params: {}, file: found.name }
  const doc = parseYaml(found.name, found.text)
  // Every other problem of the file is reported and the rest applies; a file past a cap stops the evaluation.
  const capped = doc.ok ? undefined : doc.problems.find((p) => p.code.startsWith('limit.'))
  if (capped !== undefined) throw new LimitExceeded(capped.code === limitCode('yamlDepth') ? 'yamlDepth' : 'yamlAliases', `the context file ${found.name}`, `/files/${pointerToken(found.name)}`)
  if (!doc.ok) return { ...empty, problems: doc.problems.map((p) => ({ line: p.line ?? 1, message: p.message })) }
  const value = doc.value.value
  if (value === null || value === undefined) return { ...empty, problems: [] }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ...empty, problems: [{ line: doc.value.at('').line ?? 1, message: 'the config must be a mapping of keys such as ignored, override, trustedRegistries' }] }
  }
  return read(doc.value, value as Record<string, unknown>, found.name)
}

function read (doc: YamlDocument, raw: Record<string, unknown>, file: string): HadolintConfig {
  // An empty key (`ignored:`) is absent, one registry may be written without a list (as the README allows),
  // and an empty label type is text (as hadolint's LabelType reads it). No prototype: a `__proto__` key is a key.
  const config = Object.create(null) as Record<string, unknown>
  for (const [key, value] of Object.entries(raw)) {
    if (value === null) continue
    config[key] = key === 'trustedRegistries' && typeof value === 'string' ? [value] : key === 'label-schema' ? emptyIsText(value) : value
  }
  const problems: Problems = []
  // hadolint skips keys it does not know, here and under override; saying so catches `ignore:` for `ignored:`.
  for (const key of Object.keys(config).filter((k) => !KNOWN.has(k))) {
    problems.push({ line: doc.at(`/${pointerToken(key)}`).line ?? 1, message: `unknown key "${key}": hadolint ignores it, and so does Plimsoll` })
  }
  const override = config.override
  if (typeof override === 'object' && override !== null && !Array.isArray(override)) {
    for (const key of Object.keys(override).filter((k) => !LEVELS.has(k))) {
      problems.push({ line: doc.at(`/override/${pointerToken(key)}`).line ?? 1, message: `unknown override level "${key}": hadolint ignores it, and so does Plimsoll` })
    }
  }
  const bad = new Set<string>()
  for (const problem of schemaProblems(validate, { value: config, at: doc.at }, file)) {
    const key = unescape((problem.pointer ?? '').split('/')[1] ?? '')
    problems.push({ line: problem.line ?? 1, message: `${problem.message} (${key} left out)` })
    bad.add(key)
  }
  // Only keys that passed the schema are read; each cast below is what the schema just checked.
  const get = <T>(key: string): T | undefined => bad.has(key) ? undefined : config[key] as T | undefined
  const levels = get<Record<string, string[]>>('override') ?? {}
  const severity: Record<string, Severity> = {}
  // The most severe listing wins when a code is listed twice.
  for (const level of ['style', 'info', 'warning', 'error']) {
    for (const code of levels[level] ?? []) severity[code] = LEVEL[level] as Severity
  }
  const params: Record<string, unknown> = {}
  const registries = get<string[]>('trustedRegistries')
  if (registries !== undefined) params.trustedRegistries = registries
  const labels = get<Record<string, string>>('label-schema')
  if (labels !== undefined) params.labelSchema = labels
  const strict = get<boolean>('strict-labels')
  if (strict !== undefined) params.strictLabels = strict
  const threshold = get<string>('failure-threshold')
  const failOn = get<boolean>('no-fail') === true ? 'none' : threshold === undefined ? undefined : LEVEL[threshold]
  return {
    ignored: get<string[]>('ignored') ?? [],
    severity,
    params,
    ...(failOn !== undefined && { failOn }),
    ...(get<boolean>('disable-ignore-pragma') === true && { disableIgnorePragma: true }),
    file,
    problems: problems.sort((a, b) => a.line - b.line),
  }
}

const unescape = (part: string): string => part.replace(/~1/g, '/').replace(/~0/g, '~')

function emptyIsText (schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema
  return Object.fromEntries(Object.entries(schema).map(([label, type]) => [label, type === '' || type === null ? 'text' : type]))
}
