// SARIF carries a finding's fix as the spec's fix object (§3.55–3.57): its description and, on the judged Dockerfile,
// one replacement per edit, regions in the file as judged and columns in UTF-16 code units. Checked against the
// schema, and by applying the replacements as a SARIF consumer would and reading the text that comes out.
import t from 'tap'
import type { Finding } from '../../src/evaluation/engine.js'
import type { JudgedFile, Report } from '../../src/verdict/formats/report.js'
import { renderSarif, type SarifFix, type SarifLog, type SarifReplacement, type SarifResult } from '../../src/verdict/formats/sarif.js'
import { judge } from './report-fixture.js'
import { isSchemaValid } from './sarif-schema.js'

const PIP = 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n'

const runOf = (report: Report): SarifLog['runs'][number] => (JSON.parse(renderSarif(report)) as SarifLog).runs[0] as SarifLog['runs'][number]
const only = (...files: JudgedFile[]): Report => ({ files, version: '0.1.0' })
const withFindings = (file: JudgedFile, findings: readonly Finding[], path = file.path): JudgedFile =>
  ({ ...file, path, verdict: { ...file.verdict, findings, suppressed: [] } })

function findingOf (file: JudgedFile, ruleId: string): Finding {
  const found = file.verdict.findings.find((f) => f.ruleId === ruleId)
  if (found === undefined) throw new Error(`no ${ruleId} finding`)
  return found
}

function resultOf (results: readonly SarifResult[], ruleId: string): SarifResult {
  const found = results.filter((r) => r.ruleId === ruleId)
  if (found.length !== 1) throw new Error(`${found.length} results of ${ruleId}`)
  return found[0] as SarifResult
}

/**
 * Applies replacements as §3.57 says a consumer does: in order, each region given in the unmodified text, lines
 * broken at \r\n or \n (SARIF's default newlineSequences), columns counted in UTF-16 code units (the run's columnKind).
 */
function applyReplacements (text: string, replacements: readonly SarifReplacement[]): string {
  const starts = [0, ...[...text.matchAll(/\r\n|\n/g)].map((m) => (m.index ?? 0) + m[0].length)]
  const offset = (line: number, column: number): number => {
    const start = starts[line - 1]
    if (start === undefined) throw new Error(`no line ${line}`)
    return start + column - 1
  }
  const spans = replacements.map((r, order) => ({
    start: offset(r.deletedRegion.startLine, r.deletedRegion.startColumn),
    end: offset(r.deletedRegion.endLine, r.deletedRegion.endColumn),
    text: r.insertedContent?.text ?? '',
    order,
  }))
  // From the end backwards, so earlier offsets stay valid; at one point the later replacement goes in first.
  spans.sort((a, b) => b.start - a.start || b.order - a.order)
  return spans.reduce((out, s) => out.slice(0, s.start) + s.text + out.slice(s.end), text)
}

const replacementsOf = (fix: SarifFix | undefined): readonly SarifReplacement[] => fix?.artifactChanges[0]?.replacements ?? []

