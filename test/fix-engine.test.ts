import t from 'tap'
import { evaluateRules, type Finding } from '../src/evaluation/engine.js'
import { applyFixes } from '../src/fix/apply.js'
import { FixDocument } from '../src/fix/document.js'
import { fixDockerfile, unifiedDiff } from '../src/fix/fixer.js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { compilePolicy } from '../src/policy/load.js'
import type { Rule } from '../src/policy/types.js'

// Each edit kind on rules written here, so the engine is tested apart from the shipped rules' logic.
function policyOf (rules: Array<Record<string, unknown>>): { ok: true, rules: Rule[] } | { ok: false, problems: readonly unknown[] } {
  const source = {
    apiVersion: 'plimsoll.dev/v1',
    kind: 'Policy',
    metadata: { name: 'fix-test', title: 'Fix test', version: '1.0.0' },
    spec: {
      target: 'dockerfile',
      rules: rules.map((fields, index) => ({
        id: `r${index}`, title: 'R', severity: 'warning', message: 'm', remediation: 'fix it', assert: 'false',
        examples: { fail: ['FROM a', 'FROM b'], pass: ['FROM c', 'FROM d'], ...('fix' in fields && { fix: [{ before: 'FROM a', after: 'FROM a' }] }) },
        ...fields,
      })),
    },
  }
  const result = compilePolicy('inline.yaml', JSON.stringify(source))
  return result.ok ? { ok: true, rules: result.value.rules as Rule[] } : { ok: false, problems: result.problems }
}

function rulesOf (...rules: Array<Record<string, unknown>>): Rule[] {
  const compiled = policyOf(rules)
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems))
  return compiled.rules
}

const judge = (rules: Rule[]) => (text: string): { ok: true, value: Finding[] } => {
  const facts = dockerfileFacts(text)
  return { ok: true, value: evaluateRules(rules, { subject: 'dockerfile', facts, document: new FixDocument(text, facts) }).findings }
}

/** The Dockerfile the rules' fixes make of `text`. */
function fixed (text: string, ...rules: Array<Record<string, unknown>>): string {
  const run = judge(rulesOf(...rules))
  return fixDockerfile(text, run(text).value, run).dockerfile
}

const apt = (edit: Record<string, unknown>, when = 'command.tool == "apt-get" && command.subcommand == "install"'): Record<string, unknown> =>
  ({ scope: 'command', keywords: ['RUN'], when, assert: 'command.hasFlag("-y")', fix: { description: 'd', edits: [edit] } })

t.test('addFlag goes after the subcommand as written, on every line form', async (t) => {
  t.equal(fixed('FROM debian\nRUN apt-get -q install curl', apt({ addFlag: '-y' })), 'FROM debian\nRUN apt-get -q install -y curl')
  t.equal(fixed('FROM debian\nRUN apt-get install\\\n  curl', apt({ addFlag: '-y' })), 'FROM debian\nRUN apt-get install -y\\\n  curl', 'before a continuation, on the same line')
  t.equal(fixed('FROM debian\nrun sudo apt-get install curl && apt-get install curl', apt({ addFlag: '-y' })),
    'FROM debian\nrun sudo apt-get install -y curl && apt-get install -y curl', 'after wrappers; identical commands each get it')
  t.equal(fixed('FROM debian\nRUN echo ünïcode && apt-get install curl', apt({ addFlag: '-y' })), 'FROM debian\nRUN echo ünïcode && apt-get install -y curl', 'offsets past non-ASCII text')
  t.equal(fixed('FROM debian\nRUN apt-get update \\\n# a comment\n && apt-get install curl', apt({ addFlag: '-y' })),
    'FROM debian\nRUN apt-get update \\\n# a comment\n && apt-get install -y curl', 'a comment line in the continuation stays')
  t.equal(fixed('FROM debian\r\nRUN apt-get install curl\r\n', apt({ addFlag: '-y' })), 'FROM debian\r\nRUN apt-get install -y curl\r\n', 'CRLF')
  t.equal(fixed('# escape=`\nFROM debian\nRUN apt-get install `\n  curl', apt({ addFlag: '-y' })), '# escape=`\nFROM debian\nRUN apt-get install -y `\n  curl', 'the escape directive')
  t.equal(fixed('FROM debian\nRUN apt-get update', apt({ addFlag: '--x' }, 'command.tool == "apt-get"')), 'FROM debian\nRUN apt-get update --x', 'a command without install: after its subcommand')
  t.equal(fixed('FROM alpine\nRUN ls', apt({ addFlag: '-l' }, 'command.program == "ls"')), 'FROM alpine\nRUN ls -l', 'no subcommand: after the program')
  for (const [text, why] of [
    ['FROM debian\nRUN sh -c "apt-get install curl"', 'inside sh -c'],
    ['FROM debian\nRUN ["apt-get", "install", "curl"]', 'exec form'],
    ['FROM debian\nRUN <<EOF\napt-get install curl\nEOF', 'a heredoc body'],
    ['FROM debian\nONBUILD RUN apt-get install curl', 'an ONBUILD trigger'],
  ]) t.equal(fixed(text as string, apt({ addFlag: '-y' })), text, `no fix ${why}`)
})

