// JSON Schema of a policy file (format v1). Checked at load, before any expression is compiled.
import { fixExampleSchema, fixSchema } from '../fix/compile.js'

const example = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['dockerfile'],
      properties: {
        dockerfile: { type: 'string', minLength: 1 },
        files: { type: 'object', additionalProperties: { type: 'string' } },
        line: { type: 'integer', minimum: 1, description: 'Line a fail example must be reported on.' },
      },
    },
  ],
}

const imageExample = {
  type: 'object',
  additionalProperties: false,
  required: ['image'],
  properties: {
    image: { anyOf: [{ type: 'object' }, { type: 'array' }], description: 'Any image document POST /v1/evaluate takes: inspect output, an image config, a manifest or index.' },
    kind: { type: 'string', description: 'The document\'s kind, when detection should not guess.' },
    listing: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Files as an archive would list them: `/app/` (directory), `/bin/sh -> busybox` (symlink), `/usr/bin/su 4755 0:0` (mode, owner). Absent: the example has no file listing.',
    },
    dockerfile: { type: 'string', minLength: 1, description: 'The Dockerfile the image was built from, for rules that compare the two.' },
    files: { type: 'object', additionalProperties: { type: 'string' }, description: 'Context files sent with it, such as a .hadolint.yaml that sets params (labelSchema).' },
  },
}

const imageScopes = ['image', 'image-layer', 'image-file', 'image-history', 'image-command']
const needs = {
  type: 'array',
  items: { enum: ['config', 'history', 'layers', 'files', 'dockerfile'] },
  uniqueItems: true,
  description: 'What must have been sent to judge the image rule (else it is reported as not evaluated). Default by scope: image: config; image-layer: layers; image-file: files; image-history and image-command: history.',
}
const includeBase = {
  type: 'boolean',
  description: 'Scopes image-history and image-command: judge the base image\'s steps too (what they left is in the image: a secret, a toolchain). Default false: only the image\'s own steps, as a Dockerfile rule would see them.',
}
const examples = (item: object, fix = false): object => ({
  type: 'object',
  additionalProperties: false,
  required: ['fail', 'pass'],
  properties: {
    fail: { type: 'array', items: item, minItems: 2 },
    pass: { type: 'array', items: item, minItems: 2 },
    ...(fix && { fix: fixExampleSchema }),
  },
})

// The same practice judged on an image: its own scope and examples; when, assert and message default to the rule's.
const imageCheck = {
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'examples'],
  properties: {
    scope: { enum: imageScopes },
    keywords: { type: 'array', items: { type: 'string', pattern: '^[A-Z]+$' }, minItems: 1, description: 'For scopes image-history and image-command: only steps with these keywords.' },
    needs,
    includeBase,
    when: { type: 'string', minLength: 1 },
    assert: { type: 'string', minLength: 1 },
    message: { type: 'string', minLength: 1 },
    examples: examples(imageExample),
  },
}

const rule = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'severity', 'scope', 'assert', 'message', 'remediation', 'examples'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'Kebab-case rule id, unique across all loaded policies.' },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    severity: { enum: ['error', 'warning', 'info'] },
    scope: {
      enum: ['dockerfile', 'stage', 'final-stage', 'instruction', 'command', 'context-file', 'requirement', ...imageScopes],
      description: 'What the rule runs on: the whole file, each stage, the final stage, each instruction, each shell command, each context file, or each line of each requirements file; for an image: the image, each layer, each file, each history step, or each shell command of a history step.',
    },
    keywords: {
      type: 'array',
      items: { type: 'string', pattern: '^[A-Z]+$' },
      minItems: 1,
      description: 'For scopes instruction, command, image-history and image-command: only instructions with these keywords.',
    },
    needs,
    includeBase,
    image: { ...imageCheck, description: 'The same practice judged on an image, under the same id: a Dockerfile rule only.' },
    enabled: { type: 'boolean', description: 'False for an opt-in rule, run only when a profile or request names it. Default true.' },
    needsContext: { type: 'boolean', description: 'True for a rule about build-context files: without any context file in the request it is reported as not evaluated instead of run. Default false.' },
    when: { type: 'string', minLength: 1, description: 'CEL: the rule applies only where this is true.' },
    assert: { type: 'string', minLength: 1, description: 'CEL: must be true, or a finding is reported.' },
    line: { type: 'string', minLength: 1, description: 'CEL: the line to report; defaults to the scope\'s first line.' },
    message: { type: 'string', minLength: 1, description: 'Finding text; {{ CEL }} placeholders are filled in.' },
    remediation: { type: 'string', minLength: 1 },
    references: { type: 'array', items: { type: 'string', format: 'uri' } },
    aliases: { type: 'array', items: { type: 'string', minLength: 1 } },
    tags: { type: 'array', items: { type: 'string', minLength: 1 } },
    fix: fixSchema,
    examples: { ...examples({ anyOf: [example, imageExample] }, true), description: 'Dockerfiles for a Dockerfile rule, images for an image rule; `fix`: what the rule\'s fix makes of a Dockerfile.' },
  },
}

export const policySchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://plimsoll.dev/schemas/policy-v1.json',
  title: 'Plimsoll policy',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'plimsoll.dev/v1' },
    kind: { const: 'Policy' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'title', 'version'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
        title: { type: 'string', minLength: 1 },
        version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
        description: { type: 'string' },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['target', 'rules'],
      properties: {
        target: { enum: ['dockerfile', 'image'], description: 'What the pack mainly judges. Each rule\'s scope decides what it runs on.' },
        when: { type: 'string', minLength: 1, description: 'CEL over `dockerfile` and `image` (null when a Dockerfile is judged; on an image, `dockerfile` is the Dockerfile sent with it or else its history read back): the pack applies only where this is true (a Python pack where Python is used); otherwise its rules are reported as not evaluated.' },
        params: {
          type: 'object',
          description: 'Parameters the rules read as `params.<name>`, with their types and defaults.',
          propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9]*$' },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'default'],
            properties: {
              type: { enum: ['string', 'number', 'boolean', 'list', 'map'] },
              default: {},
              description: { type: 'string' },
            },
          },
        },
        rules: { type: 'array', items: rule, minItems: 1 },
      },
    },
  },
} as const
