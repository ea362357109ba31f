import { Ajv2020 } from 'ajv/dist/2020.js'
import { failed, ok, type Result } from '../problem.js'
import type { Profile } from './types.js'
import { schemaProblems, type YamlDocument } from './yaml-document.js'

const selectors = { type: 'array', items: { type: 'string', minLength: 1 } }

/** JSON Schema of a `kind: Profile` document. */
export const profileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://plimsoll.dev/schemas/profile-v1.json',
  title: 'Plimsoll profile',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'plimsoll.dev/v1' },
    kind: { const: 'Profile' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'title'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
        title: { type: 'string', minLength: 1 },
        description: { type: 'string' },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        policies: { ...selectors, description: 'Packs to use; all loaded packs when absent.' },
        rules: { ...selectors, description: 'Exactly the rules matching these ids, aliases or tags (globs allowed), opt-in rules included.' },
        include: { ...selectors, description: 'Rules to add, by id, alias or tag (globs allowed); names opt-in rules.' },
        exclude: { ...selectors, description: 'Rules to remove, by id, alias or tag (globs allowed).' },
        severity: { type: 'object', additionalProperties: { enum: ['error', 'warning', 'info'] }, description: 'Severity overrides by rule id, alias or tag.' },
        params: { type: 'object', description: 'Parameter values by name.' },
        failOn: { enum: ['error', 'warning', 'info', 'none'] },
      },
    },
  },
} as const

const validateProfile = new Ajv2020({ allErrors: true, strict: true }).compile(profileSchema)

interface ProfileSource {
  metadata: { name: string, title: string, description?: string }
  spec: { policies?: string[], rules?: string[], include?: string[], exclude?: string[], severity?: Record<string, Profile['severity'][string]>, params?: Record<string, unknown>, failOn?: Profile['failOn'] }
}

/** Checks a parsed `kind: Profile` document against its schema. */
export function compileProfile (file: string, doc: YamlDocument): Result<Profile> {
  const problems = schemaProblems(validateProfile, doc, file)
  if (problems.length > 0) return failed(problems)
  const { metadata, spec } = doc.value as ProfileSource
  return ok({
    name: metadata.name,
    title: metadata.title,
    description: metadata.description ?? '',
    policies: spec.policies ?? [],
    rules: spec.rules ?? [],
    include: spec.include ?? [],
    exclude: spec.exclude ?? [],
    severity: spec.severity ?? {},
    params: spec.params ?? {},
    ...(spec.failOn !== undefined && { failOn: spec.failOn }),
    file,
  })
}
