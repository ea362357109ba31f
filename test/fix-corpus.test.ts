import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { EvaluateRequest } from '../src/evaluate.js'
import { selectRules } from '../src/evaluation/select.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { compilePolicySet, loadPolicyDir } from '../src/policy/load.js'
import type { PolicySet } from '../src/policy/types.js'
import { checkGuarantees, fixFile, type Failures } from './fix-guarantees.js'
import { POLICY_DIR } from './helpers.js'

// Fixes (issue 13) on every real Dockerfile of ../shared/corpus/real, with whatever rules have fixes today: the
// fixed file parses with its instructions kept, the fixed findings are gone and nothing new is reported, fixing it
// again changes nothing, and its stages are the same (test/fix-guarantees.ts says exactly how each is checked).
// No context files, as test/corpus.test.ts.
const CORPUS = fileURLToPath(new URL('../../shared/corpus/real', import.meta.url))

/** The ids of the fixable rules a selection runs. */
function fixable (set: PolicySet, request: EvaluateRequest): string[] {
  const selection = selectRules(set, request, null)
  if (!selection.ok) throw new Error(JSON.stringify(selection.problems))
  return selection.value.rules.filter((rule) => rule.fix !== undefined).map((rule) => rule.id).sort()
}

// The checks themselves, on fixes broken on purpose: each must name the rule under the guarantee it breaks.
const brokenPolicy = (id: string, keyword: string, assert: string, edit: string): string => `apiVersion: plimsoll.dev/v1
kind: Policy
metadata: { name: broken, title: Broken, version: 1.0.0, description: Fixes broken on purpose }
spec:
  target: dockerfile
  rules:
    - id: ${id}
      title: Broken
      description: A fix broken on purpose
      severity: warning
      scope: instruction
      keywords: [${keyword}]
      assert: '${assert}'
      message: broken
      remediation: none
      fix: { description: broken, edits: [${edit}] }
      examples:
        pass: ["FROM scratch", "FROM scratch"]
        fail: [{ dockerfile: "FROM scratch", line: 1 }, { dockerfile: "FROM scratch", line: 1 }]
        fix: [{ before: "FROM scratch", after: "FROM scratch" }]
`
const NO_MAKE = '!instruction.commands.exists(c, c.program == "make")'
const BROKEN: Array<{ guarantee: keyof Failures, id: string, keyword: string, assert: string, edit: string, dockerfile: string }> = [
  { guarantee: 'parses', id: 'shell-unparsable', keyword: 'RUN', assert: NO_MAKE, edit: 'appendCommand: "("', dockerfile: 'FROM debian:12\nRUN make all\n' },
  { guarantee: 'parses', id: 'swallows-next', keyword: 'RUN', assert: NO_MAKE, edit: 'appendCommand: "echo \\\\"', dockerfile: 'FROM debian:12\nRUN make all\nUSER app\n' },
  { guarantee: 'parses', id: 'inserts-junk', keyword: 'RUN', assert: NO_MAKE, edit: 'insertAfter: FOO bar', dockerfile: 'FROM debian:12\nRUN make all\n' },
  { guarantee: 'parses', id: 'exec-form-other-words', keyword: 'CMD', assert: 'instruction.form == "exec"', edit: `replaceArguments: '["python"]'`, dockerfile: 'FROM debian:12\nCMD python app.py\n' },
  { guarantee: 'findings', id: 'does-not-fix', keyword: 'RUN', assert: NO_MAKE, edit: 'insertAfter: LABEL x=y', dockerfile: 'FROM debian:12\nRUN make all\n' },
  { guarantee: 'idempotent', id: 'does-not-fix', keyword: 'RUN', assert: NO_MAKE, edit: 'insertAfter: LABEL x=y', dockerfile: 'FROM debian:12\nRUN make all\n' },
  { guarantee: 'stages', id: 'changes-image', keyword: 'FROM', assert: 'false', edit: 'replaceArgument: { index: 0, text: "ubuntu:24.04" }', dockerfile: 'FROM debian:12 AS a\nRUN make all\n' },
]

