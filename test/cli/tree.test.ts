import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { XMLParser } from 'fast-xml-parser'
import { isDockerfileName } from '../../src/cli/discover.js'
import { run } from './helpers.js'

// `plimsoll check <dir>` finds a tree's Dockerfiles, each judged with its own context files, and writes one
// report over all of them in the CI formats; a progress line shows on a terminal only.
const BAD = 'FROM python:latest\nWORKDIR app\nRUN pip install -r requirements.txt\nCMD python app.py\n'
const GOOD = `FROM python:3.12-slim@sha256:${'a'.repeat(64)}\nWORKDIR /app\nCOPY app.py .\nUSER 10001\nCMD ["python", "app.py"]\n`

const tree = (t: Test): string => t.testdir({
  Dockerfile: GOOD,
  'Containerfile': GOOD,
  'Dockerfile.prod': GOOD,
  'Dockerfile.dockerignore': '.git\n',
  services: {
    api: { Dockerfile: BAD, 'requirements.txt': 'flask\n', '.dockerignore': '.git\n' },
    'web.Dockerfile': GOOD,
  },
  node_modules: { pkg: { Dockerfile: BAD } },
  '.cache': { Dockerfile: BAD },
  'README.md': '# not a Dockerfile\n',
})

t.test('Dockerfile names', async (t) => {
  for (const name of ['Dockerfile', 'Containerfile', 'api.Dockerfile', 'Dockerfile.prod', 'Containerfile.dev']) t.ok(isDockerfileName(name), name)
  for (const name of ['Dockerfile.dockerignore', 'api.Dockerfile.dockerignore', 'README.md', 'dockerfile.txt', 'Dockerfiles']) t.notOk(isDockerfileName(name), name)
})

t.test('a directory stands for its Dockerfiles, not those of dependencies or hidden folders', async (t) => {
  const dir = tree(t)
  const result = await run(['check', '--format', 'json', '--fail-on', 'error', '.'], { cwd: dir })
  t.equal(result.code, 1, 'the worst file decides: workdir-absolute is an error')
  const paths = (JSON.parse(result.stdout) as { results: Array<{ path: string }> }).results.map((v) => v.path)
  t.same(paths, ['Containerfile', 'Dockerfile', 'Dockerfile.prod', 'services/api/Dockerfile', 'services/web.Dockerfile'])
  t.equal(result.stderr, '', 'no progress line on a pipe')
})

t.test('each Dockerfile is judged with the context files of its own folder', async (t) => {
  const dir = tree(t)
  const result = await run(['check', '--format', 'json', '--fail-on', 'none', 'services'], { cwd: dir })
  const [api, web] = (JSON.parse(result.stdout) as { results: Array<{ path: string, findings: Array<{ ruleId: string, location: { file?: string } }> }> }).results
  t.equal(api?.path, 'services/api/Dockerfile')
  t.ok(api?.findings.some((f) => f.ruleId === 'requirements-pinned' && f.location.file === 'requirements.txt'))
  t.notOk(web?.findings.some((f) => f.ruleId === 'requirements-pinned'))
})

t.test('one report over every file in each CI format', async (t) => {
  const dir = tree(t)
  const sarif = await run(['check', '--format', 'sarif', '--fail-on', 'none', '.'], { cwd: dir })
  t.equal(sarif.code, 0)
  const log = JSON.parse(sarif.stdout) as { version: string, runs: Array<{ artifacts: Array<{ location: { uri: string } }>, results: Array<{ ruleId: string, locations: Array<{ physicalLocation: { artifactLocation: { uri: string }, region: { startLine: number } } }> }> }> }
  t.equal(log.version, '2.1.0')
  t.equal(log.runs[0]?.artifacts.length, 5)
  const workdir = log.runs[0]?.results.find((r) => r.ruleId === 'workdir-absolute')
  t.same(workdir?.locations[0]?.physicalLocation, { artifactLocation: { uri: 'services/api/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, endLine: 2 } })
  const junit = await run(['check', '--format', 'junit', '.'], { cwd: dir })
  t.equal(junit.code, 1, 'the exit code does not depend on the format')
  const suites = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' }).parse(junit.stdout).testsuites.testsuite as Array<Record<string, string>>
  t.equal(suites.length, 5)
  const gitlab = JSON.parse((await run(['check', '--format', 'gitlab', 'services'], { cwd: dir })).stdout) as Array<{ location: { path: string } }>
  t.ok(gitlab.some((issue) => issue.location.path === 'services/api/requirements.txt'))
  const github = await run(['check', '--format', 'github', 'services/api/Dockerfile'], { cwd: dir })
  t.match(github.stdout, /^::error file=services\/api\/Dockerfile,line=2,/m)
  const checkstyle = await run(['check', '--format', 'checkstyle', 'services'], { cwd: dir })
  t.match(checkstyle.stdout, /<file name="services\/api\/Dockerfile">/)
})

t.test('a progress line on a terminal, cleared before anything is written', async (t) => {
  const dir = tree(t)
  const result = await run(['check', '--fail-on', 'none', '.'], { cwd: dir, stderrTty: true })
  t.match(result.stderr, /\r\[1\/5\] Containerfile/)
  t.match(result.stderr, /\r\[5\/5\] services\/web\.Dockerfile/)
  t.ok(result.stderr.endsWith('\r'), 'the line is cleared at the end')
  t.match(result.stdout, /^Containerfile: pass/m)
})

t.test('a directory without Dockerfiles is bad usage', async (t) => {
  const dir = t.testdir({ docs: { 'README.md': 'x\n' } })
  const result = await run(['check', 'docs'], { cwd: dir })
  t.equal(result.code, 2)
  t.match(result.stderr, /docs: no Dockerfile under it/)
})

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/real', import.meta.url))
if (!existsSync(CORPUS)) {
  t.comment(`skipping the corpus tree: ${CORPUS} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test('real corpus folders', { skip: `${CORPUS} is absent` }, async () => {})
} else {
  t.test('the real corpus in one call: 116 Dockerfiles, one result each', async (t) => {
    // The 63 files at the top of real/ by name, two of its folders whole (the others hold 456 more).
    const top = readdirSync(CORPUS).filter(isDockerfileName)
    const folders = ['course-labs', 'buildkit-parser']
    const expected = [...top, ...folders.flatMap((folder) => readdirSync(join(CORPUS, folder)).filter(isDockerfileName))]
    t.equal(expected.length, 116)
    const result = await run(['check', '--format', 'sarif', '--fail-on', 'none', ...top, ...folders], { cwd: CORPUS })
    const artifacts = (JSON.parse(result.stdout) as { runs: Array<{ artifacts: unknown[] }> }).runs[0]?.artifacts ?? []
    // buildkit's parser tests include an empty Dockerfile: named on stderr, exit 2, the others still reported.
    t.equal(artifacts.length, expected.length - 1)
    t.match(result.stderr, /empty_dockerfile__Dockerfile\.Dockerfile: the Dockerfile is empty/)
    t.equal(result.code, 2)
  })
}
