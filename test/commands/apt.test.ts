import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('apt-get: -y in all its spellings, and the quiet level', async (t) => {
  const cases: Array<[string, boolean, string | undefined]> = [
    ['apt-get install -y curl', true, undefined],
    ['apt-get install --yes curl', true, undefined],
    ['apt-get install --assume-yes curl', true, undefined],
    ['apt-get -qy install curl', true, '1'],
    ['apt-get -yqq install curl', true, '2'],
    ['apt-get install -qq curl', false, '2'],
    ['apt-get install -q=2 curl', false, '2'],
    ['apt-get install -q -q curl', false, '2'],
    ['apt-get install --quiet curl', false, '1'],
    ['apt-get install curl', false, undefined],
  ]
  for (const [text, yes, quiet] of cases) {
    const cmd = describe(text)
    t.equal(cmd.flags.includes('-y'), yes, `${text}: -y`)
    t.equal(cmd.flagValues['-q'], quiet, `${text}: quiet level`)
    t.same(pins(cmd), [['curl', '', false]], `${text}: one package`)
  }
})

t.test('apt-get install: packages and pins (DL3008)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['python', [['python', '', false]]],
    ['python=1.2.2', [['python', '1.2.2', true]]],
    ['curl=7.88.1-10+deb12u5', [['curl', '7.88.1-10+deb12u5', true]]],
    ['python-demjson=2.2.2*', [['python-demjson', '2.2.2*', true]]],
    ['git=1:2.5.0*', [['git', '1:2.5.0*', true]]],
    ['libc6:amd64=2.36-9', [['libc6:amd64', '2.36-9', true]]],
    ['python3/bookworm', [['python3', '', false]]],
    ['python3/bookworm-backports=3.11.2-1', [['python3', '3.11.2-1', true]]],
    ['pkg=', [['pkg', '', false]]],
    ['python=$PY_VERSION', [['python', '$PY_VERSION', true]]],
    ['./wkhtmltox_0.12.5-1.bionic_amd64.deb', []],
    ['/tmp/app.deb', []],
    ['app.deb', []],
    ['$PACKAGES', []],
    ['=1.0', []],
    ['${BUILD_DEPS}', []],
  ]
  for (const [arg, expected] of cases) t.same(pins(describe(`apt-get install -y ${arg}`)), expected, arg)
  t.same(describe('apt-get install -y python3/bookworm').packages.map((p) => p.spec), ['python3/bookworm'], 'spec is the argument as written')
})

t.test('apt-get: flag values are not packages', async (t) => {
  // `-o Dpkg::Options::="--force-confold"` after the shell removed the quotes.
  const withOption = describe('apt-get install -y -o Dpkg::Options::=--force-confold curl')
  t.same(pins(withOption), [['curl', '', false]])
  t.same(withOption.flags, ['-y', '-o'])
  t.same(withOption.flagValues, { '-o': 'Dpkg::Options::=--force-confold' })
  const target = describe('apt-get install -y -t bookworm-backports --no-install-recommends python3')
  t.same(pins(target), [['python3', '', false]])
  t.same(target.flagValues, { '-t': 'bookworm-backports' })
  t.ok(target.flags.includes('--no-install-recommends'))
  t.same(describe('apt-get install -y --target-release=bookworm-backports curl').flagValues, { '-t': 'bookworm-backports' })
})

t.test('apt-get: the subcommand is the first operand, wherever the flags are', async (t) => {
  const cases: Array<[string, string, string[], number]> = [
    ['apt-get update', 'update', [], 0],
    ['apt-get -y --no-install-recommends install curl wget', 'install', ['curl', 'wget'], 2],
    ['apt-get -o Acquire::Retries=3 install curl', 'install', ['curl'], 1],
    ['apt-get remove -y curl', 'remove', ['curl'], 0],
    ['apt-get purge --auto-remove -y curl', 'purge', ['curl'], 0],
    ['apt-get dist-upgrade -y', 'dist-upgrade', [], 0],
    ['apt-get clean', 'clean', [], 0],
    ['apt-get install -y', 'install', [], 0],
    ['apt-get', '', [], 0],
  ]
  for (const [text, subcommand, operands, packages] of cases) {
    sameFields(t, describe(text), { tool: 'apt-get', subcommand, operands }, text)
    t.equal(describe(text).packages.length, packages, `${text}: packages`)
  }
  t.ok(describe('apt-get purge --autoremove -y curl').flags.includes('--auto-remove'), '--autoremove is --auto-remove')
})

t.test('apt is its own tool, read like apt-get', async (t) => {
  sameFields(t, describe('apt install -y curl=1.0'), { tool: 'apt', subcommand: 'install', flags: ['-y'] })
  t.same(pins(describe('apt install -y curl=1.0')), [['curl', '1.0', true]])
  sameFields(t, describe('apt reinstall curl'), { tool: 'apt', subcommand: 'reinstall' })
  t.same(pins(describe('apt reinstall curl')), [['curl', '', false]])
  sameFields(t, describe('/usr/bin/apt-get install curl'), { tool: 'apt-get' }, 'a path to the program')
  sameFields(t, describeArgs('apt-get', ['install', '-y', 'curl']), { tool: 'apt-get' })
})