t.test('addFlag on an instruction reaches each command it selects, or none', async (t) => {
  const rule = { scope: 'instruction', keywords: ['RUN'], fix: { description: 'd', edits: [{ addFlag: { text: '-y', commands: 'command.tool == "apt-get" && !command.hasFlag("-y")' } }] } }
  t.equal(fixed('FROM debian\nRUN apt-get install a && apt-get install -y b && apt-get remove c', rule), 'FROM debian\nRUN apt-get install -y a && apt-get install -y b && apt-get remove -y c')
  t.equal(fixed('FROM debian\nRUN apt-get install a && sh -c "apt-get install b"', rule), 'FROM debian\nRUN apt-get install a && sh -c "apt-get install b"', 'one it cannot reach: no fix at all')
  t.equal(fixed('FROM debian\nRUN true', rule), 'FROM debian\nRUN true', 'none selected: no fix')
})

t.test('appendCommand ends the RUN, keeping its layout', async (t) => {
  const rule = { scope: 'instruction', keywords: ['RUN'], fix: { description: 'd', edits: [{ appendCommand: 'rm -rf /x' }] } }
  t.equal(fixed('FROM debian\nRUN a && b  ', rule), 'FROM debian\nRUN a && b && rm -rf /x  ')
  t.equal(fixed('FROM debian\nRUN a \\\n\t&& b', rule), 'FROM debian\nRUN a \\\n\t&& b \\\n\t&& rm -rf /x', 'a line of its own, indented as the last')
  t.equal(fixed('FROM debian\nRUN a \\\nb', rule), 'FROM debian\nRUN a \\\nb \\\n    && rm -rf /x', 'an unindented last line: four spaces')
  t.equal(fixed('FROM debian\nRUN a \\\n # note\n && b', rule), 'FROM debian\nRUN a \\\n # note\n && b \\\n && rm -rf /x', 'a comment line in the continuation stays')
  for (const text of ['FROM debian\nRUN a;', 'FROM debian\nRUN a &', 'FROM debian\nRUN a # note']) {
    t.equal(fixed(text, rule), text, `no fix: ${JSON.stringify(text.slice(16))}`)
  }
})

t.test('removeCommand takes the first command and its &&', async (t) => {
  const rule = { scope: 'instruction', keywords: ['RUN'], fix: { description: 'd', edits: [{ insertBefore: 'WORKDIR /app' }, { removeCommand: true }] } }
  t.equal(fixed('FROM debian\nRUN cd /app && make', rule), 'FROM debian\nWORKDIR /app\nRUN make')
  t.equal(fixed('FROM debian\nRUN cd /app \\\n  && make \\\n  && make install', rule), 'FROM debian\nWORKDIR /app\nRUN make \\\n  && make install')
  t.equal(fixed('FROM debian\n\n# build\n# hadolint ignore=DL3008\nRUN cd /app && make', rule), 'FROM debian\n\nWORKDIR /app\n# build\n# hadolint ignore=DL3008\nRUN make', 'above the comments that lead into the RUN')
  for (const text of ['FROM debian\nRUN cd /app || exit 1', 'FROM debian\nRUN cd /app', 'FROM debian\nRUN cd /app; make', 'FROM debian\nRUN cd /app && \\\n# why\n make']) {
    t.equal(fixed(text, rule), text, `no fix: ${JSON.stringify(text.slice(16))}`)
  }
})

