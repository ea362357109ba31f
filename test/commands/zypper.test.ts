import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('zypper install: packages and pins (DL3037)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['tomcat', [['tomcat', '', false]]],
    ['tomcat=9.0.39', [['tomcat', '9.0.39', true]]],
    ['tomcat = 9.0.39', [['tomcat', '9.0.39', true]]],
    ['tomcat-9.0.39', [['tomcat', '9.0.39', true]]],
    ['tomcat-9.0.39-1.1', [['tomcat', '9.0.39-1.1', true]]],
    ['tomcat>=9.0', [['tomcat', '>=9.0', false]]],
    ['tomcat>9.0', [['tomcat', '>9.0', false]]],
    ['tomcat<=9.0', [['tomcat', '<=9.0', false]]],
    ['tomcat<9.0', [['tomcat', '<9.0', false]]],
    ['package:tomcat=9.0.39', [['tomcat', '9.0.39', true]]],
    ['pattern:devel_basis', []],
    ['patch:openSUSE-2024-1', []],
    ['tomcat-9.0.39-1.rpm', []],
    ['./local.rpm', []],
    ['$PKGS', []],
  ]
  for (const [arg, expected] of cases) t.same(pins(describeArgs('zypper', ['install', '-y', arg])), expected, arg)
})

t.test('zypper: global and command flags; -n means different things before and after the subcommand', async (t) => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['zypper -n install tomcat', { subcommand: 'install', flags: ['-n'] }],
    ['zypper --non-interactive install tomcat', { flags: ['-n'] }],
    ['zypper install -y tomcat', { flags: ['-y'] }],
    ['zypper install --no-confirm tomcat', { flags: ['-y'] }],
    ['zypper -n in -y --no-recommends tomcat', { subcommand: 'install', flags: ['-n', '-y', '--no-recommends'] }],
    // After the subcommand, -n is --name (select by plain name): it does not make zypper non-interactive.
    ['zypper install -n tomcat', { flags: ['--name'], operands: ['tomcat'] }],
    ['zypper -q --gpg-auto-import-keys ref', { subcommand: 'refresh', flags: ['-q', '--gpg-auto-import-keys'] }],
    ['zypper --root /mnt in -y tomcat', { flagValues: { '-R': '/mnt' }, operands: ['tomcat'] }],
    ['zypper in -y -r oss tomcat', { flagValues: { '--repo': 'oss' }, operands: ['tomcat'] }],
    ['zypper cc -a', { subcommand: 'clean', flags: ['-a'] }],
    ['zypper clean --all', { subcommand: 'clean', flags: ['-a'] }],
    ['zypper -n dup', { subcommand: 'dist-upgrade' }],
    ['zypper -n up', { subcommand: 'update' }],
    ['zypper rm -y tomcat', { subcommand: 'remove', packages: [] }],
    ['zypper', { tool: 'zypper', subcommand: '' }],
  ]
  for (const [text, expected] of cases) sameFields(t, describe(text), { tool: 'zypper', ...expected }, text)
})

t.test('zypper: -t/--type other than package installs no packages', async (t) => {
  t.same(pins(describe('zypper -n install -t pattern devel_basis')), [])
  t.same(pins(describe('zypper -n install --type=patch openSUSE-2024-1')), [])
  t.same(pins(describe('zypper -n install -t package tomcat=9')), [['tomcat', '9', true]])
})
