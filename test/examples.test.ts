import t from 'tap'
import { runExamples } from '../src/policy/examples.js'
import { compilePolicy } from '../src/policy/load.js'
import type { Rule } from '../src/policy/types.js'

// The example runner must catch every way an example can be wrong, or `plimsoll test` proves nothing.
function ruleWith (assert: string, fail: unknown[], pass: unknown[]): Rule {
  const source = {
    apiVersion: 'plimsoll.dev/v1', kind: 'Policy', metadata: { name: 'p', title: 'P', version: '1.0.0' },
    spec: { target: 'dockerfile', rules: [{ id: 'r', title: 'R', severity: 'error', scope: 'instruction', keywords: ['USER'], assert, message: 'm', remediation: 'fix', examples: { fail, pass } }] },
  }
  const result = compilePolicy('p.yaml', JSON.stringify(source))
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.value.rules[0] as Rule
}

t.test('a correct rule passes all its examples', async (t) => {
  const rule = ruleWith('instruction.words[0] != "root"', [{ dockerfile: 'FROM a\nUSER root', line: 2 }, 'FROM a\nRUN x\nUSER root'], ['FROM a\nUSER app', 'FROM a'])
  t.same(runExamples(rule).map((r) => [r.expect, r.index, r.ok]), [['fail', 0, true], ['fail', 1, true], ['pass', 0, true], ['pass', 1, true]])
})

t.test('each kind of wrong example is reported with a reason', async (t) => {
  const rule = ruleWith('instruction.words[0] != "root"', [{ dockerfile: 'FROM a\nUSER root', line: 1 }, 'FROM a\nUSER app'], ['FROM a\nUSER root', 'FROM a\nUSER'])
  const results = runExamples(rule)
  t.same(results.slice(0, 3).map((r) => r.message), [
    'reported on line 2, not on line 1',
    'not reported on a fail example',
    'reported on a pass example: m (line 2)',
  ])
  t.same(results.map((r) => r.ok), [false, false, false, false])
  t.match(results[3], { ok: false, message: /^the rule errored: / })
})