t.test('the checks catch fixes broken on purpose', async (t) => {
  for (const { guarantee, id, keyword, assert, edit, dockerfile } of BROKEN) {
    const set = compilePolicySet([{ name: 'broken.yaml', text: brokenPolicy(id, keyword, assert, edit) }])
    if (!set.ok) throw new Error(JSON.stringify(set.problems))
    const run = fixFile(set.value, { dockerfile }, 'Dockerfile')
    const failures = run === null ? [] : checkGuarantees(run)[guarantee]
    t.ok(failures.some((failure) => failure.startsWith(`${id}`)), `${id} breaks "${guarantee}"`, { failures })
  }
})

/**
 * base-image-not-latest fixes `FROM x:latest` only with a tag from the latestTags param, and it is the one fix that
 * changes a FROM: a file with such a base image is fixed once more with a tag given for each. Null when it has none.
 */
function latestTags (dockerfile: string): Record<string, string> | null {
  if (!dockerfile.includes(':latest')) return null
  const stages = dockerfileFacts(dockerfile).stages.filter((stage) => stage.from.raw.endsWith(':latest'))
  return stages.length === 0 ? null : Object.fromEntries(stages.map((stage) => [stage.from.repository, '1.0']))
}

if (!existsSync(CORPUS)) {
  t.comment(`skipping fixes on the real-world corpus: ${CORPUS} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test('fixes on the real-world corpus', { skip: `${CORPUS} is absent` }, async () => {})
} else {
  const loaded = await loadPolicyDir(POLICY_DIR)
  if (!loaded.ok) throw new Error('shipped policies do not load')
  const set = loaded.value
  const names = (await readdir(CORPUS, { recursive: true })).filter((name) => name.endsWith('Dockerfile')).sort()

  // The default selection; and the strict profile too when it runs fixable rules the default does not. Without its
  // ShellCheck rule: an external program once a script (minutes over the corpus), with no fix.
  const selections: Array<{ label: string, request: EvaluateRequest }> = [{ label: 'default', request: {} }]
  const strict = { profile: 'strict', exclude: ['shellcheck'] }
  const defaultFixable = fixable(set, {})
  const strictOnly = fixable(set, strict).filter((id) => !defaultFixable.includes(id))
  if (strictOnly.length > 0) selections.push({ label: 'strict', request: strict })
  else t.comment(`the strict profile runs no fixable rule the default selection does not (${defaultFixable.length} fixable): judged with the default selection only`)

  t.test('the corpus is there, and some rules have fixes', async (t) => {
    t.ok(names.length >= 100, `${names.length} Dockerfiles`)
    t.ok(defaultFixable.length > 0, `fixable rules: ${defaultFixable.join(', ')}`)
  })

  for (const name of names) {
    t.test(name, async (t) => {
      const dockerfile = await readFile(join(CORPUS, name), 'utf8')
      const tags = latestTags(dockerfile)
      const all = tags === null ? selections : [...selections, { label: 'latestTags', request: { params: { latestTags: tags } } }]
      for (const { label, request } of all) {
        const run = fixFile(set, { ...request, dockerfile }, name)
        if (run === null) {
          t.ok(dockerfile.trim() === '', `${label}: only an empty file is refused`)
          continue
        }
        const failures = checkGuarantees(run)
        const on = all.length > 1 ? `${label}: ` : ''
        t.same(failures.parses, [], `${on}the fixed file parses, with its instructions kept`)
        t.same(failures.findings, [], `${on}the fixed findings are gone and nothing new is reported`)
        t.same(failures.idempotent, [], `${on}fixing the fixed file changes nothing`)
        t.same(failures.stages, [], `${on}the stages are the same`)
      }
    })
  }
}
