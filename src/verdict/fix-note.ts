// How the reports people read say a finding can be fixed: one wording for the text report, GitHub annotations and
// JUnit bodies. Machine formats with a place for edits (SARIF) carry the edits themselves.
import type { Finding } from '../evaluation/engine.js'
import type { Fix, TextEdit } from '../fix/types.js'

export const FIX_COMMAND = 'plimsoll check --fix'
export const FIX_ROUTE = 'POST /v1/evaluate?fix=true'

/** Put after a finding that carries a fix. */
export const FIXABLE_TAG = '[fixable]'

/** The finding's fix, when it changes something: a fix whose edits are all empty does not make its finding fixable. */
export const fixOf = (finding: Finding): Fix | undefined => finding.fix?.edits.some(changes) === true ? finding.fix : undefined

/** The edit deletes or inserts something (SARIF asks each replacement to have an effect). */
export const changes = (edit: TextEdit): boolean => edit.text !== '' || edit.line !== edit.endLine || edit.column !== edit.endColumn

/** What the fix does and how to apply it: "Fixable with `plimsoll check --fix`: Add `--no-cache-dir` …". */
export const fixableNote = (fix: Fix): string => `Fixable with \`${FIX_COMMAND}\`: ${fix.description}`

/** "2 of 5 findings can be fixed with …"; undefined when none can. Counts only the findings given. */
export function fixableSummary (findings: readonly Finding[]): string | undefined {
  const fixable = findings.filter((f) => fixOf(f) !== undefined).length
  if (fixable === 0) return undefined
  const noun = findings.length === 1 ? 'finding' : 'findings'
  return `${fixable} of ${findings.length} ${noun} can be fixed with \`${FIX_COMMAND}\` (or ${FIX_ROUTE})`
}
