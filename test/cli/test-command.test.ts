import { cpSync } from 'node:fs'
import t from 'tap'
import { findPolicyTestFiles } from '../../src/cli/policy-test-file.js'
import { loadPolicyDir } from '../../src/policy/load.js'
import { BROKEN_POLICIES, CLI_FIXTURES, FAILING_POLICIES, PASSING_POLICIES, run } from './helpers.js'

t.test('a passing policy directory: one line per rule and per case, exit 0', async (t) => {
  const result = await run(['test', 'policies-pass'], { cwd: CLI_FIXTURES })
  t.equal(result.code, 0)
  t.equal(result.stderr, '')
  t.equal(result.stdout, [
    'policies-pass/users.yaml',
    '  ✓ final-user-not-root  4 examples',
    '  ✓ user-set  4 examples',
    '  ✓ workdir-set  4 examples',
    'policies-pass/tests/suppressions.test.yaml',
    '  ✓ a hadolint pragma suppresses through the alias',
    '  ✓ the relaxed profile allows nobody',
    'policies-pass/users_test.yaml',
    '  ✓ root in the final stage',
    '  ✓ an alias names the rule',
    '  ✓ a param changes what is forbidden',
    '',
    '8 passed, 0 failed',
    '',
  ].join('\n'))
})

t.test('a failing policy directory: ✗ with the failing examples and cases, exit 1', async (t) => {
  const result = await run(['test', FAILING_POLICIES], { cwd: CLI_FIXTURES })
  t.equal(result.code, 1)
  t.match(result.stdout, [
    '  ✗ final-user-not-root  4 examples  policies-fail/users.yaml:13',
    '      pass example 2: reported on a pass example: the final stage runs as `0` (line 2)',
    '        | FROM alpine:3.20',
    '        | USER 0',
    '  ✓ user-set  4 examples',
  ].join('\n'))
  t.match(result.stdout, '  ✓ passes\n')
  t.match(result.stdout, '  ✗ expects a finding that is not there  policies-fail/tests/users_test.yaml:11\n      expected user-set to fail; it reported nothing\n')
  t.match(result.stdout, '  ✗ names a rule that does not exist  policies-fail/tests/users_test.yaml:15\n      no loaded rule has the id or alias "no-such-rule"\n')
  t.match(result.stdout, /\n\n3 passed, 3 failed\n$/)
})

t.test('policies that do not load: exit 2, problems with lines on stderr', async (t) => {
  const result = await run(['test', BROKEN_POLICIES], { cwd: CLI_FIXTURES })
  t.equal(result.code, 2)
  t.equal(result.stdout, '')
  t.match(result.stderr, /^broken\/schema\.yaml:12:17: /m)
})

t.test('test files that do not load: exit 2, each problem at its line and column', async (t) => {
  const dir = t.testdir({ tests: {} })
  cpSync(`${PASSING_POLICIES}/users.yaml`, `${dir}/users.yaml`)
  cpSync(`${BROKEN_POLICIES}/bad_test.yaml`, `${dir}/tests/bad_test.yaml`)
  const result = await run(['test', dir])
  t.equal(result.code, 2)
  t.match(result.stderr, /^plimsoll: the policy tests do not load:\n/)
  t.match(result.stderr, /tests\/bad_test\.yaml:9:15: \/spec\/cases\/0\/expect must NOT have fewer than 1 properties\n/)
  t.match(result.stderr, /tests\/bad_test\.yaml:12:9: \/spec\/cases\/1\/expect must NOT have additional properties: fial\n/)
})

t.test('the shipped policies pass their own tests', async (t) => {
  const result = await run(['test'])
  t.equal(result.code, 0)
  t.match(result.stdout, /(^|\n)\S*docker-best-practices\.yaml\n {2}✓ /)
  t.match(result.stdout, /\n\d+ passed, 0 failed\n$/)
})

t.test('colours on a terminal: green ticks, red crosses', async (t) => {
  const result = await run(['test', FAILING_POLICIES], { tty: true })
  t.match(result.stdout, '\x1b[32m✓\x1b[39m')
  t.match(result.stdout, '\x1b[31m✗\x1b[39m')
})

t.test('test files beside the policies are not loaded as policies', async (t) => {
  // load.ts skips *_test.yaml and *.test.yaml at the top level and reads no subfolder; `test` finds both.
  const loaded = await loadPolicyDir(PASSING_POLICIES)
  t.ok(loaded.ok)
  if (loaded.ok) t.same([loaded.value.policies.map((p) => p.name), loaded.value.profiles.map((p) => p.name)], [['users'], ['relaxed']])
  t.same((await findPolicyTestFiles(PASSING_POLICIES)).map((f) => f.slice(PASSING_POLICIES.length + 1)), ['tests/suppressions.test.yaml', 'users_test.yaml'])
})

t.test("a rule's fix examples run with its others, and a wrong one fails naming what the fix gave", async (t) => {
  const rule = [
    'apiVersion: plimsoll.dev/v1', 'kind: Policy', 'metadata: { name: apk, title: apk, version: 1.0.0 }', 'spec:', '  target: dockerfile', '  rules:',
    '    - id: apk-no-cache', '      title: t', '      severity: info', '      scope: command', '      keywords: [RUN]',
    '      when: command.tool == "apk" && command.subcommand == "add"', '      assert: command.hasFlag("--no-cache")', '      message: m', '      remediation: r',
    '      fix: { description: Add `--no-cache`, edits: [{ addFlag: --no-cache }] }',
    '      examples:',
    '        fail: ["FROM alpine\\nRUN apk add curl", "FROM alpine\\nRUN apk add -U git"]',
    '        pass: ["FROM alpine\\nRUN apk add --no-cache curl", "FROM alpine\\nRUN true"]',
    '        fix:',
    '          - { before: "FROM alpine\\nRUN apk add curl", after: "FROM alpine\\nRUN apk add --no-cache curl" }',
    '          - { before: "FROM alpine\\nRUN apk add git", after: "FROM alpine\\nRUN apk add git --no-cache" }',
  ].join('\n')
  const dir = t.testdir({ 'apk.yaml': rule })
  const result = await run(['test', dir])
  t.equal(result.code, 1)
  t.match(result.stdout, '  ✗ apk-no-cache  6 examples (2 of its fix)')
  t.match(result.stdout, [
    '      fix example 2: the fix gave another Dockerfile than `after` (- after, + what the fix gave):',
    '      @@ -1,2 +1,2 @@',
    '       FROM alpine',
    '      -RUN apk add git --no-cache',
    '      +RUN apk add --no-cache git',
    '        | FROM alpine',
    '        | RUN apk add git',
  ].join('\n'))
})
