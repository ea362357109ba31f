// Applying the fixes of several findings to one text. A fix is taken whole or not at all: one whose edit overlaps
// an edit already taken waits for the next pass (see fixer.ts), when it is computed again on the new text.
import type { Splice } from './document.js'

/** A finding's fix as offsets. */
export interface PendingFix<T> {
  readonly finding: T
  readonly splices: readonly Splice[]
}

/** The new text, and the findings whose fix it holds. */
export interface Applied<T> {
  readonly text: string
  readonly applied: T[]
}

/**
 * Takes fixes in order and applies those whose edits touch no edit already taken: no overlap, and no insertion at
 * another edit's point or edge. Such edits do not interact, so each lands as it was worked out on this text. Two
 * insertions at one point would be ambiguous (` -y` after `install`, and ` && yum clean all` after the same last
 * word), so the later one waits for the next pass, which works it out on the new text. An edit equal to one
 * already taken (two rules asking for the same `-y`) counts as taken, not applied twice. A fix's own edits may
 * touch each other: they are applied in the order the rule lists them.
 */
export function applyFixes<T> (text: string, fixes: ReadonlyArray<PendingFix<T>>): Applied<T> {
  const taken: Splice[] = []
  const applied: T[] = []
  for (const fix of fixes) {
    const fresh = fix.splices.filter((splice) => !taken.some((other) => same(splice, other)))
    if (fresh.some((splice) => taken.some((other) => touches(splice, other)))) continue
    if (fresh.some((splice, index) => fresh.slice(0, index).some((other) => overlaps(splice, other)))) continue
    taken.push(...fresh)
    applied.push(fix.finding)
  }
  // Stable sort: a fix's insertions at one point keep their order, and come before a replacement starting there.
  const ordered = taken.map((splice, order) => ({ splice, order })).sort((a, b) => a.splice.start - b.splice.start || a.splice.end - b.splice.end || a.order - b.order)
  let out = ''
  let at = 0
  for (const { splice } of ordered) {
    out += text.slice(at, splice.start) + splice.text
    at = Math.max(at, splice.end)
  }
  return { text: out + text.slice(at), applied }
}

const same = (a: Splice, b: Splice): boolean => a.start === b.start && a.end === b.end && a.text === b.text
const isInsertion = (splice: Splice): boolean => splice.start === splice.end

// Strict overlap of two replacements, or an insertion strictly inside a replacement.
function overlaps (a: Splice, b: Splice): boolean {
  if (isInsertion(a) && isInsertion(b)) return false
  if (isInsertion(a)) return b.start < a.start && a.start < b.end
  if (isInsertion(b)) return a.start < b.start && b.start < a.end
  return a.start < b.end && b.start < a.end
}

// Overlap, or an insertion at the other's point or edge.
function touches (a: Splice, b: Splice): boolean {
  if (isInsertion(a)) return b.start <= a.start && a.start <= b.end
  if (isInsertion(b)) return a.start <= b.start && b.start <= a.end
  return a.start < b.end && b.start < a.end
}
