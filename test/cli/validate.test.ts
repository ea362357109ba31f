import { cpSync } from 'node:fs'
import t from 'tap'
import { CLI_FIXTURES, PASSING_POLICIES, run } from './helpers.js'

t.test('broken files: every problem as file:line:column: message, exit 1', async (t) => {
  const result = await run(['validate', 'broken/schema.yaml', 'broken/cel.yaml', 'broken/bad_test.yaml'], { cwd: CLI_FIXTURES })
  t.equal(result.code, 1)
  t.equal(result.stderr, '')
  const lines = result.stdout.split('\n')
  t.same(lines.filter((l) => /^\S+:\d+:\d+: /.test(l)), [
    'broken/bad_test.yaml:9:15: /spec/cases/0/expect must NOT have fewer than 1 properties',
    'broken/bad_test.yaml:12:9: /spec/cases/1/expect must NOT have additional properties: fial',
    'broken/schema.yaml:12:17: /spec/rules/0/severity must be equal to one of the allowed values: error, warning, info',
    'broken/cel.yaml:14:15: rule workdir-set: assert: Unexpected token: EOF',
  ])
  t.match(result.stdout, /\n {4}>\s+1 \| stage\.workdir != "" &&\n/, 'the CEL snippet follows, indented')
  t.match(result.stdout, /\n3 files: 4 problems\n$/)
})

t.test('the whole --policies directory, test files included', async (t) => {
  const broken = await run(['validate', '--policies', 'broken'], { cwd: CLI_FIXTURES })
  t.equal(broken.code, 1)
  t.match(broken.stdout, /^broken\/cel\.yaml:14:15: /m)
  t.match(broken.stdout, /^broken\/schema\.yaml:12:17: /m)
  t.match(broken.stdout, /^broken\/bad_test\.yaml:9:15: /m)
  t.match(broken.stdout, /\nbroken: 4 problems\n$/)

  const good = await run(['validate', '--policies', PASSING_POLICIES], { cwd: CLI_FIXTURES })
  t.same(good, { code: 0, stdout: 'policies-pass: valid\n', stderr: '' })
  t.equal((await run(['validate'])).code, 0, 'the shipped policies are valid')
})

t.test('valid files, and files that cannot be read', async (t) => {
  const ok = await run(['validate', 'policies-pass/users.yaml', 'policies-pass/relaxed.yaml', 'policies-pass/users_test.yaml'], { cwd: CLI_FIXTURES })
  t.same(ok, { code: 0, stdout: '3 files: valid\n', stderr: '' })

  const missing = await run(['validate', 'nope.yaml', 'policies-pass/users.yaml'], { cwd: CLI_FIXTURES })
  t.equal(missing.code, 2)
  t.match(missing.stderr, /^plimsoll: nope\.yaml: cannot read: /)
  t.equal(missing.stdout, '1 file: valid\n')
})

t.test('a policy directory that cannot be read or holds no policy is a usage error', async (t) => {
  const empty = t.testdir({ 'notes.txt': 'x' })
  const result = await run(['validate', '--policies', empty])
  t.equal(result.code, 2)
  t.match(result.stderr, /no \*\.yaml policy files/)
  t.equal((await run(['validate', '--policies', '/nonexistent/plimsoll'])).code, 2)
})

t.test('duplicate rule ids across files are found', async (t) => {
  const dir = t.testdir({})
  cpSync(`${PASSING_POLICIES}/users.yaml`, `${dir}/a.yaml`)
  cpSync(`${PASSING_POLICIES}/users.yaml`, `${dir}/b.yaml`)
  const result = await run(['validate', 'a.yaml', 'b.yaml'], { cwd: dir })
  t.equal(result.code, 1)
  t.match(result.stdout, /^b\.yaml:\d+: rule id "final-user-not-root" is also defined in a\.yaml$/m)
})
