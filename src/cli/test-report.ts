// What `plimsoll test` prints: one line per rule and per test case, grouped by file, like `opa test -v`.
import pc from 'picocolors'

/** One failed expectation: why, and the Dockerfile it was about when that helps. */
export interface TestFailure {
  readonly message: string
  /** The example's Dockerfile, shown indented under the message; absent for test cases (their line is given). */
  readonly dockerfile?: string
}

/** A rule with its examples, or a policy test case. */
export interface TestEntry {
  /** The policy or test file, as shown to the user. */
  readonly group: string
  /** Rule id or case name. */
  readonly name: string
  /** Where it is written: `file:line`. */
  readonly at: string
  /** Counted, such as "4 examples"; "" for none. */
  readonly detail: string
  readonly failures: readonly TestFailure[]
}

/** Renders entries in order, grouped under their file, and the `N passed, M failed` line. */
export function renderTestReport (entries: readonly TestEntry[], options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color)
  const out: string[] = []
  let group: string | undefined
  for (const entry of entries) {
    if (entry.group !== group) {
      group = entry.group
      out.push(c.bold(group))
    }
    const detail = entry.detail === '' ? '' : `  ${c.dim(entry.detail)}`
    if (entry.failures.length === 0) {
      out.push(`  ${c.green('✓')} ${entry.name}${detail}`)
      continue
    }
    out.push(`  ${c.red('✗')} ${entry.name}${detail}  ${c.dim(entry.at)}`)
    for (const failure of entry.failures) {
      // A message of several lines (a fix example's diff) stays under its first line.
      out.push(...failure.message.split('\n').map((line) => `      ${c.red(line)}`))
      if (failure.dockerfile !== undefined) out.push(...failure.dockerfile.replace(/\n$/, '').split('\n').map((line) => c.dim(`        | ${line}`)))
    }
  }
  const failed = entries.filter((e) => e.failures.length > 0).length
  const summary = `${entries.length - failed} passed, ${failed} failed`
  out.push('', failed > 0 ? c.red(summary) : c.green(summary))
  return `${out.join('\n')}\n`
}
