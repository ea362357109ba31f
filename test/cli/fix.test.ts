import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import t from 'tap'
import { fixDockerfileFile } from '../../src/cli/fix.js'
import { loadPolicyDir } from '../../src/policy/load.js'
import { installed, POLICY_DIR } from '../helpers.js'
import { run } from './helpers.js'

// `plimsoll check --fix` on real files in a temporary directory: the shipped policies with a profile of two rules,
// pip-no-cache (which has a fix) and last-user-not-root (which has none), so the fixed text is exact whatever
// fixes other rules gain.
const root = mkdtempSync(join(tmpdir(), 'plimsoll-cli-fix-'))
t.teardown(() => { rmSync(root, { recursive: true, force: true }) })
const policies = join(root, 'policies')
cpSync(POLICY_DIR, policies, { recursive: true })
writeFileSync(join(policies, 'fix-test-profile.yaml'), 'apiVersion: plimsoll.dev/v1\nkind: Profile\nmetadata: { name: fix-test, title: a rule with a fix and one without }\nspec: { rules: [pip-no-cache, last-user-not-root] }\n')
const P = ['check', '--policies', policies, '--profile', 'fix-test']

const PIP = 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n'
const PIP_FIXED = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n'
const ROOT = 'USER root\n'
const diffOf = (name: string): string => [
  `--- a/${name}`, `+++ b/${name}`, '@@ -1,2 +1,2 @@', ' FROM python:3.12-slim', '-RUN pip install flask==3.0.3', '+RUN pip install --no-cache-dir flask==3.0.3', '',
].join('\n')

let count = 0
/** A fresh directory holding the given files. */
function project (files: Record<string, string>): string {
  const dir = join(root, `project-${count++}`)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}
const read = (dir: string, name = 'Dockerfile'): string => readFileSync(join(dir, name), 'utf8')

