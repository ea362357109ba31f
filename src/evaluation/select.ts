import { BoundedCache } from '../bounded-cache.js'
import { compileGlob } from '../matching/glob.js'
import { LimitExceeded, limitCode, limits } from '../inputs/limits.js'
import type { Problem, Result } from '../problem.js'
import { failed, ok } from '../problem.js'
import type { FailOn } from '../verdict/verdict.js'
import { isOfType } from '../policy/compile-policy.js'
import type { HadolintConfig } from '../policy/suppression-types.js'
import type { Policy, PolicySet, Profile, Rule, Severity } from '../policy/types.js'

/** What a request asks to run, before the defaults of the profile and the policies. */
export interface SelectionRequest {
  readonly policies?: readonly string[]
  readonly profile?: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly include?: readonly string[]
  readonly exclude?: readonly string[]
}

export interface Selection {
  /** The packs used. */
  readonly policies: readonly Policy[]
  /** The rules to run, with severities and params resolved. */
  readonly rules: readonly Rule[]
  /** The profile's threshold, else the hadolint config's; undefined when neither sets one. */
  readonly failOn?: FailOn
}

/**
 * Decides which rules run and how: packs (request, else profile, else all), then the profile's `rules`
 * (exactly those), `include` (adds, opt-in rules too) and `exclude` (removes, last); severities from the
 * profile then the hadolint config; params from the policy defaults, then profile, config and request.
 */
export function selectRules (set: PolicySet, request: SelectionRequest, hadolint: HadolintConfig | null): Result<Selection> {
  // The same selectors on the same policy set select the same rules: CI sends the same request again and again.
  let cache = selections.get(set)
  if (cache === undefined) selections.set(set, cache = new BoundedCache(200))
  const key = JSON.stringify([request.policies, request.profile, request.params, request.include, request.exclude, hadolint?.severity, hadolint?.params, hadolint?.failOn])
  return cache.get(key, () => select(set, request, hadolint))
}

const selections = new WeakMap<PolicySet, BoundedCache<Result<Selection>>>()

function select (set: PolicySet, request: SelectionRequest, hadolint: HadolintConfig | null): Result<Selection> {
  const problems: Problem[] = []
  let profile: Profile | undefined
  if (request.profile !== undefined) {
    profile = set.profiles.find((p) => p.name === request.profile)
    if (profile === undefined) problems.push({ code: 'input.unknown-profile', message: `unknown profile "${request.profile}"; loaded: ${set.profiles.map((p) => p.name).join(', ') || 'none'}`, pointer: '/profile' })
  }
  const wanted = request.policies !== undefined && request.policies.length > 0 ? request.policies : profile?.policies ?? []
  for (const name of wanted.filter((n) => !set.policies.some((p) => p.name === n))) {
    problems.push({ code: 'input.unknown-policy', message: `unknown policy "${name}"; loaded: ${set.policies.map((p) => p.name).join(', ')}`, pointer: '/policies' })
  }
  const policies = set.policies.filter((p) => wanted.length === 0 || wanted.includes(p.name))
  const declared = new Map(policies.flatMap((p) => Object.entries(p.params)))
  for (const [name, value] of Object.entries(request.params ?? {})) {
    const spec = declared.get(name)
    if (spec === undefined) problems.push({ code: 'input.unknown-param', message: `unknown param "${name}"; the selected policies take: ${[...declared.keys()].join(', ') || 'none'}`, pointer: `/params/${name}` })
    else if (!isOfType(value, spec.type)) problems.push({ code: 'input.invalid-param', message: `param "${name}" must be a ${spec.type}`, pointer: `/params/${name}` })
  }
  for (const field of ['include', 'exclude'] as const) {
    (request[field] ?? []).forEach((selector, i) => {
      const match = matcher(selector)
      if (typeof match === 'string') problems.push({ code: 'input.invalid-selector', message: `${field} "${selector.slice(0, 40)}${selector.length > 40 ? '…' : ''}": ${match}`, pointer: `/${field}/${i}` })
    })
  }
  if (problems.length > 0) return failed(problems)

  const all = policies.flatMap((p) => p.rules)
  const only = profile?.rules ?? []
  const include = [...profile?.include ?? [], ...request.include ?? []]
  const exclude = [...profile?.exclude ?? [], ...request.exclude ?? []]
  const chosen = all.filter((rule) => (only.length > 0 ? matchesAny(rule, only) : rule.enabled) || matchesAny(rule, include))
  const severity = { ...profile?.severity, ...hadolint?.severity }
  const overrides = { ...profile?.params, ...typedParams(hadolint?.params ?? {}, declared), ...request.params }
  const crowded = Object.entries(overrides).find(([, value]) => entriesOf(value) > limits().paramEntries)
  if (crowded !== undefined) return failed([{ code: limitCode('paramEntries'), message: new LimitExceeded('paramEntries', `the param "${crowded[0]}"`).message, pointer: `/params/${crowded[0]}` }])
  const rules = chosen
    .filter((rule) => !matchesAny(rule, exclude))
    .map((rule) => {
      const policy = policies.find((p) => p.name === rule.policy) as Policy
      const resolved = { severity: severityOf(rule, severity), params: { ...rule.params, ...pick(overrides, Object.keys(policy.params)) } }
      return { ...rule, ...resolved, ...(rule.image !== undefined && { image: { ...rule.image, ...resolved } }) }
    })
  const failOn = profile?.failOn ?? hadolint?.failOn
  return ok({ policies, rules, ...(failOn !== undefined && { failOn }) })
}

const entriesOf = (value: unknown): number => Array.isArray(value) ? value.length : typeof value === 'object' && value !== null ? Object.keys(value).length : 0

/** True when a selector (id, alias or tag; globs allowed) names the rule. */
export function matchesAny (rule: Rule, selectors: readonly string[]): boolean {
  return selectors.some((selector) => {
    const match = matcher(selector)
    // A selector that is no glob (a request's is refused above; a profile's or .hadolint.yaml's) names no rule.
    if (typeof match === 'string') return false
    return match(rule.id) || rule.aliases.some((alias) => match(alias)) || rule.tags.some((tag) => match(tag))
  })
}

function severityOf (rule: Rule, overrides: Readonly<Record<string, Severity>>): Severity {
  let severity = rule.severity
  for (const [selector, value] of Object.entries(overrides)) if (matchesAny(rule, [selector])) severity = value
  return severity
}

// hadolint's config may carry params no selected policy declares (or of another shape): those are left out.
function typedParams (params: Readonly<Record<string, unknown>>, declared: ReadonlyMap<string, { type: Parameters<typeof isOfType>[1] }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name, value]) => {
    const spec = declared.get(name)
    return spec !== undefined && isOfType(value, spec.type)
  }))
}

function pick (values: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => names.includes(name)))
}

// A selector's glob (picomatch's, run in linear time), or why it cannot be one: empty, too long, refused.
const matchers = new BoundedCache<((text: string) => boolean) | string>()
const matcher = (selector: string): ((text: string) => boolean) | string => matchers.get(selector, () => {
  try {
    return compileGlob(selector)
  } catch (error) {
    return (error as Error).message
  }
})
