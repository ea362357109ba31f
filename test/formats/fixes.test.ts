// Fixes in the reports people read: the text report tags a finding that carries a fix and ends with how many
// `plimsoll check --fix` can fix; GitHub annotations and JUnit bodies say so beside the remediation. GitLab Code
// Quality and checkstyle have no place for a fix, so a fix changes nothing in them.
import t from 'tap'
import { XMLParser } from 'fast-xml-parser'
import type { Finding } from '../../src/evaluation/engine.js'
import { renderCheckstyle } from '../../src/verdict/formats/checkstyle.js'
import { renderGithub } from '../../src/verdict/formats/github.js'
import { renderGitlab } from '../../src/verdict/formats/gitlab.js'
import { renderJunit } from '../../src/verdict/formats/junit.js'
import { renderReport } from '../../src/verdict/formats/render.js'
import type { JudgedFile, Report } from '../../src/verdict/formats/report.js'
import { renderText } from '../../src/verdict/text.js'
import { judge } from './report-fixture.js'

const PIP = 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n'
const NOTE = /^Fixable with `plimsoll check --fix`: /

const only = (...files: JudgedFile[]): Report => ({ files, version: '0.1.0' })
const withVerdict = (file: JudgedFile, parts: Partial<JudgedFile['verdict']>): JudgedFile => ({ ...file, verdict: { ...file.verdict, ...parts } })
const withoutFix = (f: Finding): Finding => ({ ...f, fix: undefined })
const stripFixes = (file: JudgedFile): JudgedFile =>
  withVerdict(file, { findings: file.verdict.findings.map(withoutFix), suppressed: file.verdict.suppressed.map((f) => ({ ...f, fix: undefined })) })

const file = await judge('Dockerfile', { dockerfile: PIP })
const pip = file.verdict.findings.find((f) => f.ruleId === 'pip-no-cache') as Finding
const fixable = file.verdict.findings.filter((f) => f.fix !== undefined)
const unfixable = file.verdict.findings.filter((f) => f.fix === undefined)

t.test('the example has findings with and without a fix', async (t) => {
  t.ok(pip?.fix !== undefined, 'pip-no-cache carries a fix')
  t.ok(unfixable.length > 0)
})

