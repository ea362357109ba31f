import t from 'tap'
import { parse } from 'yaml'
import { openApiDocument } from '../../src/openapi.js'
import { build, specErrors } from '../helpers.js'

const PATH = '/v1/policies/validate'

// A small policy; `rule` is the text of its rules, from line 10 on (the line numbers below count on it).
const policy = (rule = RULE): string => `apiVersion: plimsoll.dev/v1
kind: Policy
metadata:
  name: team-rules
  title: Team rules
  version: 1.0.0
spec:
  target: dockerfile
  rules:
${rule}`

const RULE = `    - id: no-latest-base
      title: Base image uses the latest tag
      severity: warning
      scope: stage
      assert: stage.from.tag != "latest"
      message: "\`FROM {{stage.from.text}}\` uses latest"
      remediation: Name a versioned tag.
      examples:
        fail:
          - { dockerfile: "FROM python:latest", line: 1 }
          - { dockerfile: "FROM alpine:3.20\\nFROM node:latest", line: 2 }
        pass:
          - "FROM python:3.12-slim"
          - "FROM scratch"
`

type App = Awaited<ReturnType<typeof build>>
const validate = (app: App, payload: string, type = 'application/yaml') =>
  app.inject({ method: 'POST', url: PATH, headers: { 'content-type': type }, payload })

t.test('a valid policy: every example runs and passes, in each accepted media type', async (t) => {
  const app = await build(t)
  for (const type of ['application/yaml', 'text/yaml', 'text/plain', 'application/yaml; charset=utf-8']) {
    const res = await validate(app, policy(), type)
    t.equal(res.statusCode, 200, type)
    t.same(specErrors(PATH, 'POST', res), [], `${type}: matches the spec`)
    t.match(res.json(), { valid: true, problems: [] }, type)
    t.same(res.json().examples, [
      { ruleId: 'no-latest-base', expect: 'fail', index: 0, ok: true, message: '', pointer: '/spec/rules/0/examples/fail/0', line: 19 },
      { ruleId: 'no-latest-base', expect: 'fail', index: 1, ok: true, message: '', pointer: '/spec/rules/0/examples/fail/1', line: 20 },
      { ruleId: 'no-latest-base', expect: 'pass', index: 0, ok: true, message: '', pointer: '/spec/rules/0/examples/pass/0', line: 22 },
      { ruleId: 'no-latest-base', expect: 'pass', index: 1, ok: true, message: '', pointer: '/spec/rules/0/examples/pass/1', line: 23 },
    ], `${type}: each example with its place in the document`)
  }
  t.equal(app.policySet.policies.some((p) => p.name === 'team-rules'), false, 'nothing was loaded')
})

t.test('a policy sent as a JSON object: lines are those of the JSON text', async (t) => {
  const app = await build(t)
  const document = parse(policy())
  const good = await validate(app, JSON.stringify(document, null, 2), 'application/json')
  t.equal(good.statusCode, 200)
  t.same(specErrors(PATH, 'POST', good), [])
  t.match(good.json(), { valid: true, examples: [{ ok: true, line: Number }] })

  document.spec.rules[0].severity = 'fatal'
  const text = JSON.stringify(document, null, 2)
  const bad = await validate(app, text, 'application/json')
  t.same(specErrors(PATH, 'POST', bad), [])
  const line = text.split('\n').findIndex((l) => l.includes('"fatal"')) + 1
  t.match(bad.json(), { valid: false, problems: [{ code: 'policy.schema', pointer: '/spec/rules/0/severity', line }], examples: [] })
})

t.test('schema problems, each with its line, column and pointer', async (t) => {
  const app = await build(t)
  const res = await validate(app, policy(RULE.replace('severity: warning', 'severity: fatal').replace('scope: stage', 'scope: stage\n      colour: red')))
  t.equal(res.statusCode, 200)
  t.same(specErrors(PATH, 'POST', res), [])
  const { valid, problems, examples } = res.json()
  t.equal(valid, false)
  t.same(examples, [], 'examples do not run on a document that does not compile')
  const at = (pointer: string) => problems.find((p: { pointer: string }) => p.pointer === pointer)
  t.match(at('/spec/rules/0'), { code: 'policy.schema', line: 10, message: /additional properties: colour/ })
  t.match(at('/spec/rules/0/severity'), { code: 'policy.schema', line: 12, column: 17, message: /must be equal to one of the allowed values: error, warning, info/ })
  t.equal(problems.length, 2)
  t.ok(problems.every((p: { file?: string }) => p.file === undefined), 'no file: the document is the request body')
})

