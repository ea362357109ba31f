import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import t from 'tap'
import { compileWaivers, waiversSchema } from '../src/policy/waivers.js'

const doc = (waivers: string, head = 'apiVersion: plimsoll.dev/v1\nkind: Waivers\nmetadata: { name: platform-team }\n'): string =>
  `${head}spec:\n  waivers:\n${waivers}`

const one = (fields: Record<string, string>): string => {
  const merged: Record<string, string> = { rule: 'base-image-not-latest', reason: 'upstream publishes only latest', owner: 'platform@example.com', expires: '2027-01-31', ...fields }
  const lines = Object.entries(merged).filter(([, value]) => value !== '-').map(([key, value]) => `      ${key}: ${value}`)
  return `${lines.join('\n').replace(/^ {6}/, '    - ')}\n`
}

t.test('the documented example compiles, with its file and line', async (t) => {
  const text = doc(`    - rule: base-image-not-latest      # rule id or alias
      scope: { stage: build }
      reason: upstream publishes only latest
      owner: platform@example.com
      expires: 2027-01-31
    - rule: DL3002
      scope: { stage: 0, image: "python:3.12" }
      reason: the entrypoint drops privileges
      owner: team-a
      expires: 2026-12-31
    - rule: pip-no-cache
      reason: cache mount
      owner: team-b
      expires: "2026-06-30"
`)
  t.same(compileWaivers('platform.yaml', text), {
    ok: true,
    value: [
      { rule: 'base-image-not-latest', scope: { stage: 'build' }, reason: 'upstream publishes only latest', owner: 'platform@example.com', expires: '2027-01-31', file: 'platform.yaml', line: 6 },
      { rule: 'DL3002', scope: { stage: '0', image: 'python:3.12' }, reason: 'the entrypoint drops privileges', owner: 'team-a', expires: '2026-12-31', file: 'platform.yaml', line: 11 },
      { rule: 'pip-no-cache', scope: {}, reason: 'cache mount', owner: 'team-b', expires: '2026-06-30', file: 'platform.yaml', line: 16 },
    ],
  })
})

t.test('an empty list is valid: every waiver may have been retired', async (t) => {
  t.same(compileWaivers('w.yaml', doc('    []\n')), { ok: true, value: [] })
})

t.test('expires must be a real calendar day, written YYYY-MM-DD', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['2027-01-31', true],
    ['2028-02-29', true],
    ['"2027-12-31"', true],
    ['2027-02-29', false],
    ['2027-02-30', false],
    ['2027-04-31', false],
    ['2027-13-01', false],
    ['2027-00-10', false],
    ['2027-1-31', false],
    ['27-01-31', false],
    ['2027/01/31', false],
    ['2027-01-31T00:00:00Z', false],
    ['20270131', false],
    ['tomorrow', false],
  ]
  for (const [expires, valid] of cases) {
    const result = compileWaivers('w.yaml', doc(one({ expires })))
    if (valid) t.ok(result.ok, `${expires} is valid`)
    else t.match(result, { ok: false, problems: [{ code: 'policy.schema', file: 'w.yaml', line: 9, pointer: '/spec/waivers/0/expires' }] }, `${expires} is refused at its line`)
  }
})

t.test('rule, reason, owner and expires are required and not empty', async (t) => {
  for (const field of ['rule', 'reason', 'owner', 'expires']) {
    t.match(compileWaivers('w.yaml', doc(one({ [field]: '-' }))), { ok: false, problems: [{ pointer: '/spec/waivers/0', line: 6, message: new RegExp(field) }] }, `${field} missing`)
  }
  for (const field of ['rule', 'reason', 'owner']) {
    t.match(compileWaivers('w.yaml', doc(one({ [field]: '""' }))), { ok: false, problems: [{ pointer: `/spec/waivers/0/${field}` }] }, `${field} empty`)
  }
})

t.test('scope takes a stage (name or index) and an image, nothing else', async (t) => {
  t.ok(compileWaivers('w.yaml', doc(one({ scope: '{ stage: runtime }' }))).ok)
  t.ok(compileWaivers('w.yaml', doc(one({ scope: '{ stage: 2 }' }))).ok)
  t.ok(compileWaivers('w.yaml', doc(one({ scope: '{}' }))).ok, 'empty: every finding of the rule')
  const refused: Array<[string, string]> = [
    ['{ stage: -1 }', '/spec/waivers/0/scope/stage'],
    ['{ stage: 1.5 }', '/spec/waivers/0/scope/stage'],
    ['{ stage: "" }', '/spec/waivers/0/scope/stage'],
    ['{ image: "" }', '/spec/waivers/0/scope/image'],
    ['{ file: requirements.txt }', '/spec/waivers/0/scope'],
    ['[build]', '/spec/waivers/0/scope'],
  ]
  for (const [scope, pointer] of refused) t.match(compileWaivers('w.yaml', doc(one({ scope }))), { ok: false, problems: [{ pointer, line: Number }] }, scope)
})

t.test('unknown fields are refused with their line', async (t) => {
  t.match(compileWaivers('w.yaml', doc(one({ expiry: '2027-01-01' }))), { ok: false, problems: [{ pointer: '/spec/waivers/0', message: /additional properties: expiry/ }] })
})

t.test('the header must say Waivers in the v1 API', async (t) => {
  const cases: Array<[string, string]> = [
    ['apiVersion: plimsoll.dev/v2\nkind: Waivers\nmetadata: { name: a }\n', '/apiVersion'],
    ['apiVersion: plimsoll.dev/v1\nkind: Waiver\nmetadata: { name: a }\n', '/kind'],
    ['apiVersion: plimsoll.dev/v1\nkind: Waivers\nmetadata: { name: Platform Team }\n', '/metadata/name'],
    ['apiVersion: plimsoll.dev/v1\nkind: Waivers\n', ''],
  ]
  for (const [head, pointer] of cases) t.match(compileWaivers('w.yaml', doc(one({}), head)), { ok: false, problems: [{ code: 'policy.schema', pointer }] }, pointer || 'no metadata')
})

t.test('every problem is reported at once, each with its own line', async (t) => {
  const result = compileWaivers('w.yaml', doc(one({ expires: '2027-02-30' }) + one({ owner: '-', rule: 'DL3007' })))
  t.notOk(result.ok)
  if (result.ok) return
  t.same(result.problems.map((p) => [p.pointer, p.line]), [['/spec/waivers/0/expires', 9], ['/spec/waivers/1', 10]])
})

t.test('broken YAML is a problem with its line', async (t) => {
  t.match(compileWaivers('w.yaml', doc('    - rule: [a\n')), { ok: false, problems: [{ code: 'policy.yaml', file: 'w.yaml', line: Number }] })
})

t.test('waiversSchema is a standalone JSON Schema 2020-12 that accepts the example', async (t) => {
  const ajv = new Ajv2020({ strict: true })
  addFormats.default(ajv)
  const validate = ajv.compile(waiversSchema)
  t.ok(validate({ apiVersion: 'plimsoll.dev/v1', kind: 'Waivers', metadata: { name: 'a' }, spec: { waivers: [{ rule: 'a', reason: 'b', owner: 'c', expires: '2027-01-31' }] } }))
  t.notOk(validate({ apiVersion: 'plimsoll.dev/v1', kind: 'Waivers', metadata: { name: 'a' }, spec: { waivers: [{ rule: 'a', reason: 'b', owner: 'c', expires: '2027-02-31' }] } }))
})
