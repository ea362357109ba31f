import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { compilePolicy, compilePolicySet, loadPolicyDir } from '../src/policy/load.js'

const rule = (fields: Record<string, string> = {}): string => {
  const merged: Record<string, string> = {
    id: 'no-maintainer',
    title: 'MAINTAINER used',
    severity: 'error',
    scope: 'instruction',
    assert: 'instruction.keyword != "MAINTAINER"',
    message: '{{instruction.keyword}} is deprecated',
    remediation: 'Use a LABEL.',
    ...fields,
  }
  const lines = Object.entries(merged).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`)
  return `${lines.join('\n').replace(/^ {6}/, '    - ')}
      examples:
        fail: ["FROM a:1\\nMAINTAINER x", "FROM a:1\\nRUN x\\nMAINTAINER y"]
        pass: ["FROM a:1", "FROM a:1\\nRUN x"]
`
}
const policy = (rules: string, name = 'test-pack'): string => `apiVersion: plimsoll.dev/v1
kind: Policy
metadata:
  name: ${name}
  title: Test pack
  version: 1.0.0
spec:
  target: dockerfile
  rules:
${rules}`

t.test('a valid policy compiles with its metadata and source line', async (t) => {
  const result = compilePolicy('test.yaml', policy(rule()))
  t.ok(result.ok)
  if (!result.ok) return
  t.match(result.value, { name: 'test-pack', version: '1.0.0', rules: [{ id: 'no-maintainer', policy: 'test-pack', fileLine: 10, keywords: [] }] })
})

t.test('broken YAML is refused with its line', async (t) => {
  const result = compilePolicy('bad.yaml', 'apiVersion: plimsoll.dev/v1\nkind: [Policy\n')
  t.match(result, { ok: false, problems: [{ code: 'policy.yaml', file: 'bad.yaml', line: Number }] })
})

t.test('schema problems name the field and its line', async (t) => {
  const result = compilePolicy('bad.yaml', policy(rule({ severity: 'fatal', colour: 'red' })))
  t.notOk(result.ok)
  if (result.ok) return
  t.match(result.problems, [
    { code: 'policy.schema', file: 'bad.yaml', line: 10, pointer: '/spec/rules/0', message: /additional properties: colour/ },
    { code: 'policy.schema', line: 12, pointer: '/spec/rules/0/severity', message: /error, warning, info/ },
  ])
})

t.test('CEL that does not parse, or yields the wrong type, is refused with its line', async (t) => {
  const result = compilePolicy('bad.yaml', policy(rule({ assert: 'instruction.keyword ==', when: '"text"', message: 'at {{instruction.(}}' })))
  t.notOk(result.ok)
  if (result.ok) return
  t.same(result.problems.map((p) => p.pointer).sort(), ['/spec/rules/0/assert', '/spec/rules/0/message', '/spec/rules/0/when'])
  t.match(result.problems.find((p) => p.pointer === '/spec/rules/0/when')?.message, /must yield bool, yields string/)
  t.same(Object.fromEntries(result.problems.map((p) => [p.pointer, p.line])),
    { '/spec/rules/0/assert': 14, '/spec/rules/0/message': 15, '/spec/rules/0/when': 17 }, 'each problem has the line of its field')
})

t.test('keywords only go with scope instruction', async (t) => {
  const text = policy(rule({ scope: 'stage', assert: 'true' }).replace('    - id:', '    - keywords: [RUN]\n      id:'))
  t.match(compilePolicy('bad.yaml', text), { ok: false, problems: [{ pointer: '/spec/rules/0/keywords' }] })
})

t.test('rule ids and policy names are unique across files', async (t) => {
  const result = compilePolicySet([{ name: 'a.yaml', text: policy(rule()) }, { name: 'b.yaml', text: policy(rule()) }])
  t.match(result, { ok: false, problems: [{ code: 'policy.duplicate-rule', file: 'b.yaml' }, { code: 'policy.duplicate-name' }] })
})

t.test('a directory loads every YAML file; its digest follows the content', async (t) => {
  const dir = t.testdir({ 'a.yaml': policy(rule()), 'README.md': 'not a policy' })
  const first = await loadPolicyDir(dir)
  t.match(first, { ok: true, value: { policies: [{ name: 'test-pack' }], digest: /^sha256:[0-9a-f]{64}$/ } })
  const other = await loadPolicyDir(t.testdir({ 'a.yaml': policy(rule({ title: 'Changed' })) }))
  t.ok(first.ok && other.ok && first.value.digest !== other.value.digest, 'a changed file changes the digest')
})

t.test('only regular files in the directory are read: links may point within it, never out; FIFOs are refused', async (t) => {
  // A ConfigMap mounts each file as a link into a ..data folder beside it.
  const configMap = t.testdir({ '..data': { 'a.yaml': policy(rule()) }, 'a.yaml': t.fixture('symlink', '..data/a.yaml') })
  t.match(await loadPolicyDir(configMap), { ok: true, value: { policies: [{ name: 'test-pack' }] } })
  const outside = t.testdir({ 'a.yaml': policy(rule()), 'shadow.yaml': t.fixture('symlink', '/etc/passwd') })
  t.match(await loadPolicyDir(outside), { ok: false, problems: [{ code: 'policy.outside-dir', file: 'shadow.yaml', message: /out of the policy directory/ }] })
  const fifo = t.testdir({ 'a.yaml': policy(rule()) })
  execFileSync('mkfifo', [join(fifo, 'pipe.yaml')])
  t.match(await loadPolicyDir(fifo), { ok: false, problems: [{ code: 'policy.not-a-file', file: 'pipe.yaml', message: /not a regular file/ }] })
  const folder = t.testdir({ 'a.yaml': policy(rule()), 'folder.yaml': {} })
  t.match(await loadPolicyDir(folder), { ok: false, problems: [{ code: 'policy.not-a-file', file: 'folder.yaml' }] })
})

t.test('a missing or empty directory is a problem, not a crash', async (t) => {
  t.match(await loadPolicyDir('/nonexistent/plimsoll'), { ok: false, problems: [{ code: 'policy.dir-unreadable' }] })
  t.match(await loadPolicyDir(t.testdir({})), { ok: false, problems: [{ code: 'policy.dir-empty' }] })
  t.match(await loadPolicyDir(t.testdir({ 'x.yaml': 'kind: Policy\n' })), { ok: false, problems: [{ code: 'policy.schema', file: 'x.yaml' }] })
})
