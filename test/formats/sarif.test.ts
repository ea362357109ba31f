import t from 'tap'
import type { Finding } from '../../src/evaluation/engine.js'
import type { SuppressedFinding } from '../../src/policy/suppression-types.js'
import type { JudgedFile } from '../../src/verdict/formats/report.js'
import { FINGERPRINT_KEY, pascalCase, renderSarif, SARIF_SCHEMA, type SarifLog, type SarifResult } from '../../src/verdict/formats/sarif.js'
import { BAD_PATH, GOOD_PATH, sampleReport } from './report-fixture.js'
import { isSchemaValid } from './sarif-schema.js'

const parse = (text: string): SarifLog => JSON.parse(text) as SarifLog
const runOf = (text: string): SarifLog['runs'][number] => parse(text).runs[0] as SarifLog['runs'][number]
const uriOf = (result: SarifResult): string | undefined => result.locations[0]?.physicalLocation.artifactLocation.uri
const fingerprintOf = (result: SarifResult): string => result.partialFingerprints[FINGERPRINT_KEY] as string

/** The one result of a rule in a file. */
function resultOf (results: readonly SarifResult[], ruleId: string, uri = BAD_PATH): SarifResult {
  const found = results.filter((r) => r.ruleId === ruleId && uriOf(r) === uri)
  if (found.length !== 1) throw new Error(`${found.length} results of ${ruleId} in ${uri}`)
  return found[0] as SarifResult
}

const report = await sampleReport()
const bad = report.files[0] as JudgedFile
const withVerdict = (file: JudgedFile, changes: Partial<JudgedFile['verdict']>, path = file.path): JudgedFile => ({ ...file, path, verdict: { ...file.verdict, ...changes } })

t.test('the sample report is one SARIF log with one run', async (t) => {
  const text = renderSarif(report)
  isSchemaValid(t, text)
  t.ok(text.endsWith('}\n'), 'ends with a newline')
  t.match(text, /^\{\n {2}"/, 'pretty-printed')
  const log = parse(text)
  t.equal(log.version, '2.1.0')
  t.equal(log.$schema, SARIF_SCHEMA)
  t.equal(log.runs.length, 1)
  const run = runOf(text)
  t.same(run.tool.driver, { name: 'plimsoll', version: '0.1.0', semanticVersion: '0.1.0', rules: run.tool.driver.rules })
  t.same(run.artifacts.map((a) => a.location), [{ uri: BAD_PATH, uriBaseId: '%SRCROOT%' }, { uri: GOOD_PATH, uriBaseId: '%SRCROOT%' }])
  t.same(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [], toolConfigurationNotifications: [] }])
  const expected = report.files.reduce((n, f) => n + f.verdict.findings.length + f.verdict.suppressed.length, 0)
  t.equal(run.results.length, expected, 'a result per finding, suppressed ones included')
  t.equal(renderSarif(report), text, 'the same report renders the same text')
})

t.test('results point at the lines of the bad Dockerfile', async (t) => {
  const { results } = runOf(renderSarif(report))
  const at = (ruleId: string, uri?: string): unknown => {
    const r = resultOf(results, ruleId, uri)
    return { level: r.level, location: r.locations[0]?.physicalLocation }
  }
  const region = (line: number, uri = BAD_PATH): unknown => ({ artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: line, endLine: line } })
  t.same(at('workdir-absolute'), { level: 'error', location: region(4) })
  t.same(at('copy-not-add'), { level: 'warning', location: region(3) })
  t.same(at('pip-no-cache'), { level: 'warning', location: region(5) })
  t.same(at('exec-form-cmd-entrypoint'), { level: 'warning', location: region(6) })
  t.same(at('base-image-not-latest'), { level: 'warning', location: region(1) })
  t.same(at('expose-declared'), { level: 'note', location: region(1) }, 'info is a note')
  t.same(at('requirements-pinned', 'services/api/requirements.txt'), { level: 'warning', location: region(1, 'services/api/requirements.txt') }, 'a context file sits in the Dockerfile\'s folder')
  t.same(at('virtualenv', GOOD_PATH), { level: 'note', location: region(1, GOOD_PATH) }, 'the good file has its own results')
  t.equal(resultOf(results, 'workdir-absolute').message.text, '`WORKDIR app` is a relative path')

  const suppressed = resultOf(results, 'copy-only-needed-files')
  t.same(suppressed.locations[0]?.physicalLocation.region, { startLine: 3, endLine: 3 })
  t.equal(suppressed.suppressions?.length, 1)
  t.equal(suppressed.suppressions?.[0]?.kind, 'inSource')
  t.match(suppressed.suppressions?.[0]?.justification, /line 2: the whole folder is the app$/)
  t.same(results.filter((r) => r.suppressions !== undefined).map((r) => r.ruleId), ['copy-only-needed-files'], 'only the suppressed finding has suppressions')
})

