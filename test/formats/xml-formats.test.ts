import t, { type Test } from 'tap'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Finding } from '../../src/evaluation/engine.js'
import { renderCheckstyle } from '../../src/verdict/formats/checkstyle.js'
import { renderJunit } from '../../src/verdict/formats/junit.js'
import { artifactPath } from '../../src/verdict/formats/paths.js'
import type { JudgedFile } from '../../src/verdict/formats/report.js'
import { xmlSafe } from '../../src/verdict/formats/xml.js'
import { BAD_PATH, GOOD_PATH, sampleReport } from './report-fixture.js'

// What the parser gives back: attributes under `@_`, an element's text under `#text` (or the element itself
// when it has no attributes), repeated elements as arrays.
interface Attrs { readonly [name: `@_${string}`]: string | undefined }
interface Text extends Attrs { readonly '#text'?: string }
interface TestCase extends Attrs { readonly failure?: Text, readonly error?: Text, readonly skipped?: Text, readonly 'system-out'?: string }
interface TestSuite extends Attrs { readonly testcase?: TestCase[], readonly properties: { readonly property: Attrs[] } }
interface Junit { readonly testsuites: Attrs & { readonly testsuite?: TestSuite[] } }
interface Checkstyle { readonly checkstyle: Attrs & { readonly file?: Array<Attrs & { readonly error?: Attrs[] }> } }

const parser = (arrays: readonly string[]): XMLParser => new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => arrays.includes(name) })
const junitParser = parser(['testsuite', 'testcase', 'property'])
const checkstyleParser = parser(['file', 'error'])

// XML 1.0's Char production, less what well-formed output may carry (tab, LF, CR and the rest).
// eslint-disable-next-line no-control-regex -- looking for exactly these
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u

/** Checks the text is a well-formed XML document as the formats promise, and parses it. */
function wellFormed<T> (t: Test, xml: string, parse: XMLParser): T {
  t.equal(XMLValidator.validate(xml), true, 'well-formed')
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), 'declaration first')
  t.ok(xml.endsWith('\n'), 'ends with a newline')
  t.notOk(FORBIDDEN.test(xml), 'no character XML 1.0 forbids')
  return parse.parse(xml) as T
}

const caseNamed = (suite: TestSuite | undefined, name: string): TestCase | undefined => suite?.testcase?.find((c) => c['@_name'] === name)

/** A copy of the file with its verdict's parts replaced. */
function withVerdict (file: JudgedFile, parts: Partial<JudgedFile['verdict']>, path = file.path): JudgedFile {
  return { ...file, path, verdict: { ...file.verdict, ...parts } }
}

