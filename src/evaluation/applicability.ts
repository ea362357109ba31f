import type { DockerfileFacts } from '../facts/types.js'
import type { RuleError } from './engine.js'
import type { Policy, Rule } from '../policy/types.js'

/** A selected rule that did not run on this input, and why. */
export interface NotEvaluated {
  readonly ruleId: string
  readonly policy: string
  readonly reason: string
}

export interface Applicable {
  readonly rules: readonly Rule[]
  readonly notEvaluated: readonly NotEvaluated[]
  /** A pack whose `when` failed: reported for each of its rules, never a silent skip. */
  readonly ruleErrors: readonly RuleError[]
}

/**
 * Keeps the rules that can judge this input: a pack's `when` must hold (a Python pack where Python is
 * used), and a rule about context files needs at least one, so a bare Dockerfile is not flooded with guesses.
 */
export function applicableRules (policies: readonly Policy[], rules: readonly Rule[], facts: DockerfileFacts): Applicable {
  const applies = new Map<string, true | string>()
  const ruleErrors: RuleError[] = []
  for (const policy of policies) {
    if (policy.when === undefined) {
      applies.set(policy.name, true)
      continue
    }
    try {
      const value = policy.when({ dockerfile: facts })
      applies.set(policy.name, value === true ? true : `the ${policy.name} pack does not apply here (${policy.whenSource})`)
    } catch (error) {
      applies.set(policy.name, 'error')
      for (const rule of rules.filter((r) => r.policy === policy.name)) {
        ruleErrors.push({ ruleId: rule.id, policy: policy.name, message: `the pack's when failed: ${(error as Error).message.split('\n')[0] ?? ''}`, location: { line: 1, endLine: 1 } })
      }
    }
  }
  const run: Rule[] = []
  const notEvaluated: NotEvaluated[] = []
  for (const rule of rules) {
    const pack = applies.get(rule.policy) ?? true
    if (pack === 'error') continue
    if (pack !== true) notEvaluated.push({ ruleId: rule.id, policy: rule.policy, reason: pack })
    else if (rule.needsContext && !facts.context.provided) notEvaluated.push({ ruleId: rule.id, policy: rule.policy, reason: 'no build-context files were sent' })
    else run.push(rule)
  }
  return { rules: run, notEvaluated, ruleErrors }
}
