import { spawnSync } from 'node:child_process'
import t from 'tap'
import { shellcheck } from '../src/policy/shellcheck.js'

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
