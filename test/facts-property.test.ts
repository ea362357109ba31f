import fc from 'fast-check'
import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { DEFAULT_LIMITS, withLimits, type Limits } from '../src/inputs/limits.js'
import { validateFacts } from './facts-validator.js'

// Whatever text arrives within the caps, facts come out (matching their published schema) and nothing throws.
const KEYWORDS = ['FROM', 'RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'USER', 'WORKDIR', 'EXPOSE',
  'VOLUME', 'SHELL', 'HEALTHCHECK', 'ONBUILD', 'STOPSIGNAL', 'MAINTAINER', 'from', 'run']
const PIECES = ['\\\n', '`\n', '<<EOF\n', '\nEOF\n', '"', "'", '[', ']', '${', '}', '$', '--mount=type=cache,target=/x ',
  '&&', '|', ';', '(', ')', '#', '# escape=`\n', '# syntax=x\n', 'AS b', '=', ' ', '\t', '\r\n', 'pip install -r r.txt', 'sh -c "', 'é', '☃', '\u0000']

const line = fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string()), { maxLength: 8 }))
  .map(([keyword, parts]) => `${keyword} ${parts.join('')}`)
const dockerfile = fc.oneof(
  fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n')),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
)

t.test('arbitrary text gives schema-valid facts and never throws', async (t) => {
  let checked = 0
  fc.assert(fc.property(dockerfile, (text) => {
    const facts = dockerfileFacts(text)
    checked++
    return validateFacts(facts).length === 0
  }), { numRuns: 400, seed: 20261123 })
  t.equal(checked >= 400, true, `${checked} inputs checked`)
})

t.test('extremes: a huge line, deep continuations, many stages, many heredocs', async (t) => {
  const cases: Array<[string, string]> = [
    ['a 200 KB RUN line', `FROM a:1\nRUN echo ${'x'.repeat(200_000)}`],
    ['5,000 continuation lines', `FROM a:1\nRUN echo \\\n${'  y \\\n'.repeat(5000)}  done`],
    ['300 stages', Array.from({ length: 300 }, (_, i) => `FROM a:${i} AS s${i}\nCOPY --from=s${Math.max(0, i - 1)} /x /x`).join('\n')],
    ['an unterminated heredoc', 'FROM a:1\nRUN <<EOF\necho never closed'],
    ['only directives', '# syntax=docker/dockerfile:1\n# escape=`\n'],
    ['a lone backslash at the end', 'FROM a:1\nRUN echo \\'],
    ['NUL bytes and a BOM', '\uFEFFFROM a:1\u0000\nRUN \u0000'],
  ]
  // Past the server's caps (MAX_LINE_LENGTH, MAX_STAGES), so read under caps raised far beyond them.
  const raised = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((name) => [name, 10_000_000])) as unknown as Limits
  for (const [name, text] of cases) {
    const facts = withLimits(raised, () => dockerfileFacts(text))
    t.same(validateFacts(facts), [], name)
  }
})
