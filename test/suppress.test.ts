import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { stringify } from 'yaml'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { evaluateRules, type Finding } from '../src/evaluation/engine.js'
import { hadolintConfig } from '../src/policy/hadolint-config.js'
import { loadPolicyDir } from '../src/policy/load.js'
import { applySuppressions, type SuppressionInput } from '../src/evaluation/suppress.js'
import type { HadolintConfig, Waiver } from '../src/policy/suppression-types.js'
import { POLICY_DIR } from './helpers.js'

const pack = await loadPolicyDir(POLICY_DIR)
if (!pack.ok) throw new Error('shipped policies do not load')
const rules = pack.value.policies.flatMap((p) => p.rules)

const TODAY = '2026-06-15'
const finding = (ruleId: string, aliases: string[], location: Finding['location'], message = ''): Finding =>
  ({ ruleId, aliases, policy: 'p', severity: 'error', title: ruleId, message, location, remediation: '' })
const waiver = (fields: Partial<Waiver> = {}): Waiver =>
  ({ rule: 'last-user-not-root', scope: {}, reason: 'accepted', owner: 'team@example.com', expires: '2026-12-31', file: 'waivers.yaml', line: 7, ...fields })
const config = (ignored: string[], more: Partial<HadolintConfig> = {}): HadolintConfig =>
  ({ ignored, severity: {}, params: {}, problems: [], file: '.hadolint.yml', ...more })
const run = (dockerfile: string, findings: Finding[], more: Partial<SuppressionInput> = {}): ReturnType<typeof applySuppressions> =>
  applySuppressions({ findings, facts: dockerfileFacts(dockerfile), rules, hadolint: null, waivers: [], today: TODAY, ...more })
const kinds = (outcome: ReturnType<typeof applySuppressions>): string[] => outcome.suppressed.map((s) => s.suppression.kind)

// One root USER, which every kind of suppression can hide: the first in precedence order must win.
const ALL = `# plimsoll global ignore=last-user-not-root reason="g"
# hadolint global ignore=DL3002 # hg
FROM alpine:3.20
# plimsoll ignore=last-user-not-root reason="i"
# hadolint ignore=DL3002 # hi
USER root
`
const rootUser = finding('last-user-not-root', ['DL3002'], { line: 6, endLine: 6, stage: '0' })

t.test('precedence: inline, hadolint-inline, global, hadolint-global, hadolint-config, waiver', async (t) => {
  const sources = ['# plimsoll ignore', '# hadolint ignore', '# plimsoll global', '# hadolint global']
  const expected = ['inline', 'hadolint-inline', 'global', 'hadolint-global', 'hadolint-config', 'waiver']
  for (let dropped = 0; dropped <= sources.length; dropped++) {
    // Pragmas become plain comments one by one, so the line numbers stay where they are.
    let text = ALL
    for (const source of sources.slice(0, dropped)) text = text.replace(source, '# note')
    const outcome = run(text, [rootUser], { hadolint: config(['DL3002']), waivers: [waiver()] })
    t.same(kinds(outcome), [expected[dropped]], `with the first ${dropped} removed`)
  }
  t.same(kinds(run('FROM alpine:3.20\n\n\n\n\nUSER root', [rootUser], { waivers: [waiver()] })), ['waiver'])
  t.same(kinds(run('FROM alpine:3.20\n\n\n\n\nUSER root', [rootUser])), [], 'nothing left: reported')
})

t.test('each suppression says what hid the finding, and the finding keeps all its fields', async (t) => {
  const outcome = run(ALL, [rootUser], {})
  t.same(outcome.suppressed, [{ ...rootUser, suppression: { kind: 'inline', reason: 'i', line: 4, owner: '', expires: '', file: '' } }])
  t.same(outcome.findings, [])
  const text = 'FROM alpine:3.20\n# hadolint ignore=DL3002 # hi\nUSER root'
  t.same(run(text, [{ ...rootUser, location: { line: 3, endLine: 3 } }]).suppressed[0]?.suppression, { kind: 'hadolint-inline', reason: 'hi', line: 2, owner: '', expires: '', file: '' })
  const plain = 'FROM alpine:3.20\nUSER root'
  t.same(run(plain, [rootUser], { hadolint: config(['DL3002']) }).suppressed[0]?.suppression, { kind: 'hadolint-config', reason: '', line: 0, owner: '', expires: '', file: '.hadolint.yml' })
  t.same(run(plain, [rootUser], { waivers: [waiver()] }).suppressed[0]?.suppression,
    { kind: 'waiver', reason: 'accepted', line: 0, owner: 'team@example.com', expires: '2026-12-31', file: 'waivers.yaml' })
})

