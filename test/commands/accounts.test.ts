import t from 'tap'
import type { AccountChange } from '../../src/facts/shell-types.js'
import { describe, describeArgs, sameFields } from './helpers.js'

const user = (name: string, fields: Partial<AccountChange> = {}): AccountChange =>
  ({ kind: 'user', name, id: '', group: '', system: false, noLogInit: false, ...fields })
const group = (name: string, fields: Partial<AccountChange> = {}): AccountChange =>
  ({ kind: 'group', name, id: '', group: '', system: false, noLogInit: false, ...fields })

t.test('the account each command creates', async (t) => {
  const cases: Array<[string, AccountChange | null]> = [
    // shadow-utils
    ['useradd app', user('app')],
    ['useradd -r -l -u 10001 -g app app', user('app', { id: '10001', group: 'app', system: true, noLogInit: true })],
    ['useradd --system --no-log-init --uid 10001 --gid app app', user('app', { id: '10001', group: 'app', system: true, noLogInit: true })],
    ['useradd -rlu 10001 -g app -m -d /home/app -s /bin/sh app', user('app', { id: '10001', group: 'app', system: true, noLogInit: true })],
    ['useradd -u ${UID} -G wheel,audio app', user('app', { id: '${UID}' })],
    ['useradd -D', null],
    ['groupadd app', group('app')],
    ['groupadd -r -g 10001 app', group('app', { id: '10001', system: true })],
    ['groupadd --system --gid=10001 app', group('app', { id: '10001', system: true })],
    // BusyBox adduser/addgroup (Alpine)
    ['adduser -D -S -u 10001 -G app -H -s /sbin/nologin app', user('app', { id: '10001', group: 'app', system: true })],
    ['adduser -D app', user('app')],
    ['adduser -D -g "" app', user('app')],
    ['addgroup -S app', group('app', { system: true })],
    ['addgroup -g 10001 -S app', group('app', { id: '10001', system: true })],
    // Debian adduser/addgroup
    ['adduser --system --uid 999 --ingroup app --disabled-password --no-create-home app', user('app', { id: '999', group: 'app', system: true })],
    ['adduser --system --group app', user('app', { group: 'app', system: true })],
    ['adduser --group app', group('app')],
    ['adduser --system --group --ingroup web app', user('app', { group: 'web', system: true })],
    ['adduser --gid 10001 --disabled-password app', user('app', { group: '10001' })],
    ['addgroup --system --gid 999 app', group('app', { id: '999', system: true })],
    // Two operands add an existing user to an existing group: nothing is created.
    ['adduser app wheel', null],
    ['addgroup app wheel', null],
    ['adduser', null],
    ['addgroup', null],
  ]
  for (const [text, account] of cases) t.same(describe(text).account, account, text)
})

t.test('Debian gecos values with spaces are flag values, not operands', async (t) => {
  const cmd = describeArgs('adduser', ['--disabled-password', '--gecos', 'App User', 'app'])
  t.same(cmd.operands, ['app'])
  t.same(cmd.flagValues, { '-g': 'App User' })
  t.same(cmd.flags, ['-D', '-g'])
  const empty = describeArgs('adduser', ['--gecos', '', 'app'])
  t.same(empty.operands, ['app'])
  t.equal(empty.account?.name, 'app')
})

t.test('flags are canonical per tool and the tool is named', async (t) => {
  const cases: Array<[string, string, string[], string[]]> = [
    ['useradd --system --no-log-init app', 'useradd', ['-r', '-l'], ['app']],
    ['groupadd --system app', 'groupadd', ['-r'], ['app']],
    ['adduser --system --disabled-password app', 'adduser', ['-S', '-D'], ['app']],
    ['adduser -S -D app', 'adduser', ['-S', '-D'], ['app']],
    ['addgroup --system app', 'addgroup', ['-S'], ['app']],
    ['adduser app wheel', 'adduser', [], ['app', 'wheel']],
  ]
  for (const [text, tool, flags, operands] of cases) sameFields(t, describe(text), { tool, subcommand: '', flags, operands, packages: [] }, text)
  t.equal(describe('usermod -aG wheel app').tool, '', 'usermod is not an account-creating tool')
})
