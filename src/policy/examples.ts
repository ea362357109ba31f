import { dockerfileFacts } from '../inputs/dockerfile.js'
import { evaluateRules, type Judged } from '../evaluation/engine.js'
import { readImageDocument, withFiles } from '../inputs/image/index.js'
import { bounded } from '../evaluation/bounded.js'
import { ok, type Result } from '../problem.js'
import { hadolintConfig } from './hadolint-config.js'
import { readListing } from './image-listing.js'
import type { Example, Rule, Subject } from './types.js'
import { checkFixExample } from '../fix/examples.js'
import type { FixExample } from '../fix/types.js'

/** The outcome of one example of one rule. */
export interface ExampleResult {
  readonly ruleId: string
  readonly policy: string
  /** fail: the rule must report the example; pass: it must not; fix: its fix must turn `before` into `after`. */
  readonly expect: 'fail' | 'pass' | 'fix'
  /** Which of the rule's checks the example is for. */
  readonly subject: Subject
  /** Position in the rule's list of that kind, from 0. */
  readonly index: number
  readonly ok: boolean
  /** What went wrong; "" when ok. */
  readonly message: string
  readonly example: Example
}

/**
 * Runs a rule's own examples through the real adapters: fail examples must be reported (on their line
 * when one is given), pass examples must not, and the rule must not error on either.
 */
export function runExamples (rule: Rule): ExampleResult[] {
  return [rule, ...rule.image !== undefined ? [rule.image] : []].flatMap(runCheckExamples)
}

function runCheckExamples (rule: Rule): ExampleResult[] {
  const run = (expect: 'fail' | 'pass') => (example: Example, index: number): ExampleResult => {
    const result = { ruleId: rule.id, policy: rule.policy, subject: rule.subject, expect, index, example }
    // Examples are policy text sent to /v1/policies/validate too: past a cap, the example fails, saying which.
    const evaluated = bounded(undefined, () => {
      const judged = judgedOf(example)
      return judged.ok ? ok(evaluateRules([withConfig(rule, example)], judged.value)) : judged
    })
    if (!evaluated.ok) {
      const [problem] = evaluated.problems
      return { ...result, ok: false, message: problem?.code.startsWith('limit.') === true ? `the example is past a cap: ${problem.message}` : `the example's image is not readable: ${problem?.message ?? ''}` }
    }
    const { findings, ruleErrors } = evaluated.value
    if (ruleErrors.length > 0) return { ...result, ok: false, message: `the rule errored: ${ruleErrors[0]?.message ?? ''}` }
    if (expect === 'pass') {
      return findings.length === 0 ? { ...result, ok: true, message: '' } : { ...result, ok: false, message: `reported on a pass example: ${findings[0]?.message ?? ''} (line ${findings[0]?.location.line ?? 0})` }
    }
    if (findings.length === 0) return { ...result, ok: false, message: 'not reported on a fail example' }
    if (example.line !== undefined && !findings.some((f) => f.location.line === example.line)) {
      return { ...result, ok: false, message: `reported on line ${findings.map((f) => f.location.line).join(', ')}, not on line ${example.line}` }
    }
    return { ...result, ok: true, message: '' }
  }
  const fix = (example: FixExample, index: number): ExampleResult => {
    const message = checkFixExample(rule, example)
    return { ruleId: rule.id, policy: rule.policy, subject: rule.subject, expect: 'fix', index, example: { dockerfile: example.before, files: example.files }, ok: message === '', message }
  }
  return [...rule.examples.fail.map(run('fail')), ...rule.examples.pass.map(run('pass')), ...rule.examples.fix.map(fix)]
}

// An image example is read like a request's image, with its listing as an archive's files, and the Dockerfile it names as `builtFrom`.
function judgedOf (example: Example): Result<Judged> {
  if (example.image === undefined) return ok({ subject: 'dockerfile', facts: dockerfileFacts(example.dockerfile, example.files) })
  const read = readImageDocument(example.image.document, example.image.kind)
  if (!read.ok) return read
  const image = example.image.listing === undefined ? read.value : withFiles(read.value, readListing(example.image.listing))
  return ok({ subject: 'image', image, builtFrom: example.dockerfile === '' ? null : dockerfileFacts(example.dockerfile, example.files) })
}

// An example may carry a .hadolint.yaml: its params (trustedRegistries, labelSchema…) reach the rule as in a request.
function withConfig (rule: Rule, example: Example): Rule {
  const config = hadolintConfig(example.files)
  if (config === null) return rule
  const params = Object.fromEntries(Object.entries(config.params).filter(([name]) => name in rule.params))
  return { ...rule, params: { ...rule.params, ...params } }
}