t.test('driver.rules holds every rule that ran, and results index into it', async (t) => {
  const run = runOf(renderSarif(report))
  const rules = run.tool.driver.rules
  const ran = new Set(report.files.flatMap((f) => f.rules.map((r) => r.id)))
  t.same(new Set(rules.map((r) => r.id)), ran, 'the ids of the rules that ran on any file')
  t.equal(rules.length, new Set(report.files.flatMap((f) => f.rules.map((r) => `${r.policy}/${r.id}`))).size, 'each once')
  for (const result of run.results) {
    if (rules[result.ruleIndex ?? -1]?.id !== result.ruleId) t.fail(`${result.ruleId} has ruleIndex ${String(result.ruleIndex)}`)
  }
  t.pass(`${run.results.length} results checked`)

  const run0 = bad.rules.find((r) => r.id === 'base-image-not-latest')
  t.ok(run0 !== undefined && run0.aliases.includes('DL3007'), 'the rule has hadolint\'s alias')
  t.same(rules.find((r) => r.id === 'base-image-not-latest'), {
    id: 'base-image-not-latest',
    name: 'BaseImageNotLatest',
    shortDescription: { text: run0?.title },
    fullDescription: { text: run0?.description.trim() },
    help: { text: run0?.remediation, markdown: `${run0?.description.trim()}\n\n**Fix:** ${run0?.remediation}\n\n[Reference](${run0?.helpUri})` },
    helpUri: run0?.helpUri,
    defaultConfiguration: { level: 'warning' },
    properties: { policy: 'docker-best-practices', aliases: run0?.aliases, tags: ['docker-best-practices', ...run0?.aliases ?? []] },
  })
  t.equal(rules.find((r) => r.id === 'workdir-absolute')?.defaultConfiguration.level, 'error')
  t.equal(rules.find((r) => r.id === 'expose-declared')?.defaultConfiguration.level, 'note')
  t.equal(pascalCase('no-apt_get.cache'), 'NoAptGetCache')
})

t.test('a finding on an image has no region, only a logical location', async (t) => {
  const base = bad.verdict.findings.find((f) => f.ruleId === 'user-instruction-present') as Finding
  const on = (image: NonNullable<Finding['location']['image']>): Finding => ({ ...base, location: { line: 0, endLine: 0, image } })
  const image = withVerdict(bad, { findings: [on({ path: '/etc/passwd' }), on({ history: 3 }), on({ layer: 2 }), on({})], suppressed: [] }, 'app.tar')
  const text = renderSarif({ files: [image], version: '0.1.0' })
  isSchemaValid(t, text)
  const { results } = runOf(text)
  t.same(results.map((r) => r.locations), ['/etc/passwd', 'step 3', 'layer 2', 'image'].map((name) => [{
    physicalLocation: { artifactLocation: { uri: 'app.tar', uriBaseId: '%SRCROOT%' } },
    logicalLocations: [{ name }],
  }]))
  t.equal(new Set(results.map(fingerprintOf)).size, 4, 'different places, different fingerprints')
})

t.test('fingerprints are stable across renders and differ between findings', async (t) => {
  const first = runOf(renderSarif(report)).results.map(fingerprintOf)
  t.same(runOf(renderSarif(report)).results.map(fingerprintOf), first, 'the same on a second render')
  t.equal(new Set(first).size, first.length, 'no two findings share one')
  t.ok(first.every((f) => /^[0-9a-f]{64}:\d+$/.test(f)), 'a sha256 and an occurrence')

  // Lines move when the file above changes: the fingerprint must not.
  const workdir = bad.verdict.findings.find((f) => f.ruleId === 'workdir-absolute') as Finding
  const moved = withVerdict(bad, { findings: [{ ...workdir, location: { ...workdir.location, line: 9, endLine: 9 } }] })
  const before = fingerprintOf(resultOf(runOf(renderSarif(report)).results, 'workdir-absolute'))
  t.equal(fingerprintOf(resultOf(runOf(renderSarif({ files: [moved], version: '9.9.9' })).results, 'workdir-absolute')), before, 'a moved finding keeps its fingerprint')

  // The same instruction written twice gives two findings alike in all but their line.
  const twice = withVerdict(bad, { findings: [workdir, { ...workdir, location: { ...workdir.location, line: 7, endLine: 7 } }], suppressed: [] })
  const [a, b] = runOf(renderSarif({ files: [twice], version: '0.1.0' })).results.map(fingerprintOf) as [string, string]
  t.not(a, b)
  t.equal(a.replace(/:1$/, ':2'), b, 'told apart by their order')
})

