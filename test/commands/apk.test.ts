import t from 'tap'
import { describe, describeArgs, pins, sameFields } from './helpers.js'

t.test('apk add: packages and pins (DL3018)', async (t) => {
  const cases: Array<[string, Array<[string, string, boolean]>]> = [
    ['flex', [['flex', '', false]]],
    ['flex=2.6.4-r1', [['flex', '2.6.4-r1', true]]],
    ['git~2.52.0', [['git', '~2.52.0', true]]],
    ['git~=2.52', [['git', '~=2.52', true]]],
    ['git=~2.52', [['git', '=~2.52', true]]],
    ['flex>=2.6.1-r1', [['flex', '>=2.6.1-r1', false]]],
    ['python3<3.6.12-r2', [['python3', '<3.6.12-r2', false]]],
    ['python3>3', [['python3', '>3', false]]],
    ['flex=', [['flex', '', false]]],
    ['curl@edge', [['curl', '', false]]],
    ['curl@edge=8.5.0-r0', [['curl', '8.5.0-r0', true]]],
    ['curl=$CURL_VERSION', [['curl', '$CURL_VERSION', true]]],
    ['mypackage-1.1.1.apk', []],
    ['/tmp/pkgs/app.apk', []],
    ['https://example.com/app.apk', []],
    ['$BUILD_DEPS', []],
  ]
  for (const [arg, expected] of cases) t.same(pins(describe(`apk add --no-cache ${arg}`)), expected, arg)
})

t.test('apk add: --virtual and --repository take values, which are not packages', async (t) => {
  const cases: Array<[string, Record<string, string>]> = [
    ['apk add --virtual .deps gcc', { '-t': '.deps' }],
    ['apk add --no-cache --virtual=.deps gcc', { '-t': '.deps' }],
    ['apk add -t .deps gcc', { '-t': '.deps' }],
    ['apk add -X https://dl-cdn.alpinelinux.org/alpine/edge/testing gcc', { '-X': 'https://dl-cdn.alpinelinux.org/alpine/edge/testing' }],
    ['apk add --repository=https://nl.alpinelinux.org/alpine/edge/testing gcc', { '-X': 'https://nl.alpinelinux.org/alpine/edge/testing' }],
  ]
  for (const [text, values] of cases) {
    const cmd = describe(text)
    t.same(pins(cmd), [['gcc', '', false]], text)
    t.same(cmd.flagValues, values, `${text}: values`)
  }
})

t.test('apk: flag spellings and subcommands', async (t) => {
  const cases: Array<[string, string, string[], number]> = [
    ['apk add --no-cache curl', 'add', ['--no-cache'], 1],
    ['apk add -U curl', 'add', ['-U'], 1],
    ['apk add --update curl', 'add', ['-U'], 1],
    ['apk add --update-cache curl', 'add', ['-U'], 1],
    ['apk --no-cache add curl', 'add', ['--no-cache'], 1],
    ['apk add --allow-untrusted /tmp/x.apk', 'add', ['--allow-untrusted'], 0],
    ['apk update', 'update', [], 0],
    ['apk upgrade --available', 'upgrade', ['--available'], 0],
    ['apk del .deps', 'del', [], 0],
    ['apk del --purge gcc', 'del', ['--purge'], 0],
  ]
  for (const [text, subcommand, flags, packages] of cases) {
    const cmd = describe(text)
    sameFields(t, cmd, { tool: 'apk', subcommand, flags }, text)
    t.equal(cmd.packages.length, packages, `${text}: packages`)
  }
  t.same(pins(describeArgs('apk', ['add', '--no-cache', 'flex=2.6.4-r1', 'libffi'])), [['flex', '2.6.4-r1', true], ['libffi', '', false]])
})