t.test('ids: Plimsoll sources take rule ids or aliases, hadolint pragmas aliases; near misses match nothing', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['# plimsoll ignore=last-user-not-root', true],
    ['# plimsoll ignore=DL3002', true],
    ['# plimsoll ignore=CKV_DOCKER_8', true],
    ['# plimsoll ignore=other,DL3002', true],
    ['# plimsoll ignore=last-user', false],
    ['# plimsoll ignore=last-user-not-root-x', false],
    ['# plimsoll ignore=dl3002', false],
    ['# plimsoll ignore=DL300', false],
    ['# hadolint ignore=DL3002', true],
    ['# hadolint ignore=DL3020,DL3002', true],
    ['# hadolint ignore=DL30021', false],
    ['# hadolint ignore=DL3020', false],
  ]
  // The finding carries no aliases: they come from the shipped rule, as when a profile strips them.
  const bare = finding('last-user-not-root', [], { line: 3, endLine: 3, stage: '0' })
  for (const [pragma, hidden] of cases) t.equal(run(`FROM alpine:3.20\n${pragma}\nUSER root`, [bare]).suppressed.length, hidden ? 1 : 0, pragma)
  for (const [id, hidden] of [['DL3002', true], ['last-user-not-root', true], ['DL30', false], ['DL3002 ', false]] as const) {
    t.equal(run('FROM alpine:3.20\nUSER root', [bare], { hadolint: config([id]) }).suppressed.length, hidden ? 1 : 0, `ignored: [${id}]`)
    t.equal(run('FROM alpine:3.20\nUSER root', [bare], { waivers: [waiver({ rule: id })] }).suppressed.length, hidden ? 1 : 0, `waiver rule ${id}`)
  }
})

t.test('an inline pragma hides findings that start on its instruction, and nothing else', async (t) => {
  const text = 'FROM alpine:3.20\n# plimsoll ignore=copy-not-add\nADD a \\\n  b /app/\nADD c /app/'
  const on = (line: number, file?: string): Finding => finding('copy-not-add', ['DL3020'], { line, endLine: line, ...(file !== undefined && { file }) })
  const outcome = run(text, [on(3), on(5), on(3, 'requirements.txt')])
  t.same(outcome.suppressed.map((f) => [f.location.line, f.location.file]), [[3, undefined]])
  t.same(outcome.findings.map((f) => [f.location.line, f.location.file]), [[5, undefined], [3, 'requirements.txt']], 'the next ADD, and a context file\'s line 3')
  t.same(kinds(run(text.replace('plimsoll ignore', 'plimsoll global ignore'), [on(3), on(5), on(3, 'requirements.txt')])), ['global', 'global', 'global'])
})

t.test('disable-ignore-pragma turns hadolint pragmas off, not Plimsoll\'s', async (t) => {
  const off = config([], { disableIgnorePragma: true })
  t.same(kinds(run('FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root', [{ ...rootUser, location: { line: 3, endLine: 3 } }], { hadolint: off })), [])
  t.same(kinds(run('# hadolint global ignore=DL3002\nFROM alpine:3.20\nUSER root', [rootUser], { hadolint: off })), [])
  t.same(kinds(run('# plimsoll global ignore=DL3002\nFROM alpine:3.20\nUSER root', [rootUser], { hadolint: off })), ['global'])
})

t.test('a waiver applies through its last day; after it, it hides nothing and is listed', async (t) => {
  const cases: Array<[string, boolean]> = [['2026-06-14', false], ['2026-06-15', true], ['2026-06-16', true], ['2025-12-31', false], ['2027-01-01', true]]
  for (const [expires, active] of cases) {
    const outcome = run('FROM alpine:3.20\nUSER root', [rootUser], { waivers: [waiver({ expires })] })
    t.same([outcome.suppressed.length, outcome.findings.length, outcome.expiredWaivers.length], active ? [1, 0, 0] : [0, 1, 1], `expires ${expires}, today ${TODAY}`)
  }
})

t.test('an expired waiver counts every finding it would have matched, hidden by something else or not', async (t) => {
  const other = finding('base-image-not-latest', ['DL3007'], { line: 1, endLine: 1, stage: '0' })
  const second = { ...rootUser, location: { line: 9, endLine: 9, stage: '0' } }
  const lapsed = waiver({ expires: '2026-01-31' })
  const outcome = run(ALL, [other, rootUser, second], { waivers: [lapsed, waiver({ rule: 'DL3007', expires: '2020-01-01' }), waiver({ rule: 'workdir-set', expires: '2020-01-01' })] })
  t.same(outcome.expiredWaivers.map((w) => [w.rule, w.findings]), [['last-user-not-root', 2], ['DL3007', 1], ['workdir-set', 0]])
  t.same(outcome.expiredWaivers[0], { ...lapsed, findings: 2 })
  t.same(kinds(outcome), ['inline', 'global'], 'the pragmas still hide what they hide')
})

