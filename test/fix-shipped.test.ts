import { readFileSync } from 'node:fs'
import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { fixDockerfile } from '../src/fix/fixer.js'
import { loadPolicyDir } from '../src/policy/load.js'
import type { Result } from '../src/problem.js'
import type { Finding } from '../src/evaluation/engine.js'
import { POLICY_DIR } from './helpers.js'

// The shipped rules' fixes: the practices issue 13 names each have one, and README's before and after are what
// the fixer makes (each fix's own examples run in rules.test.ts with every other example).
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2))
const set = loaded.value
const rules = set.policies.flatMap((p) => p.rules)

t.test('the practices the issue names have a fix, each with examples', async (t) => {
  const fixable = ['pip-no-cache', 'os-pkg-non-interactive-apt-get', 'os-pkg-no-recommends-apt-get', 'os-pkg-cache-cleaned-apt',
    'os-pkg-cache-cleaned-apk', 'copy-not-add', 'exec-form-cmd-entrypoint', 'maintainer-deprecated', 'workdir-absolute',
    'use-workdir-not-cd', 'os-pkg-non-interactive-yum', 'os-pkg-non-interactive-dnf', 'os-pkg-cache-cleaned-yum',
    'os-pkg-cache-cleaned-dnf', 'python-unbuffered', 'python-dont-write-bytecode', 'base-image-not-latest']
  for (const id of fixable) {
    const rule = rules.find((r) => r.id === id)
    t.ok(rule?.fix !== undefined && rule.examples.fix.length >= 2, `${id} has a fix and two fix examples`)
  }
  t.same(rules.filter((r) => r.fix !== undefined).map((r) => r.id).sort(), [...fixable].sort(), 'and no other rule has one')
})

t.test("README's before becomes its after", async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## Fixes'))
  const [before, after] = [...section.matchAll(/```dockerfile\n([\s\S]*?)```/g)].map((m) => m[1] as string)
  const judge = (text: string): Result<readonly Finding[]> => {
    const verdict = evaluate(set, { dockerfile: text })
    return verdict.ok ? { ok: true, value: verdict.value.findings } : verdict
  }
  const first = judge(before as string)
  if (!first.ok) throw new Error('README example not judged')
  const fixed = fixDockerfile(before as string, first.value, judge)
  t.equal(fixed.dockerfile, after)
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen']
  const count = `${words[fixed.applied.length] ?? fixed.applied.length} of its ${words[first.value.length] ?? first.value.length} findings are fixed`
  t.match(section.toLowerCase(), count, 'the count README gives')
})