t.test('rule errors and config problems are notifications of the invocation', async (t) => {
  const workdir = bad.rules.find((r) => r.id === 'workdir-absolute')
  const file = withVerdict(bad, {
    ruleErrors: [
      { ruleId: 'workdir-absolute', policy: workdir?.policy ?? '', message: 'assert yielded null, not a boolean', location: { line: 4, endLine: 4, stage: '0' } },
      { ruleId: 'gone', policy: 'elsewhere', message: 'no such field', location: { line: 0, endLine: 0, image: { layer: 1 } } },
    ],
    notices: [{ file: '.hadolint.yaml', line: 3, message: 'unknown key "ignore"' }],
  })
  const text = renderSarif({ files: [file], version: '0.1.0' })
  isSchemaValid(t, text)
  const run = runOf(text)
  const index = run.tool.driver.rules.findIndex((r) => r.id === 'workdir-absolute')
  t.same(run.invocations, [{
    executionSuccessful: true,
    toolExecutionNotifications: [
      {
        level: 'error',
        message: { text: 'assert yielded null, not a boolean' },
        locations: [{ physicalLocation: { artifactLocation: { uri: BAD_PATH, uriBaseId: '%SRCROOT%' }, region: { startLine: 4, endLine: 4 } } }],
        descriptor: { id: 'workdir-absolute' },
        associatedRule: { id: 'workdir-absolute', index },
      },
      {
        level: 'error',
        message: { text: 'no such field' },
        locations: [{ physicalLocation: { artifactLocation: { uri: BAD_PATH, uriBaseId: '%SRCROOT%' } }, logicalLocations: [{ name: 'layer 1' }] }],
        descriptor: { id: 'gone' },
        associatedRule: { id: 'gone' },
      },
    ],
    toolConfigurationNotifications: [{
      level: 'warning',
      message: { text: 'unknown key "ignore"' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'services/api/.hadolint.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, endLine: 3 } } }],
    }],
  }])
})

t.test('external suppressions, bare rules, repeated files and awkward paths', async (t) => {
  const pragma = bad.verdict.suppressed[0] as SuppressedFinding
  const waived: SuppressedFinding = { ...pragma, suppression: { kind: 'waiver', reason: 'legacy', line: 0, owner: 'team-a', expires: '2026-06-30', file: 'waivers.yaml' } }
  const configured: SuppressedFinding = { ...pragma, suppression: { kind: 'hadolint-config', reason: '', line: 0, owner: '', expires: '', file: '.hadolint.yaml' } }
  const unknown: Finding = { ...pragma, ruleId: 'not-run', policy: 'elsewhere' }
  const bare = { id: 'bare-rule', policy: 'local', title: 'Bare', description: '  \n', severity: 'info' as const, remediation: 'Do it.', aliases: [] }
  const first = withVerdict({ ...bad, rules: [bare, ...bad.rules] }, { findings: [unknown], suppressed: [waived, configured] }, 'my app/Dockerfile')
  const again = { ...first, rules: [{ ...bare, title: 'Renamed' }] }
  const text = renderSarif({ files: [first, again], version: '0.1.0' })
  isSchemaValid(t, text)
  const run = runOf(text)

  t.same(run.results.map((r) => r.suppressions), [
    undefined,
    [{ kind: 'external', justification: 'waived in waivers.yaml for team-a until 2026-06-30: legacy' }],
    [{ kind: 'external', justification: 'ignored in .hadolint.yaml' }],
    undefined,
    [{ kind: 'external', justification: 'waived in waivers.yaml for team-a until 2026-06-30: legacy' }],
    [{ kind: 'external', justification: 'ignored in .hadolint.yaml' }],
  ])
  const notRun = run.results[0] as SarifResult
  t.equal(notRun.ruleId, 'not-run')
  t.notOk('ruleIndex' in notRun, 'a rule that is not listed has no index')
  t.same(run.tool.driver.rules[0], {
    id: 'bare-rule',
    name: 'BareRule',
    shortDescription: { text: 'Bare' },
    help: { text: 'Do it.', markdown: '**Fix:** Do it.' },
    defaultConfiguration: { level: 'note' },
    properties: { policy: 'local', aliases: [], tags: ['local'] },
  }, 'no description, no reference: neither is made up; the first file\'s rule wins')
  t.same(run.artifacts.map((a) => a.location.uri), ['my%20app/Dockerfile'], 'a file judged twice is one artifact')
  t.equal(uriOf(notRun), 'my%20app/Dockerfile', 'a space is percent-encoded')
  t.equal(new Set(run.results.map(fingerprintOf)).size, run.results.length)

  const windows = withVerdict(bad, { findings: [bad.verdict.findings.find((f) => f.location.file !== undefined) as Finding], suppressed: [] }, 'svc\\web\\Dockerfile')
  t.equal(uriOf(runOf(renderSarif({ files: [windows], version: '0.1.0' })).results[0] as SarifResult), 'svc/web/requirements.txt', 'backslashes become slashes')
})
