// The CI formats: GitLab Code Quality (JSON checked against GitLab's documented required fields) and GitHub
// workflow commands (one per line, escaped), rendered from real evaluations.
import { Ajv } from 'ajv'
import t from 'tap'
import type { Finding, RuleError } from '../../src/evaluation/engine.js'
import { renderGithub } from '../../src/verdict/formats/github.js'
import { renderGitlab } from '../../src/verdict/formats/gitlab.js'
import type { JudgedFile, Report } from '../../src/verdict/formats/report.js'
import { BAD_PATH, GOOD_PATH, sampleReport } from './report-fixture.js'

const report = await sampleReport()
const [bad, good] = report.files as [JudgedFile, JudgedFile]
const findingOf = (file: JudgedFile, ruleId: string): Finding => {
  const found = file.verdict.findings.find((f) => f.ruleId === ruleId)
  if (found === undefined) throw new Error(`the fixture has no ${ruleId} finding`)
  return found
}
// A copy of a judged file with other findings and rule errors.
const withFindings = (file: JudgedFile, findings: readonly Finding[], ruleErrors: readonly RuleError[] = [], path = file.path): JudgedFile =>
  ({ ...file, path, verdict: { ...file.verdict, findings, ruleErrors } })
const only = (...files: JudgedFile[]): Report => ({ files, version: report.version })

const workdir = findingOf(bad, 'workdir-absolute')
const SUPPRESSED = 'copy-only-needed-files'
const imageFinding: Finding = { ...workdir, severity: 'warning', location: { line: 0, endLine: 0, image: { path: '/etc/shadow' } } }
const ruleError: RuleError = { ruleId: 'broken-rule', policy: 'p', message: 'assert yielded null, not a boolean', location: { line: 3, endLine: 3 } }

// GitLab's documented required fields of a Code Quality issue.
const CODE_QUALITY = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^/|\\\\' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
}
const validate = new Ajv({ allErrors: true }).compile(CODE_QUALITY)

interface Issue { check_name: string, description: string, severity: string, fingerprint: string, location: { path: string, lines: { begin: number, end: number } } }
const gitlab = (r: Report): Issue[] => {
  const text = renderGitlab(r)
  if (!text.endsWith('\n')) throw new Error('the GitLab report does not end with a newline')
  return JSON.parse(text) as Issue[]
}

t.test('gitlab: a valid Code Quality report with one issue per unsuppressed finding', async (t) => {
  const issues = gitlab(report)
  t.ok(Array.isArray(issues))
  t.ok(validate(issues), JSON.stringify(validate.errors))
  t.equal(issues.length, bad.verdict.findings.length + good.verdict.findings.length)
  t.notOk(issues.some((i) => i.check_name === SUPPRESSED), 'the suppressed finding is left out')
  t.equal(issues.filter((i) => i.location.path === GOOD_PATH).length, good.verdict.findings.length)

  const workdirIssue = issues.find((i) => i.check_name === 'workdir-absolute')
  t.match(workdirIssue, { severity: 'blocker', description: '`WORKDIR app` is a relative path (workdir-absolute)', location: { path: BAD_PATH, lines: { begin: 4, end: 4 } } })
  t.match(issues.find((i) => i.check_name === 'requirements-pinned'), { severity: 'major', location: { path: 'services/api/requirements.txt', lines: { begin: 1, end: 1 } } })
  t.equal(issues.find((i) => i.check_name === 'python-unbuffered')?.severity, 'info')
  t.equal(renderGitlab(only()), '[]\n')
})

t.test('gitlab: fingerprints are unique, stable and do not depend on the line', async (t) => {
  const prints = gitlab(report).map((i) => i.fingerprint)
  t.equal(new Set(prints).size, prints.length, 'unique within a report')
  // Another evaluation of the same files (a new decision id, timings) prints the same.
  t.same(gitlab(await sampleReport()).map((i) => i.fingerprint), prints, 'stable across renders')

  const [original] = gitlab(only(withFindings(bad, [workdir])))
  const [moved] = gitlab(only(withFindings(bad, [{ ...workdir, location: { ...workdir.location, line: 9, endLine: 9 } }])))
  t.equal(moved?.fingerprint, original?.fingerprint, 'kept when lines above move')
  t.equal(moved?.location.lines.begin, 9)

  // The same finding twice (say, in two stages): the first keeps its print, the second gets its own.
  const twice = gitlab(only(withFindings(bad, [workdir, { ...workdir, location: { ...workdir.location, line: 7, endLine: 7 } }])))
  t.equal(twice[0]?.fingerprint, original?.fingerprint)
  t.not(twice[1]?.fingerprint, twice[0]?.fingerprint)
  // The same rule and message in another file is another issue.
  const [elsewhere] = gitlab(only(withFindings(bad, [workdir], [], 'other/Dockerfile')))
  t.not(elsewhere?.fingerprint, original?.fingerprint)
})

