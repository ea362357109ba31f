import t from 'tap'
import { wantsColor } from '../../src/cli/color.js'
import type { Finding } from '../../src/evaluation/engine.js'
import type { Suppression } from '../../src/policy/suppression-types.js'
import { describeSuppression, renderText } from '../../src/verdict/text.js'
import type { Verdict } from '../../src/verdict/verdict.js'

const finding = (ruleId: string, severity: Finding['severity'], line: number, message: string, remediation = `fix ${ruleId}`): Finding =>
  ({ ruleId, aliases: [], policy: 'p', severity, title: ruleId, message, location: { line, endLine: line, stage: '0' }, remediation })

const suppression = (kind: Suppression['kind'], more: Partial<Suppression> = {}): Suppression =>
  ({ kind, reason: '', line: 0, owner: '', expires: '', file: '', ...more })

function verdict (parts: Partial<Verdict>): Verdict {
  const findings = parts.findings ?? []
  const count = (s: string): number => findings.filter((f) => f.severity === s).length
  return {
    verdict: count('error') > 0 ? 'fail' : count('warning') > 0 ? 'warn' : 'pass',
    summary: { error: count('error'), warning: count('warning'), info: count('info'), suppressed: parts.suppressed?.length ?? 0, rulesEvaluated: 7, notEvaluated: 0, ruleErrors: parts.ruleErrors?.length ?? 0 },
    findings,
    suppressed: [],
    ruleErrors: [],
    notEvaluated: [],
    expiredWaivers: [],
    notices: [],
    threshold: { failOn: 'warning', reached: count('error') + count('warning') > 0 },
    policySet: { policies: [{ name: 'p', version: '1.0.0' }], digest: 'sha256:0' },
    decisionId: '00000000-0000-0000-0000-000000000000',
    durationMs: 1,
    cached: false,
    ...parts,
  }
}

t.test('every section, in order, with columns aligned across them', async (t) => {
  const text = renderText(verdict({
    findings: [finding('info-rule', 'info', 1, 'an info'), finding('warn-rule', 'warning', 3, 'a warning'), finding('error-rule', 'error', 12, 'an error')],
    suppressed: [{ ...finding('quiet', 'error', 4, 'hidden'), suppression: suppression('waiver', { reason: 'vendor image', owner: '@platform', expires: '2099-01-01', file: 'waivers.yaml' }) }],
    ruleErrors: [{ ruleId: 'broken-rule', policy: 'p', message: 'no such key: x', location: { line: 2, endLine: 2 } }],
    expiredWaivers: [{ rule: 'DL3008', scope: {}, reason: 'until the mirror is up', owner: '@ops', expires: '2020-01-01', file: 'waivers.yaml', line: 9, findings: 2 }],
  }), { file: 'Dockerfile', color: false })
  t.equal(text, [
    'errors (1)',
    '  Dockerfile:12   error-rule   an error',
    '                  fix error-rule',
    '',
    'warnings (1)',
    '  Dockerfile:3    warn-rule    a warning',
    '                  fix warn-rule',
    '',
    'info (1)',
    '  Dockerfile:1    info-rule    an info',
    '                  fix info-rule',
    '',
    'could not be evaluated (1)',
    '  Dockerfile:2    broken-rule  no such key: x',
    '',
    'expired waivers (1)',
    '  waivers.yaml:9  DL3008       expired on 2020-01-01 (owner @ops); it no longer hides 2 findings',
    '                  reason: until the mirror is up',
    '',
    'suppressed (1)',
    '  Dockerfile:4    quiet        hidden',
    '                  waived in waivers.yaml for @platform until 2099-01-01: vendor image',
    '',
    'Dockerfile: fail · 1 error · 1 warning · 1 info · 1 suppressed · 1 rule error · 7 rules evaluated · fail-on warning reached',
    '',
  ].join('\n'))
})

t.test('a clean verdict is one line', async (t) => {
  t.equal(renderText(verdict({ threshold: { failOn: 'none', reached: false } }), { file: 'x/Dockerfile', color: false }),
    'x/Dockerfile: pass · 0 errors · 0 warnings · 0 info · 7 rules evaluated · fail-on none\n')
})

t.test('colours: severity colours, suppressed dim, and nothing else changes', async (t) => {
  const v = verdict({
    findings: [finding('error-rule', 'error', 2, 'an error')],
    suppressed: [{ ...finding('quiet', 'warning', 4, 'hidden'), suppression: suppression('inline', { line: 3 }) }],
  })
  const colored = renderText(v, { file: 'Dockerfile', color: true })
  t.match(colored, '\x1b[31merror-rule')
  t.match(colored, '\x1b[2m  Dockerfile:4', 'suppressed rows are dim')
  t.match(colored, '\x1b[1m\x1b[31mfail')
  // eslint-disable-next-line no-control-regex
  t.equal(colored.replace(/\x1b\[\d+m/g, ''), renderText(v, { file: 'Dockerfile', color: false }))
})

t.test('each kind of suppression says what did it', async (t) => {
  const cases: Array<[Suppression, string]> = [
    [suppression('inline', { line: 3, reason: 'needed for apt' }), 'ignored by `# plimsoll ignore` on line 3: needed for apt'],
    [suppression('global', { line: 1 }), 'ignored by `# plimsoll global ignore` on line 1'],
    [suppression('hadolint-inline', { line: 5 }), 'ignored by `# hadolint ignore` on line 5'],
    [suppression('hadolint-global', { line: 2 }), 'ignored by `# hadolint global ignore` on line 2'],
    [suppression('hadolint-config', { file: '.hadolint.yml' }), 'ignored in .hadolint.yml'],
    [suppression('hadolint-config'), 'ignored in .hadolint.yaml'],
    [suppression('waiver', { file: 'w.yaml', reason: 'r' }), 'waived in w.yaml: r'],
  ]
  for (const [s, text] of cases) t.equal(describeSuppression(s), text, s.kind)
})

t.test('wantsColor: TTY, NO_COLOR, FORCE_COLOR, TERM=dumb', async (t) => {
  const tty = { write: () => true, isTTY: true }
  const pipe = { write: () => true }
  t.equal(wantsColor({}, tty), true)
  t.equal(wantsColor({}, pipe), false)
  t.equal(wantsColor({ NO_COLOR: 'yes' }, tty), false)
  t.equal(wantsColor({ FORCE_COLOR: '' }, pipe), true, 'an empty FORCE_COLOR forces, as in Node')
  t.equal(wantsColor({ FORCE_COLOR: 'false' }, tty), false)
  t.equal(wantsColor({ TERM: 'dumb' }, tty), false)
})

t.test('notices and findings in context files say which file', async (t) => {
  const text = renderText(verdict({
    findings: [{ ...finding('requirements-pinned', 'warning', 3, 'flask is not pinned'), location: { line: 3, endLine: 3, file: 'requirements.txt' } }],
    notices: [{ file: '.hadolint.yaml', line: 2, message: 'failure-threshold must be a string' }],
  }), { file: 'Dockerfile', color: false })
  t.match(text, /requirements\.txt:3 +requirements-pinned +flask is not pinned/)
  t.match(text, /notices \(1\)\n {2}\.hadolint\.yaml:2 +config +failure-threshold must be a string/)
})
