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

t.test('where a fix is not certain, the finding carries none', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['os-pkg-cache-cleaned-apt', 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git', 'a later RUN installs from the lists'],
    ['os-pkg-cache-cleaned-apt', 'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl', 'the lists are root\'s'],
    ['copy-not-add', 'FROM alpine:3.20\nWORKDIR /app\nADD app /app/', 'a name without an extension may be a tar archive'],
    ['copy-not-add', 'FROM alpine:3.20\nADD app.py .', 'a relative destination before any WORKDIR'],
    ['exec-form-cmd-entrypoint', 'FROM python:3.12-slim\nCMD python $APP', 'a variable'],
    ['exec-form-cmd-entrypoint', 'FROM python:3.12-slim\nENTRYPOINT python app.py\nCMD ["--debug"]', 'exec form would take the CMD as arguments'],
    ['exec-form-cmd-entrypoint', 'FROM python:3.12-slim\nSHELL ["pwsh", "-c"]\nCMD Write-Host hi', 'another shell'],
    ['workdir-absolute', 'FROM alpine:3.20\nWORKDIR data', 'the base image\'s WORKDIR is not known'],
    ['workdir-absolute', 'FROM alpine:3.20\nARG HOME=/home/app\nWORKDIR $HOME\nWORKDIR data', 'a variable'],
    ['use-workdir-not-cd', 'FROM alpine:3.20\nRUN cd /app && make', 'no WORKDIR to return to'],
    ['maintainer-deprecated', 'FROM alpine:3.20\nMAINTAINER "Jane" $USER', 'quotes and a variable'],
    ['python-unbuffered', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=', 'set empty later in the stage'],
    ['base-image-not-latest', 'FROM python:latest', 'no tag in latestTags'],
    ['pip-no-cache', 'FROM python:3.12-slim\nRUN pip install --cache-dir /tmp/pip flask==3.0.3', 'its own --cache-dir would win'],
  ]
  for (const [ruleId, dockerfile, why] of cases) {
    const verdict = evaluate(set, { dockerfile })
    if (!verdict.ok) throw new Error(dockerfile)
    const findings = verdict.value.findings.filter((f) => f.ruleId === ruleId)
    t.ok(findings.length > 0 && findings.every((f) => f.fix === undefined), `${ruleId}: ${why}`)
  }
})
