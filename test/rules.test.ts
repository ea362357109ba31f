import { spawnSync } from 'node:child_process'
import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { applicableRules } from '../src/evaluation/applicability.js'
import { evaluateRules } from '../src/evaluation/engine.js'
import { readImageDocument, withFiles } from '../src/inputs/image/index.js'
import { runExamples } from '../src/policy/examples.js'
import { readListing } from '../src/policy/image-listing.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { POLICY_DIR } from './helpers.js'

// Every example of every shipped rule runs here: fail examples must be reported (on their line when
// given), pass examples must not, and no rule may error on any example.
const loaded = await loadPolicyDir(POLICY_DIR)
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2))
const rules = loaded.value.policies.flatMap((p) => p.rules)
// Each rule's checks: its own, and its image check when it has one.
const checks = rules.flatMap((r) => [r, ...r.image !== undefined ? [r.image] : []])
const examples = checks.flatMap((r) => [...r.examples.fail, ...r.examples.pass])

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
    t.ok(rule.references.length > 0, 'has references')
    for (const check of [rule, ...rule.image !== undefined ? [rule.image] : []]) {
      t.ok(check.examples.fail.length >= 2 && check.examples.pass.length >= 2, `${check.subject}: has two examples of each kind`)
      const texts = [...check.examples.fail, ...check.examples.pass].map((e) => JSON.stringify([e.dockerfile, e.files, e.image]))
      t.equal(new Set(texts).size, texts.length, `${check.subject}: no example is listed twice`)
    }
    for (const result of runExamples(rule)) {
      t.ok(result.ok, `${result.subject} ${result.expect} example ${result.index + 1}: ${JSON.stringify(result.example.image?.document ?? result.example.dockerfile)}${result.ok ? '' : `: ${result.message}`}`)
    }
  })
}

t.test('no rule errors on any rule\'s example', async (t) => {
  const runnable = (shellcheckMissing === false ? checks : checks.filter((r) => !r.tags.includes('shellcheck')))
  const dockerfileChecks = runnable.filter((r) => r.subject === 'dockerfile')
  const imageChecks = runnable.filter((r) => r.subject === 'image')
  for (const example of examples) {
    if (example.image === undefined) {
      t.same(evaluateRules(dockerfileChecks, { subject: 'dockerfile', facts: dockerfileFacts(example.dockerfile, example.files) }).ruleErrors, [], JSON.stringify(example.dockerfile))
      continue
    }
    const read = readImageDocument(example.image.document, example.image.kind)
    if (!read.ok) throw new Error(JSON.stringify(read.problems))
    const image = example.image.listing === undefined ? read.value : withFiles(read.value, readListing(example.image.listing))
    const builtFrom = example.dockerfile === '' ? null : dockerfileFacts(example.dockerfile, example.files)
    // As in a request: only the checks whose needs the example meets.
    const judged = { subject: 'image' as const, image, builtFrom }
    t.same(evaluateRules(applicableRules(loaded.value.policies, imageChecks, judged).rules, judged).ruleErrors, [], JSON.stringify(example.image.document))
  }
})
