import { readFileSync } from 'node:fs'
import t from 'tap'
import { BROKEN_POLICIES, PASSING_POLICIES, PROJECT, run } from './helpers.js'

// The fixture pack `users`: final-user-not-root (error, alias DL3002), user-set (warning), workdir-set (info).
const P = ['--policies', PASSING_POLICIES]
const CLEAN = 'FROM alpine:3.20\nWORKDIR /app\nUSER 10001\n'
const ERROR = 'FROM alpine:3.20\nWORKDIR /app\nUSER root\n'
const WARNING = 'FROM alpine:3.20\nWORKDIR /app\nRUN true\n'
const INFO = 'FROM alpine:3.20\nUSER 10001\n'

t.test('exit codes follow the threshold, warning by default', async (t) => {
  const cases: Array<[string, string, string[], number]> = [
    ['clean', CLEAN, [], 0],
    ['an error', ERROR, [], 1],
    ['a warning', WARNING, [], 1],
    ['only info', INFO, [], 0],
    ['an error, --fail-on none', ERROR, ['--fail-on', 'none'], 0],
    ['a warning, --fail-on error', WARNING, ['--fail-on', 'error'], 0],
    ['an error, --fail-on error', ERROR, ['--fail-on', 'error'], 1],
    ['only info, --fail-on info', INFO, ['--fail-on', 'info'], 1],
  ]
  for (const [name, dockerfile, flags, code] of cases) {
    const result = await run(['check', ...P, ...flags, '-'], { stdin: dockerfile })
    t.equal(result.code, code, name)
    t.equal(result.stderr, '', `${name}: nothing on stderr`)
  }
})

t.test('the project Dockerfile is read from the working directory by default', async (t) => {
  const result = await run(['check', ...P])
  t.equal(result.code, 0)
  t.match(result.stdout, /^Dockerfile: pass · 0 errors · 0 warnings · 0 info · 3 rules evaluated · fail-on warning not reached\n$/)
})

t.test('text output groups findings by severity, errors first, with the remediation below', async (t) => {
  const result = await run(['check', ...P, '-'], { stdin: 'FROM alpine:3.20\nUSER root\n' })
  t.equal(result.code, 1)
  const lines = result.stdout.split('\n')
  t.same(lines.filter((l) => /^\S/.test(l)), ['errors (1)', 'info (1)', '<stdin>: fail · 1 error · 0 warnings · 1 info · 3 rules evaluated · fail-on warning reached'])
  t.match(result.stdout, /errors \(1\)\n {2}<stdin>:2 {2}final-user-not-root {2}the final stage runs as `root`\n {13}Switch to an unprivileged user/)
  t.match(result.stdout, /info \(1\)\n {2}<stdin>:1 {2}workdir-set {10}the final stage never sets WORKDIR\n/)
})

t.test('JSON output is the verdict with the file name; for several files, the batch route\'s summary and results', async (t) => {
  const one = await run(['check', ...P, '--format', 'json', 'app.Dockerfile'])
  const verdict = JSON.parse(one.stdout) as Record<string, unknown>
  t.match(verdict, { file: 'app.Dockerfile', verdict: 'pass', threshold: { failOn: 'warning', reached: false }, policySet: { policies: [{ name: 'users', version: '1.2.0' }] } })
  t.equal(Object.keys(verdict)[0], 'file', 'the file name comes first')

  const two = await run(['check', ...P, '--format', 'json', 'Dockerfile', '-'], { stdin: ERROR })
  t.equal(two.code, 1)
  t.match(JSON.parse(two.stdout), {
    summary: { verdict: 'fail', files: 2, pass: 1, fail: 1, thresholdReached: 1 },
    results: [{ path: 'Dockerfile', verdict: 'pass' }, { path: '<stdin>', verdict: 'fail', findings: [{ ruleId: 'final-user-not-root', location: { line: 3 } }] }],
  })
})

t.test('with several Dockerfiles the exit code is the worst', async (t) => {
  const findings = await run(['check', ...P, 'Dockerfile', '-'], { stdin: WARNING })
  t.equal(findings.code, 1)
  t.match(findings.stdout, /Dockerfile: pass[^]*\n\n[^]*<stdin>: warn/, 'a blank line between files')

  const missing = await run(['check', ...P, 'Dockerfile', 'missing.Dockerfile', '-'], { stdin: ERROR })
  t.equal(missing.code, 2, 'an unreadable file beats findings')
  t.equal(missing.stderr, 'plimsoll: missing.Dockerfile: cannot read: no such file\n')
  t.match(missing.stdout, /Dockerfile: pass[^]*<stdin>: fail/, 'the others are still judged')
})

