import t from 'tap'
import type { Finding } from '../src/evaluation/engine.js'
import { readImageDocument } from '../src/inputs/image/index.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import type { ImageFacts } from '../src/facts/image-types.js'
import { renderCompareMarkdown } from '../src/verdict/compare-markdown.js'
import { renderCompareText } from '../src/verdict/compare-text.js'
import { compareVariants, factRows, formatBytes, outcomeOf, type EvaluatedVariant, type SelectedRule } from '../src/verdict/compare.js'
import { buildVerdict } from '../src/verdict/verdict.js'

// The pure part: verdicts and facts in, a comparison out. Verdicts are built by hand, so each outcome is
// exactly the case named.
const finding = (ruleId: string): Finding => ({ ruleId, aliases: [], policy: 'p', severity: 'warning', title: ruleId, message: 'm', location: { line: 1, endLine: 1 }, remediation: '' })
const rule = (id: string, checks = 1): SelectedRule => ({ id, policy: 'p', title: id, severity: 'warning', checks })

function variant (label: string, parts: { findings?: string[], suppressed?: string[], errors?: string[], notEvaluated?: string[], rules?: SelectedRule[], dockerfile?: string, image?: ImageFacts }): EvaluatedVariant {
  const findings = (parts.findings ?? []).map(finding)
  const verdict = buildVerdict({
    evaluation: { findings, ruleErrors: (parts.errors ?? []).map((ruleId) => ({ ruleId, policy: 'p', message: 'boom', location: { line: 1, endLine: 1 } })), rulesEvaluated: 1 },
    findings,
    suppressed: (parts.suppressed ?? []).map((ruleId) => ({ ...finding(ruleId), suppression: { kind: 'global', reason: '', line: 1, owner: '', expires: '', file: '' } })),
    expiredWaivers: [],
    notEvaluated: (parts.notEvaluated ?? []).map((ruleId) => ({ ruleId, policy: 'p', reason: 'no file listing' })),
    notices: [],
    policies: [],
    digest: 'sha256:x',
    failOn: 'none',
    durationMs: 0,
  })
  return { label, dockerfile: parts.dockerfile === undefined ? null : dockerfileFacts(parts.dockerfile), image: parts.image ?? null, verdict, rules: parts.rules ?? [] }
}

const image = (document: unknown): ImageFacts => {
  const read = readImageDocument(document)
  if (!read.ok) throw new Error(read.problems[0]?.message)
  return read.value
}

t.test('a rule\'s outcome: a failure wins, then an error, then a hidden failure', async (t) => {
  const rules = ['failed', 'errored', 'hidden', 'skipped', 'half', 'passed', 'unchecked'].map((id) => rule(id, id === 'half' ? 2 : id === 'unchecked' ? 0 : 1))
  const v = variant('v', { rules, findings: ['failed'], errors: ['errored', 'failed'], suppressed: ['hidden', 'errored'], notEvaluated: ['skipped', 'half'] })
  const cases: Array<[string, string]> = [
    ['failed', 'fail'], ['errored', 'error'], ['hidden', 'suppressed'], ['skipped', 'notEvaluated'],
    ['half', 'pass'], ['passed', 'pass'], ['unchecked', 'notRun'], ['unselected', 'notRun'],
  ]
  for (const [id, outcome] of cases) t.equal(outcomeOf(id, v), outcome, id)
})

t.test('rows are the rules that ran somewhere; differences are pass against fail only', async (t) => {
  const a = variant('a', { rules: [rule('x'), rule('y'), rule('z')], findings: ['x'], notEvaluated: ['z'] })
  const b = variant('b', { rules: [rule('x'), rule('w')], errors: ['w'] })
  const c = variant('c', { rules: [rule('y'), rule('z')], notEvaluated: ['z'], findings: ['y'] })
  const comparison = compareVariants([a, b, c])
  t.same(comparison.rules.map((r) => [r.ruleId, r.outcomes]), [['x', ['fail', 'pass', 'notRun']], ['y', ['pass', 'notRun', 'fail']], ['w', ['notRun', 'error', 'notRun']]])
  t.same(comparison.differences, [
    { ruleId: 'x', severity: 'warning', passes: ['b'], fails: ['a'] },
    { ruleId: 'y', severity: 'warning', passes: ['a'], fails: ['c'] },
  ])
  t.same(compareVariants([]).policySet, { policies: [], digest: '' })
})

