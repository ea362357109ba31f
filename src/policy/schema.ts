// JSON Schema of a policy file (format v1). Checked at load, before any expression is compiled.

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
      enum: ['dockerfile', 'stage', 'final-stage', 'instruction', 'command', 'context-file', 'requirement'],
      description: 'What the rule runs on: the whole file, each stage, the final stage, each instruction, each shell command, each context file, or each line of each requirements file.',
    },
    keywords: {
      type: 'array',
      items: { type: 'string', pattern: '^[A-Z]+$' },
      minItems: 1,
      description: 'For scopes instruction and command: only instructions with these keywords.',
    },
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
    examples: {
      type: 'object',
      additionalProperties: false,
      required: ['fail', 'pass'],
      properties: {
        fail: { type: 'array', items: example, minItems: 2 },
        pass: { type: 'array', items: example, minItems: 2 },
      },
    },
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
        target: { enum: ['dockerfile', 'image'] },
        when: { type: 'string', minLength: 1, description: 'CEL over `dockerfile`: the pack applies only where this is true (a Python pack where Python is used); otherwise its rules are reported as not evaluated.' },
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