t.test('gitlab: image findings point at line 1; rule errors are issues', async (t) => {
  const issues = gitlab(only(withFindings(bad, [imageFinding], [ruleError])))
  t.ok(validate(issues), JSON.stringify(validate.errors))
  t.match(issues[0], { location: { path: BAD_PATH, lines: { begin: 1, end: 1 } }, severity: 'major' })
  t.match(issues[1], {
    check_name: 'broken-rule',
    severity: 'major',
    description: 'broken-rule could not be evaluated: assert yielded null, not a boolean',
    location: { path: BAD_PATH, lines: { begin: 3, end: 3 } },
  })
})

const COMMAND = /^::(error|warning|notice) [^:]*::.*$/
// The summary ends with how many findings carry a fix, when some do (test/formats/fixes.test.ts checks which).
const fixable = (file: JudgedFile): string => {
  const n = file.verdict.findings.filter((f) => f.fix !== undefined).length
  return n > 0 ? ` · ${n} fixable` : ''
}
const github = (r: Report): string[] => {
  const text = renderGithub(r)
  if (!text.endsWith('\n')) throw new Error('the GitHub output does not end with a newline')
  return text.slice(0, -1).split('\n')
}

t.test('github: one command per unsuppressed finding, then a summary line per file', async (t) => {
  const lines = github(report)
  const commands = lines.filter((line) => line.startsWith('::'))
  t.equal(commands.length, bad.verdict.findings.length + good.verdict.findings.length)
  for (const line of commands) t.match(line, COMMAND)
  t.same(lines.filter((line) => !line.startsWith('::')), [
    `${BAD_PATH}: fail · 1 error · 8 warnings · 6 info · 1 suppressed${fixable(bad)}`,
    `${GOOD_PATH}: warn · 0 errors · 1 warning · 1 info${fixable(good)}`,
  ])
  t.notOk(lines.some((line) => line.includes(SUPPRESSED)), 'the suppressed finding is left out')

  t.ok(commands.includes(`::error file=${BAD_PATH},line=4,endLine=4,title=workdir-absolute%3A WORKDIR is relative::\`WORKDIR app\` is a relative path%0AUse an absolute path, such as \`WORKDIR /app\`.`))
  t.ok(commands.some((line) => line.startsWith('::warning file=services/api/requirements.txt,line=1,endLine=1,title=requirements-pinned%3A ')))
  t.ok(commands.some((line) => line.startsWith(`::notice file=${BAD_PATH},line=1,endLine=1,title=python-unbuffered%3A `)))
  t.equal(renderGithub(only()), '')
})

t.test('github: escapes messages and properties; image findings have no line; rule errors are errors', async (t) => {
  const odd: Finding = { ...workdir, ruleId: 'odd:rule', title: 'a, b: 100%', message: '50% done\r\nnext: a, b', remediation: '' }
  const lines = github(only(withFindings(bad, [odd, imageFinding], [ruleError], 'dir,1/Docker:file')))
  t.same(lines, [
    '::error file=dir%2C1/Docker%3Afile,line=4,endLine=4,title=odd%3Arule%3A a%2C b%3A 100%25::50%25 done%0D%0Anext: a, b',
    `::warning file=dir%2C1/Docker%3Afile,title=workdir-absolute%3A WORKDIR is relative::\`WORKDIR app\` is a relative path%0AUse an absolute path, such as \`WORKDIR /app\`.`,
    '::error file=dir%2C1/Docker%3Afile,line=3,endLine=3,title=broken-rule could not be evaluated::assert yielded null, not a boolean',
    'dir,1/Docker:file: fail · 1 error · 8 warnings · 6 info · 1 suppressed',
  ])
  for (const line of lines.slice(0, 3)) t.match(line, COMMAND)

  // The summary counts rule errors when there are some.
  const broken = { ...bad, verdict: { ...bad.verdict, summary: { ...bad.verdict.summary, ruleErrors: 2 } } }
  t.equal(github(only(broken)).at(-1), `${BAD_PATH}: fail · 1 error · 8 warnings · 6 info · 1 suppressed · 2 rule errors${fixable(bad)}`)
})