t.test('junit: one suite per file, one test case per rule, counts that add up', async (t) => {
  const report = await sampleReport()
  const [bad, good] = report.files as [JudgedFile, JudgedFile]
  const doc = wellFormed<Junit>(t, renderJunit(report), junitParser)
  const root = doc.testsuites
  t.equal(root['@_name'], 'plimsoll')
  const suites = root.testsuite ?? []
  t.same(suites.map((s) => s['@_name']), [BAD_PATH, GOOD_PATH], 'one suite per judged file, named by its path')

  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 }
  for (const [suite, file] of [[suites[0], bad], [suites[1], good]] as Array<[TestSuite, JudgedFile]>) {
    const cases = suite.testcase ?? []
    const having = (element: 'failure' | 'error' | 'skipped'): number => cases.filter((c) => c[element] !== undefined).length
    t.equal(cases.length, file.rules.length + file.verdict.notEvaluated.length, `${file.path}: a case per rule run or not evaluated`)
    t.equal(Number(suite['@_tests']), cases.length)
    t.equal(Number(suite['@_failures']), having('failure'))
    t.equal(Number(suite['@_errors']), having('error'))
    t.equal(Number(suite['@_skipped']), having('skipped'))
    t.equal(Number(suite['@_skipped']), file.verdict.notEvaluated.length)
    t.equal(suite['@_time'], (file.verdict.durationMs / 1000).toFixed(3), 'time in seconds')
    t.ok(cases.every((c) => [c.failure, c.error, c.skipped].filter((e) => e !== undefined).length <= 1), 'at most one outcome per case')
    t.ok(suite.properties.property.some((p) => p['@_name'] === 'verdict' && p['@_value'] === file.verdict.verdict), 'the verdict as a property')
    for (const n of file.verdict.notEvaluated) {
      const skipped = caseNamed(suite, n.ruleId)
      t.equal(skipped?.['@_classname'], `${file.path}.${n.policy}`)
      t.equal(skipped?.skipped?.['@_message'], n.reason.replace(/[\t\n\r]/g, ' '), `${n.ruleId} is skipped, with the reason`)
    }
    sum.tests += cases.length
    sum.failures += having('failure')
    sum.errors += having('error')
    sum.skipped += having('skipped')
  }
  t.same({ tests: Number(root['@_tests']), failures: Number(root['@_failures']), errors: Number(root['@_errors']), skipped: Number(root['@_skipped']) }, sum, 'totals are the sums')
  t.ok(sum.skipped > 0, 'the sample has rules that did not run')

  // The bad file fails on errors (failOn: error): only workdir-absolute fails; warnings and info are noted.
  const [badSuite, goodSuite] = suites
  const workdir = caseNamed(badSuite, 'workdir-absolute')
  t.equal(workdir?.['@_classname'], 'services/api/Dockerfile.docker-best-practices')
  t.equal(workdir?.failure?.['@_type'], 'error')
  t.match(workdir?.failure?.['@_message'], /WORKDIR app/)
  t.match(workdir?.failure?.['#text'], /^services\/api\/Dockerfile:4 `WORKDIR app` is a relative path$/m, 'the failure names line 4')
  t.match(workdir?.failure?.['#text'], /^remediation: /m)
  t.equal(badSuite?.['@_failures'], '1', 'findings below the threshold are not failures')
  t.match(caseNamed(badSuite, 'copy-not-add')?.['system-out'], /^services\/api\/Dockerfile:3 warning \(below the threshold\)/)
  t.match(caseNamed(badSuite, 'requirements-pinned')?.['system-out'], /^services\/api\/requirements\.txt:1 /, 'a context-file finding points into that file')
  const suppressed = caseNamed(badSuite, 'copy-only-needed-files')
  t.equal(suppressed?.failure ?? suppressed?.skipped, undefined, 'a suppressed finding neither fails nor skips its rule')
  t.match(suppressed?.['system-out'], /:3 suppressed: .*`# plimsoll ignore` on line 2: the whole folder is the app/)
  t.same(caseNamed(badSuite, 'dockerignore-present'), { '@_classname': 'services/api/Dockerfile.build-context', '@_name': 'dockerignore-present' }, 'a passing rule is a bare case')

  // The good file has failOn none: warnings fail, info does not, and nothing fails at error level.
  const goodCases = goodSuite?.testcase ?? []
  t.notOk(goodCases.some((c) => c.failure?.['@_type'] === 'error'), 'no error-level failure in the good file')
  t.equal(caseNamed(goodSuite, 'dockerignore-covers-artifacts')?.failure?.['@_type'], 'warning')
  t.equal(caseNamed(goodSuite, 'virtualenv')?.failure, undefined)
  t.match(caseNamed(goodSuite, 'virtualenv')?.['system-out'], /^Dockerfile:1 info/)
})