t.test('input errors exit 2 and say what and where', async (t) => {
  const cases: Array<[string, string[], string, RegExp]> = [
    ['a directory without Dockerfiles', ['requirements'], '', /^plimsoll: requirements: no Dockerfile under it \(looked for Dockerfile, \*\.Dockerfile, Dockerfile\.\*, Containerfile\)\n$/],
    ['an empty Dockerfile', ['-'], '  \n', /^plimsoll: <stdin>: the Dockerfile is empty\n$/],
    ['stdin twice', ['-', '-'], CLEAN, /standard input \(-\) can be read only once/],
    ['a --param without =', ['--param', 'forbiddenUser', '-'], CLEAN, /--param wants name=value, got "forbiddenUser"/],
    ['an unknown param', ['--param', 'maxLayers=3', '-'], CLEAN, /<stdin>: unknown param "maxLayers"; the selected policies take: forbiddenUser/],
    ['an unknown policy', ['--policy', 'nope', '-'], CLEAN, /unknown policy "nope"; loaded: users/],
    ['an unknown profile', ['--profile', 'nope', '-'], CLEAN, /unknown profile "nope"; loaded: relaxed/],
    ['a missing context directory', ['--context', 'nowhere', '-'], CLEAN, /--context nowhere: not a directory/],
  ]
  for (const [name, argv, stdin, stderr] of cases) {
    const result = await run(['check', ...P, ...argv], { stdin })
    t.equal(result.code, 2, name)
    t.match(result.stderr, stderr, name)
  }
})

t.test('bad flags are usage errors', async (t) => {
  for (const argv of [['check', '--bogus'], ['check', '--format', 'xml'], ['check', '--fail-on', 'style'], ['frobnicate'], []]) {
    const result = await run(argv)
    t.equal(result.code, 2, argv.join(' ') || 'no command')
    t.not(result.stderr, '', 'says why on stderr')
  }
})

t.test('policies that do not load exit 2 with file:line:column for each problem', async (t) => {
  const result = await run(['check', '--policies', BROKEN_POLICIES, '-'], { stdin: CLEAN, cwd: `${BROKEN_POLICIES}/..` })
  t.equal(result.code, 2)
  t.match(result.stderr, /^plimsoll: the policies in broken do not load:\n/)
  t.match(result.stderr, /^broken\/schema\.yaml:12:17: \/spec\/rules\/0\/severity must be equal to one of the allowed values: error, warning, info$/m)
  t.match(result.stderr, /^broken\/cel\.yaml:14:15: rule workdir-set: assert: /m)
  t.equal(result.stdout, '')
})

t.test('without --policies, the shipped policies judge', async (t) => {
  const result = await run(['check', '--format', 'json', '-'], { stdin: 'FROM python:latest\nUSER root\n' })
  t.equal(result.code, 1)
  const verdict = JSON.parse(result.stdout) as { policySet: { policies: Array<{ name: string }> }, findings: Array<{ ruleId: string }> }
  t.ok(verdict.policySet.policies.some((p) => p.name === 'docker-best-practices'), 'the shipped packs')
  t.ok(verdict.findings.some((f) => f.ruleId === 'base-image-not-latest'))
})

t.test('--policy, --include, --exclude and --param reach the engine', async (t) => {
  t.equal((await run(['check', ...P, '--policy', 'users', '-'], { stdin: ERROR })).code, 1)
  t.equal((await run(['check', ...P, '--exclude', 'DL3002', '-'], { stdin: ERROR })).code, 0, 'excluded by alias')
  t.equal((await run(['check', ...P, '--exclude', 'security', '--exclude', 'user-*', '-'], { stdin: ERROR })).code, 0, 'excluded by tag, repeated')
  const app = 'FROM alpine:3.20\nWORKDIR /app\nUSER app\n'
  t.equal((await run(['check', ...P, '-'], { stdin: app })).code, 0)
  const forbidden = await run(['check', ...P, '--param', 'forbiddenUser=app', '--format', 'json', '-'], { stdin: app })
  t.equal(forbidden.code, 1, 'the param is passed as a string')
  t.match(JSON.parse(forbidden.stdout), { findings: [{ ruleId: 'final-user-not-root', message: 'the final stage runs as `app`' }] })
  const typed = await run(['check', ...P, '--param', 'forbiddenUser=1', '-'], { stdin: app })
  t.equal(typed.code, 2, 'a value that parses as JSON is JSON: 1 is a number, not a string')
  t.match(typed.stderr, /param "forbiddenUser" must be a string/)
  t.equal((await run(['check', ...P, '--param', 'forbiddenUser="1"', '-'], { stdin: app })).code, 0, 'quoted, it is a string')
})

