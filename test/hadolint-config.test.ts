import t from 'tap'
import { hadolintConfig } from '../src/policy/hadolint-config.js'

const read = (text: string, name = '.hadolint.yaml'): ReturnType<typeof hadolintConfig> => hadolintConfig({ [name]: text })

t.test('no config file: null', async (t) => {
  t.equal(hadolintConfig({}), null)
  t.equal(hadolintConfig({ 'hadolint.yaml': 'ignored: [DL3000]' }), null, 'without the dot')
  t.equal(hadolintConfig({ 'app/.hadolint.yaml': 'ignored: [DL3000]' }), null, 'not at the context root')
  t.equal(hadolintConfig({ '.hadolint.json': '{}' }), null)
})

t.test('.hadolint.yaml, .hadolint.yml and ./ spellings are found; .yaml wins over .yml', async (t) => {
  t.match(read('ignored: [DL3000]', '.hadolint.yml'), { ignored: ['DL3000'], file: '.hadolint.yml' })
  t.match(read('ignored: [DL3000]', './.hadolint.yaml'), { ignored: ['DL3000'], file: '.hadolint.yaml' })
  t.match(hadolintConfig({ '.hadolint.yml': 'ignored: [DL3001]', '.hadolint.yaml': 'ignored: [DL3000]' }), { ignored: ['DL3000'], file: '.hadolint.yaml' })
})

t.test('the README example reads into Plimsoll terms', async (t) => {
  const config = read(`failure-threshold: warning
ignored:
  - DL3000
  - SC1010   # shellcheck codes are kept too
override:
  error: [DL3001, DL3002]
  warning: [DL3042, DL3033]
  info: [DL3032]
  style: [DL3015]
trustedRegistries:
  - docker.io
  - my-company.com:5000
  - "*.gcr.io"
label-schema:
  author: text
  version: semver
  notes: ""
strict-labels: true
no-color: true
format: json
`)
  t.same(config, {
    ignored: ['DL3000', 'SC1010'],
    severity: { DL3015: 'info', DL3032: 'info', DL3042: 'warning', DL3033: 'warning', DL3001: 'error', DL3002: 'error' },
    params: { trustedRegistries: ['docker.io', 'my-company.com:5000', '*.gcr.io'], labelSchema: { author: 'text', version: 'semver', notes: 'text' }, strictLabels: true },
    failOn: 'warning',
    file: '.hadolint.yaml',
    problems: [],
  })
})

t.test('failure-threshold and no-fail map onto failOn', async (t) => {
  // hadolint fails on any finding at style, ignore and none; no-fail is what never fails.
  const cases: Array<[string, string | undefined]> = [
    ['failure-threshold: error', 'error'],
    ['failure-threshold: warning', 'warning'],
    ['failure-threshold: info', 'info'],
    ['failure-threshold: style', 'info'],
    ['failure-threshold: ignore', 'info'],
    ['failure-threshold: none', 'info'],
    ['no-fail: true', 'none'],
    ['no-fail: true\nfailure-threshold: error', 'none'],
    ['no-fail: false\nfailure-threshold: error', 'error'],
    ['no-fail: false', undefined],
    ['ignored: []', undefined],
  ]
  for (const [text, failOn] of cases) t.equal(read(text)?.failOn, failOn, text)
})

t.test('one registry may be written without a list', async (t) => {
  t.same(read('trustedRegistries: docker.io')?.params, { trustedRegistries: ['docker.io'] })
})

t.test('the most severe override wins when a code is listed twice', async (t) => {
  t.same(read('override:\n  style: [DL3008]\n  error: [DL3008]\n  warning: [DL3008]')?.severity, { DL3008: 'error' })
})

t.test('disable-ignore-pragma is carried; absent or false leaves it out', async (t) => {
  t.equal(read('disable-ignore-pragma: true')?.disableIgnorePragma, true)
  t.notOk('disableIgnorePragma' in (read('disable-ignore-pragma: false') ?? {}))
  t.equal(read('ignored: []')?.disableIgnorePragma, undefined)
})

t.test('empty files, empty keys and comment-only files are an empty config', async (t) => {
  const empty = { ignored: [], severity: {}, params: {}, file: '.hadolint.yaml', problems: [] }
  t.same(read(''), empty)
  t.same(read('# nothing yet\n'), empty)
  t.same(read('ignored:\noverride:\n'), empty)
})

t.test('broken YAML is a problem with its line, never a throw', async (t) => {
  const config = read('ignored:\n  - DL3000\noverride: [error\n')
  t.match(config, { ignored: [], problems: [{ line: Number, message: String }] })
  t.ok((config?.problems[0]?.line ?? 0) >= 3, 'points at the broken line')
})

t.test('a config that is not a mapping is a problem', async (t) => {
  t.match(read('- DL3000\n- DL3001\n'), { ignored: [], problems: [{ line: 1, message: /mapping/ }] })
  t.match(read('DL3000'), { ignored: [], problems: [{ line: 1 }] })
})

t.test('a key of the wrong type is left out and reported at its line; the others still apply', async (t) => {
  const config = read(`ignored: DL3000
failure-threshold: warning
override:
  error: DL3001
  fatal: [DL3002]
trustedRegistries:
  - docker.io
  - 5000
label-schema:
  version: semantic
strict-labels: "yes"
disable-ignore-pragma: 1
`)
  t.match(config, { ignored: [], severity: {}, params: {}, failOn: 'warning' })
  t.equal(config?.disableIgnorePragma, undefined)
  const lines = (config?.problems ?? []).map((p) => p.line)
  for (const line of [1, 4, 5, 8, 10, 11, 12]) t.ok(lines.includes(line), `a problem on line ${line}`)
  t.ok(config?.problems.every((p) => / left out\)$|ignores it/.test(p.message)), 'each says what became of the key')
  t.same(lines, [...lines].sort((a, b) => a - b), 'in line order')
})

t.test('a wrong failure-threshold is reported, and no failOn is set', async (t) => {
  const config = read('ignored: [DL3000]\nfailure-threshold: fatal\n')
  t.match(config, { ignored: ['DL3000'], problems: [{ line: 2, message: /failure-threshold.*error, warning, info, style, ignore, none/ }] })
  t.equal(config?.failOn, undefined)
})

t.test('an unknown key is reported, not fatal', async (t) => {
  t.match(read('ignored: [DL3000]\nignore: [DL3001]\n'), { ignored: ['DL3000'], problems: [{ line: 2, message: /unknown key "ignore"/ }] })
  t.match(read('override:\n  warning: [DL3000]\n  errors: [DL3001]\n'), {
    severity: { DL3000: 'warning' },
    problems: [{ line: 3, message: /unknown override level "errors"/ }],
  }, 'an unknown override level leaves the known ones applied')
  t.match(read('__proto__:\n  ignored: [DL3002]\n'), { ignored: [], problems: [{ line: 2, message: /unknown key "__proto__"/ }] }, '__proto__ is just a key (reported where its value starts)')
})