t.test('facts: what each kind of input can say, and null for what it cannot', async (t) => {
  const config = image({ architecture: 'amd64', os: 'linux', config: { User: 'app', ExposedPorts: { '53/udp': {}, '8000-8010/tcp': {} } }, rootfs: { type: 'layers', diff_ids: [`sha256:${'a'.repeat(64)}`] } })
  const index = image({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'b'.repeat(64)}`, size: 1, platform: { os: 'linux', architecture: 'amd64' } }] })
  const comparison = compareVariants([
    variant('multi', { dockerfile: 'FROM golang:1.23 AS build\nRUN go build\nFROM alpine AS base\nRUN apk add x\nCOPY a /a\nFROM base\nCOPY --from=build /out /app\nADD b /b\nEXPOSE 80 9000/udp 99999\n' }),
    variant('empty', { dockerfile: '# no FROM\n' }),
    variant('both', { dockerfile: 'FROM scratch\nUSER 1\n', image: config }),
    variant('index', { image: index }),
  ])
  t.match(comparison.variants, [
    { kind: 'dockerfile', imageKind: null, layers: 4, user: '', root: null, size: null, exposedPorts: ['80/tcp', '9000/udp', '99999'] },
    { kind: 'dockerfile', layers: null, user: '', root: null, exposedPorts: [] },
    { kind: 'both', imageKind: 'oci-config', layers: 1, user: 'app', root: false, exposedPorts: ['53/udp', '8000-8010/tcp'] },
    { kind: 'oci-index', layers: null, shell: null },
  ], 'a Dockerfile counts RUN, COPY and ADD of the stages in the image (not the build stage); an index lists no layers')
  const rows = Object.fromEntries(factRows(comparison).map((row) => [row.name, row.cells]))
  t.same(rows.Kind, ['dockerfile', 'dockerfile', 'dockerfile + oci-config', 'oci-index'])
  t.same(rows.Layers, ['base + 4', 'unknown', '1', 'unknown'])
  t.same(rows.User, ['(base image\'s)', '(base image\'s)', 'app', 'root (none set)'])
  t.same(rows['Exposed ports'], ['80/tcp, 9000/udp, 99999', 'none', '53/udp, 8000-8010/tcp', 'none'])
})

t.test('bytes as docker shows them', async (t) => {
  const cases: Array<[number, string]> = [
    [0, '0 B'], [999, '999 B'], [1000, '1 kB'], [1234, '1.23 kB'], [12_345, '12.3 kB'], [123_456, '123 kB'],
    [7_800_000, '7.8 MB'], [1_500_000_000_000, '1.5 TB'], [2e15, '2000 TB'],
  ]
  for (const [bytes, text] of cases) t.equal(formatBytes(bytes), text, String(bytes))
})

t.test('renderers say so when nothing differs or nothing ran', async (t) => {
  const quiet = compareVariants([variant('a`b', { rules: [rule('x')] }), variant('c', { rules: [rule('x')] })])
  const markdown = renderCompareMarkdown(quiet)
  t.match(markdown, /^### Plimsoll: `a'b` vs `c`\n/, 'a backtick would end the code span')
  t.match(markdown, /\nNo rule passes on one and fails on another\.\n/)
  t.match(renderCompareText(quiet, { color: false }), /passed by one, failed by another \(0\)\n {2}none\n/)
  const none = compareVariants([variant('a', {}), variant('b', {})])
  t.match(renderCompareMarkdown(none), /<details><summary>All 0 rules that ran<\/summary>\n\nNo rule ran\.\n\n<\/details>\n$/)
  t.match(renderCompareText(none, { color: false }), /rules that ran \(0\)\n {2}none\n$/)
})