t.test('text: fixable findings are tagged, and a closing line counts them', async (t) => {
  const text = renderText(file.verdict, { file: 'Dockerfile', color: false })
  const lines = text.split('\n')
  const rowOf = (f: Finding): string | undefined => lines.find((l) => l.startsWith(`  Dockerfile:${f.location.line} `) && l.includes(` ${f.ruleId} `))
  t.match(rowOf(pip), /^ {2}Dockerfile:2 +pip-no-cache +.+ \[fixable\]$/, 'the tag ends the finding line')
  for (const f of fixable) t.match(rowOf(f), / \[fixable\]$/, `${f.ruleId} is tagged`)
  for (const f of unfixable) t.notMatch(rowOf(f), /fixable/, `${f.ruleId} is not`)
  t.equal(lines.filter((l) => l.endsWith(' [fixable]')).length, fixable.length, 'one tag per fixable finding')
  const total = file.verdict.findings.length
  t.same(lines.slice(-3), [
    lines.at(-3) ?? '',
    `${fixable.length} of ${total} findings can be fixed with \`plimsoll check --fix\` (or POST /v1/evaluate?fix=true)`,
    '',
  ], 'the count is the last line')
  t.match(lines.at(-3), /^Dockerfile: warn · /, 'after the summary line')
  t.equal(renderReport('text', only(file)), text, 'the text format of the routes is the same report')

  const colored = renderText(file.verdict, { file: 'Dockerfile', color: true })
  t.match(colored, '\x1b[32m[fixable]\x1b[39m', 'the tag is green')
  // eslint-disable-next-line no-control-regex
  t.equal(colored.replace(/\x1b\[\d+m/g, ''), text, 'colour changes nothing else')
})

t.test('text: no fix, no tag and no closing line; one finding, one of one', async (t) => {
  const plain = renderText(stripFixes(file).verdict, { file: 'Dockerfile', color: false })
  t.notMatch(plain, /fixable|--fix/)
  t.match(plain, /\n$/)
  t.match(plain.split('\n').at(-2), /^Dockerfile: warn · /, 'the summary is the last line again')

  const one = renderText(withVerdict(file, { findings: [pip] }).verdict, { file: 'Dockerfile', color: false })
  t.match(one, /\n1 of 1 finding can be fixed with `plimsoll check --fix` \(or POST \/v1\/evaluate\?fix=true\)\n$/)
  const emptyFix = renderText(withVerdict(file, { findings: [{ ...pip, fix: { description: 'nothing', edits: [] } }] }).verdict, { file: 'Dockerfile', color: false })
  t.notMatch(emptyFix, /fixable|--fix/, 'a fix without edits fixes nothing: no tag, no count')
})

t.test('text: a suppressed finding is neither tagged nor counted, since --fix leaves it', async (t) => {
  const pragma = 'FROM python:3.12-slim\n# plimsoll ignore=pip-no-cache\nRUN pip install flask==3.0.3\n'
  const hidden = await judge('Dockerfile', { dockerfile: pragma })
  const suppressed = hidden.verdict.suppressed.find((f) => f.ruleId === 'pip-no-cache')
  t.ok(suppressed?.fix !== undefined, 'the suppressed finding carries its fix')
  const text = renderText(withVerdict(hidden, { findings: hidden.verdict.findings.map(withoutFix) }).verdict, { file: 'Dockerfile', color: false })
  t.match(text, /suppressed \(1\)\n {2}Dockerfile:3 +pip-no-cache +[^\n]*cache[^\n]*\n/)
  t.notMatch(text, /fixable|--fix/)
})

t.test('github: the annotation says the finding is fixable; the summary counts them', async (t) => {
  const lines = renderGithub(only(file)).trimEnd().split('\n')
  const annotation = (f: Finding): string => lines.find((l) => l.includes(`title=${f.ruleId}%3A`)) ?? ''
  const message = (line: string): string[] => line.slice(line.indexOf('::', 2) + 2).split('%0A')
  t.same(message(annotation(pip)), [pip.message, pip.remediation, `Fixable with \`plimsoll check --fix\`: ${pip.fix?.description ?? ''}`].map((m) => m.replaceAll('%', '%25')))
  for (const f of unfixable) t.equal(message(annotation(f)).length, 2, `${f.ruleId}: message and remediation only`)
  t.match(lines.at(-1), new RegExp(`^Dockerfile: warn · .* · ${fixable.length} fixable$`))
  t.notMatch(renderGithub(only(stripFixes(file))), /fixable/i, 'nothing without fixes')
})

interface TestCase { '@_name': string, failure?: { '#text': string }, 'system-out'?: string }
const cases = (report: Report): TestCase[] => {
  const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(renderJunit(report)) as {
    testsuites: { testsuite: Array<{ testcase: TestCase[] }> }
  }
  return parsed.testsuites.testsuite.flatMap((s) => s.testcase)
}

t.test('junit: a failing fixable finding is tagged, and the failure says what the fix does', async (t) => {
  const failing = withVerdict(file, { threshold: { failOn: 'warning', reached: true } })
  const pipCase = cases(only(failing)).find((c) => c['@_name'] === 'pip-no-cache')
  const body = pipCase?.failure?.['#text'].split('\n') ?? []
  t.ok(body.includes(`Dockerfile:2 ${pip.message} [fixable]`), 'the finding line is tagged')
  t.same(body.filter((l) => NOTE.test(l)), [`Fixable with \`plimsoll check --fix\`: ${pip.fix?.description ?? ''}`], 'one note, after the remediation')
  t.match(body.at(-2), /^remediation: /)
  for (const c of cases(only(failing)).filter((c) => unfixable.some((f) => f.ruleId === c['@_name']))) {
    t.notMatch(c.failure?.['#text'] ?? c['system-out'] ?? '', /fixable/i, `${c['@_name']}: no fix, no mark`)
  }

  // Below the threshold a finding is a note in <system-out>: tagged, without the failure's note.
  const passing = withVerdict(file, { threshold: { failOn: 'error', reached: false } })
  const note = cases(only(passing)).find((c) => c['@_name'] === 'pip-no-cache')
  t.equal(note?.failure, undefined)
  t.equal(note?.['system-out'], `Dockerfile:2 warning (below the threshold): ${pip.message} [fixable]`)

  // A rule error wins over the failure; its body still lists the failing finding and its fix.
  const broken = withVerdict(failing, { ruleErrors: [{ ruleId: 'pip-no-cache', policy: pip.policy, message: 'boom', location: { line: 2, endLine: 2 } }] })
  const error = (cases(only(broken)).find((c) => c['@_name'] === 'pip-no-cache') as { error?: { '#text': string } } | undefined)?.error?.['#text']
  t.same(error?.split('\n'), ['Dockerfile:2 boom', `Dockerfile:2 ${pip.message} [fixable]`, `Fixable with \`plimsoll check --fix\`: ${pip.fix?.description ?? ''}`])
  t.notMatch(renderJunit(only(stripFixes(failing))), /fixable/i)
})

t.test('gitlab and checkstyle have no place for a fix: it changes nothing in them', async (t) => {
  t.equal(renderGitlab(only(file)), renderGitlab(only(stripFixes(file))))
  t.equal(renderCheckstyle(only(file)), renderCheckstyle(only(stripFixes(file))))
  t.notMatch(renderGitlab(only(file)), /fixable|--no-cache-dir/)
})
