// Caller input never makes a matcher backtrack without bound (issue 12). Each reproduction is sized so that a
// backtracking engine would not finish within the test's timeout; the answers are what the old engines gave.
//
// src/policy/regex.ts turns on V8's backtrack fallback for the whole process when it loads, which would soften
// the old requirements.txt, image history and .dockerignore costs here: the modules that load it (select, cel-functions,
// regex) are imported only in the later subtests, and subtests run in order.
import t from 'tap'
import balena from '@balena/dockerignore'
import picomatch from 'picomatch'
import { contextPath, ignoredBy } from '../src/inputs/dockerignore.js'
import { stepText } from '../src/inputs/image/created-by.js'
import { parseRequirements } from '../src/inputs/requirements.js'
import { compileGlob, MAX_GLOB_LENGTH } from '../src/matching/glob.js'
import { compileLinear, Unsupported } from '../src/matching/linear-regex.js'
import type { PolicySet, Rule } from '../src/policy/types.js'

// A small deterministic generator: the same cases on every run.
function random (seed: number): <T>(items: readonly T[]) => T {
  let state = seed
  return (items) => {
    state = (state * 48271) % 2147483647
    return items[state % items.length] as (typeof items)[number]
  }
}
const word = (pick: ReturnType<typeof random>, letters: readonly string[], most: number): string =>
  Array.from({ length: pick([...Array(most + 1).keys()]) }, () => pick(letters)).join('')

t.test('requirements.txt: `[` repeated', async (t) => {
  // A million, the size a context file may have: the old regex was quadratic (80,000 took 3.5 to 27 s).
  const brackets = parseRequirements('requirements.txt', `x${'['.repeat(1_000_000)}`)
  t.equal(brackets.problems.length, 1)
  t.ok(brackets.problems[0]?.message.endsWith('expected matching ] for [, after extras'), 'the PEP 508 error')
  const path = parseRequirements('requirements.txt', `./pkg${'['.repeat(1_000_000)}a]`)
  t.same(path.requirements.map((r) => [r.kind, r.extras, r.target.length]), [['url', ['a'], 5 + 999_999]], 'extras still come off a path')
  t.same(parseRequirements('r.txt', './pkg[a,b]').requirements[0]?.extras, ['a', 'b'])
})

t.test('image history: long runs of blanks', async (t) => {
  const context = { shells: [['/bin/sh', '-c']], escape: '\\' }
  t.same(stepText(`RUN a${' '.repeat(100_000)}b # buildkit`, context)?.keyword, 'RUN')
  t.same(stepText(`/bin/sh -c #(nop)  ENV A=1${' '.repeat(100_000)}B=2`, context)?.text, 'ENV A=1 B=2')
  t.same(stepText(`/bin/sh -c #(nop)  LABEL a=1${' '.repeat(100_000)}b`, context)?.text.length, 'LABEL a="1"'.length + 100_001)
})

t.test('.dockerignore: `**/` repeated against a deep path', async (t) => {
  const stars = `${'**/'.repeat(30)}x`
  t.equal(ignoredBy([stars], `${'a/'.repeat(1000)}y`), false, 'no match')
  t.equal(ignoredBy([stars], `${'a/'.repeat(400)}x`), true, 'the file itself')
  t.equal(ignoredBy([stars], `${'a/'.repeat(400)}x/y`), true, 'a parent directory')
  t.equal(ignoredBy([`${'*a'.repeat(30)}b`], 'a'.repeat(2000)), false, '`*a` repeated')
  t.equal(ignoredBy([`a/${'**/'.repeat(20)}b`, '!a/**/b/c'], `a/${'d/'.repeat(3000)}b/c`), false, 'an exception still wins')
})

t.test('.dockerignore: the same answers as @balena/dockerignore on random patterns', async (t) => {
  const pick = random(12)
  const tokens = ['a', 'b', '.', '*', '**', '?', '/', '[ab]', '[^a]', '\\*', '..', '!', '$', '^']
  let compared = 0
  for (let i = 0; i < 200; i++) {
    const patterns = Array.from({ length: 1 + (i % 3) }, () => word(pick, tokens, 5)).filter((p) => p.trim() !== '' && !p.startsWith('#'))
    const library = balena.default({ ignorecase: false }).add(patterns)
    for (let j = 0; j < 8; j++) {
      const path = contextPath(word(pick, ['a', 'b', '/', '.', 'x'], 7))
      if (path === '') continue
      let expected: boolean
      try {
        expected = library.ignores(path)
      } catch {
        break // a pattern that does not compile: the library throws, ignoredBy drops it (covered elsewhere)
      }
      t.equal(ignoredBy(patterns, path), expected, `${JSON.stringify(patterns)} on ${path}`)
      compared++
    }
  }
  t.ok(compared > 700, `${compared} compared`)
})

t.test('globs in params: `*a*a…b` (trustedRegistries)', async (t) => {
  const { globMatches } = await import('../src/policy/cel-functions.js')
  const pattern = `${'*a'.repeat(30)}b`
  t.equal(globMatches('a'.repeat(100), pattern), false)
  t.equal(globMatches(`${'a'.repeat(100)}b`, pattern), true)
  t.equal(globMatches('registry.example.com', '*.example.com'), true, 'an ordinary glob')
  t.equal(globMatches('a'.repeat(20_000), `*!(${'*a'.repeat(10)}b)`), true, 'a negated extglob, a lookahead at every position')
  t.equal(globMatches(`${'a'.repeat(20_000)}b`, `*!(${'*a'.repeat(10)}b)`), true)
  t.equal(globMatches(`${'a'.repeat(20_000)}b`, `!(${'*a'.repeat(10)}b)`), false)
  t.throws(() => globMatches('x', 'a'.repeat(MAX_GLOB_LENGTH + 1)), /longer than the 256 allowed/, 'a huge pattern is an error of the rule, not a stall')
})

