import t from 'tap'
import { compilePolicyTest, type PolicyTestCase } from '../../src/cli/policy-test-file.js'
import { runPolicyTestCase } from '../../src/cli/policy-test-run.js'
import { loadPolicyDir } from '../../src/policy/load.js'
import type { PolicySet } from '../../src/policy/types.js'
import { PASSING_POLICIES } from './helpers.js'

async function fixtureSet (): Promise<PolicySet> {
  const loaded = await loadPolicyDir(PASSING_POLICIES)
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
  return loaded.value
}

function testCase (yaml: string): PolicyTestCase {
  const compiled = compilePolicyTest('t_test.yaml', `apiVersion: plimsoll.dev/v1\nkind: PolicyTest\nmetadata: { name: t }\nspec:\n  cases:\n${yaml}`)
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems))
  return compiled.value.cases[0] as PolicyTestCase
}

t.test('the format: defaults filled in, names and lines kept', async (t) => {
  const c = testCase('    - dockerfile: "FROM a"\n      expect: { fail: [DL3002, { rule: user-set, line: 1 }] }\n')
  t.same(c, { dockerfile: 'FROM a', name: 'case 1', files: {}, expect: { fail: [{ rule: 'DL3002' }, { rule: 'user-set', line: 1 }], pass: [], suppressed: [] }, line: 6 })
})

t.test('the format refuses what it does not know, with lines', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['    - dockerfile: ""\n      expect: { pass: [a] }\n', /\/spec\/cases\/0\/dockerfile must NOT have fewer than 1 characters/],
    ['    - dockerfile: "FROM a"\n', /\/spec\/cases\/0 must have required property 'expect'/],
    ['    - dockerfile: "FROM a"\n      expect: { fail: [{ rule: a }] }\n', /must have required property 'line'/],
    ['    - dockerfile: "FROM a"\n      expect: { pass: [a, a] }\n', /must NOT have duplicate items/],
    ['    - dockerfile: "FROM a"\n      expect: { pass: [a] }\n      profiles: [x]\n', /must NOT have additional properties: profiles/],
    ['    - { name: x, dockerfile: "FROM a", expect: { pass: [a] } }\n    - { name: x, dockerfile: "FROM b", expect: { pass: [a] } }\n', /case name "x" is used twice/],
    ['  - [unclosed\n', /./],
  ]
  for (const [yaml, message] of cases) {
    const compiled = compilePolicyTest('t_test.yaml', `apiVersion: plimsoll.dev/v1\nkind: PolicyTest\nmetadata: { name: t }\nspec:\n  cases:\n${yaml}`)
    t.notOk(compiled.ok, yaml)
    if (!compiled.ok) {
      t.match(compiled.problems.map((p) => p.message).join('\n'), message, yaml)
      t.ok(compiled.problems.every((p) => p.file === 't_test.yaml' && typeof p.line === 'number' && p.line >= 5), 'every problem has a line')
    }
  }
})

t.test('each kind of missed expectation says what happened', async (t) => {
  const set = await fixtureSet()
  const outcome = (yaml: string): readonly string[] => runPolicyTestCase(set, testCase(yaml)).failures
  t.same(outcome('    - dockerfile: "FROM a\\nUSER root"\n      expect: { fail: [{ rule: final-user-not-root, line: 1 }] }\n'),
    ['expected final-user-not-root to fail on line 1; it reported line 2'])
  t.same(outcome('    - dockerfile: "FROM a\\nUSER root"\n      expect: { pass: [dl3002] }\n'),
    ['expected dl3002 to pass; it reported line 2: the final stage runs as `root`'], 'aliases match in any case')
  t.same(outcome('    - dockerfile: "FROM a\\nUSER root"\n      expect: { suppressed: [final-user-not-root] }\n'),
    ['expected final-user-not-root to be suppressed; it reported line 2 unsuppressed'])
  t.same(outcome('    - dockerfile: "FROM a\\nUSER 1"\n      expect: { suppressed: [final-user-not-root] }\n'),
    ['expected final-user-not-root to be suppressed; it reported nothing'])
  t.same(outcome('    - dockerfile: "FROM a\\n# hadolint ignore=DL3002\\nUSER root"\n      expect: { fail: [final-user-not-root] }\n'),
    ['expected final-user-not-root to fail; its finding was suppressed'])
  t.same(outcome('    - dockerfile: "FROM a\\nUSER 1"\n      profile: nope\n      expect: { pass: [user-set] }\n'),
    ['could not be evaluated: unknown profile "nope"; loaded: relaxed'])
  t.same(outcome('    - dockerfile: "FROM a\\nUSER nobody"\n      exclude: [final-user-not-root]\n      include: [user-set]\n      policies: [users]\n      files: { .hadolint.yaml: "ignored: []" }\n      expect: { pass: [final-user-not-root] }\n'),
    [], 'include, exclude, policies and files reach the engine')
})

t.test('a rule that errors fails the cases that name it, once', async (t) => {
  const set = await fixtureSet()
  const broken: PolicySet = {
    ...set,
    policies: set.policies.map((p) => ({ ...p, rules: p.rules.map((r) => r.id === 'user-set' ? { ...r, assert: () => 'not a bool' } : r) })),
  }
  const result = runPolicyTestCase(broken, testCase('    - dockerfile: "FROM a"\n      expect: { fail: [user-set], pass: [user-set, workdir-set] }\n'))
  t.same(result.failures, ['user-set errored on line 1: assert yielded string, not a boolean', 'expected workdir-set to pass; it reported line 1: the final stage never sets WORKDIR'])
})
