import t from 'tap'
import { Environment } from '@marcbachmann/cel-js'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { compileExpression } from '../src/policy/cel.js'
import type { AstNode } from '../src/policy/cel-ast.js'
import { costOf } from '../src/policy/cel-cost.js'
import { compilePolicy } from '../src/policy/compile-policy.js'
import type { Scope } from '../src/policy/types.js'
import { build } from './helpers.js'

// A policy of one rule, compiled but not run: its assert is on line 12.
const policy = (scope: string, assert: string, message = 'nested'): string => `apiVersion: plimsoll.dev/v1
kind: Policy
metadata:
  name: cost
  title: Cost
  version: 1.0.0
spec:
  target: dockerfile
  rules:
    - id: twice-over
      title: Nested loops
      assert: ${JSON.stringify(assert)}
      scope: ${scope}
      severity: info
      message: ${JSON.stringify(message)}
      remediation: Loop once.
      examples:
        fail: ["FROM alpine:3.20\\nRUN echo hi", "FROM alpine:3.20"]
        pass: ["FROM alpine:3.20\\nRUN echo hi", "FROM alpine:3.20"]
`

const CUBIC = '!dockerfile.instructions.exists(i, dockerfile.instructions.exists(j, i.text + j.text == instruction.text))'
const WHOLE_FILE = '!dockerfile.instructions.exists(i, dockerfile.instructions.exists(j, i.text + j.text == "x"))'
const OWN_FIELDS = '!instruction.commands.exists(c, c.args.exists(a, a == "x"))'

const degree = (expression: string, scope: Scope): number =>
  costOf(new Environment().parse(expression).ast as AstNode, expression, scope).degree

t.test('an instruction rule nesting two loops over the whole file is refused, with why', async (t) => {
  const compiled = compilePolicy('cost.yaml', policy('instruction', CUBIC))
  t.notOk(compiled.ok)
  if (compiled.ok) return
  t.equal(compiled.problems.length, 1)
  t.match(compiled.problems[0], {
    code: 'policy.expression',
    file: 'cost.yaml',
    pointer: '/spec/rules/0/assert',
    line: 12,
    message: /^rule twice-over: assert: cubic in the size of the input: runs once per instruction and nests 2 loops over lists that grow with it \(`dockerfile\.instructions` › `dockerfile\.instructions`\); at most quadratic/,
  })
})

t.test('the same expression runs once in a dockerfile rule, and is accepted', async (t) => {
  t.ok(compilePolicy('cost.yaml', policy('dockerfile', WHOLE_FILE)).ok)
  t.equal(degree(WHOLE_FILE, 'dockerfile'), 2)
})

t.test('loops over the scope item\'s own fields cost nothing more', async (t) => {
  t.ok(compilePolicy('cost.yaml', policy('instruction', OWN_FIELDS)).ok)
  t.equal(degree(OWN_FIELDS, 'instruction'), 1, 'linear: each instruction walks its own commands and their args')
  t.equal(degree('dockerfile.instructions.exists(i, i.commands.exists(c, c.args.exists(a, a == instruction.text)))', 'instruction'), 2, 'a loop over the file, then down into its elements')
  t.equal(degree('instruction.flags.all(f, dockerfile.stages.exists(s, s.name == f.value))', 'instruction'), 2)
  t.equal(degree('instruction.commands.exists(c, instruction.commands.exists(d, c != d))', 'instruction'), 2, 'an item\'s part nested in itself counts')
  t.equal(degree('instruction.commands.exists(c, instruction.commands.exists(d, instruction.commands.exists(e, c != e)))', 'instruction'), 3)
  t.equal(degree('stage.instructions.exists(i, i.commands.exists(c, c.tool == "pip"))', 'stage'), 1, 'a stage\'s instructions are its own')
  t.equal(degree('stage.instructions.exists(i, i.commands.exists(c, c.tool == "pip"))', 'instruction'), 2, '…not an instruction\'s')
  t.equal(degree('stage.env.exists(k, k == "A")', 'stage'), 2, 'a stage\'s env is inherited by the stages built on it')
})

