import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('gem install: packages and pins (DL3028, stricter on requirements)', async (t) => {
  const cases: Array<[string[], Array<[string, string, boolean]>]> = [
    [['bundler'], [['bundler', '', false]]],
    [['bundler:1'], [['bundler', '1', true]]],
    [['bundler:2.0.1'], [['bundler', '2.0.1', true]]],
    [['bundler:2.5.0.pre'], [['bundler', '2.5.0.pre', true]]],
    [['bundler:$BUNDLER_VERSION'], [['bundler', '$BUNDLER_VERSION', true]]],
    [['bundler:~> 2.0'], [['bundler', '~> 2.0', false]]],
    [['bunlder:1', 'nokogiri'], [['bunlder', '1', true], ['nokogiri', '', false]]],
    [['bundler', '-v', '2.0.1'], [['bundler', '2.0.1', true]]],
    [['bundler', '--version', '2.0.1'], [['bundler', '2.0.1', true]]],
    [['bundler', '--version=2.0.1'], [['bundler', '2.0.1', true]]],
    [['bundler', '-v', '= 2.0.1'], [['bundler', '= 2.0.1', true]]],
    [['bundler', '-v', '~> 2.0'], [['bundler', '~> 2.0', false]]],
    [['bundler', '-v', '>= 2'], [['bundler', '>= 2', false]]],
    [['bundler:2.0.1', '--', '--use-system-libraries=true'], [['bundler', '2.0.1', true]]],
    [['bundler:2.0.1', '--', '--use-system-libraries', 'true'], [['bundler', '2.0.1', true]]],
    [['bundler:2.0.1', '--use-system-libraries', 'true'], [['bundler', '2.0.1', true]]],
    [['./vendor/app-1.0.gem'], []],
    [['app-1.0.gem'], []],
    [['$GEMS'], []],
  ]
  for (const [args, expected] of cases) t.same(pins(describeArgs('gem', ['install', ...args])), expected, args.join(' '))
})

t.test('gem: subcommands and flags', async (t) => {
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['gem i bundler', { tool: 'gem', subcommand: 'install' }, 1],
    ['gem install -N bundler:2.0.1', { flags: ['-N'] }, 1],
    ['gem install --no-document bundler:2.0.1', { flags: ['-N'] }, 1],
    ['gem install --no-doc bundler:2.0.1', { flags: ['-N'] }, 1],
    ['gem install -i /usr/local/bundle bundler:2.0.1', { flagValues: { '-i': '/usr/local/bundle' }, operands: ['bundler:2.0.1'] }, 1],
    ['gem install --source https://rubygems.org bundler:2.0.1', { flagValues: { '-s': 'https://rubygems.org' } }, 1],
    ['gem update --system', { subcommand: 'update', flags: ['--system'] }, 0],
    ['gem uninstall bundler', { subcommand: 'uninstall' }, 0],
    ['gem cleanup', { subcommand: 'cleanup' }, 0],
  ]
  for (const [text, expected, packages] of cases) {
    const cmd = describe(text)
    sameFields(t, cmd, expected, text)
    t.equal(cmd.packages.length, packages, `${text}: packages`)
  }
  t.same(describe('gem install bundler:2.0.1 -- --with-cflags=x').operands, ['bundler:2.0.1'], 'build options after -- are not operands')
})