const STAGES = `FROM python:3.12-slim AS Build
RUN pip install x
FROM build AS test
FROM gcr.io/distroless/python3:nonroot
USER root
`
const at = (line: number, stage: string, message = ''): Finding => finding('last-user-not-root', ['DL3002'], { line, endLine: line, stage }, message)

t.test('waiver scope: a stage by name (any case) or by index', async (t) => {
  const findings = [at(1, 'build'), at(3, 'test'), at(4, '2')]
  const cases: Array<[string, number[]]> = [
    ['build', [1]], ['BUILD', [1]], ['0', [1]], ['1', [3]], ['test', [3]], ['2', [4]],
    ['buil', []], ['builder', []], ['3', []], ['01', [3]], ['runtime', []],
  ]
  for (const [stage, lines] of cases) {
    t.same(run(STAGES, findings, { waivers: [waiver({ scope: { stage } })] }).suppressed.map((f) => f.location.line), lines, `stage ${stage}`)
  }
  const file = finding('last-user-not-root', ['DL3002'], { line: 1, endLine: 1, file: 'requirements.txt' })
  t.same(run(STAGES, [file], { waivers: [waiver({ scope: { stage: '0' } })] }).suppressed, [], 'a context-file finding is in no stage')
})

t.test('waiver scope: an image, through FROM <stage>, any tag when none is given; near misses do not match', async (t) => {
  const findings = [at(1, 'build'), at(3, 'test'), at(4, '2')]
  const cases: Array<[string, number[]]> = [
    ['python', [1, 3]], ['python:3.12-slim', [1, 3]], ['docker.io/library/python', [1, 3]], ['index.docker.io/python:3.12-slim', [1, 3]],
    ['python:3.12', []], ['python:3.12-slim@sha256:0000', []], ['pythonista', []], ['python-slim', []], ['ghcr.io/python', []],
    ['gcr.io/distroless/python3', [4]], ['gcr.io/distroless/python3:nonroot', [4]], ['gcr.io/distroless/python3:latest', []],
    ['distroless/python3', []], ['gcr.io/distroless', []],
  ]
  for (const [image, lines] of cases) {
    t.same(run(STAGES, findings, { waivers: [waiver({ scope: { image } })] }).suppressed.map((f) => f.location.line), lines, `image ${image}`)
  }
})

t.test('waiver scope: an image named as a word of the message; stage and image must both hold', async (t) => {
  const copy = at(2, 'build', '`COPY --from=nginx:1.27 /etc/nginx /etc/nginx` copies from an image')
  const cases: Array<[Waiver['scope'], boolean]> = [
    [{ image: 'nginx:1.27' }, true], [{ image: 'nginx' }, false], [{ image: 'nginx:1.2' }, false],
    [{ image: 'nginx:1.27', stage: 'build' }, true], [{ image: 'nginx:1.27', stage: 'test' }, false], [{ image: 'python', stage: 'test' }, false],
  ]
  for (const [scope, hidden] of cases) t.equal(run(STAGES, [copy], { waivers: [waiver({ scope })] }).suppressed.length, hidden ? 1 : 0, JSON.stringify(scope))
})

t.test('every finding comes out exactly once, in input order', async (t) => {
  const findings = [at(4, '2'), at(1, 'build'), at(3, 'test'), finding('copy-not-add', ['DL3020'], { line: 2, endLine: 2, stage: 'build' })]
  const outcome = run(`# plimsoll global ignore=copy-not-add\n${STAGES}`, findings, { waivers: [waiver({ scope: { stage: 'test' } })] })
  t.same(outcome.findings, [findings[0], findings[1]])
  t.same(outcome.suppressed.map((f) => [f.ruleId, f.location.line, f.suppression.kind]), [['last-user-not-root', 3, 'waiver'], ['copy-not-add', 2, 'global']])
})

t.test('today must be a date: a bad clock is a bug, not an expiry', async (t) => {
  for (const today of ['', '2026-6-15', '15/06/2026', '2026-06-15T00:00:00Z']) t.throws(() => run(STAGES, [], { today }), TypeError, JSON.stringify(today))
})

