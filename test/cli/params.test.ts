import t from 'tap'
import { collect, parseParams } from '../../src/cli/params.js'

t.test('--param values are JSON when they parse, else strings', async (t) => {
  const parsed = parseParams(['n=3', 'b=true', 'list=["ghcr.io","quay.io"]', 'map={"a":1}', 's=ghcr.io', 'q="3"', 'empty=', 'eq=a=b', 'n=4'])
  t.same(parsed, { ok: true, value: { n: 4, b: true, list: ['ghcr.io', 'quay.io'], map: { a: 1 }, s: 'ghcr.io', q: '3', empty: '', eq: 'a=b' } })
})

t.test('a name is required, and __proto__ is just a name', async (t) => {
  t.match(parseParams(['novalue', '=x']), { ok: false, problems: [{ message: '--param wants name=value, got "novalue"' }, { message: '--param wants name=value, got "=x"' }] })
  const proto = parseParams(['__proto__={"polluted":true}'])
  t.ok(proto.ok && Object.hasOwn(proto.value, '__proto__'))
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('collect gathers repeated options', async (t) => {
  t.same(collect('b', collect('a')), ['a', 'b'])
})