t.test('a CEL error is reported on the line of its expression', async (t) => {
  const app = await build(t)
  const res = await validate(app, policy(RULE.replace('stage.from.tag != "latest"', 'stage.from.tag != ')))
  t.equal(res.statusCode, 200)
  t.same(specErrors(PATH, 'POST', res), [])
  t.match(res.json(), { valid: false, problems: [{ code: 'policy.expression', pointer: '/spec/rules/0/assert', line: 14, message: /rule no-latest-base: assert:/ }], examples: [] })
})

t.test('failing examples are reported one by one, and make the policy invalid', async (t) => {
  const app = await build(t)
  const rule = RULE
    .replace('{ dockerfile: "FROM python:latest", line: 1 }', '{ dockerfile: "FROM python:3.12", line: 1 }')
    .replace('"FROM scratch"', '"FROM ubuntu:latest"')
  const res = await validate(app, policy(rule))
  t.equal(res.statusCode, 200)
  t.same(specErrors(PATH, 'POST', res), [])
  t.match(res.json(), {
    valid: false,
    problems: [],
    examples: [
      { expect: 'fail', index: 0, ok: false, message: 'not reported on a fail example', line: 19 },
      { expect: 'fail', index: 1, ok: true, message: '' },
      { expect: 'pass', index: 0, ok: true },
      { expect: 'pass', index: 1, ok: false, message: /reported on a pass example/, line: 23 },
    ],
  })
})

t.test('a rule id used twice would be refused at load', async (t) => {
  const app = await build(t)
  const res = await validate(app, policy(RULE + RULE))
  t.same(specErrors(PATH, 'POST', res), [])
  t.match(res.json(), { valid: false, problems: [{ code: 'policy.duplicate-rule', pointer: '/spec/rules/1/id', line: 24 }] })
})

t.test('text that is not YAML is still a 200, with the YAML problem and its line', async (t) => {
  const app = await build(t)
  const res = await validate(app, 'apiVersion: plimsoll.dev/v1\nkind: Policy\nmetadata: [unclosed\n  name: x\n')
  t.equal(res.statusCode, 200)
  t.same(specErrors(PATH, 'POST', res), [])
  t.match(res.json(), { valid: false, problems: [{ code: 'policy.yaml', line: Number, column: Number }], examples: [] })
  t.ok(res.json().problems[0].line >= 3, 'the line is where the YAML breaks, not line 1')
})

t.test('an empty body, or JSON that is not a policy object, is a 400 problem', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string, string]> = [
    ['empty YAML', '', 'application/yaml', 'input.empty-policy'],
    ['blank text', '  \n\n', 'text/plain', 'input.empty-policy'],
    ['empty JSON', '', 'application/json', 'input.empty-policy'],
    ['broken JSON', '{"apiVersion": ', 'application/json', 'input.invalid-json'],
    ['a JSON array', '[]', 'application/json', 'input.invalid-json'],
  ]
  for (const [name, payload, type, code] of cases) {
    const res = await validate(app, payload, type)
    t.equal(res.statusCode, 400, name)
    t.same(specErrors(PATH, 'POST', res), [], `${name}: matches the spec`)
    t.match(res.json(), { status: 400, errors: [{ code }] }, name)
  }
  const bare = await app.inject({ method: 'POST', url: PATH })
  t.equal(bare.statusCode, 400, 'no body at all')
  t.match(bare.json(), { errors: [{ code: 'input.empty-policy' }] })
})

t.test('another media type is a 415 problem that says what to send', async (t) => {
  const app = await build(t)
  const res = await validate(app, policy(), 'application/xml')
  t.equal(res.statusCode, 415)
  t.same(specErrors(PATH, 'POST', res), [])
  t.match(res.json(), { detail: /send the policy as application\/yaml/ })
})

t.test('the examples in openapi.yaml validate, so "Try it out" shows valid: true', async (t) => {
  const app = await build(t)
  const content = (openApiDocument.paths[PATH]?.post as { requestBody: { content: Record<string, { example?: unknown }> } }).requestBody.content
  const yaml = await validate(app, content['application/yaml']?.example as string)
  t.match(yaml.json(), { valid: true, problems: [] }, 'the YAML example')
  t.ok(yaml.json().examples.length >= 4)
  const json = await validate(app, JSON.stringify(content['application/json']?.example), 'application/json')
  t.match(json.json(), { valid: true, problems: [] }, 'the JSON example')
  t.ok(json.json().examples.length >= 4)
})