/** Applies a patch in `dir` with git apply, else patch -p1; undefined when neither is installed. */
function applyPatch (dir: string, diff: string): string | undefined {
  if (installed('git')) return execFileSync('git', ['apply', '--verbose', '-'], { cwd: dir, input: diff, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
  if (installed('patch')) return execFileSync('patch', ['-p1'], { cwd: dir, input: diff, encoding: 'utf8' })
  return undefined
}

t.test('--fix rewrites the file, says how many fixes it applied, and reports what is left', async (t) => {
  const dir = project({ Dockerfile: PIP })
  const fixed = await run([...P, '--fix'], { cwd: dir })
  t.equal(read(dir), PIP_FIXED, 'the file is rewritten')
  t.equal(fixed.stderr, 'fixed 1 finding in Dockerfile\n')
  t.equal(fixed.stdout, 'Dockerfile: pass · 0 errors · 0 warnings · 0 info · 2 rules evaluated · fail-on warning not reached\n', 'the report is on the fixed file')
  t.equal(fixed.code, 0, 'nothing is left')

  const again = await run([...P, '--fix', 'Dockerfile'], { cwd: dir })
  t.equal(again.code, 0)
  t.equal(again.stderr, '', 'nothing to fix: nothing said')
  t.equal(read(dir), PIP_FIXED, 'and nothing written')
})

t.test('--fix: the exit code and the report are for the findings without a fix', async (t) => {
  const dir = project({ Dockerfile: PIP + ROOT })
  const result = await run([...P, '--fix', '--format', 'json'], { cwd: dir })
  t.equal(read(dir), PIP_FIXED + ROOT)
  t.equal(result.code, 1, 'the root user is left, a warning')
  t.equal(result.stderr, 'fixed 1 finding in Dockerfile\n')
  const verdict = JSON.parse(result.stdout) as { file: string, findings: Array<{ ruleId: string }>, fixed?: unknown }
  t.equal(verdict.file, 'Dockerfile')
  t.same(verdict.findings.map((f) => f.ruleId), ['last-user-not-root'], 'pip-no-cache is fixed, so not reported')
  t.notOk('fixed' in verdict, 'the JSON report is the usual verdict')
  t.equal((await run([...P, '--fix', '--fail-on', 'error'], { cwd: dir })).code, 0, '--fail-on applies as usual')
})

t.test('--fix --dry-run writes nothing, prints a diff that git apply (or patch -p1) accepts, exits 1', async (t) => {
  const dir = project({ Dockerfile: PIP, 'services/api/app.Dockerfile': PIP + ROOT })
  const result = await run([...P, '--fix', '--dry-run', 'Dockerfile'], { cwd: dir })
  t.equal(result.code, 1, 'the file would change')
  t.equal(result.stdout, diffOf('Dockerfile'))
  t.equal(result.stderr, 'would fix 1 finding in Dockerfile\n')
  t.equal(read(dir), PIP, 'the file is left as it was')

  // A tree: one patch over every Dockerfile, each named by its path from the working directory.
  const tree = await run([...P, '--fix', '--dry-run', '.'], { cwd: dir })
  t.equal(tree.code, 1)
  t.match(tree.stdout, /^--- a\/Dockerfile\n/)
  t.match(tree.stdout, /^--- a\/services\/api\/app\.Dockerfile\n\+\+\+ b\/services\/api\/app\.Dockerfile\n/m)
  if (applyPatch(dir, tree.stdout) === undefined) {
    t.comment('neither git nor patch is installed: the diff was not applied')
    return
  }
  t.equal(read(dir), PIP_FIXED, 'the patch fixes Dockerfile')
  t.equal(read(dir, 'services/api/app.Dockerfile'), PIP_FIXED + ROOT, 'and services/api/app.Dockerfile')

  const clean = await run([...P, '--fix', '--dry-run', '.'], { cwd: dir })
  t.same(clean, { code: 0, stdout: '', stderr: '' }, 'nothing left to change: no diff, exit 0')
})

t.test('from standard input, --fix prints the fixed Dockerfile and reports on standard error', async (t) => {
  const dir = project({})
  const result = await run([...P, '--fix', '-'], { cwd: dir, stdin: PIP + ROOT })
  t.equal(result.stdout, PIP_FIXED + ROOT, 'only the fixed Dockerfile on stdout')
  t.match(result.stderr, /^fixed 1 finding in <stdin>\n/)
  t.match(result.stderr, /<stdin>:3 {2}last-user-not-root/, 'the report of what is left')
  t.equal(result.code, 1)

  const clean = await run([...P, '--fix', '-'], { cwd: dir, stdin: PIP_FIXED })
  t.equal(clean.stdout, PIP_FIXED, 'unchanged, still printed')
  t.equal(clean.code, 0)

  const dry = await run([...P, '--fix', '--dry-run', '-'], { cwd: dir, stdin: PIP })
  t.equal(dry.stdout, diffOf('Dockerfile'), 'the diff names a plain Dockerfile')
  t.equal(dry.code, 1)
})

t.test('usage errors: --dry-run without --fix, --fix on an image alone', async (t) => {
  const dir = project({ Dockerfile: PIP, 'image.json': JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } }) })
  const dry = await run([...P, '--dry-run'], { cwd: dir })
  t.equal(dry.code, 2)
  t.match(dry.stderr, /--dry-run goes with --fix/)
  const image = await run([...P, '--fix', '--image', 'image.json'], { cwd: dir })
  t.equal(image.code, 2)
  t.match(image.stderr, /--fix needs a Dockerfile/)
  const both = await run([...P, '--fix', '--image', 'image.json', 'Dockerfile'], { cwd: dir })
  t.equal(both.stderr, 'fixed 1 finding in Dockerfile\n', 'with the Dockerfile it was built from, the Dockerfile is fixed')
  t.equal(read(dir), PIP_FIXED)
  t.equal(read(dir, 'image.json').startsWith('{'), true, 'the image document is left alone')
})

t.test('a file that cannot be written is an input error', { skip: process.getuid?.() === 0 ? 'root writes read-only files' : false }, async (t) => {
  const { chmodSync } = await import('node:fs')
  const dir = project({ Dockerfile: PIP })
  chmodSync(join(dir, 'Dockerfile'), 0o444)
  const result = await run([...P, '--fix'], { cwd: dir })
  t.equal(result.code, 2)
  t.match(result.stderr, /Dockerfile.*cannot write the fixed Dockerfile: permission denied/)
  t.equal(read(dir), PIP)
})

t.test('a write that fails is a problem naming the file, even for root', async (t) => {
  const loaded = await loadPolicyDir(policies)
  if (!loaded.ok) throw new Error('the policies do not load')
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: () => Readable.from([]), env: {}, cwd: root }
  const target = { absolute: join(root, 'no-such-dir', 'Dockerfile'), file: 'no-such-dir/Dockerfile', diffName: 'no-such-dir/Dockerfile' }
  const result = await fixDockerfileFile(loaded.value, { dockerfile: PIP, profile: 'fix-test' }, target, false, { defaultFailOn: 'warning' }, io)
  t.match(result, { ok: false, problems: [{ code: 'input.unwritable', file: 'no-such-dir/Dockerfile', message: /^cannot write the fixed Dockerfile: ENOENT/ }] })
})

t.test('help names the flags', async (t) => {
  const help = await run(['check', '--help'])
  t.match(help.stdout, /--fix +apply the fixes/)
  t.match(help.stdout, /--dry-run +with --fix: write nothing, print the diff/)
})
