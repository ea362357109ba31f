import t from 'tap'
import { defineFlags, parseArgs } from '../../src/inputs/commands/flags.js'

const SPEC = defineFlags({
  '-y': ['--yes', '--assume-yes'],
  '-q': ['--quiet'],
  '-o=': ['--output'],
  '-nv': ['--no-verbose'],
  '--no-cache': [],
  '--strict': [],
})

t.test('flags are split, made canonical and counted; values are never operands', async (t) => {
  const cases: Array<[string, { flags: string[], values?: Record<string, string>, operands: string[] }]> = [
    ['-y a', { flags: ['-y'], operands: ['a'] }],
    ['--yes a', { flags: ['-y'], operands: ['a'] }],
    ['--assume-yes a', { flags: ['-y'], operands: ['a'] }],
    ['-qy a', { flags: ['-q', '-y'], operands: ['a'] }],
    ['-yq -y', { flags: ['-y', '-q'], operands: [] }],
    ['-o out a', { flags: ['-o'], values: { '-o': 'out' }, operands: ['a'] }],
    ['-oout a', { flags: ['-o'], values: { '-o': 'out' }, operands: ['a'] }],
    ['-yo out a', { flags: ['-y', '-o'], values: { '-o': 'out' }, operands: ['a'] }],
    ['-o=out a', { flags: ['-o'], values: { '-o': 'out' }, operands: ['a'] }],
    ['--output out a', { flags: ['-o'], values: { '-o': 'out' }, operands: ['a'] }],
    ['--output=out a', { flags: ['-o'], values: { '-o': 'out' }, operands: ['a'] }],
    ['-q=2 a', { flags: ['-q'], values: { '-q': '2' }, operands: ['a'] }],
    ['-nv a', { flags: ['-nv'], operands: ['a'] }],
    ['--no-verbose a', { flags: ['-nv'], operands: ['a'] }],
    ['--unknown a', { flags: ['--unknown'], operands: ['a'] }],
    ['--unknown=1 a', { flags: ['--unknown'], values: { '--unknown': '1' }, operands: ['a'] }],
    ['-Z a', { flags: ['-Z'], operands: ['a'] }],
    ['a - b', { flags: [], operands: ['a', '-', 'b'] }],
    ['a -y b', { flags: ['-y'], operands: ['a', 'b'] }],
    ['-o', { flags: ['-o'], values: {}, operands: [] }],
    ['--strict false', { flags: ['--strict'], operands: ['false'] }],
  ]
  for (const [text, expected] of cases) {
    const parsed = parseArgs(text.split(' '), SPEC)
    t.same({ flags: parsed.flags, values: parsed.values, operands: parsed.operands }, { values: {}, ...expected }, text)
  }
})

t.test('-- ends the flags; dashes marks where', async (t) => {
  const parsed = parseArgs(['-y', 'a', '--', '-q', 'b'], SPEC)
  t.same(parsed.flags, ['-y'])
  t.same(parsed.operands, ['a', '-q', 'b'])
  t.equal(parsed.dashes, 1)
  t.equal(parseArgs(['a'], SPEC).dashes, 1, 'operands.length without --')
})

t.test('counts and every value of repeated flags', async (t) => {
  const parsed = parseArgs(['-qq', '-o', 'a', '--output=b', '-q'], SPEC)
  t.same(parsed.counts, { '-q': 3, '-o': 2 })
  t.same(parsed.valueLists, { '-o': ['a', 'b'] })
  t.same(parsed.values, { '-o': 'b' }, 'the last value wins')
})

t.test('npm-style booleans take a following true/false', async (t) => {
  const spec = defineFlags({ '--strict-ssl': [] }, { booleanValues: true })
  t.same(parseArgs(['--strict-ssl', 'false', 'x'], spec).values, { '--strict-ssl': 'false' })
  t.same(parseArgs(['--strict-ssl', 'false', 'x'], spec).operands, ['x'])
  t.same(parseArgs(['--strict-ssl', 'x'], spec).operands, ['x'], 'a word that is not a boolean stays an operand')
  t.same(parseArgs(['--strict-ssl'], spec).values, {}, 'at the end')
})

t.test('Go-style flags: no clusters, --flag is -flag, the first operand ends the flags', async (t) => {
  const spec = defineFlags({ '-ldflags=': [] }, { clusters: false, interspersed: false })
  const parsed = parseArgs(['-race', '--ldflags', '-s -w', 'pkg', '-v', 'x'], spec)
  t.same(parsed.flags, ['-race', '-ldflags'])
  t.same(parsed.values, { '-ldflags': '-s -w' })
  t.same(parsed.operands, ['pkg', '-v', 'x'])
})

t.test('a second call carries on from the first (global, then command options)', async (t) => {
  const first = parseArgs(['-y', '-o', 'a'], SPEC)
  const second = parseArgs(['-o', 'b', 'x'], SPEC, first)
  t.same(second.flags, ['-y', '-o'])
  t.same(second.valueLists, { '-o': ['a', 'b'] })
  t.same(second.counts, { '-y': 1, '-o': 2 })
  t.same(first.valueLists, { '-o': ['a'] }, 'the first result is not changed')
  const dashed = parseArgs(['x'], SPEC, parseArgs(['--', 'a'], SPEC))
  t.same(dashed.operands, ['a', 'x'])
  t.equal(dashed.dashes, 0, 'a -- from the first call is kept')
})

t.test('a table that lists a spelling twice is a bug', async (t) => {
  t.throws(() => defineFlags({ '-y': ['--yes'], '--yes': [] }), /--yes is listed twice/)
})