t.test('a profile\'s threshold applies unless --fail-on is given', async (t) => {
  t.equal((await run(['check', ...P, '--profile', 'relaxed', '-'], { stdin: WARNING })).code, 0, 'relaxed fails on errors only')
  t.equal((await run(['check', ...P, '--profile', 'relaxed', '--fail-on', 'warning', '-'], { stdin: WARNING })).code, 1, 'the flag wins')
  const result = await run(['check', ...P, '--profile', 'relaxed', '-'], { stdin: ERROR })
  t.equal(result.code, 1)
  t.match(result.stdout, /fail-on error reached/)
})

t.test('context files beside the Dockerfile are read: .hadolint.yaml suppresses DL3002', async (t) => {
  const result = await run(['check', ...P, 'app.Dockerfile'])
  t.equal(result.code, 0, 'USER root is suppressed by the project\'s .hadolint.yaml')
  t.match(result.stdout, /suppressed \(1\)\n {2}app\.Dockerfile:2 {2}final-user-not-root {2}the final stage runs as `root`\n {20}ignored in \.hadolint\.yaml/)
  t.match(result.stdout, /1 suppressed/)

  const elsewhere = t.testdir({})
  const other = await run(['check', ...P, '--context', elsewhere, 'app.Dockerfile'])
  t.equal(other.code, 1, 'with another context the config is not there')

  const stdin = await run(['check', ...P, '-'], { stdin: readFileSync(`${PROJECT}/app.Dockerfile`, 'utf8') })
  t.equal(stdin.code, 1, 'standard input has no directory, so no context files')
  const stdinWithContext = await run(['check', ...P, '--context', '.', '-'], { stdin: readFileSync(`${PROJECT}/app.Dockerfile`, 'utf8') })
  t.equal(stdinWithContext.code, 0, 'unless --context names one')
})

t.test('a context file over 1 MiB is skipped with a warning', async (t) => {
  const dir = t.testdir({ Dockerfile: CLEAN, 'package-lock.json': 'x'.repeat(1024 * 1024 + 1) })
  const result = await run(['check', ...P, 'Dockerfile'], { cwd: dir })
  t.equal(result.code, 0)
  t.match(result.stderr, /^plimsoll: warning: skipping .*package-lock\.json: 1048577 bytes is over the 1 MiB limit for context files\n$/)
})

t.test('colours only for a terminal without NO_COLOR; FORCE_COLOR forces', async (t) => {
  const cases: Array<[string, boolean, Record<string, string>, boolean]> = [
    ['a pipe', false, {}, false],
    ['a terminal', true, {}, true],
    ['a terminal with NO_COLOR', true, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR empty', true, { NO_COLOR: '' }, true],
    ['a dumb terminal', true, { TERM: 'dumb' }, false],
    ['a pipe with FORCE_COLOR', false, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR over NO_COLOR', false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['a terminal with FORCE_COLOR=0', true, { FORCE_COLOR: '0' }, false],
  ]
  for (const [name, tty, env, colored] of cases) {
    const result = await run(['check', ...P, '-'], { stdin: ERROR, tty, env })
    t.equal(result.stdout.includes('\x1b['), colored, name)
  }
})

t.test('--help and --version', async (t) => {
  const help = await run(['check', '--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /Usage: plimsoll check \[options\] \[dockerfiles\.\.\.\]/)
  t.match(help.stdout, /--fail-on <severity>/)
  t.match(help.stdout, /Exit codes: 0 nothing at or above the threshold/)
  for (const command of ['test', 'validate', 'explain', 'serve']) {
    const result = await run([command, '--help'])
    t.equal(result.code, 0, `${command} --help`)
    t.match(result.stdout, new RegExp(`Usage: plimsoll ${command}`))
  }
  const version = await run(['--version'])
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  t.same(version, { code: 0, stdout: `${pkg.version}\n`, stderr: '' })
})
