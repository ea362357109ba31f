// `plimsoll explain <rule>`: a rule by id or by an alias from another tool (DL3002, CKV_DOCKER_8).
import type { Rule } from '../policy/types.js'
import { wantsColor } from './color.js'
import { EXIT, type CliIo, type ExitCode } from './io.js'
import { loadPoliciesOrReport, policyDirOf } from './policies.js'
import { renderExplain } from './explain-text.js'

/** Prints every rule the name matches: an alias can stand for several (DS-0001 is two of ours). */
export async function runExplain (name: string, options: { readonly policies?: string }, io: CliIo): Promise<ExitCode> {
  const set = await loadPoliciesOrReport(policyDirOf(options.policies, io), io)
  if (set === undefined) return EXIT.usage
  const rules = set.policies.flatMap((p) => p.rules)
  const matches = findRules(rules, name)
  if (matches.length === 0) {
    const near = rules.filter((r) => r.id.includes(name.toLowerCase())).map((r) => r.id)
    io.stderr.write(`plimsoll: no rule has the id or alias "${name}"${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}\n`)
    return EXIT.usage
  }
  const color = wantsColor(io.env, io.stdout)
  io.stdout.write(matches.map((rule) => renderExplain(rule, set.policies.find((p) => p.name === rule.policy), { color })).join('\n'))
  return EXIT.ok
}

/** Rules whose id is `name`, else whose aliases include it (aliases in any case: dl3002 is DL3002). */
export function findRules (rules: readonly Rule[], name: string): Rule[] {
  const byId = rules.filter((r) => r.id === name)
  if (byId.length > 0) return byId
  return rules.filter((r) => r.aliases.some((alias) => alias.toLowerCase() === name.toLowerCase()))
}
