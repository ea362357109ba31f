import type { ImageNeed, Policy, Rule } from '../policy/types.js'
import type { Judged, RuleError } from './engine.js'

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

const MISSING: Readonly<Record<ImageNeed, string>> = {
  config: 'the document carries no image config: send inspect output, an image config or an archive',
  history: 'the document carries no build history (docker inspect has none): send the image config, or the image as an archive',
  layers: 'the document gives no layers: send a manifest, inspect output or an archive',
  files: 'no file listing: send the image as an archive (docker save, or an OCI layout as tar)',
  dockerfile: 'no Dockerfile was sent with the image',
}

/**
 * Keeps the rules (the checks for the judged subject) that can judge this input: a pack's `when` must hold
 * (a Python pack where Python is used; on an image, over the Dockerfile sent with it or else its history, and
 * `image`, which is null on a Dockerfile),
 * a rule about context files needs at least one, so a bare Dockerfile is not flooded with guesses, and an
 * image rule needs what it reads (a file listing, a history…): never a silent pass.
 */
export function applicableRules (policies: readonly Policy[], rules: readonly Rule[], judged: Judged): Applicable {
  const variables = judged.subject === 'dockerfile'
    ? { dockerfile: judged.facts, image: null }
    : { dockerfile: judged.builtFrom ?? judged.image.historyDockerfile, image: judged.image }
  const applies = new Map<string, true | string>()
  const ruleErrors: RuleError[] = []
  for (const policy of policies) {
    if (policy.when === undefined) {
      applies.set(policy.name, true)
      continue
    }
    try {
      const value = policy.when(variables)
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
    else if (rule.needsContext && judged.subject === 'dockerfile' && !judged.facts.context.provided) notEvaluated.push({ ruleId: rule.id, policy: rule.policy, reason: 'no build-context files were sent' })
    else {
      const missing = judged.subject === 'image' ? rule.needs.find((need) => need === 'dockerfile' ? judged.builtFrom === null : !judged.image.has[need]) : undefined
      if (missing === undefined) run.push(rule)
      else notEvaluated.push({ ruleId: rule.id, policy: rule.policy, reason: MISSING[missing] })
    }
  }
  return { rules: run, notEvaluated, ruleErrors }
}