t.test('instruction edits: keyword, arguments, whole instruction, exec form, lines', async (t) => {
  const edit = (keywords: string[], ...edits: Array<Record<string, unknown>>): Record<string, unknown> => ({ scope: 'instruction', keywords, fix: { description: 'd', edits } })
  t.equal(fixed('FROM alpine\nadd --chown=1 a.txt /x/', edit(['ADD'], { replaceKeyword: 'COPY' })), 'FROM alpine\ncopy --chown=1 a.txt /x/', 'lower case stays lower case')
  t.equal(fixed('FROM alpine\nADD <<EOF /x\nhi\nEOF', edit(['ADD'], { replaceKeyword: 'COPY' })), 'FROM alpine\nCOPY <<EOF /x\nhi\nEOF', 'heredocs stay')
  t.equal(fixed('FROM alpine\nWORKDIR  app', edit(['WORKDIR'], { replaceArguments: '/{{instruction.args[0]}}' })), 'FROM alpine\nWORKDIR  /app')
  t.equal(fixed('FROM --platform=linux/amd64 alpine:latest AS a', { scope: 'stage', fix: { description: 'd', edits: [{ replaceArgument: { index: 0, text: 'alpine:3.20' } }] } }),
    'FROM --platform=linux/amd64 alpine:3.20 AS a', 'a stage edits its FROM; flags are not arguments')
  t.equal(fixed('FROM alpine\nMAINTAINER me', edit(['MAINTAINER'], { replaceInstruction: 'LABEL maintainer="{{instruction.text}}"' })), 'FROM alpine\nLABEL maintainer="me"')
  t.equal(fixed('FROM alpine\nCMD python \\\n  app.py --port 80', edit(['CMD'], { execForm: true })), 'FROM alpine\nCMD ["python", "app.py", "--port", "80"]')
  for (const text of ['FROM alpine\nCMD python $APP', 'FROM alpine\nCMD python "app.py"', 'FROM alpine\nCMD a && b', 'FROM alpine\nCMD ["a"]', 'FROM alpine\nCMD a \\\n# c\n b']) {
    t.equal(fixed(text, edit(['CMD'], { execForm: true })), text, `no exec form for ${JSON.stringify(text.slice(12))}`)
  }
  t.equal(fixed('FROM alpine AS a\n  FROM alpine\n  RUN x', { scope: 'final-stage', fix: { description: 'd', edits: [{ insertAfter: 'ENV A=1\nENV B=2' }] } }),
    'FROM alpine AS a\n  FROM alpine\n  ENV A=1\n  ENV B=2\n  RUN x', 'after the final FROM, at its indentation')
  t.equal(fixed('FROM alpine\r\nRUN x', edit(['RUN'], { insertBefore: '# before' }, { insertAfter: '# after' })), 'FROM alpine\r\n# before\r\nRUN x\r\n# after', 'CRLF lines')
  t.equal(fixed('FROM alpine\nRUN <<EOF\nx\nEOF\nCMD y', edit(['RUN'], { insertAfter: 'USER 1' })), 'FROM alpine\nRUN <<EOF\nx\nEOF\nUSER 1\nCMD y', 'after a heredoc body')
})

t.test('findings carry their edits as 1-based ranges', async (t) => {
  const rules = rulesOf(apt({ addFlag: '-y' }), { scope: 'instruction', keywords: ['ADD'], fix: { description: 'Use COPY', edits: [{ replaceKeyword: 'COPY' }] } }, { scope: 'stage' })
  const findings = judge(rules)('FROM debian\nRUN apt-get install curl\nADD a.txt /a').value
  t.same(findings.map((f) => [f.ruleId, f.fix]), [
    ['r2', undefined],
    ['r0', { description: 'd', edits: [{ line: 2, column: 20, endLine: 2, endColumn: 20, text: ' -y' }] }],
    ['r1', { description: 'Use COPY', edits: [{ line: 3, column: 1, endLine: 3, endColumn: 4, text: 'COPY' }] }],
  ])
  t.notOk('fix' in (findings[0] as object), 'a finding without a fix has no fix key')
})

t.test('a fix whose when or text fails leaves the finding without one', async (t) => {
  const findings = judge(rulesOf({ scope: 'stage', fix: { description: 'd', when: 'stage.env["NOPE"] == "x"', edits: [{ insertAfter: 'ENV A=1' }] } }))('FROM alpine').value
  t.equal(findings.length, 1)
  t.equal(findings[0]?.fix, undefined)
})

t.test('overlapping fixes: one per pass, until none is left; equal edits once', async (t) => {
  const rules = [
    { scope: 'instruction', keywords: ['RUN'], when: '!instruction.text.contains("apt") && !instruction.text.contains("b")', fix: { description: 'd', edits: [{ replaceArguments: 'a b' }] } },
    { scope: 'instruction', keywords: ['RUN'], when: '!instruction.text.contains("apt") && !instruction.text.contains("c")', fix: { description: 'd', edits: [{ replaceArguments: '{{instruction.text}} c' }] } },
    apt({ addFlag: '-y' }), apt({ addFlag: '-y' }),
  ]
  const run = judge(rulesOf(...rules))
  const result = fixDockerfile('FROM alpine\nRUN a\nRUN apt-get install x', run('FROM alpine\nRUN a\nRUN apt-get install x').value, run)
  t.equal(result.dockerfile, 'FROM alpine\nRUN a b c\nRUN apt-get install -y x')
  t.same(result.applied.map((a) => [a.ruleId, a.pass]), [['r0', 1], ['r2', 1], ['r3', 1], ['r1', 2]])
  t.equal(fixDockerfile(result.dockerfile, run(result.dockerfile).value, run).diff, '', 'fixing the result changes nothing')
})

