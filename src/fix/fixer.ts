// The fixed Dockerfile: the fixes of a verdict's findings applied, then the file judged again and the fixes found
// then applied, until a pass finds none to apply. So applying the fixer to its own output changes nothing.
import { createTwoFilesPatch } from 'diff'
import { SourceText } from '../inputs/source-text.js'
import type { Result } from '../problem.js'
import { applyFixes } from './apply.js'
import type { Splice } from './document.js'
import type { Fix, TextEdit } from './types.js'

/** What the fixer needs of a finding. */
export interface Fixable {
  readonly ruleId: string
  readonly message: string
  readonly location: { readonly line: number }
  readonly fix?: Fix
}

/** A fix the fixed Dockerfile holds. */
export interface AppliedFix {
  readonly ruleId: string
  /** What the fix did. */
  readonly description: string
  /** The finding's message. */
  readonly message: string
  /** The finding's line, in the Dockerfile as it was before the pass that applied the fix. */
  readonly line: number
  /** 1 for the fixes of the Dockerfile as sent; 2 and later for those the judged-again file still asked for. */
  readonly pass: number
}

/** `fixed` in a verdict. */
export interface Fixed {
  readonly dockerfile: string
  /** A unified diff from the Dockerfile sent to the fixed one ("" when nothing changed), for `git apply` / `patch -p1`. */
  readonly diff: string
  readonly applied: readonly AppliedFix[]
}

// A fix that overlaps another waits for the next pass; the real corpus needs one pass per file, MAX_PASSES bounds the rest.
const MAX_PASSES = 8

/**
 * Applies the findings' fixes to `text`, then judges the result with `judge` and goes on until nothing is left to
 * apply. `first`: the findings of `text` already judged. A later pass that cannot be judged (a cap) ends the fixing.
 */
export function fixDockerfile (text: string, first: readonly Fixable[], judge: (text: string) => Result<readonly Fixable[]>, name = 'Dockerfile'): Fixed {
  const applied: AppliedFix[] = []
  let current = text
  let findings: readonly Fixable[] = first
  // A rule whose fixes leave it with as many findings as before does not fix them (a policy's mistake): its fixes
  // stop there rather than being applied once a pass. (Fixable findings can grow: a fix may make another certain.)
  const ineffective = new Set<string>()
  let before = findingsByRule(findings)
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const source = new SourceText(current)
    const pending = findings.filter((finding) => finding.fix !== undefined && !ineffective.has(finding.ruleId)).map((finding) => ({
      finding,
      splices: (finding.fix as Fix).edits.map((edit) => toSplice(source, edit)),
    }))
    const result = applyFixes(current, pending)
    if (result.applied.length === 0 || result.text === current) break
    for (const finding of result.applied) {
      applied.push({ ruleId: finding.ruleId, description: (finding.fix as Fix).description, message: finding.message, line: finding.location.line, pass })
    }
    current = result.text
    const next = judge(current)
    if (!next.ok) break
    findings = next.value
    const after = findingsByRule(findings)
    for (const { ruleId } of result.applied) if ((after.get(ruleId) ?? 0) >= (before.get(ruleId) ?? 0)) ineffective.add(ruleId)
    before = after
  }
  return { dockerfile: current, diff: unifiedDiff(text, current, name), applied }
}

/** A unified diff with `a/` and `b/` names, as git writes them; "" when the texts are equal. */
export function unifiedDiff (before: string, after: string, name = 'Dockerfile'): string {
  if (before === after) return ''
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 })
  // jsdiff starts with a line of `=` and leaves empty header dates: neither is in git's diffs.
  return patch.replace(/^=+\n/, '').replace(/^(---|\+\+\+) (\S+)\t\n/gm, '$1 $2\n')
}

function findingsByRule (findings: readonly Fixable[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const finding of findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1)
  return counts
}

const toSplice = (source: SourceText, edit: TextEdit): Splice => ({
  start: source.offset({ line: edit.line - 1, character: edit.column - 1 }),
  end: source.offset({ line: edit.endLine - 1, character: edit.endColumn - 1 }),
  text: edit.text,
})