t.test('with the shipped rules: pragmas, config and waivers on a real evaluation', async (t) => {
  const text = `# hadolint global ignore=DL3020
FROM python:latest AS build
# plimsoll ignore=use-workdir-not-cd reason="install.sh only runs from its own directory"
RUN cd /opt/tool && ./install.sh
ADD app.py /app/
FROM build
USER root
CMD python app.py
`
  const facts = dockerfileFacts(text, { '.hadolint.yaml': 'ignored: [DL3025]\n' })
  const { findings } = evaluateRules(rules, { subject: 'dockerfile', facts: facts })
  const outcome = applySuppressions({
    findings, facts, rules, hadolint: hadolintConfig({ '.hadolint.yaml': 'ignored: [DL3025]\n' }), today: TODAY,
    waivers: [waiver({ rule: 'DL3007', scope: { stage: 'build' } }), waiver({ expires: '2026-01-01' })],
  })
  const by = (f: { ruleId: string, location: { line: number } }): string => `${f.ruleId}@${f.location.line}`
  t.match(outcome.suppressed.map((f) => [by(f), f.suppression.kind]).sort(), [
    ['base-image-not-latest@2', 'waiver'], ['copy-not-add@5', 'hadolint-global'], ['exec-form-cmd-entrypoint@8', 'hadolint-config'], ['use-workdir-not-cd@4', 'inline'],
  ].sort())
  t.ok(outcome.findings.some((f) => by(f) === 'last-user-not-root@7'), 'the lapsed waiver hides nothing')
  t.same(outcome.expiredWaivers.map((w) => [w.rule, w.findings]), [['last-user-not-root', 1]])
  t.equal(outcome.findings.length + outcome.suppressed.length, findings.length)
})

// hadolint's own pragma cases (../shared/corpus/hadolint-cases.json, from test/Hadolint/PragmaSpec.hs, and the
// cases run with an `ignored` config), for the codes the shipped rules carry as aliases: after suppression,
// a rule with that alias must report (fail) or not (pass), as hadolint's rule does. `*` means no finding at all,
// checked here over every rule with a DL alias.
const CASES = fileURLToPath(new URL('../../shared/corpus/hadolint-cases.json', import.meta.url))

interface HadolintCase { rule: string, dockerfile: string, expect: 'pass' | 'fail', source: string, name: string, line: number, config?: Record<string, unknown> }

if (!existsSync(CASES)) {
  t.comment(`skipping hadolint's pragma cases: ${CASES} is absent (it ships beside the repo in CI, not in a clone)`)
  t.test("hadolint's pragma cases", { skip: `${CASES} is absent` }, async () => {})
} else {
  const cases = (JSON.parse(readFileSync(CASES, 'utf8')) as HadolintCase[])
    .filter((c) => c.source === 'test/Hadolint/PragmaSpec.hs' || Array.isArray(c.config?.ignored))
  const dlAliases = new Set(rules.flatMap((r) => r.aliases).filter((a) => /^DL\d{4}$/.test(a)))
  const applicable = cases.filter((c) => c.rule === '*' || dlAliases.has(c.rule))
  const skipped = cases.filter((c) => !applicable.includes(c))
  t.comment(`hadolint pragma cases: ${applicable.length} of ${cases.length} apply to the shipped rules`)
  for (const c of skipped) {
    const why = c.rule.startsWith('DL') ? `no shipped rule carries ${c.rule} yet` : `"${c.rule}" is not a DL code`
    t.comment(`not applicable, ${why}: "${c.name}" (${c.source}:${c.line})`)
  }

  t.test("hadolint's pragma cases", async (t) => {
    t.ok(applicable.length > 0, 'some cases apply')
    for (const c of applicable) {
      t.test(`${c.rule} ${c.expect}: ${c.name} (${c.source}:${c.line})`, async (t) => {
        const hadolint = c.config === undefined ? null : hadolintConfig({ '.hadolint.yaml': stringify(c.config) })
        t.same(hadolint?.problems ?? [], [], 'its config reads cleanly')
        const facts = dockerfileFacts(c.dockerfile)
        const codes = c.rule === '*' ? [...dlAliases] : [c.rule]
        const ofCode = (f: Finding): boolean => f.aliases.some((a) => codes.includes(a))
        const { findings } = evaluateRules(rules, { subject: 'dockerfile', facts: facts })
        const outcome = applySuppressions({ findings, facts, rules, hadolint, waivers: [], today: TODAY })
        const left = outcome.findings.filter(ofCode)
        if (c.expect === 'fail') t.ok(left.length > 0, `${c.rule} still reported`)
        else t.same(left.map((f) => `${f.ruleId}@${f.location.line}`), [], `nothing reported for ${codes.join(', ')}`)
        // A pass is only a test of the pragma when the rule reports without it.
        // (hadolint's PragmaSpec files one case under DL3012 whose Dockerfile is about DL3011 and DL3002: not one;
        // its DL3021 cases copy several files into `.`, which BuildKit builds and copy-multi-arg-dest-slash passes.)
        const vacuous = c.rule === 'DL3021' && /^COPY .* \.$/m.test(c.dockerfile)
        if (c.expect === 'pass' && c.rule !== '*' && c.dockerfile.includes(c.rule) && !vacuous) t.ok(findings.some(ofCode), `${c.rule} reports when nothing is suppressed`)
      })
    }
  })
}