t.test('applyFixes takes fixes whose edits touch no other, and a fix whole or not at all', async (t) => {
  const result = applyFixes('abcdef', [
    { finding: 'replace', splices: [{ start: 1, end: 3, text: 'X' }] },
    { finding: 'inside', splices: [{ start: 2, end: 2, text: '!' }] },
    { finding: 'at its edge', splices: [{ start: 3, end: 3, text: '>' }] },
    { finding: 'far', splices: [{ start: 5, end: 5, text: '!' }] },
    { finding: 'the same edit', splices: [{ start: 5, end: 5, text: '!' }] },
    { finding: 'the same point', splices: [{ start: 5, end: 5, text: '?' }] },
    { finding: 'self-overlap', splices: [{ start: 4, end: 6, text: 'y' }, { start: 5, end: 6, text: 'z' }] },
    { finding: 'its own two at one point', splices: [{ start: 0, end: 0, text: '<' }, { start: 0, end: 0, text: '>' }] },
  ])
  t.equal(result.text, '<>aXde!f')
  t.same(result.applied, ['replace', 'far', 'the same edit', 'its own two at one point'])
})

t.test('a flag and a command appended at one point: the flag waits a pass and lands on its own command', async (t) => {
  const yum = { scope: 'command', keywords: ['RUN'], when: 'command.tool == "yum" && command.subcommand == "update"', assert: 'command.hasFlag("-y")', fix: { description: 'd', edits: [{ addFlag: '-y' }] } }
  const clean = { scope: 'instruction', keywords: ['RUN'], assert: 'instruction.commands.exists(c, c.subcommand == "clean")', fix: { description: 'd', edits: [{ appendCommand: 'yum clean all' }] } }
  t.equal(fixed('FROM centos\nRUN yum -q update', clean, yum), 'FROM centos\nRUN yum -q update -y && yum clean all')
  t.equal(fixed('FROM centos\nRUN yum -q update', yum, clean), 'FROM centos\nRUN yum -q update -y && yum clean all', 'in either order')
})

t.test('the diff is a git-style unified diff', async (t) => {
  t.equal(unifiedDiff('FROM a\nRUN x\n', 'FROM a\nRUN x -y\n'), '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-RUN x\n+RUN x -y\n')
  t.equal(unifiedDiff('same', 'same'), '')
})

t.test('a policy with a bad fix is refused, naming where', async (t) => {
  const problems = (rule: Record<string, unknown>): string[] => {
    const result = policyOf([rule])
    return result.ok ? [] : (result.problems as Array<{ message: string, pointer: string }>).map((p) => `${p.pointer}: ${p.message}`)
  }
  t.match(problems({ scope: 'stage', fix: { description: 'd', edits: [{ addFlag: '-y' }] } }), [/\/spec\/rules\/0\/fix\/edits\/0: rule r0: fix\/edits\/0: addFlag does not apply to scope stage/])
  t.match(problems({ scope: 'instruction', fix: { description: 'd', edits: [{ addFlag: '-y' }] } }), [/names the commands it applies to/])
  t.match(problems({ scope: 'stage', fix: { description: 'd', when: 'nope(', edits: [{ insertAfter: 'x' }] } }), [/fix\/when/])
  t.match(problems({ scope: 'stage', fix: { description: 'd', edits: [{ insertAfter: '{{ nope( }}' }] } }), [/fix\/edits\/0.*placeholder/])
  t.match(problems({ scope: 'stage', fix: { description: 'd', edits: [{ insertAfter: 'x', execForm: true }] } }), [/fix\/edits\/0/])
  t.match(problems({ scope: 'image', fix: { description: 'd', edits: [{ insertAfter: 'x' }] } }), [/./])
  t.match(problems({ scope: 'stage', fix: { description: 'd', edits: [{ insertAfter: 'x' }] }, examples: { fail: ['FROM a', 'FROM b'], pass: ['FROM c', 'FROM d'] } }), [/fix: a rule with a fix has fix examples/])
  t.match(problems({ scope: 'stage', examples: { fail: ['FROM a', 'FROM b'], pass: ['FROM c', 'FROM d'], fix: [{ before: 'FROM a', after: 'FROM a' }] } }), [/examples\/fix: a rule with a fix has fix examples/])
})

t.test('a fix that does not fix its finding is applied once, not once a pass', async (t) => {
  const run = judge(rulesOf({ scope: 'final-stage', fix: { description: 'd', edits: [{ insertAfter: 'ENV A=1' }] } }))
  const result = fixDockerfile('FROM alpine', run('FROM alpine').value, run)
  t.equal(result.dockerfile, 'FROM alpine\nENV A=1')
  t.equal(result.applied.length, 1)
})
