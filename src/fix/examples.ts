// A rule's fix examples (`examples.fix`): each `before`, fixed with this rule alone, must read `after`, and `after`
// judged again must hold nothing this rule would still fix.
import { bounded } from '../evaluation/bounded.js'
import { evaluateRules, type Finding } from '../evaluation/engine.js'
import { dockerfileFacts } from '../inputs/dockerfile.js'
import { ok, type Result } from '../problem.js'
import type { Rule } from '../policy/types.js'
import { FixDocument } from './document.js'
import { fixDockerfile, unifiedDiff } from './fixer.js'
import type { FixExample } from './types.js'

/** What became of one fix example: "" when it held, else what went wrong. */
export function checkFixExample (original: Rule, example: FixExample): string {
  const rule = { ...original, params: { ...original.params, ...example.params } }
  const judge = (text: string): Result<Finding[]> => bounded(undefined, () => {
    const facts = dockerfileFacts(text, example.files)
    return ok(evaluateRules([rule], { subject: 'dockerfile', facts, document: new FixDocument(text, facts) }).findings)
  })
  const before = judge(example.before)
  if (!before.ok) return `the example is past a cap: ${before.problems[0]?.message ?? ''}`
  if (!before.value.some((finding) => finding.fix !== undefined)) return 'the rule has no fix for `before`'
  const fixed = fixDockerfile(example.before, before.value, judge)
  if (fixed.dockerfile !== example.after) return `the fix gave another Dockerfile than \`after\` (- after, + what the fix gave):\n${changedLines(example.after, fixed.dockerfile)}`
  const again = judge(fixed.dockerfile)
  if (again.ok && again.value.some((finding) => finding.fix !== undefined)) return 'applying the fix again would change `after`'
  return ''
}

// The diff's hunks without its file header and newline notes: what tells `after` from the fix's text.
const changedLines = (after: string, got: string): string => unifiedDiff(after, got).split('\n').slice(2).filter((line) => line !== '' && !line.startsWith('\\')).join('\n')