t.test('junit: rule errors, image findings, several failures, an empty report', async (t) => {
  const [bad] = (await sampleReport()).files as [JudgedFile]
  const base = bad.verdict.findings.find((f) => f.ruleId === 'workdir-absolute') as Finding
  const onImage = [{ path: '/etc/passwd' }, { history: 3 }, { layer: 2 }, {}].map((image, i): Finding => ({ ...base, message: `m${i}`, location: { line: 0, endLine: 0, image } }))
  const erring = { ruleId: 'copy-not-add', policy: 'docker-best-practices', message: 'no such key', location: { line: 3, endLine: 3 } }
  const copyNotAdd = bad.verdict.findings.find((f) => f.ruleId === 'copy-not-add') as Finding
  const image = withVerdict(bad, {
    findings: [...onImage, copyNotAdd],
    ruleErrors: [erring],
    threshold: { failOn: 'warning', reached: true },
  }, 'registry.example/app:1')
  const doc = wellFormed<Junit>(t, renderJunit({ files: [image], version: '0' }), junitParser)
  const suite = doc.testsuites.testsuite?.[0]
  const failure = caseNamed(suite, 'workdir-absolute')?.failure
  t.equal(failure?.['@_message'], 'm0 (and 3 more)', 'several findings: the first, and how many more')
  t.match(failure?.['#text'], /^registry\.example\/app:1:\/etc\/passwd m0$/m, 'a file in the image')
  t.match(failure?.['#text'], /^registry\.example\/app:1 step 3 m1$/m, 'a history step')
  t.match(failure?.['#text'], /^registry\.example\/app:1 layer 2 m2$/m, 'a layer')
  t.match(failure?.['#text'], /^registry\.example\/app:1 m3$/m, 'the image itself')

  const erred = caseNamed(suite, 'copy-not-add')
  t.equal(erred?.error?.['@_type'], 'rule-error')
  t.equal(erred?.error?.['@_message'], 'could not be evaluated: no such key')
  t.equal(erred?.failure, undefined, 'an error wins over a failure')
  t.match(erred?.error?.['#text'], /^registry\.example\/app:1:3 no such key\n.*:3 `ADD \. \/app` copies local files/, 'and its findings are listed with it')
  t.equal(suite?.['@_errors'], '1')
  t.equal(suite?.['@_failures'], '1')

  const empty = wellFormed<Junit>(t, renderJunit({ files: [], version: '0' }), junitParser)
  t.same(empty.testsuites, { '@_name': 'plimsoll', '@_tests': '0', '@_failures': '0', '@_errors': '0', '@_skipped': '0', '@_time': '0.000' })
})

t.test('checkstyle: a file element per file, an error per finding', async (t) => {
  const report = await sampleReport()
  const [bad, good] = report.files as [JudgedFile, JudgedFile]
  const doc = wellFormed<Checkstyle>(t, renderCheckstyle(report), checkstyleParser)
  t.equal(doc.checkstyle['@_version'], '4.3')
  const files = doc.checkstyle.file ?? []
  t.same(files.map((f) => f['@_name']), [BAD_PATH, 'services/api/requirements.txt', GOOD_PATH], 'context files under their own name, beside the Dockerfile')
  const errorsIn = (name: string): Attrs[] => files.find((f) => f['@_name'] === name)?.error ?? []

  t.same(errorsIn(BAD_PATH).find((e) => e['@_source'] === 'plimsoll.workdir-absolute'), {
    '@_line': '4', '@_severity': 'error', '@_message': '`WORKDIR app` is a relative path', '@_source': 'plimsoll.workdir-absolute',
  })
  t.same(errorsIn('services/api/requirements.txt').map((e) => [e['@_line'], e['@_severity'], e['@_source']]), [['1', 'warning', 'plimsoll.requirements-pinned']])
  t.equal(errorsIn(BAD_PATH).length + errorsIn('services/api/requirements.txt').length, bad.verdict.findings.length, 'every unsuppressed finding, once')
  t.equal(errorsIn(GOOD_PATH).length, good.verdict.findings.length)
  t.notOk(errorsIn(BAD_PATH).some((e) => e['@_source'] === 'plimsoll.copy-only-needed-files'), 'suppressed findings are left out')
  t.same(errorsIn(BAD_PATH).map((e) => e['@_line']), bad.verdict.findings.filter((f) => f.location.file === undefined).map((f) => String(f.location.line)), 'lines in file order')
  const all = files.flatMap((f) => f.error ?? [])
  t.ok(all.every((e) => /^plimsoll\.[a-z0-9-]+$/.test(e['@_source'] ?? '') && ['error', 'warning', 'info'].includes(e['@_severity'] ?? '')), 'sources and severities')

  // An image finding has no line; a rule that could not run is a warning; a file with no finding is listed.
  const location = { line: 0, endLine: 0, image: { history: 2 } }
  const image = withVerdict(bad, {
    findings: [{ ...bad.verdict.findings[0] as Finding, location }],
    ruleErrors: [{ ruleId: 'copy-not-add', policy: 'docker-best-practices', message: 'no such key', location }],
  }, 'app:1')
  const clean = withVerdict(good, { findings: [] }, 'clean/Dockerfile')
  const other = wellFormed<Checkstyle>(t, renderCheckstyle({ files: [image, clean], version: '0' }), checkstyleParser)
  t.same(other.checkstyle.file, [
    {
      '@_name': 'app:1',
      error: [
        { '@_severity': 'info', '@_message': bad.verdict.findings[0]?.message, '@_source': 'plimsoll.base-image-digest-pinned' },
        { '@_severity': 'warning', '@_message': 'could not be evaluated: no such key', '@_source': 'plimsoll.copy-not-add' },
      ],
    },
    { '@_name': 'clean/Dockerfile' },
  ])
})

