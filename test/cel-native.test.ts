import { isDeepStrictEqual } from 'node:util'
import t from 'tap'
import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { readImageDocument, withFiles } from '../src/inputs/image/index.js'
import { sharedTargets, targets, type Judged } from '../src/evaluation/targets.js'
import { compileExpression } from '../src/policy/cel.js'
import { readListing } from '../src/policy/image-listing.js'
import { loadPolicyDir } from '../src/policy/load.js'
import type { Program, Rule } from '../src/policy/types.js'
import { POLICY_DIR } from './helpers.js'

// Expressions run as generated JS where they can (see cel-native.ts), which gives up by throwing wherever cel-js
// must decide. Each expression is compiled both ways and run on the same variables: wherever the JS gives a value,
// cel-js must give the same value.

type Outcome = { value: unknown } | { error: string }
const outcome = (program: Program, variables: Record<string, unknown>): Outcome => {
  try {
    return { value: program(variables) }
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] as string }
  }
}
const programs = (expression: string): [Program | undefined, Program] => {
  const [native, cel] = [compileExpression(expression, 'any', 'native-alone'), compileExpression(expression, 'any', 'cel')]
  if (!cel.ok) throw new Error(`${expression}: ${cel.message}`)
  return [native.ok ? native.program : undefined, cel.program]
}
/** Runs both; a difference, or undefined where they agree or the JS gave up (`tally` counts which). */
const compare = (native: Program, cel: Program, variables: Record<string, unknown>, tally: { answered: number, gaveUp: number }): string | undefined => {
  const ours = outcome(native, variables)
  if ('error' in ours) {
    tally.gaveUp++
    return undefined
  }
  tally.answered++
  const theirs = outcome(cel, variables)
  return isDeepStrictEqual(ours, theirs) ? undefined : `${show(ours).slice(0, 80)}, cel-js ${show(theirs).slice(0, 80)}`
}
const show = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => typeof v === 'bigint' ? `${v}n` : v instanceof Map || v instanceof Set ? [...v] : v)

// Values of every kind cel-js takes or refuses: strings (with a surrogate pair), ints at the edge, doubles,
// lists of one type or of several, maps (one with a `constructor` key, one without prototype), and JS objects
// cel-js reads otherwise (Map, Set) or not at all (Date).
const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { x: 's' })
const VALUES: Record<string, unknown> = {
  'absent': undefined, '"s"': 's', '"A,b c"': 'A,b c', '""': '', '"😀k"': '😀k', '1': 1n, '0': 0n, 'maxInt': 2n ** 63n - 1n,
  '1.0': 1, '1.5': 1.5, '-0.0': -0, 'NaN': Number.NaN, 'true': true, 'false': false, 'null': null,
  '["s","t"]': ['s', 't'], '[1,2]': [1n, 2n], '[1.0]': [1], '[]': [], '[["s"]]': [['s']], '[{x}]': [{ x: 's' }], '["s",1]': ['s', 1n],
  '{x:"s"}': { x: 's' }, '{x:{y:1}}': { x: { y: 1n } }, '{}': {}, '{constructor}': { constructor: 's', x: 's' }, 'nullProto': nullPrototype,
  '{flags}': { flags: ['-y'] }, 'Map': new Map([['x', 's']]), 'Set': new Set(['s']), 'Date': new Date(0),
}
const UNARY = [
  'stage', 'stage.x', 'stage.x.y', 'stage["x"]', 'stage[0]', 'stage[1]', 'stage.constructor', 'stage.toString', 'stage.flags',
  'stage == "s"', 'stage != "s"', 'stage == 1', 'stage != 1', 'stage == 1.5', 'stage == null', 'stage != null', 'stage == true', 'stage == 9223372036854775807', 'stage + 9223372036854775807', 'stage - -9223372036854775807',
  'stage < 1', 'stage >= 0', 'stage <= "t"', 'stage > false', 'stage in ["s", "t"]', 'stage in [1, 2]', '"x" in stage', '1 in stage',
  '!stage', '-stage', 'stage + 1', 'stage - 1', 'stage + "x"', 'stage + ["s"]', '[1] + stage', 'stage + stage', 'stage * 2', 'stage * 2.0', 'stage / 2', 'stage / 0', 'stage / 2.0', 'stage % 2', 'stage % 0', 'stage * 9223372036854775807', 'stage && true', 'false || stage', 'stage ? 1 : 2',
  'size(stage)', 'stage.size()', 'int(stage)', 'string(stage)', 'stage.startsWith("A")', 'stage.endsWith("k")', 'stage.contains(",")',
  'stage.lowerAscii()', 'stage.upperAscii()', 'stage.trim()', 'stage.indexOf("b")', 'stage.lastIndexOf("s")', 'stage.substring(1)', 'stage.substring(0, 2)',
  'stage.split(",")', 'stage.join()', 'stage.join("-")', 'stage.matches("^[A-Za-z]")', 'stage.glob("*")', 'stage.hasFlag("-y")', 'ignoredBy(stage, "x")',
  'stage.exists(x, x == "s")', 'stage.all(x, x != 2)', 'stage.exists_one(x, x == "t")', 'stage.map(x, x)', 'stage.filter(x, x != "s")', 'stage.exists(x, x)',
  'cel.bind(v, stage, v == v)', '[stage] + ["s"]', 'stage.exists(x, x.x == "s")', 'dyn(stage)',
  // Text that would be code if the generated JS quoted literals badly.
  'stage == "\\"); globalThis.injected = true; (\\""', 'stage.startsWith("\'`${globalThis.injected = true}`")',
]
const BINARY = [
  'stage == instruction', 'stage != instruction', 'stage < instruction', 'stage in instruction', 'stage + instruction', 'stage - instruction', 'stage * instruction', 'stage / instruction', 'stage % instruction',
  'stage && instruction', 'stage || instruction', 'stage[instruction]', 'stage.startsWith(instruction)', 'stage.matches(instruction)',
  'stage.indexOf(instruction)', 'stage.substring(instruction)', 'stage.split(instruction)', 'stage.join(instruction)', 'stage.exists(x, x == instruction)',
]

