import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { evaluateRules, type Location } from '../src/evaluation/engine.js'
import { compilePolicy } from '../src/policy/load.js'
import type { Rule } from '../src/policy/types.js'
import { buildVerdict, reachesThreshold } from '../src/verdict/verdict.js'

/** Compiles one rule from its YAML fields (examples are filled in: they are not under test here). */
function ruleOf (fields: Record<string, unknown>): Rule {
  const source = {
    apiVersion: 'plimsoll.dev/v1',
    kind: 'Policy',
    metadata: { name: 'engine-test', title: 'Engine test', version: '1.0.0' },
    spec: {
      target: 'dockerfile',
      rules: [{
        id: 'r', title: 'R', severity: 'warning', message: 'm', remediation: 'fix',
        examples: { fail: ['FROM a', 'FROM b'], pass: ['FROM c', 'FROM d'] },
        ...fields,
      }],
    },
  }
  const result = compilePolicy('inline.yaml', JSON.stringify(source))
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.value.rules[0] as Rule
}

const DOCKERFILE = 'ARG V=1\nFROM alpine:3.20 AS base\nUSER app\nRUN a \\\n  && b\nFROM base\nCMD ["x"]'

t.test('scopes decide what a rule runs on and where findings point', async (t) => {
  const run = (fields: Record<string, unknown>): Location[] => evaluateRules([ruleOf({ assert: 'false', ...fields })], { subject: 'dockerfile', facts: dockerfileFacts(DOCKERFILE) }).findings.map((f) => f.location)
  t.same(run({ scope: 'dockerfile' }), [{ line: 6, endLine: 6, stage: '1' }], 'dockerfile: the final FROM')
  t.same(run({ scope: 'stage' }), [{ line: 2, endLine: 2, stage: 'base' }, { line: 6, endLine: 6, stage: '1' }])
  t.same(run({ scope: 'final-stage' }), [{ line: 6, endLine: 6, stage: '1' }])
  t.same(run({ scope: 'instruction', keywords: ['RUN', 'ARG'] }), [{ line: 1, endLine: 1 }, { line: 4, endLine: 5, stage: 'base' }], 'ARG before FROM has no stage')
  t.same(run({ scope: 'instruction', line: 'stage == null ? 1 : stage.user.line' }).length, 6, 'scope instruction without keywords runs on all')
  t.same(run({ scope: 'final-stage', line: 'stage.user.line' }), [{ line: 3, endLine: 3, stage: 'base' }], 'line moves the finding to that instruction')
  t.same(run({ scope: 'final-stage', line: '99' }), [{ line: 6, endLine: 6, stage: '1' }], 'a line outside every instruction keeps the default')
  t.same(evaluateRules([ruleOf({ scope: 'dockerfile', assert: 'false' })], { subject: 'dockerfile', facts: dockerfileFacts('# nothing') }).findings.map((f) => f.location), [{ line: 1, endLine: 1 }])
  t.same(evaluateRules([ruleOf({ scope: 'final-stage', assert: 'false' })], { subject: 'dockerfile', facts: dockerfileFacts('# nothing') }).findings, [], 'no final stage, nothing to judge')
})

t.test('when filters and messages interpolate facts', async (t) => {
  const rule = ruleOf({ scope: 'stage', when: 'stage.name != ""', assert: 'false', message: '{{stage.name}} from {{stage.from.text}} at {{stage.line}}; env {{stage.env}} {{stage.isFinal}}' })
  const { findings } = evaluateRules([rule], { subject: 'dockerfile', facts: dockerfileFacts(DOCKERFILE) })
  t.same(findings.map((f) => f.message), ['base from alpine:3.20 at 2; env {} false'])
})

t.test('a rule that breaks is reported as a rule error, never thrown', async (t) => {
  const facts = dockerfileFacts(DOCKERFILE)
  const notBool = evaluateRules([ruleOf({ scope: 'final-stage', assert: 'stage.name' })], { subject: 'dockerfile', facts: facts })
  t.match(notBool.ruleErrors, [{ ruleId: 'r', policy: 'engine-test', message: 'assert yielded string, not a boolean', location: { line: 6 } }])
  const missingKey = evaluateRules([ruleOf({ scope: 'final-stage', assert: 'stage.env["HOME"] == "/"' })], { subject: 'dockerfile', facts: facts })
  t.match(missingKey.ruleErrors, [{ message: /No such key: HOME/ }])
  t.same(missingKey.findings, [])
  const nullWhen = evaluateRules([ruleOf({ scope: 'final-stage', when: 'dyn(null)', assert: 'true' })], { subject: 'dockerfile', facts: facts })
  t.match(nullWhen.ruleErrors, [{ message: 'when yielded null, not a boolean' }])
})

