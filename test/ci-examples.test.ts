import { execFile, execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { parseShell, scriptSource } from '../src/inputs/shell.js'
import { run } from './cli/helpers.js'
import { build, installed } from './helpers.js'

// The examples in examples/ are copied into real pipelines: each is parsed as its consumer would read it, and
// every `plimsoll check` line in it is run with the repository's CLI, so a renamed flag or file breaks here.
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const EXAMPLES = join(ROOT, 'examples')
const CI_FILES = ['github-actions.yml', 'gitlab-ci.yml', 'Jenkinsfile', 'curl.sh', 'pre-commit-config.yaml', 'docker-compose.yml']

type Obj = Record<string, unknown>
const text = (name: string): string => readFileSync(join(EXAMPLES, name), 'utf8')
const yamlOf = (name: string): Obj => parse(text(name)) as Obj
const objectAt = (value: unknown): Obj => (typeof value === 'object' && value !== null ? value as Obj : {})

// `plimsoll check …` or `node …/dist/cli.js check …`, to the end of the line or the quote around it (keep the
// example lines free of quotes). Comment lines are prose, not commands.
const COMMAND = /(?:\bplimsoll|[\w./-]*\bdist\/cli\.js) check\b[^'"`\n]*/g
const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line)

interface CheckLine { readonly file: string, readonly line: string, readonly argv: string[], readonly writesTo: readonly string[] }

/** The argv after the program (`check` first) and the redirection targets, as a real shell parse reads them. */
function parseCommand (file: string, line: string): CheckLine {
  const commands = parseShell(scriptSource(line, 1))
  const first = commands[0]
  if (commands.length !== 1 || first === undefined || first.args[0] !== 'check') throw new Error(`${file}: not one plimsoll check command: ${line}`)
  return { file, line, argv: [...first.args], writesTo: first.writesTo }
}

function checkLines (file: string): CheckLine[] {
  const lines = text(file).split('\n').filter((line) => !isComment(line))
  return lines.flatMap((line) => [...line.matchAll(COMMAND)].map((match) => parseCommand(file, match[0].trim())))
}

/** The single `plimsoll check` command in a shell script taken from a CI file's structure. */
function checkIn (file: string, script: string): CheckLine {
  const found = script.split('\n').filter((line) => !isComment(line)).flatMap((line) => [...line.matchAll(COMMAND)])
  if (found.length !== 1) throw new Error(`${file}: expected one plimsoll check line in ${JSON.stringify(script)}`)
  return parseCommand(file, (found[0] as RegExpMatchArray)[0].trim())
}

function formatOf (argv: readonly string[]): string {
  const at = argv.indexOf('--format')
  return at === -1 ? 'text' : argv[at + 1] ?? ''
}

// A fixture project: a clean Dockerfile at the root and one with an error (WORKDIR not absolute) below it.
const CLEAN = 'FROM alpine:3.20\nWORKDIR /app\nCOPY app ./app\nUSER 10001\nEXPOSE 8000\nCMD ["./app/run"]\n'
const ERROR = 'FROM alpine:3.20\nWORKDIR app\nCOPY app ./app\nUSER 10001\nEXPOSE 8000\nCMD ["./app/run"]\n'
const IGNORE = '.git\n**/__pycache__\n**/*.pyc\n.venv\nvenv\n.env\n.vscode\nlogs\n'
interface Tree { [name: string]: string | Tree }
const project = (): Tree => ({ Dockerfile: CLEAN, '.dockerignore': IGNORE, services: { api: { Dockerfile: ERROR, '.dockerignore': IGNORE } } })

// What each report format must look like: enough that another format, or none, fails.
function checkFormat (t: Test, format: string, stdout: string): void {
  if (format === 'sarif') {
    const log = JSON.parse(stdout) as { version?: string, runs?: unknown[] }
    t.equal(log.version, '2.1.0', 'SARIF 2.1.0')
    t.ok(Array.isArray(log.runs), 'SARIF has runs')
  } else if (format === 'junit') {
    t.match(stdout, /^<\?xml[^>]*>\s*<testsuites?\b/, 'JUnit XML')
  } else if (format === 'gitlab') {
    const issues = JSON.parse(stdout) as unknown
    t.ok(Array.isArray(issues), 'a GitLab Code Quality array')
    for (const issue of issues as Obj[]) t.ok(typeof issue.fingerprint === 'string' && typeof objectAt(issue.location).path === 'string', 'each issue has a fingerprint and a path')
  } else if (format === 'text') {
    t.match(stdout, /rules evaluated/, 'the text report')
  } else {
    t.fail(`no check for --format ${format}: add one`)
  }
}

t.test('examples/ holds the examples this test checks, and its README links each', async (t) => {
  t.same(readdirSync(EXAMPLES).sort(), [...CI_FILES, 'README.md'].sort(), 'a new example needs a check here')
  const readme = text('README.md')
  for (const file of CI_FILES) t.match(readme, `](${file})`, `examples/README.md links ${file}`)
})

t.test('the project README links each example', async (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  for (const file of CI_FILES) t.match(readme, `](examples/${file})`, `README.md links examples/${file}`)
})

t.test('every plimsoll check line runs with the CLI and writes the format it names', async (t) => {
  const lines = ['github-actions.yml', 'gitlab-ci.yml', 'Jenkinsfile', 'pre-commit-config.yaml'].flatMap((file) => {
    const found = checkLines(file)
    t.ok(found.length > 0, `${file} has a plimsoll check line`)
    return found
  })
  for (const { file, line, argv } of lines) {
    t.test(`${file}: ${line}`, async (t) => {
      // pre-commit appends the staged files' names to the entry.
      const files = file === 'pre-commit-config.yaml' ? ['Dockerfile', 'services/api/Dockerfile'] : []
      const cwd = t.testdir(project())
      const result = await run([...argv, ...files], { cwd })
      t.not(result.code, 2, `not a usage or input error: ${result.stderr}`)
      t.ok(result.code === 0 || result.code === 1, `exit code 0 or 1, got ${result.code}`)
      t.equal(result.code, 1, 'the error in services/api/Dockerfile reaches the threshold')
      t.match(result.stdout, 'services/api/Dockerfile', 'the nested Dockerfile is judged')
      checkFormat(t, formatOf(argv), result.stdout)
    })
  }
})

t.test('GitHub Actions: the SARIF the check writes is the file uploaded to code scanning', async (t) => {
  const workflow = yamlOf('github-actions.yml')
  t.ok(objectAt(workflow.on).pull_request !== undefined || objectAt(workflow.on).push !== undefined, 'runs on push or pull_request')
  const jobs = Object.entries(objectAt(workflow.jobs))
  t.ok(jobs.length > 0, 'has jobs')
  for (const [id, value] of jobs) {
    const job = objectAt(value)
    const steps = (Array.isArray(job.steps) ? job.steps : []).map(objectAt)
    t.ok(steps.length > 0 && typeof job['runs-on'] === 'string', `${id} has runs-on and steps`)
    for (const step of steps) t.ok((step.uses === undefined) !== (step.run === undefined), `${id}: a step either uses an action or runs a script`)
    t.ok(steps.some((s) => String(s.uses).startsWith('actions/checkout@')), `${id} checks out the repository`)
    t.ok(steps.some((s) => String(s.uses).startsWith('actions/setup-node@') && String(objectAt(s.with)['node-version']) === '20'), `${id} sets up Node 20`)
    const checking = steps.findIndex((s) => typeof s.run === 'string' && [...s.run.matchAll(COMMAND)].length > 0)
    const uploading = steps.findIndex((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@v3'))
    t.ok(checking !== -1 && uploading > checking, `${id}: plimsoll check, then upload-sarif`)
    const check = checkIn('github-actions.yml', String(steps[checking]?.run))
    const upload = steps[uploading] ?? {}
    t.equal(formatOf(check.argv), 'sarif')
    t.same(check.writesTo, [objectAt(upload.with).sarif_file], 'sarif_file is the file the check writes')
    t.equal(upload.if, 'always()', 'the report is uploaded when the check fails too')
    const permissions = { ...objectAt(workflow.permissions), ...objectAt(job.permissions) }
    t.equal(permissions['security-events'], 'write', 'upload-sarif needs security-events: write')
  }
})

t.test('GitLab CI: the Code Quality report the check writes is the codequality artifact', async (t) => {
  const jobs = Object.entries(yamlOf('gitlab-ci.yml')).filter(([, job]) => Array.isArray(objectAt(job).script))
  t.equal(jobs.length, 1, 'one job')
  for (const [id, value] of jobs) {
    const job = objectAt(value)
    t.match(String(job.image), /^node:20\b/, `${id} runs on Node 20`)
    const check = checkIn('gitlab-ci.yml', (job.script as unknown[]).join('\n'))
    const artifacts = objectAt(job.artifacts)
    t.equal(formatOf(check.argv), 'gitlab')
    t.same(check.writesTo, [objectAt(artifacts.reports).codequality], 'reports.codequality is the file the check writes')
    t.equal(artifacts.when, 'always', 'the report is kept when the check fails too')
  }
})

t.test('Jenkins: the JUnit XML the check writes is the file junit records, in post always', async (t) => {
  const source = text('Jenkinsfile')
  const code = source.split('\n').filter((line) => !isComment(line)).join('\n')
  // No Groovy here: braces must balance, and the declarative sections must be where Jenkins looks for them.
  const depths = [...code.replace(/'''[\s\S]*?'''|'[^'\n]*'/g, "''")].reduce((depth, char) => depth + (char === '{' ? 1 : char === '}' ? -1 : 0), 0)
  t.equal(depths, 0, 'braces balance')
  t.match(code, /^pipeline\s*\{\s*agent\b[\s\S]*\bstages\s*\{[\s\S]*\bstage\('[^']+'\)\s*\{\s*steps\s*\{/m, 'pipeline, agent, stages, stage, steps')
  const sh = [...code.matchAll(/\bsh\s+'([^'\n]*)'/g)].map((m) => m[1] as string).filter((script) => / check /.test(script))
  t.equal(sh.length, 1, 'one sh step runs plimsoll check')
  const check = checkIn('Jenkinsfile', sh[0] ?? '')
  t.equal(formatOf(check.argv), 'junit')
  const recorded = /\bpost\s*\{\s*always\s*\{\s*junit\s+'([^']+)'/.exec(code)?.[1]
  t.same(check.writesTo, [recorded], "junit '…' in post { always { … } } records the file the check writes")
})

t.test('pre-commit: a local system hook whose files pattern picks Dockerfiles', async (t) => {
  const repos = yamlOf('pre-commit-config.yaml').repos
  const repo = objectAt(Array.isArray(repos) ? repos[0] : undefined)
  const hook = objectAt(Array.isArray(repo.hooks) ? repo.hooks[0] : undefined)
  t.equal(repo.repo, 'local')
  t.equal(hook.id, 'plimsoll')
  t.equal(hook.language, 'system', 'runs the plimsoll on PATH')
  t.ok(typeof hook.name === 'string' && hook.name !== '', 'has a name')
  t.match(String(hook.entry), /^plimsoll check\b/)
  t.not(hook.pass_filenames, false, 'the changed files are passed to plimsoll check')
  // pre-commit applies both with Python's re.search; these patterns mean the same in JavaScript.
  const files = new RegExp(String(hook.files))
  const exclude = hook.exclude === undefined ? /$^/ : new RegExp(String(hook.exclude))
  const picked = (path: string): boolean => files.test(path) && !exclude.test(path)
  for (const path of ['Dockerfile', 'app/Dockerfile', 'api.Dockerfile', 'Dockerfile.prod', 'Containerfile', 'deploy/web/Containerfile.dev']) t.ok(picked(path), `picks ${path}`)
  for (const path of ['README.md', 'Dockerfile.dockerignore', 'docs/Dockerfile.md/x.txt', 'MyDockerfile', '.dockerignore']) t.notOk(picked(path), `leaves ${path}`)
})

t.test('docker compose: builds the repository image and serves ../policies on 8080', async (t) => {
  const services = Object.entries(objectAt(yamlOf('docker-compose.yml').services))
  t.equal(services.length, 1, 'one service')
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  for (const [name, value] of services) {
    const service = objectAt(value)
    const buildSpec = objectAt(service.build)
    const context = resolve(EXAMPLES, String(buildSpec.context))
    t.equal(context, resolve(ROOT), `${name} builds from the repository root`)
    t.ok(existsSync(join(context, String(buildSpec.dockerfile ?? 'Dockerfile'))), 'the Dockerfile exists')
    const ports = (Array.isArray(service.ports) ? service.ports : []).map(String)
    t.ok(ports.some((port) => /^(?:[\d.]+:)?8080:8080$/.test(port)), 'publishes 8080')
    const env = objectAt(service.environment)
    t.equal(env.HOST, '0.0.0.0', 'listens on all interfaces')
    t.match(dockerfile, /ENV[^\n]*\bHOST=0\.0\.0\.0/, 'as the image does by default')
    t.equal(String(env.PORT ?? '8080'), '8080')
    const volumes = (Array.isArray(service.volumes) ? service.volumes : []).map((v) => String(v).split(':'))
    const policies = volumes.find(([source]) => resolve(EXAMPLES, source ?? '') === join(ROOT, 'policies'))
    t.ok(policies !== undefined && statSync(join(ROOT, 'policies')).isDirectory(), 'mounts ../policies')
    t.equal(policies?.[2], 'ro', 'read-only')
    t.equal(env.POLICY_DIR, policies?.[1], 'POLICY_DIR is where the policies are mounted')
  }
})

interface Exec { code: number, stdout: string, stderr: string }

// Asynchronous: the service under test answers from this same process.
function exec (file: string, args: readonly string[], options: { cwd?: string, env?: NodeJS.ProcessEnv } = {}): Promise<Exec> {
  return new Promise((done) => {
    execFile(file, args, { ...options, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      done({ code, stdout, stderr })
    })
  })
}

t.test('docker compose: the healthcheck runs node on /healthz, with no shell', async (t) => {
  const [service] = Object.values(objectAt(yamlOf('docker-compose.yml').services)).map(objectAt)
  const test = objectAt(service?.healthcheck).test
  t.ok(Array.isArray(test), 'a healthcheck in exec form')
  const [form, program, flag, script] = (Array.isArray(test) ? test : []).map(String)
  t.equal(form, 'CMD', 'CMD, not CMD-SHELL: the image has no shell')
  t.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /^FROM gcr\.io\/distroless\/nodejs20\b[^\n]*$(?![\s\S]*^FROM )/m, 'the runtime image is distroless Node 20')
  t.equal(program, '/nodejs/bin/node', 'where distroless keeps node')
  t.equal(flag, '-e')
  t.match(script, 'http://127.0.0.1:8080/healthz')
  // The same script with this node, against a real service and then against nothing.
  const app = await build(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const up = await exec(process.execPath, ['-e', String(script).replace(':8080/', `:${port}/`)])
  t.equal(up.code, 0, 'healthy when /healthz answers')
  const down = await exec(process.execPath, ['-e', String(script).replace(':8080/', ':1/')])
  t.equal(down.code, 1, 'unhealthy when nothing answers')
})

t.test('curl.sh: valid bash, with routes, query parameters and form fields that openapi.yaml has', async (t) => {
  t.doesNotThrow(() => execFileSync('bash', ['-n', join(EXAMPLES, 'curl.sh')]), 'bash -n')
  const script = text('curl.sh')
  t.match(script, /^set -euo pipefail$/m)
  t.match(script, /^PLIMSOLL_URL="\$\{PLIMSOLL_URL:-http:\/\/127\.0\.0\.1:8080\}"$/m)
  const spec = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')) as { paths: Record<string, Obj>, components: { schemas: Record<string, Obj> } }
  const urls = [...script.matchAll(/\$PLIMSOLL_URL(\/[^"?\s]*)(?:\?([^"\s]*))?/g)]
  t.same(urls.map((m) => m[1]).sort(), ['/v1/evaluate', '/v1/evaluate/batch'])
  for (const [, path = '', query = ''] of urls) {
    const operation = objectAt(spec.paths[path]?.post)
    t.ok(operation.parameters !== undefined, `POST ${path} is in openapi.yaml`)
    const parameters = (operation.parameters as Obj[]).filter((p) => p.in === 'query')
    for (const [name, value] of new URLSearchParams(query)) {
      const parameter = parameters.find((p) => p.name === name)
      t.ok(parameter !== undefined, `${path} takes ?${name}`)
      const schema = objectAt(parameter?.schema)
      const ref = typeof schema.$ref === 'string' ? spec.components.schemas[schema.$ref.split('/').pop() ?? ''] : schema
      const values = objectAt(ref).enum
      if (Array.isArray(values)) t.ok(values.includes(value), `${name}=${value} is one of ${values.join(', ')}`)
    }
  }
  const form = objectAt(objectAt(objectAt(objectAt(objectAt(spec.paths['/v1/evaluate']?.post).requestBody).content)['multipart/form-data']).schema)
  for (const [, field = ''] of script.matchAll(/-F ([^=\s]+)=@/g)) t.ok(field in objectAt(form.properties), `multipart field ${field} is in openapi.yaml`)
})

const missing = ['curl', 'jq'].filter((tool) => !installed(tool))

t.test('curl.sh against the real service', { skip: missing.length > 0 ? `needs ${missing.join(' and ')} on PATH` : false }, async (t) => {
  const app = await build(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const env = { ...process.env, PLIMSOLL_URL: `http://127.0.0.1:${port}` }
  const curlSh = join(EXAMPLES, 'curl.sh')

  const clean = await exec('bash', [curlSh], { cwd: t.testdir({ Dockerfile: CLEAN, '.dockerignore': IGNORE }), env })
  t.equal(clean.code, 0, `a clean Dockerfile passes: ${clean.stderr}`)
  t.match(clean.stdout, /^Dockerfile: pass\b/m, 'the text report names the uploaded file')
  t.notMatch(clean.stdout, /dockerignore/, 'the .dockerignore was sent: no rule misses it')

  const failing = await exec('bash', [curlSh], { cwd: t.testdir({ Dockerfile: ERROR }), env })
  t.equal(failing.code, 22, 'an error: 422, and curl --fail-with-body exits 22')
  t.match(failing.stdout, /workdir-absolute/, 'with the report printed')

  const tree = {
    ...project(),
    'Containerfile': CLEAN,
    'Dockerfile.dockerignore': IGNORE,
    'worker.Dockerfile': CLEAN,
    web: { 'Dockerfile.prod': CLEAN, '.dockerignore': IGNORE },
    node_modules: { dep: { Dockerfile: ERROR } },
  }
  const batch = await exec('bash', [curlSh, 'batch'], { cwd: t.testdir(tree), env })
  t.equal(batch.code, 22, `the error in services/api/Dockerfile fails the batch: ${batch.stderr}`)
  const judged = [...batch.stdout.matchAll(/^(\S+): (?:pass|warn|fail)\b/gm)].map((m) => m[1]).sort()
  t.same(judged, ['Containerfile', 'Dockerfile', 'services/api/Dockerfile', 'web/Dockerfile.prod', 'worker.Dockerfile'], 'every Dockerfile, not the ignore file or node_modules')

  const usage = await exec('bash', [curlSh, 'nonsense'], { env })
  t.equal(usage.code, 2, 'an unknown mode is a usage error')
})