t.test('native evaluation gives what cel-js gives, value or error', async (t) => {
  const tally = { answered: 0, gaveUp: 0 }
  const differences: string[] = []
  const check = (expression: string, variables: Record<string, unknown>, names: string): void => {
    const [native, cel] = programs(expression)
    if (native === undefined) return
    const difference = compare(native, cel, variables, tally)
    if (difference !== undefined) differences.push(`${expression} with ${names}: ${difference}`)
  }
  for (const expression of UNARY) {
    for (const [name, value] of Object.entries(VALUES)) check(expression, { stage: value }, name)
  }
  for (const expression of BINARY) {
    for (const [a, left] of Object.entries(VALUES)) for (const [b, right] of Object.entries(VALUES)) check(expression, { stage: left, instruction: right }, `${a}, ${b}`)
  }
  t.same(differences.slice(0, 20), [], `${tally.answered} answered by the JS alike, ${tally.gaveUp} left to cel-js`)
  t.ok(tally.answered > 0, 'the JS answers where the values are of the right types')
  t.equal((globalThis as { injected?: boolean }).injected, undefined, 'literals stay data in the generated code')
})

// Every shipped expression (when, assert, line, message placeholders) on every target of every example.
t.test('shipped policies: native and cel-js agree on every example', async (t) => {
  const set = await loadPolicyDir(POLICY_DIR)
  if (!set.ok) throw new Error('shipped policies do not load')
  const checks = set.value.policies.flatMap((p) => p.rules).flatMap((rule): Rule[] => [rule, ...rule.image !== undefined ? [rule.image] : []])
    .filter((rule) => !rule.tags.includes('shellcheck')) // its cel-js run would start the shellcheck program
  const compiled = new Map<string, [Program | undefined, Program]>()
  const both = (expression: string): [Program | undefined, Program] => {
    let pair = compiled.get(expression)
    if (pair === undefined) compiled.set(expression, pair = programs(expression))
    return pair
  }
  const tally = { answered: 0, gaveUp: 0 }
  const differences: string[] = []
  for (const example of checks.flatMap((rule) => [...rule.examples.fail, ...rule.examples.pass])) {
    const facts = example.dockerfile === '' ? null : dockerfileFacts(example.dockerfile, example.files)
    const judged: Judged[] = facts === null ? [] : [{ subject: 'dockerfile', facts }]
    if (example.image !== undefined) {
      const read = readImageDocument(example.image.document, example.image.kind)
      if (read.ok) judged.push({ subject: 'image', image: example.image.listing === undefined ? read.value : withFiles(read.value, readListing(example.image.listing)), builtFrom: facts })
    }
    for (const subject of judged) {
      const shared = sharedTargets(subject)
      for (const rule of checks.filter((check) => check.subject === subject.subject)) {
        const expressions = [rule.source.when, rule.source.assert, rule.source.line, ...[...rule.source.message.matchAll(/\{\{(.+?)\}\}/g)].map((m) => (m[1] as string).trim())]
        for (const target of targets(rule, subject, shared)) {
          for (const expression of expressions) {
            if (expression === undefined) continue
            const [native, cel] = both(expression)
            if (native === undefined) continue
            const difference = compare(native, cel, target.variables, tally)
            if (difference !== undefined) differences.push(`${rule.id}: ${expression.slice(0, 80)}: ${difference}`)
          }
        }
      }
    }
  }
  t.same(differences.slice(0, 20), [], `${tally.answered} answered by the JS alike, ${tally.gaveUp} left to cel-js`)
  t.same([...compiled].filter(([, [native]]) => native === undefined).map(([expression]) => expression), [], 'every shipped expression is compiled to JS')
})