t.test('verdicts: outcome, counts and the failOn threshold', async (t) => {
  const facts = dockerfileFacts(DOCKERFILE)
  const policy = { name: 'p', title: 'P', version: '1.2.3', description: '', target: 'dockerfile' as const, whenSource: '', params: {}, file: 'p.yaml', rules: [] }
  const verdictOf = (severities: string[], broken = false, failOn: 'error' | 'none' = 'none') => {
    const evaluation = evaluateRules([
      ...severities.map((severity) => ruleOf({ scope: 'final-stage', severity, assert: 'false' })),
      ...(broken ? [ruleOf({ scope: 'final-stage', assert: 'stage.name' })] : []),
    ], { subject: 'dockerfile', facts: facts })
    return buildVerdict({ evaluation, findings: evaluation.findings, suppressed: [], expiredWaivers: [], notices: [], policies: [policy], digest: 'sha256:x', failOn, durationMs: 1.23456 })
  }
  t.match(verdictOf([]), { verdict: 'pass', summary: { error: 0, warning: 0, info: 0, suppressed: 0, rulesEvaluated: 0, ruleErrors: 0 }, durationMs: 1.235 })
  t.match(verdictOf(['info']), { verdict: 'pass', summary: { info: 1 } })
  t.match(verdictOf(['info', 'warning']), { verdict: 'warn', summary: { info: 1, warning: 1, rulesEvaluated: 2 } })
  t.match(verdictOf(['warning', 'error']), { verdict: 'fail', summary: { error: 1 } })
  t.match(verdictOf([], true), { verdict: 'warn', summary: { ruleErrors: 1 } }, 'a rule error is never a pass')
  t.match(verdictOf([]), { policySet: { policies: [{ name: 'p', version: '1.2.3' }], digest: 'sha256:x' }, decisionId: /^[0-9a-f-]{36}$/ })
  t.match(verdictOf(['error'], false, 'error'), { threshold: { failOn: 'error', reached: true } })
  t.match(verdictOf(['warning'], false, 'error'), { threshold: { failOn: 'error', reached: false } })
  t.match(verdictOf([], true, 'error'), { threshold: { reached: false } }, 'a rule error is a warning: below error')
  const brokenAtWarning = (() => { const e = evaluateRules([ruleOf({ scope: 'final-stage', assert: 'stage.name' })], { subject: 'dockerfile', facts: facts }); return buildVerdict({ evaluation: e, findings: [], suppressed: [], expiredWaivers: [], notices: [], policies: [policy], digest: 'x', failOn: 'warning', durationMs: 0 }) })()
  t.match(brokenAtWarning, { threshold: { failOn: 'warning', reached: true } }, 'a rule error reaches a warning threshold')

  const warn = verdictOf(['warning']).findings
  t.same(['error', 'warning', 'info', 'none'].map((failOn) => reachesThreshold(warn, failOn as 'error')), [false, true, true, false])
})

t.test('CEL can ask whether .dockerignore excludes a path, with Docker\'s matching', async (t) => {
  const rule = ruleOf({ scope: 'dockerfile', assert: 'ignoredBy(dockerfile.context.dockerignore.patterns, "app/__pycache__/x.pyc")' })
  const verdict = (ignore: string): number => evaluateRules([rule], { subject: 'dockerfile', facts: dockerfileFacts('FROM a:1', { '.dockerignore': ignore }) }).findings.length
  t.equal(verdict('**/__pycache__\n'), 0)
  t.equal(verdict('__pycache__\n'), 1, 'a bare name matches only at the context root')
  t.equal(verdict('**/*.pyc\n!app/__pycache__/x.pyc\n'), 1, 'a later exception wins')
})

