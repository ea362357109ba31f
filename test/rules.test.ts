import { spawnSync } from 'node:child_process'
import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { evaluateRules } from '../src/evaluation/engine.js'
import { runExamples } from '../src/policy/examples.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// Every example of every shipped rule runs here: fail examples must be reported (on their line when
// given), pass examples must not, and no rule may error on any example.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2))
const rules = loaded.value.policies.flatMap((p) => p.rules)
const examples = rules.flatMap((r) => [...r.examples.fail, ...r.examples.pass])

t.test('the shipped packs hold the rules the catalog names', async (t) => {
  const ids = rules.map((r) => r.id)
  for (const id of ['base-image-tag-explicit', 'base-image-not-latest', 'base-image-digest-pinned', 'base-image-minimal',
    'last-user-not-root', 'workdir-set', 'workdir-absolute', 'copy-not-add', 'exec-form-cmd-entrypoint',
    'cmd-or-entrypoint-defined', 'expose-declared', 'maintainer-deprecated', 'use-workdir-not-cd', 'pip-no-cache']) {
    t.ok(ids.includes(id), id)
  }
})

// A rule built on the ShellCheck program can only prove itself where that program is installed.
const shellcheckMissing = spawnSync('shellcheck', ['--version']).status === 0 ? false : 'the shellcheck program is not installed (apt-get install shellcheck; .ci/run does it)'

for (const rule of rules) {
  t.test(rule.id, { skip: rule.tags.includes('shellcheck') ? shellcheckMissing : false }, async (t) => {
    t.ok(rule.examples.fail.length >= 2 && rule.examples.pass.length >= 2, 'has two examples of each kind')
    t.ok(rule.references.length > 0, 'has references')
    const texts = [...rule.examples.fail, ...rule.examples.pass].map((e) => JSON.stringify([e.dockerfile, e.files]))
    t.equal(new Set(texts).size, texts.length, 'no example is listed twice')
    for (const result of runExamples(rule)) {
      t.ok(result.ok, `${result.expect} example ${result.index + 1}: ${JSON.stringify(result.example.dockerfile)}${result.ok ? '' : `: ${result.message}`}`)
    }
  })
}

t.test('no rule errors on any rule\'s example', async (t) => {
  const runnable = shellcheckMissing === false ? rules : rules.filter((r) => !r.tags.includes('shellcheck'))
  for (const example of examples) {
    t.same(evaluateRules(runnable, { subject: 'dockerfile', facts: dockerfileFacts(example.dockerfile, example.files) }).ruleErrors, [], JSON.stringify(example.dockerfile))
  }
})
