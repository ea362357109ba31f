import type { Problem } from '../problem.js'
import { runExamples } from './examples.js'
import { compilePolicy } from './load.js'
import type { Policy } from './types.js'
import { parseYaml } from './yaml-document.js'

/** How one example of one rule fared. */
export interface ExampleOutcome {
  readonly ruleId: string
  /** fail: the rule must report the example; pass: it must not. */
  readonly expect: 'fail' | 'pass' | 'fix'
  /** Position in the rule's list of that kind, from 0. */
  readonly index: number
  readonly ok: boolean
  /** What went wrong; "" when ok. */
  readonly message: string
  /** JSON Pointer to the example in the document. */
  readonly pointer: string
  /** Line of the example in the document. */
  readonly line?: number
}

/** A policy document checked as loading would check it, without loading it. */
export interface PolicyValidation {
  /** True when the document would load and every example passes. */
  readonly valid: boolean
  /** What would refuse the document at load, each with line, column and pointer; examples run only when empty. */
  readonly problems: readonly Problem[]
  readonly examples: readonly ExampleOutcome[]
}

// compilePolicy wants a file name for its problems; a request body has none, so it is dropped again.
const BODY = 'request body'

/**
 * Compiles one policy document (YAML, or JSON, which YAML reads with the same lines) and runs every
 * rule's examples. Rule ids must also be unique within the document, as loading requires.
 */
export function validatePolicyText (text: string): PolicyValidation {
  const compiled = compilePolicy(BODY, text)
  if (!compiled.ok) return { valid: false, problems: compiled.problems.map(withoutFile), examples: [] }
  const policy = compiled.value
  const problems = duplicateRules(policy)
  if (problems.length > 0) return { valid: false, problems, examples: [] }

  const locate = locator(text)
  const examples = policy.rules.flatMap((rule, ruleIndex) => runExamples(rule).map((result): ExampleOutcome => {
    const pointer = `/spec/rules/${ruleIndex}/examples/${result.expect}/${result.index}`
    const line = locate(pointer)
    return { ruleId: result.ruleId, expect: result.expect, index: result.index, ok: result.ok, message: result.message, pointer, ...(line !== undefined && { line }) }
  }))
  return { valid: examples.every((e) => e.ok), problems: [], examples }
}

function duplicateRules (policy: Policy): Problem[] {
  const seen = new Set<string>()
  return policy.rules.flatMap((rule, index) => {
    if (!seen.has(rule.id)) {
      seen.add(rule.id)
      return []
    }
    return [{ code: 'policy.duplicate-rule', message: `rule id "${rule.id}" is used twice`, line: rule.fileLine, pointer: `/spec/rules/${index}/id` }]
  })
}

function withoutFile (problem: Problem): Problem {
  const { code, message, line, column, pointer } = problem
  return { code, message, ...(line !== undefined && { line }), ...(column !== undefined && { column }), ...(pointer !== undefined && { pointer }) }
}

// The line of the node a JSON Pointer names, read by the same YAML locator the loader uses.
function locator (text: string): (pointer: string) => number | undefined {
  const doc = parseYaml(BODY, text)
  return (pointer) => doc.ok ? doc.value.at(pointer).line : undefined
}