t.test('messages read as one line, and long quotes are cut before the words that say what is wrong', async (t) => {
  const rule = ruleOf({ scope: 'instruction', keywords: ['RUN'], assert: 'false', message: '`RUN {{instruction.text}}` is wrong' })
  const [finding] = evaluateRules([rule], { subject: 'dockerfile', facts: dockerfileFacts('FROM a:1\nRUN apt-get update \\\n    && apt-get install -y curl') }).findings
  t.equal(finding?.message, '`RUN apt-get update && apt-get install -y curl` is wrong')
  const [long] = evaluateRules([rule], { subject: 'dockerfile', facts: dockerfileFacts(`FROM a:1\nRUN echo ${'x'.repeat(400)}`) }).findings
  t.equal(long?.message, `\`RUN echo ${'x'.repeat(114)}…\` is wrong`)
  const prose = ruleOf({ scope: 'instruction', keywords: ['RUN'], assert: 'false', message: 'it {{instruction.text}}' })
  const [whole] = evaluateRules([prose], { subject: 'dockerfile', facts: dockerfileFacts(`FROM a:1\nRUN echo ${'x'.repeat(400)}`) }).findings
  t.equal(whole?.message, `it echo ${'x'.repeat(400)}`, 'a placeholder outside a code span is prose, kept whole')
  const [runaway] = evaluateRules([prose], { subject: 'dockerfile', facts: dockerfileFacts(`FROM a:1\nRUN echo ${'x'.repeat(2000)}`) }).findings
  t.equal(runaway?.message.length, 1000, 'only a runaway message is cut')
})

t.test('a command rule\'s `when` that names tools or programs skips other commands unevaluated, with the same findings', async (t) => {
  const guardOf = (when: string): unknown => ruleOf({ scope: 'command', when, assert: 'false' }).commandGuard
  t.same(guardOf('command.tool == "pip" && command.subcommand == "install"'), { field: 'tool', values: ['pip'] })
  t.same(guardOf('stage.isFinal && command.tool in ["apt-get", "apt"]'), { field: 'tool', values: ['apt-get', 'apt'] }, 'any top-level conjunct')
  t.same(guardOf('(command.program == "tar" || command.program in ["gzip"]) && true'), { field: 'program', values: ['tar', 'gzip'] })
  for (const loose of ['command.tool == "a" || command.program == "b"', '!(command.tool == "pip")', 'command.tool == "pip" || true', 'command.tool == stage.name', 'command.tool in dyn(["a"])']) {
    t.equal(guardOf(loose), undefined, `no guard: ${loose}`)
  }
  const dockerfile = dockerfileFacts('FROM a:1\nRUN pip install x && apt-get install -y y && pip3 install z && tar xf a.tgz')
  for (const when of ['command.tool == "pip"', 'command.program in ["tar", "pip3"]', 'command.tool == "pip" || command.tool == "apt-get"']) {
    const guarded = ruleOf({ scope: 'command', when, assert: 'false', message: '{{command.text}}' })
    t.ok(guarded.commandGuard !== undefined, `${when}: guarded`)
    const unguarded: Rule = { ...guarded, commandGuard: undefined }
    const messages = (rule: Rule): string[] => evaluateRules([rule], { subject: 'dockerfile', facts: dockerfile }).findings.map((f) => f.message)
    t.same(messages(guarded), messages(unguarded), `${when}: the same findings as without the guard`)
  }
})

t.test('rules of one evaluation share the instructions they select, and find what each finds alone', async (t) => {
  const facts = dockerfileFacts('FROM a:1 AS base\nONBUILD RUN x\nRUN y && z\nCOPY . /app\nFROM base\nRUN w')
  const rules = [
    ruleOf({ id: 'a', scope: 'instruction', keywords: ['RUN'], assert: 'false', message: '{{instruction.text}}' }),
    ruleOf({ id: 'b', scope: 'instruction', keywords: ['RUN'], when: 'instruction.isTrigger', assert: 'false', message: '{{instruction.text}}' }),
    ruleOf({ id: 'c', scope: 'command', keywords: ['RUN'], when: 'command.program in ["y", "w"]', assert: 'false', message: '{{command.text}}' }),
    ruleOf({ id: 'd', scope: 'instruction', keywords: ['COPY', 'RUN'], assert: 'false', message: '{{instruction.keyword}}' }),
    ruleOf({ id: 'e', scope: 'instruction', assert: 'false', message: '{{instruction.keyword}}' }),
  ]
  const together = evaluateRules(rules, { subject: 'dockerfile', facts })
  const alone = rules.flatMap((rule) => evaluateRules([rule], { subject: 'dockerfile', facts }).findings)
  t.same(together.findings, alone.sort((x, y) => x.location.line - y.location.line || x.ruleId.localeCompare(y.ruleId)))
  t.same(together.findings.filter((f) => f.ruleId === 'b').map((f) => [f.message, f.location]), [['x', { line: 2, endLine: 2, stage: 'base' }]], 'a trigger is judged as the instruction it will be, on the ONBUILD line')
  t.same(together.findings.filter((f) => f.ruleId === 'c').map((f) => f.message), ['y', 'w'])
})
