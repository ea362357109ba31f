// `kind: Waivers` documents: exceptions granted by the people who own the policies, each with a reason,
// an owner and an expiry date, so that an exception is a decision someone signed rather than a comment
// someone slipped into a Dockerfile. Waivers apply after evaluation (suppress.ts), never inside rules.
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { failed, ok, type Result } from '../problem.js'
import type { Waiver } from './suppression-types.js'
import { parseYaml, schemaProblems } from './yaml-document.js'

const waiver = {
  type: 'object',
  additionalProperties: false,
  required: ['rule', 'reason', 'owner', 'expires'],
  properties: {
    rule: { type: 'string', minLength: 1, description: 'Rule id or alias (DL3007, DS-0001…) it waives.' },
    scope: {
      type: 'object',
      additionalProperties: false,
      description: 'Where it applies; absent or empty: every finding of the rule.',
      properties: {
        stage: {
          oneOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 0 }],
          description: 'Only findings in this stage: its name, or its index from 0.',
        },
        image: {
          type: 'string',
          minLength: 1,
          description: 'Only findings in stages built on this image, or whose message names it; without a tag, any tag of it.',
        },
      },
    },
    reason: { type: 'string', minLength: 1, description: 'Why the finding is accepted.' },
    owner: { type: 'string', minLength: 1, description: 'Who granted it and answers for it: a person or a team address.' },
    expires: {
      type: 'string',
      format: 'date',
      description: 'Last day it applies (YYYY-MM-DD, UTC); the day after, it suppresses nothing and the verdict lists it as expired.',
    },
  },
}

/** JSON Schema of a `kind: Waivers` document. */
export const waiversSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://plimsoll.dev/schemas/waivers-v1.json',
  title: 'Plimsoll waivers',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'plimsoll.dev/v1' },
    kind: { const: 'Waivers' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
        description: { type: 'string' },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['waivers'],
      properties: { waivers: { type: 'array', items: waiver } },
    },
  },
} as const

const ajv = new Ajv2020({ allErrors: true, strict: true })
// ajv-formats' `date` is RFC 3339 full-date and checks the calendar: 2027-02-30 and 2026-02-29 fail.
addFormats.default(ajv, ['date'])
const validateWaivers = ajv.compile(waiversSchema)

interface WaiverSource {
  rule: string
  scope?: { stage?: string | number, image?: string }
  reason: string
  owner: string
  expires: string
}

/** Parses and schema-checks a `kind: Waivers` document; every problem carries file, line and JSON Pointer. */
export function compileWaivers (file: string, text: string): Result<Waiver[]> {
  const doc = parseYaml(file, text)
  if (!doc.ok) return doc
  const problems = schemaProblems(validateWaivers, doc.value, file)
  if (problems.length > 0) return failed(problems)
  const sources = (doc.value.value as { spec: { waivers: WaiverSource[] } }).spec.waivers
  return ok(sources.map((source, index) => ({
    rule: source.rule,
    scope: {
      ...(source.scope?.stage !== undefined && { stage: String(source.scope.stage) }),
      ...(source.scope?.image !== undefined && { image: source.scope.image }),
    },
    reason: source.reason,
    owner: source.owner,
    expires: source.expires,
    file,
    line: doc.value.at(`/spec/waivers/${index}`).line ?? 1,
  })))
}
