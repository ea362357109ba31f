import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { parsePragma, readPragmas, type ParsedPragma } from '../src/evaluation/pragmas.js'

// Comment text as facts.comments carries it: without the `#` and the blanks after it.
const parsed: Array<[string, ParsedPragma | null]> = [
  ['plimsoll ignore=last-user-not-root', { kind: 'inline', ids: ['last-user-not-root'], reason: '' }],
  ['plimsoll ignore=a,DL3002 reason="builder runs as root"', { kind: 'inline', ids: ['a', 'DL3002'], reason: 'builder runs as root' }],
  ['plimsoll ignore = a , b   reason = "x"', { kind: 'inline', ids: ['a', 'b'], reason: 'x' }],
  ['plimsoll ignore=a reason="say \\"no\\" \\\\ twice"', { kind: 'inline', ids: ['a'], reason: 'say "no" \\ twice' }],
  ['plimsoll ignore=CKV_DOCKER_8,CIS-DI-0001', { kind: 'inline', ids: ['CKV_DOCKER_8', 'CIS-DI-0001'], reason: '' }],
  ['plimsoll ignore=a # upstream only has latest', { kind: 'inline', ids: ['a'], reason: 'upstream only has latest' }],
  ['plimsoll ignore=a reason="why" # and a remark', { kind: 'inline', ids: ['a'], reason: 'why' }],
  ['plimsoll global ignore=a,b reason="legacy image"', { kind: 'global', ids: ['a', 'b'], reason: 'legacy image' }],
  ['plimsoll ignore=a reason=""', { kind: 'inline', ids: ['a'], reason: '' }],
  ['plimsoll ignore=a\r', { kind: 'inline', ids: ['a'], reason: '' }],
  ['hadolint ignore=DL3002', { kind: 'hadolint-inline', ids: ['DL3002'], reason: '' }],
  ['hadolint ignore=DL3023, DL3021', { kind: 'hadolint-inline', ids: ['DL3023', 'DL3021'], reason: '' }],
  ['hadolint ignore=DL3002 # we accept this', { kind: 'hadolint-inline', ids: ['DL3002'], reason: 'we accept this' }],
  ['hadolint global ignore = DL3023 , DL3021', { kind: 'hadolint-global', ids: ['DL3023', 'DL3021'], reason: '' }],
  ['hadolint global ignore=SC2086', { kind: 'hadolint-global', ids: ['SC2086'], reason: '' }],
  // Near misses: each is a comment, not a pragma.
  ['plimsoll ignore=', null],
  ['plimsoll ignore=a b', null],
  ['plimsoll ignore=a,', null],
  ['plimsoll ignore=a reason=unquoted', null],
  ["plimsoll ignore=a reason='single'", null],
  ['plimsoll ignore=a reason="unterminated', null],
  ['plimsoll disable=a', null],
  ['plimsoll global=a', null],
  ['plimsollignore=a', null],
  ['Plimsoll ignore=a', null],
  ['plimsoll stage ignore=a', { kind: 'stage', ids: ['a'], reason: '' }],
  ['hadolint ignore=crazy,DL3002', null],
  ['hadolint ignore=DL3002 reason="x"', null],
  ['hadolint ignore=dl3002', null],
  ['hadolint stage ignore=DL3011', { kind: 'hadolint-stage', ids: ['DL3011'], reason: '' }],
  ['hadolint shell=powershell', null],
  ['hadolint global ignore=', null],
  ['ignore=DL3002', null],
  ['this line mentions plimsoll ignore=a', null],
]

t.test('pragma grammar', async (t) => {
  for (const [text, want] of parsed) t.same(parsePragma(text), want, JSON.stringify(text))
})

const pragmasOf = (dockerfile: string): Array<[string, number, number]> =>
  readPragmas(dockerfileFacts(dockerfile)).map((p) => [p.kind, p.line, p.target])

t.test('a Plimsoll inline pragma applies to the next instruction, over comment and blank lines', async (t) => {
  t.same(pragmasOf('FROM alpine:3.20\n# plimsoll ignore=a\nUSER root'), [['inline', 2, 3]])
  t.same(pragmasOf('FROM alpine:3.20\n# plimsoll ignore=a\n# why: the entrypoint drops privileges\n\nUSER root'), [['inline', 2, 5]])
  t.same(pragmasOf('FROM alpine:3.20\n# plimsoll ignore=a\n# plimsoll ignore=b\nUSER root'), [['inline', 2, 4], ['inline', 3, 4]])
  t.same(pragmasOf('# plimsoll ignore=a\nARG V=1\nFROM alpine:$V'), [['inline', 1, 2]], 'an ARG before FROM is an instruction too')
})

t.test('an inline pragma with no instruction after it, or inside one, applies to nothing', async (t) => {
  t.same(pragmasOf('FROM alpine:3.20\nUSER root\n# plimsoll ignore=a'), [['inline', 3, 0]])
  t.same(pragmasOf('FROM alpine:3.20\nRUN true && \\\n# plimsoll ignore=a\n  true\nUSER root'), [['inline', 3, 0]], 'inside a continued RUN')
})

t.test('a hadolint inline pragma applies to the very next line only, as in hadolint', async (t) => {
  t.same(pragmasOf('FROM ubuntu\n# hadolint ignore=DL3002\nUSER root'), [['hadolint-inline', 2, 3]])
  t.same(pragmasOf('FROM ubuntu\n# hadolint ignore=DL3002\n\nUSER root'), [['hadolint-inline', 2, 0]], 'a blank line between')
  t.same(pragmasOf('FROM ubuntu\n# hadolint ignore=DL3002\n# note\nUSER root'), [['hadolint-inline', 2, 0]], 'a comment between')
  t.same(pragmasOf('# hadolint ignore=DL3002\nFROM ubuntu\nUSER root'), [['hadolint-inline', 1, 2]], 'above FROM: applies to FROM')
})

t.test('global pragmas apply anywhere, and have no target', async (t) => {
  t.same(pragmasOf('# plimsoll global ignore=a\nFROM ubuntu\nUSER root\n# hadolint global ignore=DL3002'), [['global', 1, 0], ['hadolint-global', 4, 0]])
})

t.test('a pragma on the first line is a comment, not a parser directive', async (t) => {
  const facts = dockerfileFacts('# hadolint global ignore=DL3006\nFROM ubuntu')
  t.same(facts.directives, {})
  t.same(readPragmas(facts).map((p) => p.ids), [['DL3006']])
})

t.test('ordinary comments are not pragmas', async (t) => {
  t.same(pragmasOf('# syntax=docker/dockerfile:1\n# build the app\nFROM ubuntu\n# ignore=DL3002\nUSER root'), [])
})

t.test('stage pragmas apply to the stage whose FROM follows them', async (t) => {
  const facts = dockerfileFacts('FROM a:1 AS build\nEXPOSE 80000\n# hadolint stage ignore=DL3011\nFROM a:1\nEXPOSE 80000\n# plimsoll stage ignore=x reason="why"\nFROM b:1 AS last\n')
  t.same(readPragmas(facts).map((p) => [p.kind, p.stage, p.reason]), [['hadolint-stage', '1', ''], ['stage', 'last', 'why']])
  t.equal(parsePragma('plimsoll stage ignore=a,b')?.kind, 'stage')
})
