import t from 'tap'
import { evaluate } from '../src/evaluate.js'
import { compilePolicySet } from '../src/policy/load.js'
import type { PolicySet } from '../src/policy/types.js'

// Profiles, request selection, params, severity overrides, .hadolint.yaml and waivers, end to end.
const PACK = `apiVersion: plimsoll.dev/v1
kind: Policy
metadata: { name: pack, title: Pack, version: 1.0.0 }
spec:
  target: dockerfile
  params:
    allowed: { type: list, default: [docker.io], description: allowed registries }
  rules:
    - id: registry-allowed
      title: Registry not allowed
      severity: error
      scope: stage
      aliases: [DL3026]
      tags: [supply-chain]
      assert: stage.from.registry in params.allowed
      message: "{{stage.from.registry}} not in {{params.allowed}}"
      remediation: Use an allowed registry.
      examples:
        fail: ["FROM quay.io/a:1", "FROM ghcr.io/a:1"]
        pass: ["FROM a:1", "FROM docker.io/a:1"]
    - id: user-set
      title: No USER
      severity: warning
      scope: final-stage
      aliases: [DS-0002]
      assert: stage.user.name != ""
      message: no USER
      remediation: Add USER.
      examples:
        fail: ["FROM a:1", "FROM a:1\\nRUN x"]
        pass: ["FROM a:1\\nUSER 1", "FROM a:1\\nUSER app"]
    - id: healthcheck
      title: No HEALTHCHECK
      severity: info
      scope: final-stage
      enabled: false
      tags: [strict]
      assert: stage.healthcheck != null
      message: no HEALTHCHECK
      remediation: Add one.
      examples:
        fail: ["FROM a:1", "FROM a:1\\nRUN x"]
        pass: ["FROM a:1\\nHEALTHCHECK CMD true", "FROM a:1\\nHEALTHCHECK NONE"]
`
const PROFILE = `apiVersion: plimsoll.dev/v1
kind: Profile
metadata: { name: strict, title: Strict }
spec:
  include: [strict]
  exclude: [DS-*]
  severity: { supply-chain: warning }
  params: { allowed: [docker.io, quay.io] }
  failOn: info
`
const ONLY = `apiVersion: plimsoll.dev/v1
kind: Profile
metadata: { name: hadolint, title: hadolint's rules }
spec:
  rules: ["DL*"]
`
const WAIVERS = `apiVersion: plimsoll.dev/v1
kind: Waivers
metadata: { name: team }
spec:
  waivers:
    - { rule: user-set, reason: base image sets it, owner: a@example.com, expires: 2026-12-31 }
    - { rule: DL3026, reason: mirror pending, owner: b@example.com, expires: 2026-01-01 }
`
const compiled = compilePolicySet([{ name: 'pack.yaml', text: PACK }, { name: 'strict.yaml', text: PROFILE }, { name: 'only.yaml', text: ONLY }])
if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems))
const set: PolicySet = compiled.value
const ids = (request: Parameters<typeof evaluate>[1], within: PolicySet = set): string[] => {
  const result = evaluate(within, request, { defaultFailOn: 'none', today: '2026-11-23' })
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.value.findings.map((f) => `${f.ruleId}:${f.severity}`).sort()
}
const DOCKERFILE = 'FROM quay.io/org/app:1.0'

t.test('defaults: enabled rules, policy params, own severities', async (t) => {
  t.same(ids({ dockerfile: DOCKERFILE }), ['registry-allowed:error', 'user-set:warning'])
})

t.test('a profile includes opt-in rules by tag, excludes by alias glob, overrides severity and params', async (t) => {
  t.same(ids({ dockerfile: DOCKERFILE, profile: 'strict' }), ['healthcheck:info'], 'quay.io is allowed by the profile; DS-* excluded')
  t.same(ids({ dockerfile: 'FROM ghcr.io/x:1', profile: 'strict' }), ['healthcheck:info', 'registry-allowed:warning'])
  const verdict = evaluate(set, { dockerfile: DOCKERFILE, profile: 'strict' }, { defaultFailOn: 'none' })
  t.match(verdict, { ok: true, value: { threshold: { failOn: 'info', reached: true } } }, 'the profile\'s failOn')
})

t.test('a profile with `rules` runs exactly those, opt-in or not', async (t) => {
  t.same(ids({ dockerfile: DOCKERFILE, profile: 'hadolint' }), ['registry-allowed:error'])
})

t.test('request include, exclude, params and failOn win', async (t) => {
  t.same(ids({ dockerfile: DOCKERFILE, include: ['healthcheck'], exclude: ['registry-allowed'] }), ['healthcheck:info', 'user-set:warning'])
  t.same(ids({ dockerfile: DOCKERFILE, params: { allowed: ['quay.io'] } }), ['user-set:warning'])
  t.same(ids({ dockerfile: DOCKERFILE, profile: 'strict', params: { allowed: [] } }), ['healthcheck:info', 'registry-allowed:warning'])
  const verdict = evaluate(set, { dockerfile: DOCKERFILE, profile: 'strict', failOn: 'none' }, { defaultFailOn: 'warning' })
  t.match(verdict, { ok: true, value: { threshold: { failOn: 'none', reached: false } } })
})

