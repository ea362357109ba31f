import fc from 'fast-check'
import t from 'tap'
import { RE2JS } from 're2js'
import { compileRegex, toJs } from '../src/policy/regex.js'

// CEL's `matches` keeps RE2's meaning on V8's engine: random patterns of the RE2 syntax the policies use,
// on random texts, must match exactly where re2js (the reference RE2) does; and no pattern stalls.
const atom = fc.oneof(
  fc.constantFrom('a', 'B', 'x', 'k', 'S', '-', '_', ' ', '=', '/', '"', '1', '.', '\\s', '\\S', '\\d', '\\w', '\\W', '\\b', '\\.', '\\-', '\\n', '\\\\', '\\x4b', '{', '}', 'é'),
  fc.constantFrom('[a-c]', '[^a-c]', '[A-Z0-9_]', '[-a]', '[a-]', '[\\s"]', '[^\\s=]', '[.]', '[]a]', '[x^]', '[j-t]', '[^K]', '[\\w-]', '[^\\W]', '[{-~]', '[\\x20-a]'),
)
// Counts, V8's linear engine refuses beyond 16: written out as copies.
const count = fc.constantFrom('{1,2}', '{2}', '{0}', '{3,}', '{0,3}', '{17}', '{2,19}', '{1,3}?', '{,2}', '{2')
const quantified = fc.tuple(atom, fc.oneof(fc.constantFrom('', '', '*', '+', '?', '*?'), count)).map(([a, q]) => a + q)
const sequence = (items: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.array(items, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''))
const group = sequence(quantified).chain((inner) => fc.constantFrom(`(${inner})`, `(?:${inner}|b)`, `(?i:${inner})`, `(${inner})?`, `(${inner})+`, `(a(?i)${inner})`, `(?:x|(?s)${inner})`, `(?s:${inner})`, `(${inner}){2,18}`))
const pattern = fc.tuple(fc.constantFrom('', '', '(?i)', '(?s)', '(?is)', '^'), sequence(fc.oneof(quantified, group)), fc.constantFrom('', '', '$'))
  .map(([head, body, tail]) => head + body + tail)
// With the Kelvin sign and the long s (RE2 folds k and s to them), and code points beyond UTF-16's single units.
const text = fc.array(fc.constantFrom('a', 'A', 'b', 'B', 'x', 'X', 'k', 'K', 's', 'S', '\u212a', '\u017f', '-', '_', ' ', '\t', '\n', '\r', '=', '/', '"', '1', '.', '{', '}', '\\', 'é', '😀', '\ud83d'), { maxLength: 24 }).map((chars) => chars.join(''))

t.test('random RE2 patterns match exactly where RE2 does', async (t) => {
  let onV8 = 0
  fc.assert(fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 6 }), (source, texts) => {
    let reference: RE2JS
    try {
      reference = RE2JS.compile(source)
    } catch {
      return true // not RE2: refused at load (the cel tests check that)
    }
    if (toJs(source) !== undefined) onV8++
    const ours = compileRegex(source)
    for (const sample of texts) if (ours(sample) !== reference.matcher(sample).find()) throw new Error(`${JSON.stringify(source)} on ${JSON.stringify(sample)}`)
    return true
  }), { numRuns: 3000 })
  t.ok(onV8 > 1000, `most run on V8 (${onV8} of 3000)`)
})

t.test('what V8 would read otherwise stays on RE2', async (t) => {
  for (const source of ['\\pL+', '[[:alpha:]]', '(?m)^a$', '\\Aa\\z', '(?U)a+', '(?P<n>a)', 'x(?i)é', '\\x{41}', '(?i)[!-~]', '(?i)[{-é]', '😀+', '[\\x20-a]', '(?i)[\\W]']) {
    t.equal(toJs(source), undefined, source)
  }
  t.same(toJs('(?i)a[b-d]\\s.'), { source: '[aA][b-dB-D][\\t\\n\\f\\r ][^\\n]', flags: '' })
  t.same(toJs('^(?i)(k|[r-t]\\w)$'), { source: '^(?:[kK\\u212A]|[r-tR-T\\u017F][0-9A-Za-z_\\u017F\\u212A])$', flags: '' }, 'RE2 folds k and s beyond ASCII')
  t.same(toJs('[0-9a-f]{3}x{1,3}(ab){2,}'), { source: '[0-9a-f][0-9a-f][0-9a-f]x(?:x(?:x)?)?(?:ab)(?:ab)(?:(?:ab))*', flags: '' }, 'counts written out')
  t.ok(compileRegex('^.$')('😀'), 'a code point beyond UTF-16 is one character, as in RE2')
  t.ok(compileRegex('\\pL+')('é'), 'RE2 runs what V8 cannot')
})

t.test('a catastrophic pattern cannot stall a match', async (t) => {
  for (const source of ['(a+)+$', '(a|aa)+$', '(?i)(a+)+$', '^(\\w+\\s?)*$', '(x+x+)+y', '(.*a){12}']) {
    const matcher = compileRegex(source)
    t.equal(matcher(`${'a'.repeat(5000)}!`), RE2JS.compile(source).matcher(`${'a'.repeat(5000)}!`).find(), `${source}: the same answer as RE2, in linear time`)
  }
})