t.test('globs in selectors: `*a*a…b` and a huge exclude', async (t) => {
  const { matchesAny, selectRules } = await import('../src/evaluation/select.js')
  const rule = { id: 'a'.repeat(100), aliases: ['DL3008'], tags: [] } as unknown as Rule
  t.equal(matchesAny(rule, [`${'*a'.repeat(30)}b`]), false)
  t.equal(matchesAny(rule, ['DL30*']), true)
  const set = { policies: [], profiles: [], waivers: [], digest: '' } as unknown as PolicySet
  const huge = selectRules(set, { exclude: ['*'.repeat(70_000)] }, null)
  t.equal(huge.ok, false)
  t.match(!huge.ok && huge.problems[0], { code: 'input.invalid-selector', pointer: '/exclude/0', message: /70000 characters is longer than the 256 allowed/ })
  const empty = selectRules(set, { include: ['ok', ''] }, null)
  t.match(!empty.ok && empty.problems[0], { code: 'input.invalid-selector', pointer: '/include/1', message: /cannot be empty/ })
})

t.test('globs: the same answers as picomatch on random patterns', async (t) => {
  const pick = random(7)
  const tokens = ['a', 'b', '.', '/', '*', '**', '?', '[ab]', '[!a]', '[[:alpha:]]', '{a,b}', '{1..3}', '\\*', '@(a|b)', '!(a)', '+(a|.)', '*(b)', '?(a)', '(a|b)', '!', '$', '^', '|', '**/', './']
  let compared = 0
  for (let i = 0; i < 400; i++) {
    const pattern = word(pick, tokens, 4)
    if (pattern === '') continue
    const dot = i % 2 === 0
    const reference = picomatch(pattern, { dot })
    const linear = compileGlob(pattern, { dot })
    for (let j = 0; j < 6; j++) {
      const text = word(pick, ['a', 'b', '.', '/', '1', 'x'], 6)
      t.equal(linear(text), reference(text), `${pattern} (dot: ${dot}) on ${JSON.stringify(text)}`)
      compared++
    }
  }
  t.ok(compared > 1500, `${compared} compared`)
})

t.test('policy regexes: a long text cannot stall a shipped or a hostile pattern', async (t) => {
  const { regex } = await import('../src/policy/regex.js')
  // security.yaml's secrets pattern: its URL part backtracks quadratically and V8's fallback engine is slow on a
  // pattern this large (100,000 letters took 9.8 s); long texts now go to re2js.
  const secrets = String.raw`(^|[^A-Za-z0-9])((AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20}|npm_[A-Za-z0-9]{36}|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}|xox[abposr]-[0-9A-Za-z-]{10,}|[rs]k_live_[0-9A-Za-z]{24,}|AIza[0-9A-Za-z_-]{35})([^A-Za-z0-9]|$)|-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+|[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@$]+:[^/\s@$]+@`
  t.equal(regex(secrets)('a'.repeat(300_000)), false)
  t.equal(regex(secrets)(`${'a'.repeat(300_000)} https://user:pw@host`), true)
  t.equal(regex(secrets)(`x ${'AKIA'}${'B'.repeat(16)} y`), true)
  t.equal(regex('((a|b){1,16}){1,16}$')(`${'ab'.repeat(160)}!`), false, 'captures no longer weigh on every thread')
  t.equal(regex('((a|b){1,16}){1,16}$')('ab'.repeat(160)), true)
  t.equal(regex('(x+x+)+y')('x'.repeat(30_000)), false)
})

t.test('the linear matcher gives V8 answers on random regexes', async (t) => {
  const pick = random(3)
  const atoms = ['a', 'b', '.', '\\.', '[ab]', '[^a/]', '\\d', '\\w', '\\s', '[\\d-z]', '[]', '[^]', '\\x61', '\\0', '\\8', '\\cA', '{', ']', '\\b', '\\B', '^', '$', '(?=a)', '(?!b)', '(a|b)', '(?:a|)']
  const counts = ['', '', '*', '+', '?', '*?', '{2}', '{1,3}', '{0,}']
  let compared = 0
  for (let i = 0; i < 400; i++) {
    const source = Array.from({ length: 1 + (i % 5) }, () => pick(atoms) + pick(counts)).join('')
    let reference: RegExp
    try {
      reference = new RegExp(source)
      void reference.test('')
    } catch {
      continue
    }
    let linear: ReturnType<typeof compileLinear>
    try {
      linear = compileLinear(source)
    } catch (error) {
      t.type(error, Unsupported, `${source}: refused only for what it cannot run`)
      continue
    }
    for (let j = 0; j < 6; j++) {
      const text = word(pick, ['a', 'b', '/', '.', '1', ' ', '\x01'], 6)
      t.equal(linear.test(text), reference.test(text), `/${source}/ on ${JSON.stringify(text)}`)
      compared++
    }
  }
  t.ok(compared > 1000, `${compared} compared`)
  t.throws(() => compileLinear('(a)\\1'), { name: 'Unsupported' }, 'a backreference is refused')
  t.throws(() => compileLinear('(?<=a)b'), { name: 'Unsupported' }, 'a lookbehind is refused')
  t.same(compileLinear('^(.*\\/)?b$').prefixes('a/b/c/b'), [3, 7], 'prefixes ending before a slash or at the end')
})
