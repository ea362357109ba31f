import { spawnSync } from 'node:child_process'
import t from 'tap'
import { deadlineIn } from '../src/evaluation/deadline.js'
import { shellcheck, withShellcheck, type ShellcheckComment } from '../src/policy/shellcheck.js'
import { failed, ok, type Result } from '../src/problem.js'

const missing = spawnSync('shellcheck', ['--version']).status === 0 ? false : 'the shellcheck program is not installed (apt-get install shellcheck; .ci/run does it)'

t.test('ShellCheck comments come back with SC codes, per dialect, and are cached', { skip: missing }, async (t) => {
  const comments = shellcheck('cd /tmp; tar xf app.tgz\n', '/bin/sh')
  t.match(comments, [{ code: 'SC2164', level: 'warning', line: 1 }])
  t.equal(shellcheck('cd /tmp; tar xf app.tgz\n', '/bin/sh'), comments, 'the same script is not checked twice')
  t.ok(shellcheck('[ $UID == 0 ]\n', 'sh').some((c) => c.code === 'SC3014'), 'POSIX sh has no ==')
  t.notOk(shellcheck('[[ $UID == 0 ]]\n', '/bin/bash').some((c) => c.code === 'SC3014'), 'bash has')
  t.same(shellcheck('echo ok\n', 'powershell'), [], 'an unknown shell is checked as sh')
})

t.test('without the program, it says so instead of passing', async (t) => {
  const path = process.env.PATH
  process.env.PATH = '/nonexistent'
  t.teardown(() => { process.env.PATH = path })
  t.throws(() => shellcheck(`echo ${Date.now()}\n`, 'sh'), /ShellCheck could not run .*apt-get install shellcheck/)
})

// Inside an evaluation (withShellcheck), scripts are checked by child processes off the thread, all at once, and
// a second pass reads the answers; what could not be checked in time says so.
const checked = (script: string) => (): Result<readonly ShellcheckComment[]> => {
  try {
    return ok(shellcheck(script, 'sh'))
  } catch (error) {
    return failed([{ code: 'rule.error', message: (error as Error).message }])
  }
}

t.test('off the thread, the same comments as on it, from one ShellCheck run', { skip: missing }, async (t) => {
  const script = `cd /srv; echo ${Date.now()}\n`
  let passes = 0
  const result = await withShellcheck(() => { passes++; return checked(script)() }, deadlineIn(30_000))
  t.match(result, { ok: true, value: [{ code: 'SC2164' }] })
  t.equal(passes, 2, 'a first pass to find the script, a second to read its comments')
  t.equal(await withShellcheck(() => { passes++; return checked(script)() }, undefined).then(() => passes), 3, 'a script seen before: one pass')
})

t.test('ShellCheck past the deadline says it timed out', { skip: missing }, async (t) => {
  const script = `echo ${Date.now()}\n`
  t.match(await withShellcheck(checked(script), deadlineIn(1)), { ok: false, problems: [{ message: /^ShellCheck timed out after 1 ms$/ }] })
  t.match(await withShellcheck(checked(script), deadlineIn(30_000)), { ok: true }, 'a timeout is not remembered')
  t.throws(() => shellcheck('#'.repeat(70_000), 'sh'), /ShellCheck was not run: the script has 70000 characters/)
})
