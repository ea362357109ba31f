// What `plimsoll explain` prints for a rule: everything a person needs to understand a finding and fix it.
import pc from 'picocolors'
import type { Example, Policy, Rule } from '../policy/types.js'

/** Renders one rule: metadata, description, remediation, references, its CEL, one fail and one pass example. */
export function renderExplain (rule: Rule, policy: Policy | undefined, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color)
  const field = (name: string, value: string): string => `  ${c.dim(name.padEnd(10))}${value}`
  const heading = (text: string): string => c.bold(text)
  const out: string[] = [`${c.bold(rule.id)}  ${rule.title}`]
  out.push(field('policy', `${rule.policy}${policy === undefined ? '' : ` ${policy.version}`}  ${c.dim(`(${rule.file}:${rule.fileLine})`)}`))
  out.push(field('severity', rule.severity))
  const scope = (check: Rule): string => check.keywords.length > 0 ? `${check.scope} (${check.keywords.join(', ')})` : check.scope
  out.push(field('scope', scope(rule)))
  if (rule.image !== undefined) out.push(field('on images', `${scope(rule.image)}, needs ${rule.image.needs.join(', ')}`))
  if (rule.aliases.length > 0) out.push(field('aliases', rule.aliases.join(', ')))
  if (rule.tags.length > 0) out.push(field('tags', rule.tags.join(', ')))
  if (rule.description.trim() !== '') out.push('', ...indent(rule.description.trim()))
  out.push('', heading('Remediation'), ...indent(rule.remediation.trim()))
  const fix = rule.examples.fix[0]
  if (rule.fix !== undefined && fix !== undefined) {
    out.push('', heading(`Fix (plimsoll check --fix): ${rule.fix.description}`), ...example({ dockerfile: fix.before, files: fix.files }, c.dim), c.dim('  becomes'), ...example({ dockerfile: fix.after, files: {} }, c.dim))
  }
  if (rule.references.length > 0) out.push('', heading('References'), ...rule.references.map((r) => `  ${r}`))

  out.push('', heading('CEL'))
  const cel: Array<[string, string | undefined]> = [['when', rule.source.when], ['assert', rule.source.assert], ['line', rule.source.line], ['message', rule.source.message]]
  for (const [name, text] of cel) if (text !== undefined) out.push(field(name, text.trim().replace(/\n/g, `\n${' '.repeat(12)}`)))

  const fail = rule.examples.fail[0]
  const pass = rule.examples.pass[0]
  if (fail !== undefined) out.push('', heading(`Fails${fail.line === undefined ? '' : ` (reported on line ${fail.line})`}`), ...example(fail, c.dim))
  if (pass !== undefined) out.push('', heading('Passes'), ...example(pass, c.dim))
  return `${out.join('\n')}\n`
}

function example (ex: Example, dim: (text: string) => string): string[] {
  if (ex.image !== undefined) return JSON.stringify(ex.image.document, null, 2).split('\n').map((line) => `  ${line}`)
  const lines = ex.dockerfile.replace(/\n$/, '').split('\n').map((line, i) => `  ${dim(String(i + 1).padStart(3))}  ${line}`)
  const files = Object.keys(ex.files)
  if (files.length > 0) lines.push(dim(`  with context files: ${files.join(', ')}`))
  return lines
}

const WIDTH = 100

// Folded YAML (`description: >`) arrives as one long line; wrap it for a terminal, keeping the author's breaks.
function indent (text: string): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const lines: string[] = []
    let line = ''
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > WIDTH - 2) {
        lines.push(line)
        line = word
      } else {
        line = line === '' ? word : `${line} ${word}`
      }
    }
    lines.push(line)
    return lines.map((l) => l === '' ? '' : `  ${l}`)
  })
}