t.test('markup and control characters in messages stay well-formed and round-trip', async (t) => {
  const [bad] = (await sampleReport()).files as [JudgedFile]
  const nasty = 'a <b> & "c" \'d\' ]]> \u0007\u0000\uD800 é 🐳 end\nnext'
  const read = 'a <b> & "c" \'d\' ]]> \uFFFD\uFFFD\uFFFD é 🐳 end'
  // "true" too: the builder's default would write it as a bare attribute, which is not XML.
  const findings = bad.verdict.findings.map((f) => f.ruleId === 'workdir-absolute' ? { ...f, message: nasty } : f.ruleId === 'copy-not-add' ? { ...f, message: 'true' } : f)
  const file = withVerdict(bad, { findings }, 'odd & <dir>/Dockerfile')
  const report = { files: [file], version: '0' }

  const junit = wellFormed<Junit>(t, renderJunit(report), junitParser)
  const suite = junit.testsuites.testsuite?.[0]
  t.equal(suite?.['@_name'], 'odd & <dir>/Dockerfile')
  const failure = caseNamed(suite, 'workdir-absolute')?.failure
  t.equal(failure?.['@_message'], `${read} next`, 'an attribute: line breaks read back as spaces')
  t.ok(failure?.['#text']?.includes(`odd & <dir>/Dockerfile:4 ${read}\nnext`), 'text keeps its line breaks')

  const checkstyle = wellFormed<Checkstyle>(t, renderCheckstyle(report), checkstyleParser)
  const names = checkstyle.checkstyle.file?.map((f) => f['@_name'])
  t.same(names, ['odd & <dir>/Dockerfile', 'odd & <dir>/requirements.txt'])
  const error = checkstyle.checkstyle.file?.[0]?.error?.find((e) => e['@_source'] === 'plimsoll.workdir-absolute')
  t.equal(error?.['@_message'], `${read} next`)
  t.equal(checkstyle.checkstyle.file?.[0]?.error?.find((e) => e['@_source'] === 'plimsoll.copy-not-add')?.['@_message'], 'true')
})

t.test('helpers: context-file paths and XML-safe text', async (t) => {
  const context = { line: 1, endLine: 1, file: 'requirements.txt' }
  t.equal(artifactPath('services/api/Dockerfile', context), 'services/api/requirements.txt')
  t.equal(artifactPath('Dockerfile', context), 'requirements.txt', 'a Dockerfile at the root')
  t.equal(artifactPath('services\\api\\Dockerfile', context), 'services/api/requirements.txt', 'posix separators')
  t.equal(artifactPath('services/api/Dockerfile', { ...context, file: 'conf/../pip.conf' }), 'services/api/pip.conf')
  t.equal(artifactPath('services/api/Dockerfile', { line: 4, endLine: 4 }), 'services/api/Dockerfile', 'the Dockerfile itself')
  t.equal(xmlSafe('tab\tlf\ncr\r ok 🐳'), 'tab\tlf\ncr\r ok 🐳', 'whitespace and astral characters stay')
  t.equal(xmlSafe('\u0000\u001F\uDC00\uFFFE\uFFFF'), '\uFFFD'.repeat(5), 'forbidden characters are replaced')
})