t.test('pip-no-cache: the fix inserts ` --no-cache-dir` at line 2, column 16 of the Dockerfile', async (t) => {
  const file = await judge('services/api/Dockerfile', { dockerfile: PIP })
  const pip = findingOf(file, 'pip-no-cache')
  const run = runOf(only(file))
  isSchemaValid(t, renderSarif(only(file)))
  t.equal(run.columnKind, 'utf16CodeUnits', 'the run says how columns are counted')
  t.same(resultOf(run.results, 'pip-no-cache').fixes, [{
    description: { text: pip.fix?.description },
    artifactChanges: [{
      artifactLocation: { uri: 'services/api/Dockerfile', uriBaseId: '%SRCROOT%' },
      replacements: [{
        deletedRegion: { startLine: 2, startColumn: 16, endLine: 2, endColumn: 16 },
        insertedContent: { text: ' --no-cache-dir' },
      }],
    }],
  }])
  t.match(pip.fix?.description, /--no-cache-dir/, 'the description is the rule\'s')
  const fix = resultOf(run.results, 'pip-no-cache').fixes?.[0]
  t.same(fix?.artifactChanges[0]?.artifactLocation, resultOf(run.results, 'pip-no-cache').locations[0]?.physicalLocation.artifactLocation, 'the artifact the result points at')
  t.equal(applyReplacements(PIP, replacementsOf(fix)), 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n', 'applied, the line is fixed')
})

t.test('a result has fixes exactly when its finding carries a fix', async (t) => {
  const file = await judge('Dockerfile', { dockerfile: PIP })
  const run = runOf(only(file))
  t.equal(run.results.length, file.verdict.findings.length)
  const withFix = file.verdict.findings.filter((f) => f.fix !== undefined).map((f) => f.ruleId)
  const withoutFix = file.verdict.findings.filter((f) => f.fix === undefined).map((f) => f.ruleId)
  t.ok(withFix.includes('pip-no-cache'))
  t.ok(withoutFix.length > 0, 'the example has findings without a fix too')
  t.same(run.results.filter((r) => 'fixes' in r).map((r) => r.ruleId), withFix)
  for (const ruleId of withoutFix) t.notOk('fixes' in resultOf(run.results, ruleId), `${ruleId} has no fixes`)

  // The same finding with its fix taken away has none.
  const bare = { ...findingOf(file, 'pip-no-cache'), fix: undefined }
  t.notOk('fixes' in resultOf(runOf(only(withFindings(file, [bare]))).results, 'pip-no-cache'))
})

t.test('several edits are one artifact change, each region in the file as judged; columns in UTF-16 code units', async (t) => {
  const twoInstalls = 'FROM python:3.12-slim\nRUN pip install flask==3.0.3 \\\n  && pip install gunicorn==22.0.0\n'
  const file = await judge('Dockerfile', { dockerfile: twoInstalls })
  const text = renderSarif(only(file))
  isSchemaValid(t, text)
  const fix = resultOf(runOf(only(file)).results, 'pip-no-cache').fixes?.[0]
  t.equal(fix?.artifactChanges.length, 1)
  t.same(replacementsOf(fix).map((r) => r.deletedRegion), [
    { startLine: 2, startColumn: 16, endLine: 2, endColumn: 16 },
    { startLine: 3, startColumn: 17, endLine: 3, endColumn: 17 },
  ])
  t.equal(applyReplacements(twoInstalls, replacementsOf(fix)), 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 \\\n  && pip install --no-cache-dir gunicorn==22.0.0\n')

  // Each whale is two UTF-16 code units: a consumer counting code points would insert two columns too far.
  const whales = 'FROM python:3.12-slim\nRUN echo "🐳🐳" && pip install flask==3.0.3\n'
  const whaleFile = await judge('Dockerfile', { dockerfile: whales })
  const whaleFix = resultOf(runOf(only(whaleFile)).results, 'pip-no-cache').fixes?.[0]
  t.equal(applyReplacements(whales, replacementsOf(whaleFix)), 'FROM python:3.12-slim\nRUN echo "🐳🐳" && pip install --no-cache-dir flask==3.0.3\n')
})

t.test('suppressed results keep their fix; context-file and image findings', async (t) => {
  const pragma = 'FROM python:3.12-slim\n# plimsoll ignore=pip-no-cache reason="the cache is a mount"\nRUN pip install flask==3.0.3\n'
  const file = await judge('Dockerfile', { dockerfile: pragma })
  const text = renderSarif(only(file))
  isSchemaValid(t, text)
  const result = resultOf(runOf(only(file)).results, 'pip-no-cache')
  t.equal(result.suppressions?.length, 1, 'suppressed')
  t.same(replacementsOf(result.fixes?.[0]).map((r) => r.deletedRegion), [{ startLine: 3, startColumn: 16, endLine: 3, endColumn: 16 }], 'the fix is still the finding\'s')

  const pip = findingOf(await judge('Dockerfile', { dockerfile: PIP }), 'pip-no-cache')
  const base = await judge('svc/Dockerfile', { dockerfile: PIP })
  // A fix's edits are on the Dockerfile judged, even when the finding points into a context file.
  const inContext: Finding = { ...pip, location: { line: 1, endLine: 1, file: 'requirements.txt' } }
  const onImage: Finding = { ...pip, location: { line: 0, endLine: 0, image: { path: '/usr/bin/pip' } } }
  const results = runOf(only(withFindings(base, [inContext, onImage]))).results
  t.equal(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'svc/requirements.txt')
  t.same(results[0]?.fixes?.[0]?.artifactChanges[0]?.artifactLocation, { uri: 'svc/Dockerfile', uriBaseId: '%SRCROOT%' })
  t.notOk('fixes' in (results[1] ?? {}), 'an image has no text to edit')
  isSchemaValid(t, renderSarif(only(withFindings(base, [inContext, onImage]))))
})

t.test('deletions, replacements and edits that change nothing', async (t) => {
  const base = await judge('Dockerfile', { dockerfile: PIP })
  const pip = findingOf(base, 'pip-no-cache')
  const edit = { line: 2, column: 5, endLine: 2, endColumn: 9, text: '' }
  const deleting: Finding = { ...pip, fix: { description: 'drop pip', edits: [edit] } }
  const replacing: Finding = { ...pip, fix: { description: 'pip3', edits: [{ ...edit, endColumn: 8, text: 'pip3' }] } }
  const nothing: Finding = { ...pip, fix: { description: 'no-op', edits: [{ ...edit, endColumn: 5 }] } }
  const empty: Finding = { ...pip, fix: { description: 'none', edits: [] } }
  const report = only(withFindings(base, [deleting, replacing, nothing, empty]))
  isSchemaValid(t, renderSarif(report))
  const [deleted, replaced, noOp, none] = runOf(report).results
  t.same(replacementsOf(deleted?.fixes?.[0]), [{ deletedRegion: { startLine: 2, startColumn: 5, endLine: 2, endColumn: 9 } }], 'a deletion inserts nothing: no insertedContent')
  t.equal(applyReplacements(PIP, replacementsOf(deleted?.fixes?.[0])), 'FROM python:3.12-slim\nRUN install flask==3.0.3\n')
  t.equal(applyReplacements(PIP, replacementsOf(replaced?.fixes?.[0])), 'FROM python:3.12-slim\nRUN pip3 install flask==3.0.3\n')
  t.notOk('fixes' in (noOp ?? {}), 'a fix that changes nothing is no fix')
  t.notOk('fixes' in (none ?? {}), 'nor is one without edits')
})