t.test('what else counts, and what does not', async (t) => {
  t.equal(degree('dockerfile.instructions.exists(i, i.text in dockerfile.stages.map(s, s.name))', 'instruction'), 3, '`in` a list is a loop, and so is map')
  t.equal(degree('dockerfile.instructions.exists(i, i.keyword in stage.labels)', 'instruction'), 2, '`in` a map is a lookup')
  t.equal(degree('dockerfile.instructions.exists(i, i.text in params.allowed)', 'instruction'), 2, 'params are of fixed size')
  t.equal(degree('[stage.cmd, stage.entrypoint].exists(c, c != null)', 'instruction'), 1, 'so is a list written out')
  t.equal(degree('instruction.sources.exists(s, ignoredBy(dockerfile.context.dockerignore.patterns, s))', 'instruction'), 2, 'ignoredBy walks the patterns')
  t.equal(degree('cel.bind(xs, dockerfile.instructions, xs.exists(i, xs.exists(j, i == j)))', 'instruction'), 3, 'a bound name is what it is bound to')
  t.equal(degree('cel.bind(cs, instruction.commands, cs.exists(c, c.args.exists(a, a == "x")))', 'instruction'), 1)
  t.equal(degree('dockerfile.instructions.map(i, dockerfile.instructions).exists(l, l.exists(j, j.commands.exists(c, true)))', 'dockerfile'), 3, 'the elements of a map\'s result are not parts of the input')
  t.equal(degree('dockerfile.instructions[int(instruction.index) - 1].commands.size() > 0', 'instruction'), 1, 'a lookup by index is no loop')
})

t.test('message placeholders and image checks are bounded by their own scope', async (t) => {
  const placeholder = compilePolicy('cost.yaml', policy('instruction', 'true', `{{${CUBIC}}}`))
  t.match(placeholder, { ok: false, problems: [{ pointer: '/spec/rules/0/message', message: /rule twice-over: message: placeholder .*cubic/ }] })
  t.equal(compileExpression(CUBIC, 'bool', 'native', 'image-history').ok, false)
  t.equal(compileExpression(WHOLE_FILE, 'bool', 'native', 'image').ok, true)
})

t.test('POST /v1/policies/validate names the rule and the reason', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/policies/validate', headers: { 'content-type': 'application/yaml' }, payload: policy('instruction', CUBIC) })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { valid: false, problems: [{ code: 'policy.expression', pointer: '/spec/rules/0/assert', line: 12, message: /rule twice-over: assert: cubic .*once per instruction/ }] })
})

// Counts the elements of lists read while `expression` runs once per instruction of `n` RUN lines.
function steps (expression: string, n: number): number {
  const compiled = compileExpression(expression, 'bool', 'native', 'dockerfile')
  if (!compiled.ok) throw new Error(compiled.message)
  const facts = dockerfileFacts(`FROM alpine:3.20\n${'RUN echo hi\n'.repeat(n)}`)
  let count = 0
  const counted = (value: unknown): unknown => value === null || typeof value !== 'object'
    ? value
    : new Proxy(value, {
      get (target, key, receiver) {
        if (Array.isArray(target) && typeof key === 'string' && /^\d+$/.test(key)) count++
        return counted(Reflect.get(target, key, receiver))
      },
    })
  const dockerfile = counted(facts) as typeof facts
  for (const instruction of dockerfile.instructions) compiled.program({ dockerfile, stage: dockerfile.stages[0], instruction, params: {} })
  return count
}

t.test('what the bound accepts grows as it says; what it refuses, faster', async (t) => {
  const growth = (expression: string): number => steps(expression, 60) / steps(expression, 30)
  t.ok(growth(OWN_FIELDS) < 2.5, `own fields: linear (×${growth(OWN_FIELDS).toFixed(2)} for twice the instructions)`)
  const quadratic = 'dockerfile.instructions.exists(i, i.commands.exists(c, c.args.exists(a, a == instruction.text + "x")))'
  t.ok(growth(quadratic) < 4.5, `one loop over the file: quadratic (×${growth(quadratic).toFixed(2)})`)
  t.ok(growth(CUBIC) > 7, `refused: cubic (×${growth(CUBIC).toFixed(2)})`)
})