t.test('bad selections are problems naming what is wrong', async (t) => {
  const problems = (request: Parameters<typeof evaluate>[1]): string[] => {
    const result = evaluate(set, request)
    return result.ok ? [] : result.problems.map((p) => p.code)
  }
  t.same(problems({ dockerfile: DOCKERFILE, profile: 'nope' }), ['input.unknown-profile'])
  t.same(problems({ dockerfile: DOCKERFILE, params: { colour: 'red' } }), ['input.unknown-param'])
  t.same(problems({ dockerfile: DOCKERFILE, params: { allowed: 'quay.io' } }), ['input.invalid-param'])
  t.same(problems({ dockerfile: DOCKERFILE, policies: ['nope'] }), ['input.unknown-policy'])
})

t.test('.hadolint.yaml: ignored, severity overrides, params and failure threshold', async (t) => {
  const config = 'ignored: [DS-0002]\noverride:\n  info: [DL3026]\ntrustedRegistries: [quay.io]\nfailure-threshold: warning\n'
  const result = evaluate(set, { dockerfile: 'FROM ghcr.io/x:1', files: { '.hadolint.yaml': config } }, { defaultFailOn: 'none' })
  if (!result.ok) throw new Error('refused')
  t.same(result.value.findings.map((f) => `${f.ruleId}:${f.severity}`), ['registry-allowed:info'])
  t.same(result.value.suppressed.map((s) => [s.ruleId, s.suppression.kind]), [['user-set', 'hadolint-config']])
  t.match(result.value.threshold, { failOn: 'warning', reached: false })
})

t.test('waivers suppress until they expire, and say so after', async (t) => {
  const withWaivers = compilePolicySet([{ name: 'pack.yaml', text: PACK }, { name: 'waivers.yaml', text: WAIVERS }])
  if (!withWaivers.ok) throw new Error(JSON.stringify(withWaivers.problems))
  const result = evaluate(withWaivers.value, { dockerfile: DOCKERFILE }, { defaultFailOn: 'none', today: '2026-11-23' })
  if (!result.ok) throw new Error('refused')
  t.same(result.value.findings.map((f) => f.ruleId), ['registry-allowed'], 'the expired waiver no longer hides DL3026')
  t.match(result.value.suppressed, [{ ruleId: 'user-set', suppression: { kind: 'waiver', owner: 'a@example.com', expires: '2026-12-31' } }])
  t.match(result.value.expiredWaivers, [{ rule: 'DL3026', expires: '2026-01-01', findings: 1 }])
})

t.test('a bad .hadolint.yaml key is a notice in the verdict, not a failure', async (t) => {
  const result = evaluate(set, { dockerfile: DOCKERFILE, files: { '.hadolint.yaml': 'ignored: DL3026\nfailure-threshold: [x]\n' } })
  t.match(result, { ok: true, value: { notices: [{ file: '.hadolint.yaml', line: Number, message: String }] } })
})

t.test('a pack applies only where its `when` holds; context rules need context', async (t) => {
  const PYTHON = `apiVersion: plimsoll.dev/v1
kind: Policy
metadata: { name: python, title: Python, version: 1.0.0 }
spec:
  target: dockerfile
  when: dockerfile.stages.exists(s, s.baseImage.repository.matches("python"))
  rules:
    - id: unbuffered
      title: PYTHONUNBUFFERED unset
      severity: info
      scope: final-stage
      assert: '"PYTHONUNBUFFERED" in stage.env'
      message: unset
      remediation: Set it.
      examples:
        fail: ["FROM python:3.12", "FROM python:3.12-slim\\nRUN x"]
        pass: ["FROM python:3.12\\nENV PYTHONUNBUFFERED=1", "FROM python:3.12-slim\\nENV PYTHONUNBUFFERED=1"]
    - id: ignore-file
      title: No .dockerignore
      severity: warning
      scope: dockerfile
      needsContext: true
      assert: dockerfile.context.dockerignore.present
      message: none
      remediation: Add one.
      examples:
        fail: [{ dockerfile: "FROM python:3.12", files: { "requirements.txt": "x==1" } }, { dockerfile: "FROM python:3.12\\nRUN x", files: { "a": "b" } }]
        pass: [{ dockerfile: "FROM python:3.12", files: { ".dockerignore": ".git" } }, { dockerfile: "FROM python:3.12\\nRUN x", files: { ".dockerignore": "*" } }]
`
  const compiledSet = compilePolicySet([{ name: 'python.yaml', text: PYTHON }])
  if (!compiledSet.ok) throw new Error(JSON.stringify(compiledSet.problems))
  const run = (dockerfile: string, files: Record<string, string> = {}) => {
    const result = evaluate(compiledSet.value, { dockerfile, files })
    if (!result.ok) throw new Error('refused')
    return result.value
  }
  t.match(run('FROM node:20'), { findings: [], summary: { rulesEvaluated: 0, notEvaluated: 2 }, notEvaluated: [{ ruleId: 'unbuffered', reason: /python pack does not apply/ }, { ruleId: 'ignore-file' }] })
  t.match(run('FROM python:3.12'), { findings: [{ ruleId: 'unbuffered' }], notEvaluated: [{ ruleId: 'ignore-file', reason: 'no build-context files were sent' }] })
  t.same(run('FROM python:3.12', { 'requirements.txt': 'flask==3.0.3' }).findings.map((f) => f.ruleId).sort(), ['ignore-file', 'unbuffered'])
})

t.test('selectors never match a rule by accident of position', async (t) => {
  // A rule whose second alias or tag does not match must not be selected (picomatch's second argument).
  t.same(ids({ dockerfile: DOCKERFILE, include: ['nothing-*'] }), ['registry-allowed:error', 'user-set:warning'])
  t.same(ids({ dockerfile: DOCKERFILE, exclude: ['supply-*'] }), ['user-set:warning'], 'a tag glob')
})
